"""Every owner action, one module per action or small family, run by one runner.

An action is a plain function of (unit of work, inputs) returning an `ActionResult`: what it
changed (a `ChangeSet`), how to take it back (an `UndoStep`, when it can be), and a message for
the owner. `ActionRunner.run(action, *inputs)` (runner.py) owns what every action needs the
same way: the transaction, a backup before it when the action asks, the rows it locks, the
change log (appended by core.db's `Database.transaction`, inside the same transaction) and the
re-plan after it. The window (core.services, gui/services.py) and the command line
(core/cli/*_command.py) both run actions only through the runner; nothing else writes.

May use: the engine and the domain modules of core (scheduling, customers, importing, quotes,
rewards, settings, scripts, backups, db). Never Qt, never the front ends.
"""

from core.actions.results import EVERYTHING_CHANGED, ActionResult, ChangeSet, UndoStep, logged_changes
from core.actions.runner import ActionRunner, OwnerAction, UnitOfWork, owner_action

__all__ = ["EVERYTHING_CHANGED", "ActionResult", "ActionRunner", "ChangeSet", "OwnerAction", "UndoStep",
           "UnitOfWork", "logged_changes", "owner_action"]
