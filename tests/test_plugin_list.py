"""Development, test and production enable the plugins of config/plugins.txt (bin/plugins)."""
from __future__ import annotations

import importlib.machinery
import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _script():
    loader = importlib.machinery.SourceFileLoader("plugin_list", str(ROOT / "bin" / "plugins"))
    spec = importlib.util.spec_from_loader("plugin_list", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


plugin_list = _script()


@pytest.mark.parametrize("ini", plugin_list.INIS, ids=lambda path: path.name)
def test_every_ini_enables_the_listed_plugins(ini):
    assert plugin_list.current_line(ini) == plugin_list.expected_line()


def test_uploads_are_loaded_into_the_datastore_everywhere():
    assert plugin_list.plugins().index("datastore") < plugin_list.plugins().index("xloader")
