"""One function per thing the owner does, each in one transaction, each saying what changed.

The window (through gui/services.py) and any other front end call these instead of opening
sessions themselves. Reads return plain dataclasses; actions return a `ChangeSet` that the
GUI broadcasts so each panel refreshes only what it shows. Undoable actions push an
`UndoStep`; `undo()` reverses the latest one, also in one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import phonenumbers
from sqlalchemy.orm import Session

from core.change_log import LoggedChange, entries_since, latest_sequence
from core.change_review import ChangeSummary, list_changes, withdraw_announcement
from core.clock import Clock
from core.customer_detail import CustomerDetail, customer_detail
from core.customer_editing import (
    CustomerInput,
    add_customer,
    customer_input,
    delete_customer,
    restore_customer,
    update_customer,
)
from core.customer_queries import (
    CustomerQuery,
    CustomerRow,
    NameOrder,
    count_all_customers,
    customer_rows,
    find_customer_ids,
)
from core.backups import BackupReason, backup_before_change, backups_folder, import_changed_data
from core.db import Database
from core.enums import ChangeStatus, Outcome, Reason, TaskKind, TaskStatus
from core.errors import CallAheadError, InvalidInput, UndoOutdated
from core.machine_settings import (
    MachineConfig,
    MachineSettings,
    old_values_in_database,
    validate_machine_settings,
)
from core.models import CallTask, Change, Customer, Product
from core.quotes import (
    QuoteInput,
    QuoteRecord,
    add_quote,
    decide_quote,
    decision_undo,
    list_quotes,
    undo_decision,
    update_quote,
)
from core.rewards import CardState, add_stamps, card_undo, redeem_reward, undo_card_change
from core.overview import BusinessOverview, business_overview
from core.reasons import declaration
from core.script_template import TemplateProblem
from core.scripts import (
    RenderedScript,
    ScriptChoice,
    ScriptText,
    ensure_default_scripts,
    load_script,
    preview_customer_id,
    render_call_script,
    render_sample_script,
    reset_script,
    save_script,
    script_problems,
    suggest_script,
)
from core.reminders import Reminder, due_reminders, mark_shown, next_reminder_time
from core.scheduling import (
    AgendaCall,
    CallerDay,
    ChangePlan,
    ChangeRequest,
    DailyAgenda,
    DayLoad,
    LogResult,
    announce_change,
    calendar_load,
    campaign_results,
    cancel_change,
    daily_agenda,
    free_minutes,
    hand_over,
    log_outcome,
    log_unplanned_call,
    move_change,
    plan_standing_tasks,
    plan_standing_tasks_once_a_day,
    morning_pass,
    preview_change,
    refresh_plan,
    replan_customers,
    start_day,
    undo_log,
)
from core.scheduling.changes import CampaignResults
from core.settings import Settings, load_settings, save_settings
from core.staff import StaffEntry, list_staff, save_staff

if TYPE_CHECKING:  # loaded when the owner exports, imports or prints: a window start needs none of them
    from core.exporting import ExportResult
    from core.importing import ColumnMap, ImportKind, ImportSource
    from core.reports import DaySheet

log = logging.getLogger(__name__)

_ROWS_KEPT = 20_000  # customer-list rows remembered (a few megabytes); beyond, they are read afresh

@dataclass(frozen=True)
class ChangeSet:
    """What an action changed, so each screen refreshes only what it shows."""

    customers: frozenset[int] = frozenset()  # customers added, edited, deleted or restored
    customer_list: bool = False  # membership or order of the customer list may differ
    settings: bool = False
    staff: bool = False
    scripts: bool = False
    tasks: bool = False  # planned calls (the scheduling engine's)
    calls: frozenset[int] = frozenset()  # the planned calls an action logged (or an undo brought back)

    def __or__(self, other: "ChangeSet") -> "ChangeSet":
        return ChangeSet(self.customers | other.customers, self.customer_list or other.customer_list,
                         self.settings or other.settings, self.staff or other.staff,
                         self.scripts or other.scripts, self.tasks or other.tasks, self.calls | other.calls)

    def __bool__(self) -> bool:
        return bool(self.customers or self.customer_list or self.settings or self.staff or self.scripts
                    or self.tasks or self.calls)


def logged_changes(entries: Sequence[LoggedChange]) -> ChangeSet:
    """The change set of change-log entries (another process's actions), as the window's own would be."""
    changes = ChangeSet()
    for entry in entries:
        if entry.everything or ("customers" in entry.kinds and entry.customer_ids is None):
            return EVERYTHING_CHANGED  # not known which customers: every panel reads again
        changes |= ChangeSet(customers=entry.customer_ids or frozenset(), customer_list="customers" in entry.kinds,
                             settings="settings" in entry.kinds, staff="staff" in entry.kinds,
                             scripts="scripts" in entry.kinds, tasks="tasks" in entry.kinds)
    return changes


EVERYTHING_CHANGED = ChangeSet(customer_list=True, settings=True, staff=True, scripts=True, tasks=True)


@dataclass(frozen=True)
class UndoStep:
    description: str  # "Undo delete of Jane Doe"
    undo: Callable[[Session], ChangeSet]
    announced_change: int | None = None  # the change this step takes back, when it is an announcement


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


def source_kind(column_map: ColumnMap | None) -> ImportKind:
    from core.importing import ImportKind
    return column_map.kind if column_map is not None else ImportKind.CUSTOMERS


@dataclass
class Services:
    database: Database
    clock: Clock
    _undo: list[UndoStep] = field(default_factory=list)
    _agendas: dict = field(default_factory=dict)
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

    # --- reads ---------------------------------------------------------------------------
    def today(self) -> dt.date:
        return self.clock.today()

    def settings(self) -> Settings:
        if self._settings is None:
            with self.database.session() as session:
                self._settings = load_settings(session)
        return self._settings

    def machine_settings(self) -> MachineSettings:
        """This computer's settings; an older CallAhead's values in the database are taken over once."""
        def old_values() -> dict:
            with self.database.session() as session:
                return old_values_in_database(session)

        return self.machine.load(old_values)

    def calls_cancelled_by_do_not_call(self, task_id: int) -> int:
        """How many other planned calls 'please don't call' on this call would cancel."""
        from sqlalchemy import func, select

        with self.database.session() as session:
            customer_id = select(CallTask.customer_id).where(CallTask.id == task_id).scalar_subquery()
            return session.scalar(select(func.count()).select_from(CallTask).where(
                CallTask.customer_id == customer_id, CallTask.status == TaskStatus.PENDING,
                CallTask.kind == TaskKind.CALL, CallTask.id != task_id)) or 0

    def overview(self) -> BusinessOverview:
        with self.database.session() as session:
            return business_overview(session, self.today())

    def count_customers(self) -> int:
        with self.database.session() as session:
            return count_all_customers(session)

    def find_customer_ids(self, query: CustomerQuery) -> list[int]:
        with self.database.session() as session:
            return find_customer_ids(session, query, self.today(), name_order=self._name_order)

    def customer_rows(self, ids: Sequence[int]) -> list[CustomerRow]:
        today = self.today()
        if self._rows_day != today or len(self._rows) > _ROWS_KEPT:
            self._rows, self._rows_day = {}, today
        missing = [i for i in ids if i not in self._rows]
        if missing:
            with self.database.session() as session:
                self._rows.update((row.id, row) for row in customer_rows(session, missing, today))
        return [self._rows[i] for i in ids if i in self._rows]

    def customer_detail(self, customer_id: int) -> CustomerDetail:
        with self.database.session() as session:
            return customer_detail(session, customer_id)

    def customer_for_editing(self, customer_id: int) -> CustomerInput:
        with self.database.session() as session:
            return customer_input(session, customer_id, load_settings(session).phone_region)

    def staff(self) -> list[StaffEntry]:
        with self.database.session() as session:
            return list_staff(session)

    def changes_in_progress(self) -> list[ChangeOption]:
        from sqlalchemy import select

        with self.database.session() as session:
            rows = session.execute(select(Change.id, Change.title, Change.effective_on)
                                   .where(Change.status == ChangeStatus.ACTIVE)
                                   .order_by(Change.effective_on.desc())).all()
        return [ChangeOption(*row) for row in rows]

    def changes(self) -> list[ChangeSummary]:
        """Every announced change with its dates and progress (Calls → Changes)."""
        with self.database.session() as session:
            return list_changes(session)

    def change_results(self, change_id: int) -> CampaignResults:
        with self.database.session() as session:
            return campaign_results(session, change_id, self.today())

    def suggest_script(self, customer_id: int) -> ScriptChoice:
        with self.database.session() as session:
            return suggest_script(session, customer_id, self.today())

    def script(self, reason: Reason) -> ScriptText:
        with self.database.session() as session:
            return load_script(session, reason)

    def script_problems(self, body: str) -> list[TemplateProblem]:
        return script_problems(body)

    def render_script(self, customer_id: int, reason: Reason, *, change_id: int | None = None,
                      task_id: int | None = None, caller_name: str | None = None,
                      script: ScriptText | None = None, free_minutes: bool = False) -> RenderedScript:
        with self.database.session() as session:
            return render_call_script(session, customer_id, reason, self.today(), change_id=change_id,
                                      task_id=task_id, caller_name=caller_name, script=script,
                                      free_minutes=free_minutes)

    def preview_script(self, script: ScriptText, customer_id: int | None = None) -> RenderedScript:
        """The script as a sample customer would hear it (made-up values when there are no customers)."""
        with self.database.session() as session:
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
        with self.database.session() as session:
            return preview_customer_id(session)

    # --- the day's calls (the scheduling engine) ---------------------------------------------
    def callers(self) -> list[StaffEntry]:
        """Active callers who make calls (the day's counts are in `agenda`)."""
        return [member for member in self.staff() if member.active and member.daily_quota > 0]

    def agenda(self, day: dt.date) -> DailyAgenda:
        """The day's calls; kept until the next action, since several panels show the same day."""
        key = (day, self.today())
        if key not in self._agendas:
            with self.database.session() as session:
                self._agendas = {key: daily_agenda(session, day, self.today())}
        return self._agendas[key]

    def forget_cached(self, settings: bool = True) -> None:
        """Something changed (an action here, or an import on another thread): read afresh.
        `settings=False` keeps the settings read, for a change that did not touch them."""
        self._agendas = {}
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
        latest sequence) when nothing moved."""
        if self._seen_sequence is None:
            self.watch_other_writers()
            return ChangeSet()
        with self.database.session() as session:
            latest = latest_sequence(session)
            if latest == self._seen_sequence:
                return ChangeSet()
            entries = entries_since(session, self._seen_sequence) if latest > self._seen_sequence else []
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
        with self.database.session() as session:
            return free_minutes(session, self.clock.now(), staff_id)

    def calendar_load(self, first: dt.date, last: dt.date) -> dict[dt.date, DayLoad]:
        with self.database.session() as session:
            return calendar_load(session, first, last, self.today())

    def backups_folder(self) -> Path | None:
        """Where backups of this database go (None for a server database)."""
        return backups_folder(self.database.path.parent) if self.database.path is not None else None

    def products(self) -> list[ProductOption]:
        from sqlalchemy import select

        with self.database.session() as session:
            rows = session.execute(select(Product.id, Product.sku, Product.name, Product.category)
                                   .where(Product.active).order_by(Product.name)).all()
        return [ProductOption(*row) for row in rows]

    def preview_change(self, request: ChangeRequest) -> ChangePlan:
        with self.database.session() as session:
            return preview_change(session, request, self.today())

    def day_sheets(self, day: dt.date, staff_id: int | None = None) -> list[DaySheet]:
        from core.reports import day_sheets
        if day == self.today():
            self.start_day()  # the first print of the day fixes its lists
        with self.database.session() as session:
            return day_sheets(session, day, self.today(), staff_id)

    # --- reminders (each desk shows its own: this computer's desk id) ------------------------
    def due_reminders(self) -> list[Reminder]:
        with self.database.session() as session:
            return due_reminders(session, self.clock.now(), desk=self.machine.desk_id())

    def mark_reminders_shown(self, reminders: Sequence[Reminder]) -> None:
        with self.database.transaction() as session:
            mark_shown(session, list(reminders), self.clock.now(), desk=self.machine.desk_id())

    def next_reminder_time(self) -> dt.datetime | None:
        with self.database.session() as session:
            return next_reminder_time(session, self.clock.now())

    def export(self, kind: str, path) -> ExportResult:
        """Write customers ('customers'), call history ('calls') or planned calls ('ics') to `path`."""
        from core.exporting import (default_delimiter, export_call_history_csv, export_customers_csv,
                                    export_planned_calls_ics, system_locale_name)
        delimiter = default_delimiter(system_locale_name())  # the list separator the owner's spreadsheet expects
        with self.database.session() as session:
            if kind == "customers":
                return export_customers_csv(session, path, delimiter)
            if kind == "calls":
                return export_call_history_csv(session, path, delimiter)
            return export_planned_calls_ics(session, path, self.clock.now())

    # --- import (run on a worker thread by the wizard: each call opens its own session) ----
    def preview_import(self, source: ImportSource, column_map: ColumnMap | None, decisions=None):
        from core.importing import (ImportKind, preview_customer_import, preview_purchase_import, preview_quote_import,
                                    preview_reward_import)
        kind = source_kind(column_map)
        if kind is ImportKind.QUOTES:
            return preview_quote_import(self.database, source, column_map, today=self.today())
        if kind is ImportKind.REWARDS:
            return preview_reward_import(self.database, source, column_map, today=self.today())
        if kind is ImportKind.PURCHASES:
            return preview_purchase_import(self.database, source, column_map)
        return preview_customer_import(self.database, source, column_map, today=self.today(), decisions=decisions)

    def run_import(self, source: ImportSource, column_map: ColumnMap | None, all_or_nothing: bool, decisions=None):
        """Back up, then import in one transaction; returns (report, ChangeSet).

        `decisions`: the owner's answer for each possible duplicate (remembered for later imports)."""
        from core.importing import ImportKind, import_customers, import_purchases, import_quotes, import_rewards
        kind = source_kind(column_map)
        with backup_before_change(self.database, BackupReason.BEFORE_IMPORT, self.clock.now()) as backup:
            if kind in (ImportKind.QUOTES, ImportKind.REWARDS):
                importer = import_quotes if kind is ImportKind.QUOTES else import_rewards
                report = importer(self.database, source, column_map, all_or_nothing=all_or_nothing,
                                  today=self.today())
            elif kind is ImportKind.PURCHASES:
                report = import_purchases(self.database, source, column_map, all_or_nothing=all_or_nothing)
            else:
                report = import_customers(self.database, source, column_map, all_or_nothing=all_or_nothing,
                                          today=self.today(), decisions=decisions, now=self.clock.now())
            backup.changed = import_changed_data(report.summary())
        if report.applied:  # new customers, purchases, quotes and cards join the stored plan at once
            with self.database.transaction() as session:
                refresh_plan(session, self.today())
        return report, ChangeSet(customer_list=report.applied, tasks=report.applied)

    # --- actions -------------------------------------------------------------------------
    def prepare(self) -> ChangeSet:
        """Run when the window opens: ship the default scripts; once a day the standing rules and
        the whole plan; today's lists are then fixed."""
        with self.database.transaction() as session:
            added = ensure_default_scripts(session)
            planned = morning_pass(session, self.today())
        return ChangeSet(scripts=bool(added), tasks=planned)

    def start_day(self) -> ChangeSet:
        """Fix today's lists (the first print or log of the day does this too)."""
        with self.database.transaction() as session:
            started = start_day(session, self.today())
        if started:
            self._agendas = {}
        return ChangeSet(tasks=started)

    def hand_over(self, from_staff_id: int, to_staff_id: int, day: dt.date | None = None) -> tuple[int, ChangeSet]:
        """Give the calls still on one caller's list that day (default today) to another."""
        with self.database.transaction() as session:
            moved = hand_over(session, day or self.today(), from_staff_id, to_staff_id, self.today())
        self._agendas = {}
        return moved, ChangeSet(tasks=bool(moved))

    def log_call(self, task_id: int, outcome: Outcome, *, staff_id: int | None = None, notes: str | None = None,
                 result_tags: Sequence[str] = (), follow_up: dt.datetime | None = None) -> tuple[LogResult, ChangeSet]:
        """Log a call's outcome; Edit → Undo puts the plan back as it was."""
        with self.database.transaction() as session:
            result = log_outcome(session, task_id, outcome, self.clock.now(), staff_id=staff_id, notes=notes,
                                 result_tags=result_tags, follow_up=follow_up)
            name = session.get(Customer, result.customer_id).name
        changes = ChangeSet(customers=frozenset({result.customer_id}), tasks=True, calls=frozenset({task_id}),
                            customer_list=outcome in (Outcome.DO_NOT_CALL, Outcome.WRONG_NUMBER))

        def undo(session: Session) -> ChangeSet:
            undo_log(session, result.undo)
            return changes

        self.push_undo(UndoStep(f"Undo the call log for {name}", undo))
        return result, changes

    def log_unplanned_call(self, customer_id: int, outcome: Outcome, *, staff_id: int | None = None,
                           notes: str | None = None, result_tags: Sequence[str] = (),
                           follow_up: dt.datetime | None = None) -> tuple[LogResult, ChangeSet]:
        """A call for no reason on any customer; Edit → Undo takes it back like any log."""
        with self.database.transaction() as session:
            result = log_unplanned_call(session, customer_id, outcome, self.clock.now(), staff_id=staff_id,
                                        notes=notes, result_tags=result_tags, follow_up=follow_up)
            name = session.get(Customer, customer_id).name
        changes = ChangeSet(customers=frozenset({customer_id}), tasks=True,
                            customer_list=outcome in (Outcome.DO_NOT_CALL, Outcome.WRONG_NUMBER))

        def undo(session: Session) -> ChangeSet:
            undo_log(session, result.undo)
            return changes

        self.push_undo(UndoStep(f"Undo the call log for {name}", undo))
        return result, changes

    # --- quotes and reward cards ----------------------------------------------------------
    def quotes(self, customer_id: int | None = None, *, open_only: bool = False) -> list[QuoteRecord]:
        with self.database.session() as session:
            return list_quotes(session, open_only=open_only, customer_id=customer_id)

    def add_quote(self, customer_id: int, data: QuoteInput) -> tuple[QuoteRecord, ChangeSet]:
        with self.database.transaction() as session:
            record = add_quote(session, customer_id, data, self.today())
        return record, ChangeSet(customers=frozenset({customer_id}), customer_list=True, tasks=True)

    def update_quote(self, quote_id: int, data: QuoteInput) -> tuple[QuoteRecord, ChangeSet]:
        with self.database.transaction() as session:
            record = update_quote(session, quote_id, data, self.today())
        return record, ChangeSet(customers=frozenset({record.customer_id}), customer_list=True, tasks=True)

    def decide_quote(self, quote_id: int, won: bool, on: dt.date | None = None) -> tuple[QuoteRecord, ChangeSet]:
        """Mark a quote won or lost; Edit → Undo reopens it with its follow-ups."""
        with self.database.transaction() as session:
            before = decision_undo(session, quote_id)
            record, _cancelled = decide_quote(session, quote_id, won, on or self.today(), self.today())
        changes = ChangeSet(customers=frozenset({record.customer_id}), customer_list=True, tasks=True)

        def undo(session: Session) -> ChangeSet:
            undo_decision(session, before)
            return changes

        self.push_undo(UndoStep(f"Undo marking the quote {record.status.value}", undo))
        return record, changes

    def add_stamps(self, customer_id: int, count: int = 1) -> tuple[CardState, ChangeSet]:
        return self._change_card(customer_id, lambda session: add_stamps(session, customer_id, count, self.today()),
                                 "Undo the stamp" if count == 1 else f"Undo the {count} stamps")

    def redeem_reward(self, customer_id: int) -> tuple[CardState, ChangeSet]:
        return self._change_card(customer_id, lambda session: redeem_reward(session, customer_id, self.today()),
                                 "Undo the reward taken")

    def _change_card(self, customer_id: int, action, description: str) -> tuple[CardState, ChangeSet]:
        with self.database.transaction() as session:
            before = card_undo(session, customer_id)
            card = action(session)
        changes = ChangeSet(customers=frozenset({customer_id}), tasks=True)

        def undo(session: Session) -> ChangeSet:
            undo_card_change(session, before)
            return changes

        self.push_undo(UndoStep(description, undo))
        return card, changes

    def announce_change(self, request: ChangeRequest) -> tuple[ChangePlan, ChangeSet]:
        """Announce a change; Edit → Undo takes it back while none of its calls was made."""
        with self.database.transaction() as session:
            plan = announce_change(session, request, self.today())
        changes = ChangeSet(tasks=True, customer_list=True)

        def undo(session: Session) -> ChangeSet:
            withdraw_announcement(session, plan.change_id)
            return changes

        self.push_undo(UndoStep(f"Undo the announcement of {request.title.strip()}", undo,
                                announced_change=plan.change_id))
        return plan, changes

    def move_change(self, change_id: int, effective_on: dt.date) -> tuple[ChangePlan, ChangeSet]:
        """A new date for a change: its pending steps are planned again around it."""
        with self.database.transaction() as session:
            plan = move_change(session, change_id, effective_on, self.today())
        return plan, ChangeSet(tasks=True, customer_list=True)

    def cancel_change(self, change_id: int) -> tuple[int, ChangeSet]:
        """Cancel a change and its pending steps (the history is kept); returns how many were cancelled."""
        with self.database.transaction() as session:
            cancelled = cancel_change(session, change_id, self.clock.now())
        return cancelled, ChangeSet(tasks=True, customer_list=True)

    def add_customer(self, data: CustomerInput, *, allow_duplicate: bool = False) -> tuple[int, ChangeSet]:
        """Raises PossibleDuplicate (nothing saved) when another customer has the phone or e-mail,
        unless `allow_duplicate`."""
        with self.database.transaction() as session:
            customer_id = add_customer(session, data, load_settings(session).phone_region,
                                       allow_duplicate=allow_duplicate)
            replan_customers(session, self.today(), {customer_id})
        self.customers_changed()
        return customer_id, ChangeSet(customers=frozenset({customer_id}), customer_list=True, tasks=True)

    def update_customer(self, customer_id: int, data: CustomerInput, *, allow_duplicate: bool = False) -> ChangeSet:
        with self.database.transaction() as session:
            update_customer(session, customer_id, data, load_settings(session).phone_region,
                            allow_duplicate=allow_duplicate)
            # A new phone, do-not-call or caller changes who can be called and by whom.
            replan_customers(session, self.today(), {customer_id})
        self.customers_changed()
        return ChangeSet(customers=frozenset({customer_id}), customer_list=True, tasks=True)

    def delete_customer(self, customer_id: int) -> ChangeSet:
        with self.database.transaction() as session:
            deleted = delete_customer(session, customer_id)
        self.customers_changed()

        def undo(session: Session) -> ChangeSet:
            restored = restore_customer(session, deleted)
            replan_customers(session, self.today(), {restored})
            return ChangeSet(customers=frozenset({restored}), customer_list=True, tasks=True)

        self.push_undo(UndoStep(f"Undo delete of {deleted.name}", undo))
        return ChangeSet(customers=frozenset({customer_id}), customer_list=True, tasks=True)

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
            with self.database.transaction() as session:
                changes = step.undo(session)
        except UndoOutdated as outdated:
            # It can never succeed now; offering it again would only hide the older steps.
            self._undo.pop()
            description = step.description[0].lower() + step.description[1:]
            raise UndoOutdated(f"Cannot {description}: {outdated}. Nothing was changed.") from outdated
        self._undo.pop()
        self.customers_changed()
        return changes

    def save_script(self, reason: Reason, title: str, body: str) -> ChangeSet:
        with self.database.transaction() as session:
            save_script(session, reason, title, body)
        return ChangeSet(scripts=True)

    def reset_script(self, reason: Reason) -> ChangeSet:
        with self.database.transaction() as session:
            reset_script(session, reason)
        return ChangeSet(scripts=True)

    def save_business_settings(self, changes: Mapping[str, Any], staff: Sequence[StaffEntry]) -> ChangeSet:
        """Settings and callers together, one transaction: a bad value anywhere saves nothing.
        The standing rules are planned again at once, so new callers see their calls today.

        This computer's settings among `changes` go to the machine's file, checked before anything
        is written and written last inside the transaction: a failure to write the file rolls the
        database back, and a database that fails to commit puts the file's old values back."""
        on_machine = {name: value for name, value in changes.items() if name in MachineSettings.field_names()}
        changes = {name: value for name, value in changes.items() if name not in on_machine}
        on_machine = validate_machine_settings(on_machine)
        _check_regions(changes)
        machine_before = self.machine_settings() if on_machine else None
        machine_written = False
        try:
            with self.database.transaction() as session:
                before = load_settings(session)
                save_settings(session, **changes)
                save_staff(session, staff)
                # Quotas, callers, open days and windows reshape every day; new callers see calls today.
                refresh_plan(session, self.today())
                if on_machine:
                    self.machine.save(**on_machine)
                    machine_written = True
        except BaseException:
            if machine_written:
                try:
                    self.machine.save(**{name: getattr(machine_before, name) for name in on_machine})
                except CallAheadError as error:  # the database's refusal is the one to tell
                    log.warning("Could not put this computer's settings back after a failed save: %s", error)
            raise
        self._settings = None
        phone_region_changed = "phone_region" in changes and changes["phone_region"] != before.phone_region
        return ChangeSet(settings=True, staff=True, scripts=True, tasks=True, customer_list=phone_region_changed)


def _check_regions(changes: Mapping[str, Any]) -> None:
    from core.holiday_countries import holiday_country
    region = changes.get("phone_region")
    if region is not None and str(region).upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInput(f"'{region}' is not a country code phone numbers know (US, CA, GB...).", field="phone_region")
    if "holiday_country" in changes and changes["holiday_country"]:
        country = holiday_country(changes["holiday_country"])
        if country is None:
            raise InvalidInput(f"No public holidays are known for '{changes['holiday_country']}'.",
                               field="holiday_country")
        subdivision = changes.get("holiday_subdivision")
        if subdivision and subdivision not in country.subdivisions:
            raise InvalidInput(f"'{subdivision}' is not a state or province of {country.name}.",
                               field="holiday_subdivision")
