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


@pytest.mark.parametrize("ini", sorted(plugin_list.INIS), ids=lambda path: path.name)
def test_every_ini_enables_the_listed_plugins(ini):
    assert plugin_list.current_line(ini) == plugin_list.expected_line(plugin_list.INIS[ini])


def test_only_production_only_plugins_differ_between_test_and_production():
    tested, produced = plugin_list.plugins(production=False), plugin_list.plugins(production=True)
    assert produced[: len(tested)] == tested
    assert set(produced) - set(tested) == {"xloader"}, "a new production-only plugin needs a reason in README"
