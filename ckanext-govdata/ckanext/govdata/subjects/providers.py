"""Proving who a data subject is: the interface a bureau plugs its identity provider into, and
the development provider the portal ships.

A provider gets a claim (this signed-in user is the person of this document, or acts for the
enterprise of this credit code), starts a step the claimant must complete outside the portal's
form (a code sent to them, a face check, a signed challenge …) and later checks the answer.
It keeps whatever it needs between the two in ``state`` (stored with the verification, so
nothing secret belongs there in clear). ``ckanext.govdata.subjects.identity_provider`` names the
class; it is loaded and checked at start-up.
"""
from __future__ import annotations

import abc
import dataclasses
import hashlib
import hmac
import importlib
import logging
import secrets
from typing import Any, ClassVar

from ckan import model
from ckan.exceptions import CkanConfigurationException

from ckanext.govdata import mailing, settings

log = logging.getLogger(__name__)
OPTION = "ckanext.govdata.subjects.identity_provider"


@dataclasses.dataclass(frozen=True)
class Claim:
    """Who claims to be (or to act for) which subject. ``number`` is normalised."""

    user_id: str
    kind: str
    document_type: str
    number: str
    masked: str
    agent_name: str | None = None


@dataclasses.dataclass(frozen=True)
class Started:
    """What the provider keeps until the answer, and what the claimant is told to do (an English
    msgid, translated by the page; ``{masked}`` is filled in)."""

    state: dict[str, Any]
    instructions: str


class IdentityProvider(abc.ABC):
    """A bureau's identity provider; subclass it and name the class in the option."""

    # Shown with each verified subject (which provider proved it).
    name: ClassVar[str]
    # Proves less than a real identity check: the portal says so wherever it is used.
    development_only: ClassVar[bool] = False

    @abc.abstractmethod
    def start(self, claim: Claim) -> Started:
        """Begin the step for ``claim`` (send a code, open a session with the provider …)."""

    @abc.abstractmethod
    def confirm(self, claim: Claim, state: dict[str, Any], answer: str) -> bool:
        """Is ``answer`` the right completion of the step started with ``state``?"""


def _digest(salt: str, code: str) -> str:
    return hmac.new(salt.encode("ascii"), code.encode("ascii"), hashlib.sha256).hexdigest()


class DevelopmentProvider(IdentityProvider):
    """A one-time code mailed to the claimant's account address and written to the log.

    It proves control of the account's mailbox, not that the document is the claimant's: for
    development and tests only. Only the code's salted digest is kept.
    """

    name = "development"
    development_only = True

    def start(self, claim: Claim) -> Started:
        code = f"{secrets.randbelow(1_000_000):06d}"
        salt = secrets.token_hex(16)
        user = model.User.get(claim.user_id)
        log.info("development identity provider: one-time code %s for user %s (%s)",
                 code, user.name if user else claim.user_id, claim.masked)
        if user is not None:
            mailing.mail_user(user, "Identity verification code / 身份核验码", f"{code}\n\n{claim.masked}\n",
                              "the verification code")
        return Started(
            state={"salt": salt, "digest": _digest(salt, code)},
            instructions="Enter the six-digit code sent to your account's e-mail address for {masked}",
        )

    def confirm(self, claim: Claim, state: dict[str, Any], answer: str) -> bool:
        answer = (answer or "").strip()
        if not (len(answer) == 6 and answer.isdigit()):
            return False
        return hmac.compare_digest(_digest(str(state.get("salt", "")), answer), str(state.get("digest", "")))


def load(path: str) -> IdentityProvider:
    """The provider class named ``module:Class``, instantiated; a bad name raises naming the option."""
    module_name, _, class_name = path.partition(":")
    try:
        provider_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, ValueError):
        raise CkanConfigurationException(f"{OPTION} names no class that can be imported (got {path!r})") from None
    if not (isinstance(provider_class, type) and issubclass(provider_class, IdentityProvider)):
        raise CkanConfigurationException(f"{OPTION} must name a subclass of IdentityProvider (got {path!r})")
    return provider_class()


def current() -> IdentityProvider:
    return load(settings.current().subjects.identity_provider)
