"""How a command reaches the data: every write goes through the one action runner (core/actions/),
as the window's do, so a command and the window change the data the same way; every read is a
core query function run here in one read session. No other command module opens a session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from core.actions import ActionResult, ActionRunner, OwnerAction
from core.context import AppContext

T = TypeVar("T")


def run_action(context: AppContext, action: OwnerAction[T], *inputs: Any, **named: Any) -> ActionResult[T]:
    return ActionRunner(context.database(), context.clock).run(action, *inputs, **named)


def read(context: AppContext, query: Callable[..., T], *inputs: Any, **named: Any) -> T:
    """`query(session, *inputs, **named)` in one read session (one snapshot of the data); its value."""
    with context.database().session() as session:
        return query(session, *inputs, **named)
