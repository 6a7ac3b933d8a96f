"""Who moderates showcases and who may edit one: auth functions and permission labels both ask here."""
from __future__ import annotations

from typing import Any

from ckan import model

from ckanext.govdata import settings
from ckanext.govdata.showcase import contests

SHOWCASE_TYPE = "showcase"
PUBLISHED = "published"
PENDING = "pending"
RETURNED = "returned"
REJECTED = "rejected"
MODERATION_STATES = (PENDING, PUBLISHED, RETURNED, REJECTED)

# Permission label every moderator carries and every unpublished showcase is given.
MODERATOR_LABEL = "govdata-showcase-moderator"


def user_object(user: Any) -> model.User | None:
    """A user given by name or id, as a model object, or as Flask-Login's current user."""
    if not user:
        return None
    if isinstance(user, str):
        return model.User.get(user)
    if getattr(user, "is_anonymous", False):
        return None
    if isinstance(user, model.User):
        return user
    name = getattr(user, "name", None)
    return model.User.get(name) if name else None


def is_moderator(user: Any) -> bool:
    """Sysadmins and the users named in ``ckanext.govdata.showcase.moderators``."""
    user_obj = user_object(user)
    if user_obj is None or user_obj.state != "active":
        return False
    return bool(user_obj.sysadmin) or user_obj.name in settings.current().showcase.moderators


def moderation_state(package: model.Package) -> str:
    return package.extras.get("moderation_state") or PENDING


def is_showcase(package: model.Package | None) -> bool:
    return package is not None and package.type == SHOWCASE_TYPE


def is_author(package: model.Package, user: Any) -> bool:
    user_obj = user_object(user)
    return user_obj is not None and package.creator_user_id == user_obj.id


def team_label(team_id: str) -> str:
    return f"govdata-contest-team-{team_id}"


def judge_label(entry_id: str) -> str:
    return f"govdata-contest-judge-{entry_id}"


def dataset_labels(package: model.Package) -> list[str]:
    """Published showcases are public. The others are seen by their author and the moderators
    and, for a contest entry, by the team's accounts and the judges assigned to it."""
    if package.state == "active" and moderation_state(package) == PUBLISHED:
        return ["public"]
    labels = [f"creator-{package.creator_user_id}", MODERATOR_LABEL]
    entry = contests.entry_of(package.id)
    if entry is not None:
        labels += [team_label(entry.team_id), judge_label(entry.id)]
    return labels


def user_labels(user: Any) -> list[str]:
    user_obj = user_object(user)
    if user_obj is None:
        return []
    labels = [MODERATOR_LABEL] if is_moderator(user_obj) else []
    labels += [team_label(team_id) for team_id in contests.team_ids_of(user_obj.id)]
    labels += [judge_label(entry_id) for entry_id in contests.assigned_entry_ids(user_obj.id)]
    return labels
