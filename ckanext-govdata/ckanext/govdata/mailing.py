"""Mail to a user, the one way every feature sends it: a notice never costs the step that sent it.

The in-app notices are written in the step's transaction; the mails go after it. A mail server
that refuses or cannot be reached, and a site with no sender address configured
(``smtp.mail_from``: CKAN's mailer then fails with an AttributeError, not a MailerException),
are logged and counted as not sent, never raised to the user or the job.
"""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

log = logging.getLogger(__name__)


def mail_user(user: model.User, subject: str, body: str, about: str = "") -> bool:
    """Mails ``user``; whether it was sent. ``about`` names the item in the log line."""
    if not user.email:
        return False
    if not tk.config.get("smtp.mail_from"):
        log.warning("not mailing %s about %s: smtp.mail_from is not configured", user.name, about or subject)
        return False
    try:
        mailer.mail_user(user, subject, body)
    except (mailer.MailerException, OSError) as error:
        log.warning("could not mail %s about %s: %s", user.name, about or subject, error)
        return False
    return True
