"""How a command acts: every write goes through the one action runner (core/actions/), as the
window's do, so a command and the window change the data the same way."""

from __future__ import annotations

from typing import Any, TypeVar

from core.actions import ActionResult, ActionRunner, OwnerAction
from core.context import AppContext

T = TypeVar("T")


def run_action(context: AppContext, action: OwnerAction[T], *inputs: Any, **named: Any) -> ActionResult[T]:
    return ActionRunner(context.database(), context.clock).run(action, *inputs, **named)
