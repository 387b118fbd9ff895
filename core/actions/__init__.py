"""Every owner action, one module per action or small family, run by one runner.

An action is a plain function of (unit of work, inputs) returning an `ActionResult`: what it
changed (a `ChangeSet`), how to take it back (an `UndoStep`, when it can be), and a message for
the owner. `ActionRunner.run(action, *inputs)` (runner.py) owns what every action needs the
same way: the transaction, a backup before it when the action asks, the rows it locks, the
change log (appended by core.storage.database's `Database.transaction`, inside the same transaction) and the
re-plan after it. The window (core.services, gui/services.py) and the command line
(core/cli/*_command.py) both run actions only through the runner; nothing else writes.

    calls.py      log_call, log_unplanned_call                  (undoable)
    changes.py    announce_change (undoable), move_change, cancel_change
    customers.py  add_customer, update_customer, delete_customer (undoable)
    day.py        open_the_day, plan_the_day, start_day, hand_over, mark_reminders_shown
    importing.py  import_file (backup, import and plan as one unit); preview_import_report (a read)
    quotes.py     add_quote, update_quote, amend_quote, decide_quote (undoable)
    stamps.py     add_stamps, redeem_reward                     (undoable)
    settings.py   save_business_settings, save_script, reset_script
    habits.py     log_thank_you, record_response, save_reflection, add_news, remove_news

May use: the engine and the domain packages of core (core.storage, core.customers,
core.scheduling, core.importing, core.scripts, core.habits) and this computer's settings
(core.machine). Never Qt, never the front ends.
"""

from core.actions.results import EVERYTHING_CHANGED, ActionResult, ChangeSet, UndoStep, logged_changes
from core.actions.runner import ActionRunner, OwnerAction, UnitOfWork, owner_action

__all__ = ["EVERYTHING_CHANGED", "ActionResult", "ActionRunner", "ChangeSet", "OwnerAction", "UndoStep",
           "UnitOfWork", "logged_changes", "owner_action"]
