"""The shape every workflow of the portal shares: a table of operations, each moving an object
from given states to a next state, done by one role through one action.

A feature writes its table once (access requests, showcase moderation; catalogue review, data
demands and corrections next) and decides roles itself; actions move objects only through the
table, and views and templates ask it what is allowed.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.govdata.messages import bilingual


@dataclasses.dataclass(frozen=True)
class Operation:
    name: str
    role: str
    # From state → next state.
    moves: Mapping[str, str]
    # The action that performs it, and the parameters that choose this operation.
    action: str
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # Refusal (an English msgid) when the object's state allows no move.
    refusal: str = "This operation is not allowed in the current state"
    # States where asking again changes nothing and succeeds (a double-clicked form).
    settled: tuple[str, ...] = ()


def table(*operations: Operation) -> dict[str, Operation]:
    """The operations by name, in the order written."""
    return {operation.name: operation for operation in operations}


def operation_for(operations: Mapping[str, Operation], action: str, params: Mapping[str, Any]) -> Operation:
    """The operation an action call performs (``decision=reject`` of ``..._decide`` …)."""
    for operation in operations.values():
        if operation.action == action and all(params.get(key) == value for key, value in operation.params.items()):
            return operation
    raise KeyError((action, dict(params)))


def move(operation: Operation, state: str, field: str = "state") -> str | None:
    """The state ``operation`` moves an object in ``state`` to; None when it is settled there
    already. A state that allows no move is a ValidationError naming ``field``."""
    if state in operation.settled:
        return None
    if state not in operation.moves:
        raise tk.ValidationError({field: [bilingual(operation.refusal)]})
    return operation.moves[state]


def allowed(operations: Iterable[Operation], state: str, holds_role: Callable[[str], bool]) -> list[str]:
    """The operations, in table order, that move from ``state`` and whose role is held."""
    return [operation.name for operation in operations if state in operation.moves and holds_role(operation.role)]
