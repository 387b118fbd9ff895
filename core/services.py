"""The window's side of core: its reads, its caches, and its undo stack.

The window (through gui/services.py) reads through these instead of opening sessions itself;
reads return plain dataclasses. Every action goes to the one runner (`run`, core/actions/), as
the command line's do; it returns a `ChangeSet` that the GUI broadcasts so each panel refreshes
only what it shows. Undoable actions push an `UndoStep`; `undo()` runs the latest one back
through the runner, also in one transaction. The named action methods are one call each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.actions import ActionResult, ActionRunner, ChangeSet, OwnerAction, UndoStep
from core.actions import EVERYTHING_CHANGED, logged_changes  # noqa: F401  (re-exported for the window)
from core.actions import day as day_actions
from core.storage.backup_files import backups_folder
from core.storage.change_log import entries_since, latest_sequence
from core.clock import Clock
from core.customers.detail import CustomerDetail, customer_detail
from core.customers.queries import (
    CustomerQuery,
    CustomerRow,
    FoundCustomers,
    NameOrder,
    count_all_customers,
    customer_rows,
    find_customer_ids,
    find_first_customer_ids,
)
from core.storage.database import Database
from core.storage.enums import ChangeStatus, Outcome, Reason, TaskKind, TaskStatus
from core.errors import DatabaseUnreadable, UndoOutdated
from core.machine.settings import MachineConfig, MachineSettings, old_values_in_database
from core.storage.models import CallTask, Change, Product
from core.customers.quotes import QuoteInput, QuoteRecord, list_quotes
from core.reports.overview import BusinessOverview, business_overview
from core.scheduling.reasons import declaration
from core.scripts.template import TemplateProblem
from core.scripts.library import (
    RenderedScript,
    ScriptChoice,
    ScriptText,
    load_script,
    preview_customer_id,
    render_call_script,
    render_sample_script,
    script_problems,
    suggest_script,
)
from core.scheduling.reminders import Reminder, due_reminders, next_reminder_time
from core.scheduling.agenda import AgendaCall, DailyAgenda, DayLoad, calendar_load, daily_agenda, free_minutes
from core.scheduling.planner import morning_pass_done
from core.settings import Settings, load_settings
from core.scheduling.staff import StaffEntry, list_staff
from core.habits.thanks import NotesProgress, notes_progress

T = TypeVar("T")
if TYPE_CHECKING:  # loaded when the owner exports, imports or prints: a window start needs none of them
    from core.reports.exporting import ExportResult
    from core.importing import ColumnMap, ImportSource
    from core.reports.day_sheets import DaySheet
    # Nor these: each loads with the first action or dialog that needs it (the actions' modules
    # below are imported where they are run, for the same reason).
    from core.customers.editing import CustomerInput
    from core.customers.rewards import CardState
    from core.scheduling.change_review import ChangeSummary
    from core.scheduling.changes import CampaignResults, ChangePlan, ChangeRequest
    from core.scheduling.outcomes import LogResult


_ROWS_KEPT = 20_000  # customer-list rows remembered (a few megabytes); beyond, they are read afresh


@dataclass(frozen=True)
class ChangeOption:
    id: int
    title: str
    effective_on: dt.date


@dataclass(frozen=True)
class ProductOption:
    id: int
    sku: str
    name: str
    category: str | None


@dataclass
class Services:
    database: Database
    clock: Clock
    _undo: list[UndoStep] = field(default_factory=list)
    _agendas: dict = field(default_factory=dict)
    _staff: list[StaffEntry] | None = None  # read once until the next action (the day list and script ask)
    _name_order: NameOrder = field(default_factory=NameOrder)
    # The customer list's rows, for the day they were read: typing a search shows mostly the same
    # customers keystroke after keystroke, and reading their figures costs more than the search.
    _rows: dict[int, CustomerRow] = field(default_factory=dict)
    _rows_day: dt.date | None = None
    _settings: Settings | None = None  # read once until the next action (every panel asks)
    # This computer's own settings (start at login, backups to keep), kept on the machine.
    machine: MachineConfig = field(default_factory=MachineConfig.from_environment)
    # The change log's latest entry when the caches were last known good; None: others not watched.
    _seen_sequence: int | None = None
    # While the window refreshes after an action, every read shares one session (one snapshot)
    # on the thread that opened it; other threads (the import wizard's worker) read on their own.
    _shared_read: tuple[int, Session] | None = None

    @contextlib.contextmanager
    def one_read(self) -> Iterator[None]:
        """Every read in the block shares one session, so a refresh after an action (every panel
        reading what it shows) is one snapshot of the data and one session, not one per panel."""
        if self._shared_read is not None:
            yield
            return
        with self.database.session() as session:
            self._shared_read = (threading.get_ident(), session)
            try:
                yield
            finally:
                self._shared_read = None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Session]:
        shared = self._shared_read
        if shared is not None and shared[0] == threading.get_ident():
            yield shared[1]
            return
        with self.database.session() as session:
            yield session

    @property
    def runner(self) -> ActionRunner:
        """The one runner of owner actions (core/actions/), on this database and clock."""
        return ActionRunner(self.database, self.clock)

    # --- reads ---------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self.clock.today()

    def settings(self) -> Settings:
        if self._settings is None:
            with self._reading() as session:
                self._settings = load_settings(session)
        return self._settings

    def machine_settings(self) -> MachineSettings:
        """This computer's settings; an older CallAhead's values in the database are taken over once."""
        def old_values() -> dict:
            with self._reading() as session:
                return old_values_in_database(session)

        return self.machine.load(old_values)

    def calls_cancelled_by_do_not_call(self, task_id: int) -> int:
        """How many other planned calls 'please don't call' on this call would cancel."""
        from sqlalchemy import func, select

        with self._reading() as session:
            customer_id = select(CallTask.customer_id).where(CallTask.id == task_id).scalar_subquery()
            return session.scalar(select(func.count()).select_from(CallTask).where(
                CallTask.customer_id == customer_id, CallTask.status == TaskStatus.PENDING,
                CallTask.kind == TaskKind.CALL, CallTask.id != task_id)) or 0

    def notes_progress(self, day: dt.date, staff_id: int | None = None) -> NotesProgress:
        """Thank-you notes written that day against the goal (the day list's header shows it)."""
        with self._reading() as session:
            return notes_progress(session, day, staff_id)

    def overview(self) -> BusinessOverview:
        """The window's title: the business's name, how many customers and open quotes."""
        settings = self.settings()
        with self._reading() as session:
            return business_overview(session, settings)

    def count_customers(self) -> int:
        with self._reading() as session:
            return count_all_customers(session)

    def find_customer_ids(self, query: CustomerQuery) -> list[int]:
        with self._reading() as session:
            return find_customer_ids(session, query, self.today(), name_order=self._name_order)

    def find_first_customer_ids(self, query: CustomerQuery, count: int) -> FoundCustomers:
        with self._reading() as session:
            return find_first_customer_ids(session, query, self.today(), count, name_order=self._name_order)

    def customer_rows(self, ids: Sequence[int]) -> list[CustomerRow]:
        today = self.today()
        if self._rows_day != today or len(self._rows) > _ROWS_KEPT:
            self._rows, self._rows_day = {}, today
        missing = [i for i in ids if i not in self._rows]
        if missing:
            with self._reading() as session:
                self._rows.update((row.id, row) for row in customer_rows(session, missing, today))
        return [self._rows[i] for i in ids if i in self._rows]

    def customer_detail(self, customer_id: int) -> CustomerDetail:
        with self._reading() as session:
            return customer_detail(session, customer_id)

    def customer_for_editing(self, customer_id: int) -> CustomerInput:
        from core.customers.editing import customer_input  # the editing rules load with the customer dialog

        with self._reading() as session:
            return customer_input(session, customer_id, load_settings(session).phone_region)

    def staff(self) -> list[StaffEntry]:
        if self._staff is None:
            with self._reading() as session:
                self._staff = list_staff(session)
        return list(self._staff)

    def changes_in_progress(self) -> list[ChangeOption]:
        from sqlalchemy import select

        with self._reading() as session:
            rows = session.execute(select(Change.id, Change.title, Change.effective_on)
                                   .where(Change.status == ChangeStatus.ACTIVE)
                                   .order_by(Change.effective_on.desc())).all()
        return [ChangeOption(*row) for row in rows]

    def changes(self) -> list[ChangeSummary]:
        """Every announced change with its dates and progress (Calls → Changes)."""
        from core.scheduling.change_review import list_changes  # loaded with the Changes window

        with self._reading() as session:
            return list_changes(session)

    def change_results(self, change_id: int) -> CampaignResults:
        from core.scheduling.changes import campaign_results  # announcing changes loads with its first dialog

        with self._reading() as session:
            return campaign_results(session, change_id, self.today())

    def suggest_script(self, customer_id: int) -> ScriptChoice:
        with self._reading() as session:
            return suggest_script(session, customer_id, self.today())

    def script(self, reason: Reason) -> ScriptText:
        with self._reading() as session:
            return load_script(session, reason)

    def script_problems(self, body: str) -> list[TemplateProblem]:
        return script_problems(body)

    def render_script(self, customer_id: int, reason: Reason, *, change_id: int | None = None,
                      task_id: int | None = None, caller_name: str | None = None,
                      script: ScriptText | None = None, free_minutes: bool = False) -> RenderedScript:
        with self._reading() as session:
            return render_call_script(session, customer_id, reason, self.today(), change_id=change_id,
                                      task_id=task_id, caller_name=caller_name, script=script,
                                      free_minutes=free_minutes)

    def preview_script(self, script: ScriptText, customer_id: int | None = None) -> RenderedScript:
        """The script as a sample customer would hear it (made-up values when there are no customers)."""
        with self._reading() as session:
            customer_id = customer_id or preview_customer_id(session)
            if customer_id is None:
                return render_sample_script(script)
            choice = suggest_script(session, customer_id, self.today())
            change_id = choice.change_id
            if change_id is None and declaration(script.reason).belongs_to_change:
                latest = self.changes_in_progress()
                change_id = latest[0].id if latest else None
            return render_call_script(session, customer_id, script.reason, self.today(), change_id=change_id,
                                      script=script)

    def preview_customer_id(self) -> int | None:
        with self._reading() as session:
            return preview_customer_id(session)

    # --- the day's calls (the scheduling engine) ---------------------------------------------
    def callers(self) -> list[StaffEntry]:
        """Active callers who make calls (the day's counts are in `agenda`)."""
        return [member for member in self.staff() if member.active and member.daily_quota > 0]

    def agenda(self, day: dt.date) -> DailyAgenda:
        """The day's calls; kept until the next action, since several panels show the same day."""
        key = (day, self.today())
        if key not in self._agendas:
            settings = self.settings()
            with self._reading() as session:
                self._agendas = {key: daily_agenda(session, day, self.today(), settings)}
        return self._agendas[key]

    def forget_cached(self, settings: bool = True) -> None:
        """Something changed (an action here, or an import on another thread): read afresh.
        `settings=False` keeps the settings read, for a change that did not touch them."""
        self._agendas = {}
        self._staff = None
        self._rows = {}
        if settings:
            self._settings = None

    def watch_other_writers(self) -> None:
        """From now on, `changes_by_others` tells what other processes write (call before reading)."""
        with self.database.session() as session:
            self._seen_sequence = latest_sequence(session)

    def changes_by_others(self) -> ChangeSet:
        """What other windows, desks and commands wrote since the last ask (empty when nothing).

        The caches hold what was read at the change log's latest sequence: when another process
        moved it, they are dropped, and the change set says what to show afresh. This process's
        own actions are skipped (their change sets were already given). One indexed read (the
        latest sequence) when nothing moved. Raises DatabaseUnreadable when the log could not be
        read this time (nothing was read; the next ask tries again)."""
        if self._seen_sequence is None:
            self.watch_other_writers()
            return ChangeSet()
        try:
            with self.database.session() as session:
                latest = latest_sequence(session)
                if latest == self._seen_sequence:
                    return ChangeSet()
                entries = entries_since(session, self._seen_sequence) if latest > self._seen_sequence else []
        except DBAPIError as error:  # SQLite's OperationalError, a server's ProgrammingError alike
            raise DatabaseUnreadable(f"The change log could not be read just now ({error.orig}).") from error
        # A gap means entries pruned before this process read them (it slept, or fell far behind);
        # a sequence gone backwards, a file replaced under it (a restore of an older backup).
        missed = not entries or entries[0].sequence > self._seen_sequence + 1
        self._seen_sequence = entries[-1].sequence if entries else latest
        others = [entry for entry in entries if entry.writer != self.database.writer.token]
        if not others and not missed:
            return ChangeSet()
        changes = EVERYTHING_CHANGED if missed else logged_changes(others)
        self.forget_cached(settings=changes.settings)
        if changes.customers or changes.customer_list:
            self.customers_changed()
        return changes

    def free_minutes(self, staff_id: int | None) -> list[AgendaCall]:
        with self._reading() as session:
            return free_minutes(session, self.clock.now(), staff_id)

    def calendar_load(self, first: dt.date, last: dt.date) -> dict[dt.date, DayLoad]:
        settings = self.settings()
        with self._reading() as session:
            return calendar_load(session, first, last, self.today(), settings)

    def backups_folder(self) -> Path | None:
        """Where backups of this database go (None for a server database)."""
        return backups_folder(self.database.path.parent) if self.database.path is not None else None

    def products(self) -> list[ProductOption]:
        from sqlalchemy import select

        with self._reading() as session:
            rows = session.execute(select(Product.id, Product.sku, Product.name, Product.category)
                                   .where(Product.active).order_by(Product.name)).all()
        return [ProductOption(*row) for row in rows]

    def preview_change(self, request: ChangeRequest) -> ChangePlan:
        from core.scheduling.changes import preview_change  # announcing changes loads with its first dialog

        with self._reading() as session:
            return preview_change(session, request, self.today())

    def day_sheets(self, day: dt.date, staff_id: int | None = None) -> list[DaySheet]:
        if day == self.today():
            self.start_day()  # the first print of the day fixes its lists
        with self._reading() as session:
            from core.reports.day_sheets import day_sheets
            return day_sheets(session, day, self.today(), staff_id)

    # --- reminders (each desk shows its own: this computer's desk id) ------------------------
    def due_reminders(self) -> list[Reminder]:
        with self._reading() as session:
            return due_reminders(session, self.clock.now(), desk=self.machine.desk_id())

    def mark_reminders_shown(self, reminders: Sequence[Reminder]) -> None:
        self.run(day_actions.mark_reminders_shown, reminders, self.machine.desk_id())

    def next_reminder_time(self) -> dt.datetime | None:
        with self._reading() as session:
            return next_reminder_time(session, self.clock.now())

    def export(self, kind: str, path) -> ExportResult:
        """Write customers ('customers'), call history ('calls') or planned calls ('ics') to `path`."""
        from core.reports.exporting import (default_delimiter, export_call_history_csv, export_customers_csv,
                                    export_planned_calls_ics, system_locale_name)
        delimiter = default_delimiter(system_locale_name())  # the list separator the owner's spreadsheet expects
        with self._reading() as session:
            if kind == "customers":
                return export_customers_csv(session, path, delimiter)
            if kind == "calls":
                return export_call_history_csv(session, path, delimiter)
            return export_planned_calls_ics(session, path, self.clock.now())

    # --- import (run on a worker thread by the wizard: each call opens its own session) ----
    def preview_import(self, source: ImportSource, column_map: ColumnMap | None, decisions=None):
        from core.importing import (ImportKind, preview_customer_import, preview_purchase_import, preview_quote_import,
                                    preview_reward_import)
        from core.actions.importing import source_kind
        kind = source_kind(column_map)
        if kind is ImportKind.QUOTES:
            return preview_quote_import(self.database, source, column_map, today=self.today())
        if kind is ImportKind.REWARDS:
            return preview_reward_import(self.database, source, column_map, today=self.today())
        if kind is ImportKind.PURCHASES:
            return preview_purchase_import(self.database, source, column_map)
        return preview_customer_import(self.database, source, column_map, today=self.today(), decisions=decisions)

    def run_import(self, source: ImportSource, column_map: ColumnMap | None, all_or_nothing: bool, decisions=None):
        """Back up, import and plan again, as one unit; returns (report, ChangeSet).

        `decisions`: the owner's answer for each possible duplicate (remembered for later imports)."""
        from core.actions import importing as import_actions  # loads the importers, which a window start needs not
        result = self.run(import_actions.import_file, source, column_map, all_or_nothing=all_or_nothing,
                          decisions=decisions)
        return result.value, result.changes

    # --- actions: each one call to the runner (core/actions/) ----------------------------------
    # Each action's module is imported in the method that runs it: a window start runs only the
    # day's (core.actions.day), and the others' rules (the planner, announcing a change, editing a
    # customer...) load with the owner's first action of that kind.
    def run(self, action: OwnerAction[T], *inputs: Any, **named: Any) -> ActionResult[T]:
        """Run an owner action through the one runner; what it changed is read afresh, and its undo
        step (if any) becomes Edit → Undo."""
        result = self.runner.run(action, *inputs, **named)
        self.forget_cached(settings=result.changes.settings)
        if result.changes.customers or result.changes.customer_list:
            self.customers_changed()
        if result.undo is not None:
            self.push_undo(result.undo)
        return result

    def prepare(self) -> ChangeSet:
        """Run when the window opens: ship the default scripts; once a day the standing rules and
        the whole plan; today's lists are then fixed."""
        return self.run(day_actions.open_the_day).changes

    def today_is_prepared(self) -> bool:
        """Whether `prepare` already made today's plan and fixed its lists (a later start that day):
        the lists shown now are the ones that stay."""
        with self._reading() as session:
            return morning_pass_done(session, self.today())

    def start_day(self) -> ChangeSet:
        """Fix today's lists (the first print or log of the day does this too)."""
        return self.run(day_actions.start_day).changes

    def hand_over(self, from_staff_id: int, to_staff_id: int, day: dt.date | None = None) -> tuple[int, ChangeSet]:
        """Give the calls still on one caller's list that day (default today) to another."""
        result = self.run(day_actions.hand_over, from_staff_id, to_staff_id, day)
        return result.value, result.changes

    def log_call(self, task_id: int, outcome: Outcome, **details) -> tuple[LogResult, ChangeSet]:
        """Log a call's outcome; Edit → Undo puts the plan back as it was."""
        from core.actions import calls as call_actions

        result = self.run(call_actions.log_call, task_id, outcome, **details)
        return result.value, result.changes

    def log_unplanned_call(self, customer_id: int, outcome: Outcome, **details) -> tuple[LogResult, ChangeSet]:
        """A call for no reason on any customer; Edit → Undo takes it back like any log."""
        from core.actions import calls as call_actions

        result = self.run(call_actions.log_unplanned_call, customer_id, outcome, **details)
        return result.value, result.changes

    # --- quotes and reward cards ----------------------------------------------------------
    def quotes(self, customer_id: int | None = None, *, open_only: bool = False) -> list[QuoteRecord]:
        with self._reading() as session:
            return list_quotes(session, open_only=open_only, customer_id=customer_id)

    def add_quote(self, customer_id: int, data: QuoteInput) -> tuple[QuoteRecord, ChangeSet]:
        from core.actions import quotes as quote_actions

        result = self.run(quote_actions.add_quote, customer_id, data)
        return result.value, result.changes

    def update_quote(self, quote_id: int, data: QuoteInput) -> tuple[QuoteRecord, ChangeSet]:
        from core.actions import quotes as quote_actions

        result = self.run(quote_actions.update_quote, quote_id, data)
        return result.value, result.changes

    def decide_quote(self, quote_id: int, won: bool, on: dt.date | None = None) -> tuple[QuoteRecord, ChangeSet]:
        """Mark a quote won or lost; Edit → Undo reopens it with its follow-ups."""
        from core.actions import quotes as quote_actions

        result = self.run(quote_actions.decide_quote, quote_id, won, on)
        record, _cancelled = result.value
        return record, result.changes

    def add_stamps(self, customer_id: int, count: int = 1) -> tuple[CardState, ChangeSet]:
        from core.actions import stamps as stamp_actions

        result = self.run(stamp_actions.add_stamps, customer_id, count)
        return result.value, result.changes

    def redeem_reward(self, customer_id: int) -> tuple[CardState, ChangeSet]:
        from core.actions import stamps as stamp_actions

        result = self.run(stamp_actions.redeem_reward, customer_id)
        return result.value, result.changes

    def announce_change(self, request: ChangeRequest) -> tuple[ChangePlan, ChangeSet]:
        """Announce a change; Edit → Undo takes it back while none of its calls was made."""
        from core.actions import changes as change_actions

        result = self.run(change_actions.announce_change, request)
        return result.value, result.changes

    def move_change(self, change_id: int, effective_on: dt.date) -> tuple[ChangePlan, ChangeSet]:
        """A new date for a change: its pending steps are planned again around it."""
        from core.actions import changes as change_actions

        result = self.run(change_actions.move_change, change_id, effective_on)
        return result.value, result.changes

    def cancel_change(self, change_id: int) -> tuple[int, ChangeSet]:
        """Cancel a change and its pending steps (the history is kept); returns how many were cancelled."""
        from core.actions import changes as change_actions

        result = self.run(change_actions.cancel_change, change_id)
        return result.value, result.changes

    def add_customer(self, data: CustomerInput, *, allow_duplicate: bool = False) -> tuple[int, ChangeSet]:
        """Raises PossibleDuplicate (nothing saved) when another customer has the phone or e-mail,
        unless `allow_duplicate`."""
        from core.actions import customers as customer_actions

        result = self.run(customer_actions.add_customer, data, allow_duplicate=allow_duplicate)
        return result.value, result.changes

    def update_customer(self, customer_id: int, data: CustomerInput, *, allow_duplicate: bool = False) -> ChangeSet:
        from core.actions import customers as customer_actions

        return self.run(customer_actions.update_customer, customer_id, data, allow_duplicate=allow_duplicate).changes

    def delete_customer(self, customer_id: int) -> ChangeSet:
        from core.actions import customers as customer_actions

        return self.run(customer_actions.delete_customer, customer_id).changes

    def customers_changed(self) -> None:
        """Forget what is cached about customers (every action that changes them calls this;
        so should any front end that changes customers without going through these actions)."""
        self._name_order.invalidate()
        self._rows = {}

    def push_undo(self, step: UndoStep) -> None:
        self._undo.append(step)

    def can_take_back_announcement(self, change_id: int) -> bool:
        """Whether Undo now would take back this change's announcement (it was the latest action)."""
        return bool(self._undo) and self._undo[-1].announced_change == change_id

    def undo_description(self) -> str | None:
        return self._undo[-1].description if self._undo else None

    def undo(self) -> ChangeSet:
        """Reverse the latest undoable action; the step stays available if undoing fails."""
        if not self._undo:
            return ChangeSet()
        step = self._undo[-1]
        try:
            changes = self.runner.undo(step)
        except UndoOutdated as outdated:
            # It can never succeed now; offering it again would only hide the older steps.
            self._undo.pop()
            description = step.description[0].lower() + step.description[1:]
            raise UndoOutdated(f"Cannot {description}: {outdated}. Nothing was changed.") from outdated
        self._undo.pop()
        self.forget_cached(settings=changes.settings)
        self.customers_changed()
        return changes

    def save_script(self, reason: Reason, title: str, body: str) -> ChangeSet:
        from core.actions import settings as settings_actions

        return self.run(settings_actions.save_script, reason, title, body).changes

    def reset_script(self, reason: Reason) -> ChangeSet:
        from core.actions import settings as settings_actions

        return self.run(settings_actions.reset_script, reason).changes

    def save_business_settings(self, changes: Mapping[str, Any], staff: Sequence[StaffEntry]) -> ChangeSet:
        """Settings and callers together, one transaction: a bad value anywhere saves nothing
        (this computer's own settings go to its file, put back if the database refuses)."""
        from core.actions import settings as settings_actions

        return self.run(settings_actions.save_business_settings, changes, staff, self.machine).changes
