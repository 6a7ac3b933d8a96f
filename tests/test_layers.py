"""Imports point one way (STYLE.md, "Layers point one way"); this fails on the first that does not.

    base        messages, settings → vocabularies, spreadsheets, rate_limits, documents, request_scope,
                action_steps, view_steps, mailing → storage, validators, workflows, catalogue
    core        calendar → grants, workflow_model → open_condition → search, dcat → logic
                (the rules every feature obeys; the catalogue's index, RDF and core actions)
    features    access, stats, showcase, curation, uploads, demands, feedback, quality, subjects, dataapi
    interface   plugin, views, cli, helpers, web security, demo; and each feature's own
                plugin, views, cli and helpers modules

A module imports only from ranks below its own (→ reads "is below"). Inside a feature, the feature's interface
modules may import its logic and models, never the reverse; a feature never imports another
feature (it calls that feature's actions). Imports inside functions count too.
"""
from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = "ckanext.govdata"
ROOT = pathlib.Path(__file__).resolve().parent.parent / "ckanext-govdata" / "ckanext" / "govdata"

FEATURE, INTERFACE = 8, 9
TOP_LEVEL = {
    "messages": 0, "alembic_env": 0, "settings": 0,
    "vocabularies": 1, "spreadsheets": 1, "rate_limits": 1, "documents": 1, "request_scope": 1, "action_steps": 1,
    "view_steps": 1, "mailing": 1,
    "storage": 2, "validators": 2, "workflows": 2, "catalogue": 2,
    "calendar": 3, "grants": 4, "workflow_model": 4, "open_condition": 5, "search": 6, "dcat": 6, "logic": 7,
    "access": FEATURE, "stats": FEATURE, "showcase": FEATURE, "curation": FEATURE,
    "uploads": FEATURE,
    "demands": FEATURE, "feedback": FEATURE, "quality": FEATURE, "subjects": FEATURE, "dataapi": FEATURE,
    "plugin": INTERFACE, "views": INTERFACE, "cli": INTERFACE, "helpers": INTERFACE,
    "web_security": INTERFACE, "security_headers": INTERFACE, "demo": INTERFACE, "migration": INTERFACE,
}
FEATURE_INTERFACE = {"plugin", "views", "cli", "helpers"}


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _imports(path: pathlib.Path) -> list[tuple[int, str]]:
    """(line, module) of every import of this package's modules in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith(PACKAGE)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
            # ``from ckanext.govdata import access`` imports the named submodules.
            if node.module == PACKAGE:
                found += [(node.lineno, f"{PACKAGE}.{alias.name}") for alias in node.names]
            else:
                found += [(node.lineno, node.module)]
    return found


def _place(module: str) -> tuple[int, str, bool]:
    """(layer, top-level package, is a feature's interface module) of a module of this package."""
    parts = module.removeprefix(PACKAGE + ".").split(".")
    top = parts[0]
    if top not in TOP_LEVEL:
        raise AssertionError(f"{module}: add its top-level package {top!r} to a layer in tests/test_layers.py")
    layer = TOP_LEVEL[top]
    inner_interface = layer == FEATURE and len(parts) > 1 and parts[1] in FEATURE_INTERFACE
    return (INTERFACE if inner_interface else layer), top, inner_interface


def _violation(importer: str, imported: str) -> str | None:
    layer, top, _ = _place(importer)
    imported_layer, imported_top, imported_inner_interface = _place(imported)
    if top == imported_top:
        if TOP_LEVEL[top] == FEATURE and imported_inner_interface and layer != INTERFACE:
            return "a feature's logic imports its own interface (views, cli, plugin, helpers)"
        return None
    if TOP_LEVEL[imported_top] == FEATURE and TOP_LEVEL[top] == FEATURE:
        return "a feature imports another feature (call its actions instead)"
    if imported_layer < layer or (layer == imported_layer == INTERFACE and TOP_LEVEL[top] == INTERFACE):
        return None
    return "imports a higher or same layer"


def _package_modules() -> list[pathlib.Path]:
    return sorted(path for path in ROOT.rglob("*.py") if "migration" not in path.parts or path.name == "env.py")


def test_every_import_points_down():
    problems = []
    for path in _package_modules():
        importer = _module_name(path)
        for line, imported in _imports(path):
            reason = _violation(importer, imported)
            if reason:
                problems.append(f"{path.relative_to(ROOT)}:{line}: {importer} → {imported}: {reason}")

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("importer", "imported", "allowed"),
    [
        ("ckanext.govdata.open_condition", "ckanext.govdata.access.model", False),
        ("ckanext.govdata.showcase.logic.contests", "ckanext.govdata.access.logic.grants", False),
        ("ckanext.govdata.access.logic.requests", "ckanext.govdata.access.views", False),
        ("ckanext.govdata.validators.rules", "ckanext.govdata.calendar", False),
        ("ckanext.govdata.access.views", "ckanext.govdata.access.logic.requests", True),
        ("ckanext.govdata.access.logic.requests", "ckanext.govdata.calendar", True),
        ("ckanext.govdata.plugin", "ckanext.govdata.views", True),
        ("ckanext.govdata.stats.plugin", "ckanext.govdata.cli", False),
    ],
)
def test_the_rule_itself(importer, imported, allowed):
    assert (_violation(importer, imported) is None) is allowed
