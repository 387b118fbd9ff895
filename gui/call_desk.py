"""The call in front of the owner: one anchor for the script, the notes, the detail and the keys.

The call selected in the day's list is the anchor. The script and its notes always follow it;
the detail follows it too, unless the owner browses another customer in the customer list — then
the detail shows that customer under a "Back to the call with …" bar, and the keys still log the
anchored call, never the browsed customer.

Acting (log, undo) runs the action and its epilogue inside one bridge batch: the panels hear
one change set when both are done. The epilogue acts on the call that was logged (its draft
notes are forgotten, the next call is chosen after it), never on whatever is selected by then.
`refresh` then brings the panels up to date in one pass: the day's list first (it decides the
call in front), then the script and the detail, each read once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from core.storage.enums import Outcome
from core.errors import CallAheadError
from core.scheduling import AgendaCall
from core.services import ChangeSet
from gui.panels.customer_detail import CustomerDetailPanel
from gui.panels.customers import CustomersPanel
from gui.panels.day_list import DayListPanel, LogRequest
from gui.panels.script_panel import ScriptPanel
from gui.platform_words import shortcut_text
from gui.services import ServiceBridge

Confirm = Callable[[str, str, str], bool]  # (title, question, yes button) -> yes?


def planned_calls(count: int) -> str:
    return f"{count} planned call{'s' if count != 1 else ''}"


class CallDesk(QObject):
    status_message = Signal(str, int)  # text, milliseconds
    problem = Signal(str)  # an owner-facing refusal (core's CallAheadError message)

    def __init__(self, bridge: ServiceBridge, day_list: DayListPanel, script: ScriptPanel,
                 detail: CustomerDetailPanel, customers: CustomersPanel, *, window: QWidget,
                 platform: str, confirm: Confirm | None = None):
        super().__init__(window)
        self.bridge = bridge
        self.day_list, self.script, self.detail, self.customers = day_list, script, detail, customers
        self._window = window
        self._platform = platform
        self._confirm = confirm or self._ask
        self._call: AgendaCall | None = None  # the call in front of the owner
        self._browsed: int | None = None  # another customer the owner looks at meanwhile

        day_list.call_selected.connect(self.anchor)
        day_list.log_requested.connect(self.log)
        customers.current_customer_changed.connect(self.browse)
        detail.back_requested.connect(self.back_to_call)
        script.leave_notes_requested.connect(day_list.focus_calls)

    # --- what is in front of the owner --------------------------------------------------------
    def call(self) -> AgendaCall | None:
        return self._call

    def browsed_customer(self) -> int | None:
        return self._browsed

    def anchor(self, call: AgendaCall | None) -> None:
        """The owner chose a call in the day's list (or clicked the one already chosen)."""
        self._show_call(call, changes=None)

    def browse(self, customer_id: int | None) -> None:
        """The owner chose a customer in the customer list."""
        if customer_id is None:
            return
        if self._call is not None and customer_id == self._call.customer_id:
            self._browsed = None
            self.detail.show_customer(customer_id)
            return
        if self._call is None:  # no call in front: the script may follow the customer
            self._browsed = None
            self.detail.show_customer(customer_id)
            self.script.show_customer(customer_id)
            return
        self._browsed = customer_id
        self.detail.show_customer(customer_id, call_with=self._call.customer)

    def back_to_call(self) -> None:
        self._browsed = None
        if self._call is not None:
            self._follow_in_customer_list(self._call.customer_id)
            self.detail.show_customer(self._call.customer_id)
        self.day_list.focus_calls()

    def _show_call(self, call: AgendaCall | None, changes: ChangeSet | None) -> None:
        previous, self._call = self._call, call
        was_browsing, self._browsed = self._browsed is not None, None
        if changes is None and call is not None and call == previous:
            # The call already in front, chosen again (a click on its row): back from browsing only.
            if was_browsing:
                self.detail.show_customer(call.customer_id)
                self._follow_in_customer_list(call.customer_id)
            return
        if call is None:
            if changes is not None:
                self.script.on_changes(changes)
                self.detail.on_changes(changes)
            return
        same = previous is not None and previous.task_id == call.task_id and previous == call
        if changes is not None:
            self.script.on_changes(changes, render=same)
        if not same or changes is None:
            self.script.show_call(call.customer_id, call.reason, call.change_id, call.task_id,
                                  caller_name=call.staff)
        touched = changes is not None and (call.customer_id in changes.customers or changes.tasks
                                           or changes.settings or changes.staff)
        self.detail.show_customer(call.customer_id, force=bool(touched))
        self._follow_in_customer_list(call.customer_id)

    def _follow_in_customer_list(self, customer_id: int) -> None:
        # The list follows when the customer is on its loaded rows; otherwise it lets go, so a
        # click on any customer there chooses again.
        if self.customers.current_customer_id() == customer_id:
            return
        self.customers.current_customer_changed.disconnect(self.browse)
        try:
            if not self.customers.select_customer(customer_id, fetch=False):
                self.customers.forget_selection()
        finally:
            self.customers.current_customer_changed.connect(self.browse)

    # --- keeping up: one pass after each action -----------------------------------------------
    def refresh(self, changes: ChangeSet) -> None:
        self.day_list.on_changes(changes)
        call = self.day_list.selected_call()
        browsed = self._browsed
        if call is None and self._call is None:
            self.script.on_changes(changes)
            self.detail.on_changes(changes)
            return
        if browsed is not None and call is not None and self._call is not None and call.task_id == self._call.task_id:
            # Still browsing the same call's neighbour: the call's script and the browsed detail keep up.
            self._call = call
            self.script.on_changes(changes)
            self.detail.on_changes(changes)
            return
        self._show_call(call, changes)

    # --- acting ------------------------------------------------------------------------------
    def log(self, request: LogRequest) -> None:
        """Log the call the request names (the anchored one) with that call's own notes."""
        from core.actions import calls as call_actions  # loaded with the first call logged, not at start

        call = self.day_list.call_of(request.task_id)
        if call is None:
            return
        if request.outcome is Outcome.DO_NOT_CALL and not self._stop_calling_confirmed(call):
            return
        notes = self.script.draft(request.task_id) or None
        with self.bridge.batch():
            try:
                result = self.bridge.run(call_actions.log_call, request.task_id, request.outcome,
                                         staff_id=request.staff_id, notes=notes, result_tags=request.result_tags,
                                         follow_up=request.follow_up)
            except CallAheadError as error:
                self.problem.emit(str(error))
                return
            # The epilogue, on the logged call: its notes are saved, the next call comes forward.
            self.script.forget_draft(request.task_id)
            self.day_list.prefer_call_after(request.task_id)
        self.status_message.emit(f"{result.message}  ({shortcut_text('Ctrl+Z', self._platform)} to undo)", 10_000)

    def _stop_calling_confirmed(self, call: AgendaCall) -> bool:
        cancelled = self.bridge.queries.calls_cancelled_by_do_not_call(call.task_id)
        question = (f"Stop calling {call.customer}? {planned_calls(cancelled).capitalize()} will be cancelled."
                    if cancelled else f"Stop calling {call.customer}? They will not be called again.")
        return self._confirm("Please don't call", question + "\n\nEdit → Undo brings them back.",
                             f"Stop calling {call.customer}")

    def undo(self) -> ChangeSet | None:
        """Undo the latest action; an undone call log brings that call back in front."""
        description = self.bridge.queries.undo_description()
        with self.bridge.batch():
            try:
                changes = self.bridge.undo()
            except CallAheadError as error:
                self.problem.emit(str(error))
                return None
            for task_id in changes.calls:
                self.day_list.prefer_call(task_id)
        if changes.calls:
            self._bring_back(next(iter(changes.calls)))
        elif changes.customers:
            self.customers.select_customer(next(iter(changes.customers)))
        if description:
            self.status_message.emit(f"Done: {description[0].lower()}{description[1:]}.", 6_000)
        return changes

    def _bring_back(self, task_id: int) -> None:
        """The undone call in front again: today's list, whoever's call it is."""
        selected = self.day_list.selected_call()
        if selected is not None and selected.task_id == task_id:
            return  # the refresh already chose it
        today = self.bridge.queries.today()
        if self.day_list.day() != today:
            self.day_list.show_day(today)
        self.day_list.select_call(task_id)

    def _ask(self, title: str, question: str, yes: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=self._window)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes_button
