"""Proving who you are, once, through the identity provider interface (the development provider:
a one-time code). Bad documents are refused naming the document type; wrong codes cost attempts."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.exceptions import CkanConfigurationException
from ckan.tests.helpers import call_action

from ckanext.govdata.subjects import providers
from ckanext.govdata.subjects.model import Subject, SubjectChallenge
from ckanext.govdata.validators import subject_keys
from tests.subjects.world import ENTERPRISE, OTHER_PERSON, PERSON, as_user, last_code, verify

pytestmark = pytest.mark.usefixtures("clean_db", "with_plugins")


def test_a_person_proves_their_id_with_the_code_and_only_keyed_and_masked_forms_leave(city, codes, mail_server):
    subject = verify(codes, city["person"])

    assert subject["kind"] == "person" and subject["masked"] == "3306********" + PERSON[-4:]
    assert PERSON not in str(subject)
    stored = model.Session.query(Subject).one()
    assert stored.number_key == subject_keys.key(PERSON) and stored.provider == "development"
    challenge = model.Session.query(SubjectChallenge).one()
    assert challenge.number is None and challenge.outcome == "verified" and challenge.provider_state == {}
    mailed = mail_server.get_smtp_messages()
    assert mailed and mailed[-1][2] == ["zhangsan@example.com"]
    assert call_action("govdata_subject_list", as_user(city["person"])) == [subject]
    assert call_action("govdata_subject_list", as_user(city["outsider"])) == []


def test_a_wrong_code_is_refused_and_too_many_end_the_verification(city, codes, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.govdata.subjects.code_attempts", "2")
    started = call_action("govdata_subject_verify_start", as_user(city["person"]), document_type="resident_id",
                          number=PERSON)
    code = last_code(codes, city["person"]["name"])
    wrong = "000000" if code != "000000" else "111111"

    with pytest.raises(Exception) as first:
        call_action("govdata_subject_verify_confirm", as_user(city["person"]), challenge_id=started["challenge_id"],
                    answer=wrong)
    with pytest.raises(Exception) as second:
        call_action("govdata_subject_verify_confirm", as_user(city["person"]), challenge_id=started["challenge_id"],
                    answer=wrong)
    with pytest.raises(Exception) as late:
        call_action("govdata_subject_verify_confirm", as_user(city["person"]), challenge_id=started["challenge_id"],
                    answer=code)

    assert "验证码" in str(first.value.error_dict["answer"]) and "不正确" in str(first.value.error_dict["answer"])
    assert "answer" in second.value.error_dict and "challenge_id" in late.value.error_dict
    assert model.Session.query(Subject).count() == 0


def test_someone_else_cannot_answer_my_verification(city, codes):
    started = call_action("govdata_subject_verify_start", as_user(city["person"]), document_type="resident_id",
                          number=PERSON)
    code = last_code(codes, city["person"]["name"])

    for intruder in (None, city["outsider"]):
        with pytest.raises(Exception) as refused:
            call_action("govdata_subject_verify_confirm", as_user(intruder), challenge_id=started["challenge_id"],
                        answer=code)
        assert type(refused.value).__name__ == "NotAuthorized"


@pytest.mark.parametrize(("document_type", "number", "named"), [
    ("resident_id", PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1"), "GB 11643"),
    ("resident_id", "12345", "GB 11643"),
    ("credit_code", ENTERPRISE[:-1] + ("0" if ENTERPRISE[-1] != "0" else "1"), "GB 32100"),
])
def test_a_mistyped_document_is_refused_naming_its_type(city, document_type, number, named):
    with pytest.raises(Exception) as refused:
        call_action("govdata_subject_verify_start", as_user(city["person"]), document_type=document_type,
                    number=number)

    message = str(refused.value.error_dict["number"])
    assert named in message and "证件号码" in message


def test_an_enterprise_is_proved_by_its_credit_code_and_an_agent(city, codes):
    with pytest.raises(Exception) as without_agent:
        verify(codes, city["person"], ENTERPRISE, "credit_code")
    subject = verify(codes, city["person"], ENTERPRISE.lower(), "credit_code", agent_name="王经办")

    assert "agent_name" in without_agent.value.error_dict
    assert subject["kind"] == "enterprise" and subject["agent_name"] == "王经办"
    assert subject["masked"] == subject_keys.mask(ENTERPRISE)


def test_a_person_verified_by_one_account_cannot_be_claimed_by_another(city, codes):
    verify(codes, city["person"])

    with pytest.raises(Exception) as refused:
        verify(codes, city["outsider"])
    verify(codes, city["outsider"], OTHER_PERSON)

    assert "number" in refused.value.error_dict


def test_anonymous_visitors_cannot_start(city):
    with pytest.raises(Exception) as refused:
        call_action("govdata_subject_verify_start", as_user(None), document_type="resident_id", number=PERSON)
    assert type(refused.value).__name__ == "NotAuthorized"


def test_the_provider_option_must_name_an_identity_provider():
    with pytest.raises(CkanConfigurationException, match="identity_provider"):
        providers.load("ckanext.govdata.subjects.providers:Claim")
    with pytest.raises(CkanConfigurationException, match="identity_provider"):
        providers.load("no.such.module:Provider")
    assert isinstance(providers.load("ckanext.govdata.subjects.providers:DevelopmentProvider"),
                      providers.IdentityProvider)
