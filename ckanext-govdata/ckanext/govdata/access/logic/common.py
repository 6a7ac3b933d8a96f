"""What the access actions share: the caller, and a step in a request's history."""
from __future__ import annotations

from ckan import model
from ckan.types import Context

from ckanext.govdata.access.model import AccessRequest, AccessRequestEvent
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.open_condition import Viewer


def viewer(context: Context) -> Viewer:
    return Viewer.from_context(context)


def record(request: AccessRequest, action: str, actor_id: str | None, from_state: str | None,
            note: str | None = None) -> None:
    model.Session.add(
        AccessRequestEvent(
            request_id=request.id, action=action, actor_id=actor_id, from_state=from_state,
            to_state=request.state, note=note, created=utcnow(),
        )
    )
