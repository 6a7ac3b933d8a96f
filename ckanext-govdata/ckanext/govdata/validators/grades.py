"""Security grades bind the open condition (分级分类, DOMAIN.md): one table, asked by every check.

Each grade names the most open condition a dataset of that grade may have:

* ``unconditional`` — any condition (grade 1 by default);
* ``conditional`` — conditional or not open (grade 2);
* ``conditional-approved`` — conditional or not open, and a request is approved only with the data
  subject's consent or by the data bureau's staff (grade 3);
* ``not-open`` — never opened (grade 4).

The defaults come from the ``most_open`` of each entry of the ``security_grades`` vocabulary;
``ckanext.govdata.security_grade_table`` (``1:unconditional 2:conditional …``) overrides them per
grade. A grade neither names is never opened (default-deny). Saving, importing and publishing
refuse a dataset against the table (``refusal``); the curation report lists existing violations.
"""
from __future__ import annotations

from typing import Any

from ckan.exceptions import CkanConfigurationException

from ckanext.govdata import settings, vocabularies
from ckanext.govdata.messages import chinese

# The open conditions (values of the ``open_conditions`` vocabulary, as ``open_condition`` names them).
UNCONDITIONAL, CONDITIONAL, NOT_OPEN = "unconditional", "conditional", "not-open"
CONDITIONAL_APPROVED = "conditional-approved"
# Level → the conditions it allows, most open first.
LEVELS: dict[str, tuple[str, ...]] = {
    UNCONDITIONAL: (UNCONDITIONAL, CONDITIONAL, NOT_OPEN),
    CONDITIONAL: (CONDITIONAL, NOT_OPEN),
    CONDITIONAL_APPROVED: (CONDITIONAL, NOT_OPEN),
    NOT_OPEN: (NOT_OPEN,),
}
OPTION = "ckanext.govdata.security_grade_table"


# The last table built, with the raw values of the options it was built from (the grade table and
# the vocabularies file). Search results ask for the table once per dataset
# (open_condition.redact_package), a page of 20 forty times: reading two options is the check.
_built: tuple[tuple[Any, ...], dict[str, str]] | None = None


def table() -> dict[str, str]:
    """Grade → level, for every grade of the vocabulary (do not change it: it is shared)."""
    global _built
    key = settings.raw_values("security_grade_table", "vocabularies_file")
    if _built is None or _built[0] != key:
        _built = (key, _table())
    return _built[1]


def _table() -> dict[str, str]:
    configured = dict(settings.current().security_grade_table)
    grades = vocabularies.entries("security_grades")
    unknown = set(configured) - {entry["value"] for entry in grades}
    if unknown:
        raise CkanConfigurationException(f"{OPTION} names grades that are not in the vocabulary: {sorted(unknown)}")
    levels = set(configured.values()) | {entry.get("most_open") or NOT_OPEN for entry in grades}
    if levels - set(LEVELS):
        raise CkanConfigurationException(
            f"{OPTION} and the security_grades vocabulary may name only the levels {', '.join(LEVELS)}: "
            f"{sorted(levels - set(LEVELS))}"
        )
    table = {}
    for entry in grades:
        level = configured.get(entry["value"]) or entry.get("most_open")
        table[entry["value"]] = level or NOT_OPEN
    return table


def level_of(grade: str | None) -> str | None:
    """The grade's level; None for a dataset without a grade (other package types)."""
    if not grade:
        return None
    return table().get(str(grade), NOT_OPEN)


def allowed_conditions(grade: str | None) -> tuple[str, ...]:
    level = level_of(grade)
    return LEVELS[level] if level else LEVELS[UNCONDITIONAL]


def needs_subject_or_bureau(grade: str | None) -> bool:
    """Requests for this grade's data are approved only with the subject's consent or by the bureau."""
    return level_of(grade) == CONDITIONAL_APPROVED


def watermarked(grade: str | None) -> bool:
    """Downloads of this grade's data carry the grantee's watermark (grade 3 and up by default)."""
    return level_of(grade) in (CONDITIONAL_APPROVED, NOT_OPEN)


def allows(grade: str | None, condition: str | None) -> bool:
    """An unknown condition is not this table's to refuse: the vocabulary check refuses it."""
    if not grade or condition not in LEVELS[UNCONDITIONAL]:
        return True
    return condition in allowed_conditions(grade)


def refusal(grade: str | None, condition: str | None, field: tuple[str, str]) -> str | None:
    """Why ``condition`` is refused for ``grade``, in Chinese and English naming ``field``; None if allowed."""
    if allows(grade, condition):
        return None
    assert grade is not None and condition is not None
    msgid = "{field}: {condition} is not allowed for a dataset of security grade {grade}; it may be {allowed}"
    if level_of(grade) == NOT_OPEN:
        msgid = "{field}: a dataset of security grade {grade} is never opened; its open condition must be {allowed}"
    texts = []
    for lang, field_label, translate in (("zh_Hans_CN", field[0], chinese), ("en", field[1], str)):
        labels = vocabularies.labels("open_conditions", lang)
        texts.append(translate(msgid).format(
            field=field_label, grade=vocabularies.label("security_grades", grade, lang),
            condition=labels.get(condition, condition),
            allowed=("、" if lang == "zh_Hans_CN" else " or ").join(
                labels.get(value, value) for value in allowed_conditions(grade)
            ),
        ))
    chinese_text, english = texts
    return english if chinese_text == english else f"{chinese_text} / {english}"
