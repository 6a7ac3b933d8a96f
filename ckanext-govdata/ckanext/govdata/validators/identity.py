"""Identity documents of data subjects and applicants: one format rule and one mask per type.

The policies cover foreigners and residents of Hong Kong, Macao and Taiwan as well as holders of
a mainland ID (DOMAIN.md, "Data subjects"), so a person names the document they hold and its
number. Each type below checks its own published format; a refusal names the document type.
Numbers are shown only through :func:`mask` and never logged or indexed.

Sources of the formats:

* mainland resident ID — GB 11643-1999 公民身份号码: 17 digits and a MOD 11-2 check character
  (``rules.is_id_number``).
* foreigner's permanent residence ID card (外国人永久居留身份证) — National Immigration
  Administration, 《新版外国人永久居留身份证机读信息规则》 (2023): the 2017 card's number is
  15 characters, 3 Latin letters (nationality, ICAO/ISO 3166-1 alpha-3) and 12 digits
  (2-digit acceptance area, 6-digit birth date YYMMDD, 4 digits of sequence); no check
  algorithm for it is published, so its shape and birth date are checked. The card issued
  from 1 December 2023 has 18 digits, the first "9", then a 2-digit acceptance area, a 3-digit
  numeric nationality code, the birth date YYYYMMDD, a 3-digit sequence and a MOD 11-2 check
  character "the same as the citizen ID number".
* Hong Kong/Macao residents' travel permit to the mainland (港澳居民来往内地通行证, 回乡证):
  "H" (Hong Kong) or "M" (Macao) and 8 digits; cards issued before 2013 add a 2-digit
  issue count (10 digits).
* Taiwan residents' travel permit (台湾居民来往大陆通行证, 台胞证): 8 digits on the card issued
  since 2015; the earlier booklet had 10 digits, sometimes followed by a letter for its issue
  (written ``1234567890(B)``).
* Hong Kong/Macao/Taiwan residents' residence permit (港澳台居民居住证, State Council
  《港澳台居民居住证申领发放办法》 2018): an 18-character GB 11643 number whose address code is
  810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan).
* Chinese ordinary passport: "E" and 8 digits (electronic passport, 2012), "E" with a second
  letter (not I or O) and 7 digits once the E numbers ran out, and the older "G" and 8 digits.
* foreign passport: ICAO Doc 9303 leaves the number to each state (up to 9 characters in the
  machine-readable zone, longer when the optional data holds the rest), so the rule is lenient:
  the issuing state's 3-letter code, then 5 to 20 letters and digits (``USA123456789``).
* enterprise: the unified social credit code (GB 32100-2015, ``rules.is_credit_code``).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from ckanext.govdata.validators import rules

RESIDENT_ID = "resident_id"
FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent_residence"
HK_MACAO_TRAVEL_PERMIT = "hk_macao_travel_permit"
TAIWAN_TRAVEL_PERMIT = "taiwan_travel_permit"
HMT_RESIDENCE_PERMIT = "hmt_residence_permit"
CHINESE_PASSPORT = "chinese_passport"
FOREIGN_PASSPORT = "foreign_passport"
CREDIT_CODE = "credit_code"

FOREIGN_2017_PATTERN = re.compile(r"^[A-Z]{3}[0-9]{2}([0-9]{6})[0-9]{4}$")
FOREIGN_2023_PATTERN = re.compile(r"^9[0-9]{2}[0-9]{3}([0-9]{8})[0-9]{3}[0-9X]$")
HK_MACAO_PATTERN = re.compile(r"^[HM][0-9]{8}([0-9]{2})?$")
TAIWAN_PATTERN = re.compile(r"^([0-9]{8}|[0-9]{10}(\([A-Z]\)|[A-Z])?)$")
RESIDENCE_PERMIT_PATTERN = re.compile(r"^8[123]0000[0-9]{11}[0-9X]$")
CHINESE_PASSPORT_PATTERN = re.compile(r"^(E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8})$")
FOREIGN_PASSPORT_PATTERN = re.compile(r"^[A-Z]{3}[A-Z0-9]{5,20}$")
# Separators people type inside numbers; dropped before checking.
SEPARATORS = re.compile(r"[\s\-]")
MASK = "********"


def _birth_date(text: str) -> bool:
    """Is ``text`` (YYYYMMDD, or YYMMDD of either century) a real date?"""
    if len(text) == 6:
        return _birth_date("19" + text) or _birth_date("20" + text)
    try:
        dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return True


def _resident_id(number: str) -> bool:
    return rules.is_id_number(number) and not number.startswith(("81", "82", "83", "9"))


def _foreign_permanent_residence(number: str) -> bool:
    old = FOREIGN_2017_PATTERN.match(number)
    if old:
        return _birth_date(old.group(1))
    new = FOREIGN_2023_PATTERN.match(number)
    if new is None:
        return False
    return _birth_date(new.group(1)) and rules.id_number_check_character(number[:17]) == number[17]


def _residence_permit(number: str) -> bool:
    return bool(RESIDENCE_PERMIT_PATTERN.match(number)) and rules.id_number_check_character(number[:17]) == number[17]


def _matches(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda number: bool(pattern.match(number))


@dataclasses.dataclass(frozen=True)
class DocumentType:
    value: str
    # English name; the Chinese is in the zh_Hans_CN catalogue.
    label: str
    is_valid: Callable[[str], bool]
    # The refusal, naming the document type (``{field}`` is the form field).
    invalid: str
    # Characters kept at the start when masked (those that name a region or nationality, not a person).
    shown_prefix: int
    subject_type: str = "person"


DOCUMENT_TYPES = (
    DocumentType(RESIDENT_ID, "Mainland resident ID card", _resident_id,
                 "{field} is not a valid mainland resident ID card number (GB 11643)", 4),
    DocumentType(FOREIGN_PERMANENT_RESIDENCE, "Foreigner's permanent residence ID card", _foreign_permanent_residence,
                 "{field} is not a valid foreigner's permanent residence ID card number "
                 "(15 characters: 3 letters and 12 digits; or 18 digits starting with 9)", 3),
    DocumentType(HK_MACAO_TRAVEL_PERMIT, "Mainland travel permit for Hong Kong and Macao residents",
                 _matches(HK_MACAO_PATTERN),
                 "{field} is not a valid mainland travel permit number for Hong Kong and Macao residents "
                 "(H or M and 8 or 10 digits)", 1),
    DocumentType(TAIWAN_TRAVEL_PERMIT, "Mainland travel permit for Taiwan residents", _matches(TAIWAN_PATTERN),
                 "{field} is not a valid mainland travel permit number for Taiwan residents (8 digits, or 10 on "
                 "the older booklet)", 0),
    DocumentType(HMT_RESIDENCE_PERMIT, "Residence permit for Hong Kong, Macao and Taiwan residents",
                 _residence_permit,
                 "{field} is not a valid residence permit number for Hong Kong, Macao and Taiwan residents "
                 "(18 characters starting with 810000, 820000 or 830000, GB 11643 check)", 2),
    DocumentType(CHINESE_PASSPORT, "Chinese passport", _matches(CHINESE_PASSPORT_PATTERN),
                 "{field} is not a valid Chinese passport number (E and 8 digits, E, a letter and 7 digits, or G "
                 "and 8 digits)", 1),
    DocumentType(FOREIGN_PASSPORT, "Foreign passport", _matches(FOREIGN_PASSPORT_PATTERN),
                 "{field} is not a valid foreign passport number (the issuing country's 3-letter code, then 5 "
                 "to 20 letters and digits)", 3),
    DocumentType(CREDIT_CODE, "Unified social credit code", rules.is_credit_code,
                 "{field} is not a valid unified social credit code (GB 32100)", 4, subject_type="enterprise"),
)
BY_VALUE = {document.value: document for document in DOCUMENT_TYPES}
PERSON_DOCUMENTS = tuple(d.value for d in DOCUMENT_TYPES if d.subject_type == "person")
ENTERPRISE_DOCUMENTS = tuple(d.value for d in DOCUMENT_TYPES if d.subject_type == "enterprise")


def normalise(number: str) -> str:
    """Upper case, without spaces or hyphens; the Taiwan booklet's issue letter loses its brackets."""
    text = SEPARATORS.sub("", str(number)).upper()
    return text.replace("(", "").replace(")", "") if TAIWAN_PATTERN.match(text) else text


def check_document(document_type: str, number: str) -> str:
    """The normalised ``number`` if it is a valid number of ``document_type``; else :class:`rules.RuleError`.

    The refusal does not repeat the number: it may end up in a log or a screenshot.
    """
    document = BY_VALUE.get(document_type)
    if document is None:
        raise rules.RuleError("Unknown value for {field}: {value}", value=document_type)
    text = normalise(number)
    if not document.is_valid(text):
        raise rules.RuleError(document.invalid)
    return text


def mask(number: str | None, document_type: str | None = None) -> str:
    """``3301********1234``: the document type's prefix, a fixed run of stars, at most the last 4.

    The stars do not tell the length; at most half of the characters after the prefix are shown,
    so a short number keeps fewer than 4. An unknown type keeps no prefix.
    """
    if not number:
        return ""
    text = str(number)
    document = BY_VALUE.get(document_type or "")
    prefix = document.shown_prefix if document else 0
    prefix = min(prefix, len(text) // 2)
    rest = len(text) - prefix
    suffix = min(4, rest // 2)
    return text[:prefix] + MASK + (text[-suffix:] if suffix else "")


def shown(number: str | None, document_type: str | None = None) -> str:
    """A subject's number as pages, exports and API answers show it.

    A person's document is masked; an enterprise's credit code is a public registration number
    (published in the National Enterprise Credit Information Publicity System) and shows in full.
    """
    if not number:
        return ""
    kind = document_type or guess_type(number)
    return str(number) if kind == CREDIT_CODE else mask(number, kind)


def guess_type(number: str) -> str | None:
    """The type of a number stored before document types were recorded (a mainland ID or a credit code)."""
    text = normalise(number)
    for document in (BY_VALUE[RESIDENT_ID], BY_VALUE[CREDIT_CODE]):
        if document.is_valid(text):
            return document.value
    return None
