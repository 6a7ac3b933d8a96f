"""Every string govdata shows is translated into Chinese, and the compiled catalogue is current."""
from __future__ import annotations

import os

import polib
from babel.messages.extract import extract_from_dir

PACKAGE = os.path.join(os.path.dirname(__file__), "..", "ckanext-govdata", "ckanext", "govdata")
CATALOGUE = os.path.join(PACKAGE, "i18n", "zh_Hans_CN", "LC_MESSAGES", "ckanext-govdata")
KEYWORDS = {
    "_": None, "bilingual": (1,), "_error": (2,), "Rejected": (1,), "_unique_extra": (2,), "ungettext": (1, 2),
    "RuleError": (1,), "FileRefused": (1,), "problem": (5,), "message": (2,), "bad_parameter": (2,),
}
METHODS = [
    ("**.py", "python"),
    ("**/templates/**.html", "ckan"),
]


def _extracted() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        PACKAGE, METHODS, keywords=KEYWORDS, options_map={"**/templates/**.html": {}},
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_every_extension_string_has_a_chinese_translation():
    catalogue = polib.pofile(CATALOGUE + ".po")
    translated = {entry.msgid for entry in catalogue if entry.msgstr}

    missing = _extracted() - translated

    assert not missing, f"untranslated: {sorted(missing)}"


def test_compiled_catalogue_matches_the_po_file():
    source = {entry.msgid: entry.msgstr for entry in polib.pofile(CATALOGUE + ".po") if entry.msgstr}
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(CATALOGUE + ".mo") if entry.msgid}

    assert compiled == source, "run: pybabel compile -d ckanext-govdata/ckanext/govdata/i18n -D ckanext-govdata"
