"""Identity documents: each type accepts its published format, refuses a wrong check character and
a wrong shape with a message naming the document type, and is masked by its own rule."""
from __future__ import annotations

import pytest

from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import identity, rules


def _with_check(first_17: str) -> str:
    return first_17 + rules.id_number_check_character(first_17)


def _wrong_check(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


RESIDENT_ID = _with_check("33010219900307123")
FOREIGN_2023 = _with_check("93315619850412001")
HK_RESIDENCE = _with_check("81000019900101123")
MACAO_RESIDENCE = _with_check("82000019851231002")
TAIWAN_RESIDENCE = _with_check("83000020000229004")

VALID = [
    (identity.RESIDENT_ID, RESIDENT_ID),
    (identity.FOREIGN_PERMANENT_RESIDENCE, "USA330804120015"),
    (identity.FOREIGN_PERMANENT_RESIDENCE, FOREIGN_2023),
    (identity.HK_MACAO_TRAVEL_PERMIT, "H12345678"),
    (identity.HK_MACAO_TRAVEL_PERMIT, "M1234567801"),
    (identity.TAIWAN_TRAVEL_PERMIT, "01234567"),
    (identity.TAIWAN_TRAVEL_PERMIT, "0123456789"),
    (identity.TAIWAN_TRAVEL_PERMIT, "0123456789(B)"),
    (identity.HMT_RESIDENCE_PERMIT, HK_RESIDENCE),
    (identity.HMT_RESIDENCE_PERMIT, MACAO_RESIDENCE),
    (identity.HMT_RESIDENCE_PERMIT, TAIWAN_RESIDENCE),
    (identity.CHINESE_PASSPORT, "E12345678"),
    (identity.CHINESE_PASSPORT, "EA1234567"),
    (identity.CHINESE_PASSPORT, "G12345678"),
    (identity.FOREIGN_PASSPORT, "USA123456789"),
    (identity.FOREIGN_PASSPORT, "GBR 1234567"),
    (identity.CREDIT_CODE, "91330100MA27XL0C3H"),
]

WRONG_CHECK = [
    (identity.RESIDENT_ID, _wrong_check(RESIDENT_ID)),
    (identity.FOREIGN_PERMANENT_RESIDENCE, _wrong_check(FOREIGN_2023)),
    (identity.HMT_RESIDENCE_PERMIT, _wrong_check(HK_RESIDENCE)),
    (identity.CREDIT_CODE, "91330100MA27XL0C3B"),
]

WRONG_SHAPE = [
    (identity.RESIDENT_ID, "3301021990030712"),
    (identity.RESIDENT_ID, HK_RESIDENCE),
    (identity.RESIDENT_ID, FOREIGN_2023),
    (identity.FOREIGN_PERMANENT_RESIDENCE, "US3308041200151"),
    (identity.FOREIGN_PERMANENT_RESIDENCE, "USA331313120015"),
    (identity.FOREIGN_PERMANENT_RESIDENCE, _with_check("13315619850412001")),
    (identity.FOREIGN_PERMANENT_RESIDENCE, _with_check("93315619851332001")),
    (identity.HK_MACAO_TRAVEL_PERMIT, "K12345678"),
    (identity.HK_MACAO_TRAVEL_PERMIT, "H123456789"),
    (identity.TAIWAN_TRAVEL_PERMIT, "1234567"),
    (identity.TAIWAN_TRAVEL_PERMIT, "T1234567"),
    (identity.HMT_RESIDENCE_PERMIT, RESIDENT_ID),
    (identity.HMT_RESIDENCE_PERMIT, _with_check("84000019900101123")),
    (identity.CHINESE_PASSPORT, "E1234567"),
    (identity.CHINESE_PASSPORT, "EI1234567"),
    (identity.CHINESE_PASSPORT, "K12345678"),
    (identity.FOREIGN_PASSPORT, "US1234567"),
    (identity.FOREIGN_PASSPORT, "USA1234"),
    (identity.FOREIGN_PASSPORT, "USA" + "1" * 21),
    (identity.CREDIT_CODE, "91330100MA27XL0C3"),
]


@pytest.mark.parametrize(("document_type", "number"), VALID)
def test_a_valid_number_of_each_type_is_accepted_and_normalised(document_type, number):
    checked = identity.check_document(document_type, number.lower())

    assert checked == identity.normalise(number)
    assert " " not in checked and "(" not in checked


@pytest.mark.parametrize(("document_type", "number"), WRONG_CHECK + WRONG_SHAPE)
def test_a_wrong_number_is_refused_naming_the_document_type(document_type, number):
    with pytest.raises(rules.RuleError) as refused:
        identity.check_document(document_type, number)

    english = refused.value.msgid.format(field="Document number")
    assert identity.BY_VALUE[document_type].label.lower().split()[-1] in english.lower()
    assert number not in english


@pytest.mark.parametrize("document", identity.DOCUMENT_TYPES, ids=lambda document: document.value)
def test_each_refusal_and_type_name_is_translated(document):
    assert bilingual(document.invalid, field=("证件号码", "Document number")).count(" / ") >= 1
    assert bilingual(document.label) != document.label


def test_an_unknown_document_type_is_refused():
    with pytest.raises(rules.RuleError):
        identity.check_document("driving_licence", RESIDENT_ID)


@pytest.mark.parametrize(("document_type", "number", "masked"), [
    (identity.RESIDENT_ID, "330102199003071235", "3301********1235"),
    (identity.HMT_RESIDENCE_PERMIT, HK_RESIDENCE, "81********" + HK_RESIDENCE[-4:]),
    (identity.FOREIGN_PERMANENT_RESIDENCE, "USA330804120015", "USA********0015"),
    (identity.HK_MACAO_TRAVEL_PERMIT, "H12345678", "H********5678"),
    (identity.TAIWAN_TRAVEL_PERMIT, "01234567", "********4567"),
    (identity.CHINESE_PASSPORT, "E12345678", "E********5678"),
    (identity.FOREIGN_PASSPORT, "USA12345", "USA********45"),
    (None, "330102199003071235", "********1235"),
    (None, "12", "********2"),
])
def test_masking_keeps_the_type_prefix_and_at_most_the_last_four(document_type, number, masked):
    assert identity.mask(number, document_type) == masked


def test_masking_never_shows_a_whole_short_number():
    for length in range(1, 12):
        number = "".join(str(digit % 10) for digit in range(length))
        prefix, tail = identity.mask(number, identity.FOREIGN_PASSPORT).split(identity.MASK)
        assert len(prefix) <= length // 2
        assert len(tail) <= (length - len(prefix)) // 2
    assert identity.mask("") == ""
    assert identity.mask(None) == ""


def test_numbers_stored_without_a_type_are_recognised():
    assert identity.guess_type(RESIDENT_ID) == identity.RESIDENT_ID
    assert identity.guess_type("91330100MA27XL0C3H") == identity.CREDIT_CODE
    assert identity.guess_type("E12345678") is None
