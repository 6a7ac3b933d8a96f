"""A city with data about people and enterprises, and a way to prove who you are through the
development identity provider (its one-time code read from the log, as a developer would)."""
from __future__ import annotations

import logging
import re
from typing import Any

from ckan.tests.helpers import call_action

from ckanext.govdata.validators import rules
from tests import factories

CODE = re.compile(r"one-time code (\d{6}) for user (\S+)")
PROVIDER_LOG = "ckanext.govdata.subjects.providers"


def id_number(first_17: str) -> str:
    return first_17 + rules.id_number_check_character(first_17)


PERSON = id_number("33060219900101123")
OTHER_PERSON = id_number("33060219851231456")
ENTERPRISE = factories.credit_code()


def as_user(user: dict[str, Any] | None) -> dict[str, Any]:
    return {"user": user["name"] if user else "", "ignore_auth": False}


class ProviderLog(logging.Handler):
    """What the development provider writes to the log (the ``ckanext`` loggers do not propagate)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def last_code(codes: ProviderLog, user_name: str) -> str:
    found = [match.group(1) for message in codes.messages
             if (match := CODE.search(message)) and match.group(2) == user_name]
    assert found, "the development provider logged no code"
    return found[-1]


def verify(codes: ProviderLog, user: dict[str, Any], number: str = PERSON,
           document_type: str = "resident_id", **extra: Any) -> dict[str, Any]:
    started = call_action("govdata_subject_verify_start", as_user(user), document_type=document_type,
                          number=number, **extra)
    return call_action("govdata_subject_verify_confirm", as_user(user), challenge_id=started["challenge_id"],
                       answer=last_code(codes, user["name"]))


def person_dataset(department_id: str, condition: str = "conditional", title: str = "社保缴纳记录",
                   rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A dataset about people whose table names them by ``id_number``."""
    created = factories.dataset(department_id, title=title, open_condition=condition, data_subject_type="person",
                                subject_id_column="id_number")
    records = rows if rows is not None else [
        {"id_number": PERSON, "name": "张三", "amount": 100},
        {"id_number": OTHER_PERSON, "name": "李四", "amount": 200},
        {"id_number": PERSON, "name": "张三", "amount": 300},
    ]
    table = call_action("datastore_create", factories.site_context(), force=True, records=records,
                        resource={"package_id": created["id"], "name": f"{title}表", "format": "CSV"},
                        fields=[{"id": "id_number", "type": "text"}, {"id": "name", "type": "text"},
                                {"id": "amount", "type": "int"}])
    table = call_action("resource_show", factories.site_context(), id=table["resource_id"])
    return {"dataset": call_action("package_show", factories.site_context(), id=created["id"]), "table": table}


def stored_subject(user_id: str, number: str = PERSON, document_type: str = "resident_id") -> dict[str, Any]:
    """A subject verified earlier (written directly: the verification has its own tests)."""
    from ckan import model

    from ckanext.govdata.subjects.model import Subject
    from ckanext.govdata.validators import subject_keys

    subject = Subject(user_id=user_id, kind=subject_keys.kind_of(document_type), document_type=document_type,
                      number=number, number_key=subject_keys.key(number), masked=subject_keys.mask(number),
                      provider="development")
    model.Session.add(subject)
    model.Session.commit()
    return {"id": subject.id, "number": number}


def stored_challenge(user_id: str, number: str = PERSON) -> str:
    """A verification under way, of ``user_id``."""
    import datetime as dt

    from ckan import model

    from ckanext.govdata.calendar import utcnow
    from ckanext.govdata.subjects.model import SubjectChallenge
    from ckanext.govdata.validators import subject_keys

    challenge = SubjectChallenge(user_id=user_id, kind="person", document_type="resident_id", number=number,
                                 masked=subject_keys.mask(number), provider="development",
                                 provider_state={"salt": "00", "digest": "00"}, attempts=0,
                                 expires_at=utcnow() + dt.timedelta(minutes=10), created=utcnow())
    model.Session.add(challenge)
    model.Session.commit()
    return challenge.id
