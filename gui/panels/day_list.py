"""The chosen day's calls for the person at the keyboard, and logging their outcomes.

The caller picker chooses whose list is shown ("All callers" too); progress shows calls
made against the day's goal; "10 free minutes" narrows the list to the top three calls due
now. Outcome buttons carry single-key shortcuts (1 reached ... 5 do not call), with result
tags and an optional callback date and time; Ctrl+1 … Ctrl+5 do the same from anywhere in the
window (the notes box too). The panel never writes: it emits `log_requested` and the window's
call desk acts on it.

The selected call is the call in front of the owner: `call_selected` is emitted when the owner
chooses one (a click, the arrow keys, another day or caller), also when they click the row
already chosen. A refresh after an action reads the day again quietly and keeps the call chosen,
or the one the action asked for (`prefer_call`), and lets whoever acted decide what follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QDate, QDateTime, QEvent, QItemSelectionModel, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.dates import date_text
from core.storage.enums import Outcome, ResultTag
from core.labels import OUTCOME_LABELS, RESULT_TAG_LABELS
from core.scheduling import AgendaCall, DailyAgenda
from gui.date_limits import limit_to_accepted_dates
from gui.dates import QT_DATE_TIME_FORMAT, long_day
from gui.models.day_list_model import DayColumn, DayListModel
from gui.wording import count_of

OUTCOME_KEYS = {Outcome.REACHED: "1", Outcome.VOICEMAIL: "2", Outcome.NO_ANSWER: "3", Outcome.WRONG_NUMBER: "4",
                Outcome.DO_NOT_CALL: "5"}
ALL_CALLERS = None
NARROW_LIST_PX = 560  # below this the list shows only the order, the customer and why, and the reason
VERY_NARROW_LIST_PX = 420  # below this the reason goes too (the script panel names it)


@dataclass(frozen=True)
class LogRequest:
    task_id: int
    outcome: Outcome
    staff_id: int | None
    result_tags: tuple[str, ...]
    follow_up: dt.datetime | None


class EmptyFix(StrEnum):
    """What an empty day is missing, and so what its button offers."""

    CALLERS = "callers"  # nobody makes calls yet: open Settings on the callers
    CUSTOMERS = "customers"  # no customers yet: import them
    CHANGE = "change"  # customers but nothing planned: announce a change


class DayListPanel(QWidget):
    call_selected = Signal(object)  # AgendaCall or None
    log_requested = Signal(object)  # LogRequest
    caller_changed = Signal(object)  # staff id or None for all callers
    free_minutes_changed = Signal(bool)
    unplanned_call_requested = Signal()  # "Log a call for no reason…" on the customer shown
    fix_requested = Signal(object)  # EmptyFix: the empty state's button was pressed
    plan_again_requested = Signal()  # the banner's "Try again" after today's plan could not be made

    def __init__(self, bridge, parent: QWidget | None = None):
        super().__init__(parent)
        self._bridge = bridge
        self._day = bridge.queries.today()
        self._agenda: DailyAgenda | None = None
        self._free_minutes = False
        self._quiet = False  # reading the day again after an action: no call_selected meanwhile
        self._preferred_task: int | None = None  # the call the next refresh should choose
        self._held_because: str | None = None  # today's list may still be replaced: nothing logs
        self._build()

    # --- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = QLabel(wordWrap=True)
        self.title.setObjectName("dayTitle")
        self.caller_picker = QComboBox()
        self.caller_picker.setObjectName("callerPicker")
        self.caller_picker.setAccessibleName("Caller")
        self.progress = QProgressBar()
        self.progress.setObjectName("dayProgress")
        # The count beside the bar, not on it: drawn on the bar it hid under the fill on some styles.
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(self.fontMetrics().height())
        self.progress.setAccessibleName("Calls made today")
        self.progress_label = QLabel(objectName="dayProgressText")
        self.progress_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("000 of 000"))  # steady as it counts
        self.free_minutes_button = QPushButton("10 free minutes")
        self.free_minutes_button.setObjectName("freeMinutes")
        self.free_minutes_button.setCheckable(True)
        self.free_minutes_button.setToolTip("Show just the top three calls due right now")
        header = QGridLayout()
        # The day's title on a line of its own: beside the counts it wrapped at 1024 px and cut them.
        header.addWidget(self.title, 0, 0, 1, 2)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.progress_label)
        # Thank-you notes count toward the day next to the calls (core.habits.thanks).
        self.notes_progress = QLabel(objectName="dayNotes")
        progress_row.addWidget(self.notes_progress)
        progress_row.addStretch(1)
        header.addLayout(progress_row, 1, 0, 1, 2)
        picker_row = QHBoxLayout()
        caller_label = QLabel("&Caller:")
        caller_label.setBuddy(self.caller_picker)
        picker_row.addWidget(caller_label)
        picker_row.addWidget(self.caller_picker, 1)
        header.addLayout(picker_row, 2, 0)
        header.addWidget(self.free_minutes_button, 2, 1)
        self.unplanned_button = QPushButton("Log a call for no reason…", objectName="freeMinutesLogCall")
        self.unplanned_button.setToolTip("Called someone just to see how they are? Log it on the customer shown")
        self.unplanned_button.hide()
        self.unplanned_button.clicked.connect(self.unplanned_call_requested)
        header.addWidget(self.unplanned_button, 3, 1)
        header.setColumnStretch(0, 1)

        self.model = DayListModel(self)
        self.table = QTableView()
        self.table.setObjectName("dayList")
        self.table.setAccessibleName("The day's calls")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # columns give way instead
        self.table.verticalHeader().hide()
        # Every row is two lines (the customer, the why beneath): all as tall as the first, measured
        # when the list is filled. Sized to their contents, Qt measured every cell of every row at
        # each layout (~10 ms of the window's start).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        heads = self.table.horizontalHeader()
        for column in (DayColumn.ORDER, DayColumn.TIME, DayColumn.PHONE, DayColumn.CALLER):
            heads.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        heads.setSectionResizeMode(DayColumn.REASON, QHeaderView.ResizeMode.Interactive)
        heads.resizeSection(DayColumn.REASON, 105)  # long reasons elide; the tooltip has them whole
        heads.setSectionResizeMode(DayColumn.CUSTOMER, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("dayEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_button = QPushButton(objectName="dayEmptyFix")
        self.empty_button.hide()
        self.empty_button.clicked.connect(lambda: self.fix_requested.emit(EmptyFix(self.empty_button.property("fix"))))

        self.outcome_buttons: dict[Outcome, QPushButton] = {}
        outcomes = QGridLayout()
        outcomes.setSpacing(4)
        for number, (outcome, key) in enumerate(OUTCOME_KEYS.items()):
            button = QPushButton(f"{key} {OUTCOME_LABELS[outcome]}")
            button.setObjectName(f"log_{outcome.value}")
            button.setToolTip(f"Log the selected call as '{OUTCOME_LABELS[outcome]}' (key {key})")
            button.clicked.connect(lambda _checked=False, o=outcome: self.log_selected(o))
            outcomes.addWidget(button, number // 3, number % 3)
            self.outcome_buttons[outcome] = button
            # The bare digit where typing means nothing (a text box keeps its digits), Ctrl+digit anywhere.
            for sequence in (key, f"Ctrl+{key}"):
                shortcut = QShortcut(QKeySequence(sequence), self)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(lambda o=outcome: self.log_selected(o))
        self.tag_boxes: dict[ResultTag, QCheckBox] = {}
        tags = QGridLayout()
        for number, (tag, label) in enumerate(RESULT_TAG_LABELS.items()):
            box = QCheckBox(label)
            box.setObjectName(f"tag_{tag.value}")
            tags.addWidget(box, number // 2, number % 2)
            self.tag_boxes[tag] = box
        self.follow_up_box = QCheckBox("Call back on")
        self.follow_up_box.setObjectName("followUpBox")
        self.follow_up_at = QDateTimeEdit()
        self.follow_up_at.setObjectName("followUpAt")
        self.follow_up_at.setAccessibleName("Call back at")
        self._set_follow_up_default()  # never Qt's 1 Jan 2000 on a new business
        self.follow_up_at.setCalendarPopup(True)
        self.follow_up_at.setDisplayFormat(QT_DATE_TIME_FORMAT)
        limit_to_accepted_dates(self.follow_up_at)
        self.follow_up_at.setEnabled(False)
        self.follow_up_box.toggled.connect(self.follow_up_at.setEnabled)
        follow_up = QHBoxLayout()
        follow_up.addWidget(self.follow_up_box)
        follow_up.addWidget(self.follow_up_at, 1)
        log_box = QGroupBox("Log the selected call")
        log_layout = QVBoxLayout(log_box)
        log_layout.addLayout(outcomes)
        log_layout.addLayout(tags)
        log_layout.addLayout(follow_up)
        self.log_box = log_box

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        # Today's plan being made (or why it could not be): above the list it is about.
        self.plan_banner = QLabel(objectName="dayPlanBanner", wordWrap=True)
        self.plan_banner.hide()
        self.plan_again_button = QPushButton("Try again", objectName="dayPlanAgain")
        self.plan_again_button.hide()
        self.plan_again_button.clicked.connect(self.plan_again_requested)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.plan_banner, 1)
        banner_row.addWidget(self.plan_again_button)
        layout.addLayout(banner_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.empty_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(log_box)

        self.caller_picker.currentIndexChanged.connect(self._caller_picked)
        self.free_minutes_button.toggled.connect(self._toggle_free_minutes)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._row_changed())
        self.table.clicked.connect(lambda _index: self.call_selected.emit(self.selected_call()))
        self.table.viewport().installEventFilter(self)
        self._fill_callers()

    # --- reading ----------------------------------------------------------------------------
    def day(self) -> dt.date:
        return self._day

    def staff_id(self) -> int | None:
        return self.caller_picker.currentData()

    def call_of(self, task_id: int) -> AgendaCall | None:
        row = self.model.row_of_task(task_id)
        return None if row is None else self.model.call(row)

    def selected_call(self) -> AgendaCall | None:
        index = self.table.currentIndex()
        return self.model.call(index.row()) if index.isValid() else None

    def _fill_callers(self) -> None:
        current = self.caller_picker.currentData()
        self.caller_picker.blockSignals(True)
        self.caller_picker.clear()
        self.caller_picker.addItem("All callers", ALL_CALLERS)
        for member in self._bridge.queries.callers():
            self.caller_picker.addItem(member.name, member.id)
        index = self.caller_picker.findData(current)
        self.caller_picker.setCurrentIndex(max(index, 0))
        self.caller_picker.blockSignals(False)

    # --- intents: what the window may ask of the panel ---------------------------------------
    def show_day(self, day: dt.date) -> None:
        self._day = day
        if self.free_minutes_button.isChecked() and day != self._bridge.queries.today():
            self.free_minutes_button.setChecked(False)
        self.reload()

    def select_call(self, task_id: int) -> bool:
        """Put this call in front (all callers' list if the chosen caller's lacks it)."""
        row = self.model.row_of_task(task_id)
        if row is None and self.staff_id() is not ALL_CALLERS:
            self.caller_picker.setCurrentIndex(0)
            row = self.model.row_of_task(task_id)
        if row is None:
            return False
        self.select_row(row)
        self.call_selected.emit(self.selected_call())
        return True

    def prefer_call(self, task_id: int) -> None:
        """The next refresh chooses this call (undo brings the undone call back in front)."""
        self._preferred_task = task_id

    def prefer_call_after(self, task_id: int) -> None:
        """The next refresh chooses the first call still to make after this one (after a log)."""
        calls = self.model.calls()
        row = self.model.row_of_task(task_id)
        later = calls[row + 1:] + calls[:row] if row is not None else calls
        self._preferred_task = next((call.task_id for call in later if not call.done), None)

    def hold_for_plan(self, banner: str | None, because: str | None = None, *, can_retry: bool = False) -> None:
        """While today's plan is being made (or could not be): the banner says so and no call is
        logged (`because` says why on the buttons). None: the list is today's for good; log away."""
        self._held_because = because if banner is not None else None
        self.plan_banner.setText(banner or "")
        self.plan_banner.setVisible(banner is not None)
        self.plan_again_button.setVisible(banner is not None and can_retry)
        self._enable_logging()

    def set_caller(self, staff_id: int | None) -> None:
        self.caller_picker.setCurrentIndex(max(self.caller_picker.findData(staff_id), 0))

    def focus_calls(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def toggle_free_minutes(self) -> None:
        self.free_minutes_button.toggle()

    def refresh(self) -> None:
        """Read the day again after an action, quietly: the window decides what follows."""
        self._quiet = True
        try:
            self.reload()
        finally:
            self._quiet = False

    def reload(self, keep_task: int | None = None) -> None:
        """Read the day again; keep the selection on `keep_task`, else on the next call to make."""
        preferred, self._preferred_task = self._preferred_task, None
        previous = next((task for task in (keep_task, preferred) if task is not None),
                        getattr(self.selected_call(), "task_id", None))
        announce, self._quiet = not self._quiet, True  # one call_selected at the end, not one per step
        try:
            self._read_day(previous)
        finally:
            self._quiet = not announce
        self._row_changed()

    def _read_day(self, previous: int | None) -> None:
        queries = self._bridge.queries
        self._agenda = queries.agenda(self._day)
        staff_id = self.staff_id()
        if self._free_minutes:
            calls = queries.free_minutes(staff_id)
        else:
            calls = self._agenda.for_staff(staff_id)
        region = queries.settings().phone_region
        self.model.set_calls(calls, region, show_caller=staff_id is ALL_CALLERS)
        if calls:
            self.table.verticalHeader().setDefaultSectionSize(self.table.sizeHintForRow(0))
        self._fit_columns()
        self._update_header()
        self._update_empty_state(calls)
        row = self.model.row_of_task(previous) if previous is not None else None
        if row is None or (self.model.call(row) and self.model.call(row).done):
            row = next((r for r, call in enumerate(calls) if not call.done), None)
        if row is None:
            self.table.clearSelection()
            self.table.setCurrentIndex(self.model.index(-1, -1))
        else:
            self.select_row(row)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()  # the viewport's own width, once it is known
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """The customer and why get the room: on a narrow list the phone (it is in the detail,
        a link to dial) and the caller give way first."""
        width = self.table.viewport().width()
        self.table.setColumnHidden(DayColumn.TIME, not self.model.has_timed_calls())
        self.table.setColumnHidden(DayColumn.PHONE, width < NARROW_LIST_PX)
        self.table.setColumnHidden(DayColumn.CALLER, not self.model.shows_caller() or width < NARROW_LIST_PX)
        self.table.setColumnHidden(DayColumn.REASON, width < VERY_NARROW_LIST_PX)
        self.table.horizontalScrollBar().setValue(0)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, DayColumn.CUSTOMER)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        self.table.horizontalScrollBar().setValue(0)  # the call's number stays in sight

    def _update_header(self) -> None:
        agenda = self._agenda
        today = self._bridge.queries.today()
        title = f"Today, {self._day.day} {date_text(self._day, '%B %Y')}" if self._day == today else long_day(self._day)
        self.title.setText(f"<b>{title}</b>")
        staff = [s for s in agenda.staff if self.staff_id() in (ALL_CALLERS, s.staff_id)] if agenda else []
        goal = sum(s.quota for s in staff)
        done = sum(s.done for s in staff)
        self.progress.setMaximum(max(goal, 1))
        self.progress.setValue(min(done, max(goal, 1)))
        self.progress.setFormat(f"{done} of {goal}")
        self.progress_label.setText(f"{done} of {goal}")
        self.progress.setToolTip(f"{count_of(done, 'call')} made of today's goal of {goal}")
        notes = self._bridge.queries.notes_progress(self._day, self.staff_id())
        self.notes_progress.setText(f"Notes {notes.written} of {notes.goal}")
        self.notes_progress.setToolTip("Thank-you notes written that day, of the goal (Calls → Thank-you note…)")

    def progress_text(self) -> str:
        return self.progress.format()

    def _update_empty_state(self, calls: list[AgendaCall]) -> None:
        """Say what is missing, with the button that fixes it."""
        agenda = self._agenda
        fix: EmptyFix | None = None
        if calls:
            self.empty_label.hide()
            self.empty_button.hide()
            return
        queries = self._bridge.queries
        if agenda is not None and agenda.closed:
            text = f"{agenda.closed_reason}. No calls are planned on closed days."
        elif self._free_minutes:
            text = "Nothing is due right now — enjoy the break."
        elif self._day < queries.today():
            text = "No calls were logged on this day."
        elif self.caller_picker.count() <= 1:
            text = "Nobody makes calls yet: add your callers and how many calls each makes a day."
            fix = EmptyFix.CALLERS
        elif queries.count_customers() == 0:
            text = "No customers yet: import them from your point-of-sale or a spreadsheet."
            fix = EmptyFix.CUSTOMERS
        else:
            text = "No calls planned for this day. Announce a change (a price rise, a product going away) to plan heads-up calls."
            fix = EmptyFix.CHANGE
        self.empty_label.setText(text)
        self.empty_label.show()
        labels = {EmptyFix.CALLERS: "Add callers…", EmptyFix.CUSTOMERS: "Import customers…",
                  EmptyFix.CHANGE: "Announce a change…"}
        self.empty_button.setVisible(fix is not None)
        if fix is not None:
            self.empty_button.setText(labels[fix])
            self.empty_button.setProperty("fix", fix)

    def _row_changed(self) -> None:
        self.table.horizontalScrollBar().setValue(0)  # the view scrolled to the current cell: keep the number in sight
        call = self.selected_call()
        self._enable_logging()
        if call is not None and not self.follow_up_box.isChecked():
            self._set_follow_up_default()
        if not self._quiet:
            self.call_selected.emit(call)

    def _enable_logging(self) -> None:
        call = self.selected_call()
        today = self._day == self._bridge.queries.today()
        can_log = call is not None and not call.done and today and self._held_because is None
        held = self._held_because if today else None
        for outcome, button in self.outcome_buttons.items():
            button.setEnabled(can_log)
            button.setToolTip(held or f"Log the selected call as '{OUTCOME_LABELS[outcome]}' "
                                      f"(key {OUTCOME_KEYS[outcome]})")

    def _set_follow_up_default(self) -> None:
        """Tomorrow at 10:00, and nothing before today."""
        today = self._bridge.queries.today()
        tomorrow = today + dt.timedelta(days=1)
        self.follow_up_at.setMinimumDate(QDate(today.year, today.month, today.day))
        self.follow_up_at.setDateTime(QDateTime(QDate(tomorrow.year, tomorrow.month, tomorrow.day), QTime(10, 0)))

    def _caller_picked(self, _index: int) -> None:
        self.caller_changed.emit(self.staff_id())
        self.reload()

    def _toggle_free_minutes(self, checked: bool) -> None:
        self._free_minutes = checked
        if checked and self._day != self._bridge.queries.today():
            self._day = self._bridge.queries.today()
        self.unplanned_button.setVisible(checked)
        self.reload()
        self.free_minutes_changed.emit(checked)

    # --- acting -----------------------------------------------------------------------------
    def log_selected(self, outcome: Outcome) -> None:
        call = self.selected_call()
        if call is None or call.done or not self.outcome_buttons[outcome].isEnabled():
            return
        follow_up = None
        if self.follow_up_box.isChecked():
            follow_up = self.follow_up_at.dateTime().toPython()
        tags = tuple(tag.value for tag, box in self.tag_boxes.items() if box.isChecked())
        self.log_requested.emit(LogRequest(call.task_id, outcome, self.staff_id() or call.staff_id, tags, follow_up))
        for box in self.tag_boxes.values():
            box.setChecked(False)
        self.follow_up_box.setChecked(False)

    def on_changes(self, changes) -> None:
        """Read what the change touched, quietly (see `refresh`)."""
        if changes.staff:
            self._fill_callers()
        if changes.tasks or changes.customers or changes.settings or changes.staff or changes.customer_list:
            self.refresh()
