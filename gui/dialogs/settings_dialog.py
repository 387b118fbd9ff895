"""Settings: the business, its callers and their quotas, open days and holidays, the rules'
offsets, how the plan fits calls into the days (Planning), the phone region and the reminder
time — stored in the database — and, on the Data
tab, this computer's own settings (start at login, backups to keep), kept in the machine's
settings file. `save()` (what the Save button does) checks all of them before writing any."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields

import phonenumbers
from PySide6.QtCore import QDate, Qt, QTime, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from core.actions import settings as settings_actions
from core.machine.autostart import Autostart
from core.errors import InvalidInput
from core.scheduling.holiday_countries import holiday_countries, holiday_country
from core.machine.settings import MachineSettings
from core.settings import Settings, setting_bounds
from core.scheduling.staff import MAX_DAILY_QUOTA, StaffEntry
from gui.date_limits import limit_to_accepted_dates
from gui.services import ServiceBridge

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
RULE_SETTINGS = [  # (setting, label, suffix); the bounds are core.settings.setting_bounds
    ("heads_up_window_start_days", "Start heads-up calls before a change by", " days"),
    ("heads_up_window_end_days", "…and finish them before it by", " days"),
    ("concerns_after_days", "Ask about concerns after a change by", " days"),
    ("follow_up_months", "Follow up after a change by", " months"),
    ("samples_count", "Samples to send for a discontinued product", " samples"),
    ("post_purchase_days", "Check in after a purchase or installation by", " days"),
    ("neglected_months", "Courtesy call when nothing was bought for", " months"),
    ("neglected_repeat_days", "At most one courtesy call per customer every", " days"),
    ("retry_business_days", "After voicemail or no answer, try again after", " business days"),
    ("max_attempts", "Send a note instead of calling after", " attempts"),
    ("thank_you_notes_per_day", "Thank-you notes each caller aims to write a day", " notes"),
]
PLANNING_SETTINGS = [  # (setting, label with its Alt key, suffix); the bounds are core.settings.setting_bounds
    ("plan_days_ahead", "Fill the callers' days &ahead", " days"),
    ("post_purchase_last_day", "Check-&in after a sale: up to", " days after"),
    ("concerns_last_day", "\"Any concerns?\" call: &up to", " days after"),
    ("follow_up_window_days", "Follo&w-up after a change: useful for", " days"),
    ("rewards_window_days", "Almos&t-earned reward: useful for", " days"),
    ("merge_days", "&Merge calls to one customer within", " days"),
    ("min_gap_days", "Minimum &gap between two calls", " days"),
    ("courtesy_floor_months", "E&very customer hears from you every", " months"),
]
_DOCS = {f.name: f.metadata.get("doc", f.name) for f in (*fields(Settings), *fields(MachineSettings))}
_INVALID_STYLE = "border: 1px solid #b3261e;"
NAME_COLUMN, QUOTA_COLUMN, ACTIVE_COLUMN = 0, 1, 2


class SettingsDialog(QDialog):
    restore_requested = Signal()  # "Restore from backup…": the application swaps the database

    def __init__(self, services: ServiceBridge, parent: QWidget | None = None, autostart: Autostart | None = None):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumSize(620, 480)
        self._services = services
        self._autostart = autostart or Autostart()
        self._settings = services.queries.settings()
        self._machine = services.queries.machine_settings()
        self.widgets: dict[str, QWidget] = {}
        self.tabs = QTabWidget()
        self.tabs.addTab(self._business_tab(), "&Business")
        self.tabs.addTab(self._callers_tab(), "&Callers")
        self.tabs.addTab(self._open_days_tab(), "&Open days")
        self.tabs.addTab(self._rules_tab(), "&Rules")
        self.tabs.addTab(self._planning_tab(), "P&lanning")
        self.tabs.addTab(self._data_tab(), "&Data")
        self.error_label = QLabel(objectName="settingsError", wordWrap=True)
        self.error_label.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    # --- tabs ------------------------------------------------------------------------------
    def _business_tab(self) -> QWidget:
        s = self._settings
        page = QWidget()
        form = QFormLayout(page)
        name = QLineEdit(s.business_name, objectName="business_name")
        region = QComboBox(objectName="phone_region")
        names = {c.code: c.name for c in holiday_countries()}
        for code in sorted(phonenumbers.SUPPORTED_REGIONS, key=lambda c: names.get(c, c)):
            code_prefix = phonenumbers.country_code_for_region(code)
            region.addItem(f"{names.get(code, code)} (+{code_prefix})", code)
        region.setCurrentIndex(max(region.findData(s.phone_region.upper()), 0))
        currency = QLineEdit(s.currency_symbol, objectName="currency_symbol", maxLength=4)
        starts = QTimeEdit(QTime.fromString(s.day_starts_at, "HH:mm"), objectName="day_starts_at")
        starts.setDisplayFormat("HH:mm")
        for key, widget, label in (("business_name", name, "Business &name:"),
                                   ("phone_region", region, "&Phone numbers are in:"),
                                   ("currency_symbol", currency, "&Currency symbol:"),
                                   ("day_starts_at", starts, "&Remind me of the day's calls at:")):
            self.widgets[key] = widget
            form.addRow(label, widget)
            widget.setToolTip(_DOCS[key])
        form.addRow("", QLabel("Numbers typed without +country are read as this country's.", wordWrap=True))
        return page

    def _callers_tab(self) -> QWidget:
        page = QWidget()
        self.staff_table = QTableWidget(0, 3, objectName="staffTable")
        self.staff_table.setHorizontalHeaderLabels(["Name", "Calls a day", "Active"])
        self.staff_table.horizontalHeader().setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.staff_table.verticalHeader().hide()
        for member in self._services.queries.staff():
            self._add_staff_row(member)
        add = QPushButton("&Add a caller", objectName="addCaller")
        add.clicked.connect(self.add_caller)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Each caller's daily quota is how many calls the day's list gives them. "
                                "A caller who left is made inactive; their name stays on their past calls.",
                                wordWrap=True))
        layout.addWidget(self.staff_table, 1)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _add_staff_row(self, member: StaffEntry) -> int:
        row = self.staff_table.rowCount()
        self.staff_table.insertRow(row)
        name = QTableWidgetItem(member.name)
        name.setData(Qt.ItemDataRole.UserRole, member.id)
        self.staff_table.setItem(row, NAME_COLUMN, name)
        quota = QSpinBox(minimum=0, maximum=MAX_DAILY_QUOTA, value=member.daily_quota)
        self.staff_table.setCellWidget(row, QUOTA_COLUMN, quota)
        active = QTableWidgetItem()
        active.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        active.setCheckState(Qt.CheckState.Checked if member.active else Qt.CheckState.Unchecked)
        self.staff_table.setItem(row, ACTIVE_COLUMN, active)
        return row

    def add_caller(self, name: str = "", daily_quota: int = 10) -> int:
        row = self._add_staff_row(StaffEntry(None, name, daily_quota, True))
        self.tabs.setCurrentIndex(1)
        self.staff_table.setCurrentCell(row, NAME_COLUMN)
        if not name:
            self.staff_table.editItem(self.staff_table.item(row, NAME_COLUMN))
        return row

    def _open_days_tab(self) -> QWidget:
        s = self._settings
        page = QWidget()
        days = QHBoxLayout()
        self.weekday_boxes = []
        for number, day in enumerate(WEEKDAYS):
            box = QCheckBox(day[:3], objectName=f"weekday_{number}", toolTip=day)
            box.setChecked(number in s.business_weekdays)
            self.weekday_boxes.append(box)
            days.addWidget(box)
        country = QComboBox(objectName="holiday_country")
        country.addItem("no public holidays", None)
        for entry in holiday_countries():
            country.addItem(entry.name, entry.code)
        country.setCurrentIndex(max(country.findData(s.holiday_country), 0))
        self.subdivision = QComboBox(objectName="holiday_subdivision")
        country.currentIndexChanged.connect(lambda _i: self._fill_subdivisions(None))
        self.widgets["holiday_country"] = country
        self.widgets["holiday_subdivision"] = self.subdivision
        self._fill_subdivisions(s.holiday_subdivision)
        self.closed_list = QListWidget(objectName="closed_dates")
        for day in s.closed_dates:
            self.closed_list.addItem(day)
        self.closed_date = QDateEdit(QDate.currentDate(), calendarPopup=True, objectName="closedDate")
        self.closed_date.setDisplayFormat("yyyy-MM-dd")
        limit_to_accepted_dates(self.closed_date)
        add = QPushButton("Add &closed day")
        add.clicked.connect(lambda: self.add_closed_day(self.closed_date.date().toPython()))
        remove = QPushButton("Re&move")
        remove.clicked.connect(lambda: [self.closed_list.takeItem(self.closed_list.row(i))
                                        for i in self.closed_list.selectedItems()])
        form = QFormLayout(page)
        form.addRow("Open on:", days)
        form.addRow("Public &holidays of:", country)
        form.addRow("State or &province:", self.subdivision)
        closed = QHBoxLayout()
        closed.addWidget(self.closed_date)
        closed.addWidget(add)
        closed.addWidget(remove)
        form.addRow("Other &closed days:", self.closed_list)
        form.addRow("", closed)
        return page

    def add_closed_day(self, day: dt.date) -> None:
        existing = {self.closed_list.item(i).text() for i in range(self.closed_list.count())}
        if day.isoformat() not in existing:
            self.closed_list.addItem(day.isoformat())
            self.closed_list.sortItems()

    def _fill_subdivisions(self, wanted: str | None) -> None:
        entry = holiday_country(self.widgets["holiday_country"].currentData())
        self.subdivision.clear()
        self.subdivision.addItem("the whole country", None)
        for code in entry.subdivisions if entry else ():
            self.subdivision.addItem(code, code)
        self.subdivision.setCurrentIndex(max(self.subdivision.findData(wanted), 0) if wanted else 0)
        self.subdivision.setEnabled(bool(entry and entry.subdivisions))

    def _number_form(self, page: QWidget, numbers: list[tuple[str, str, str]]) -> QFormLayout:
        """A form of whole-number fields, each within the bounds the settings accept."""
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for key, text, suffix in numbers:
            low, high = setting_bounds(key)
            self._add_field(form, key, text, QSpinBox(objectName=key, minimum=low, maximum=high, suffix=suffix,
                                                      value=getattr(self._settings, key)))
        return form

    def _add_share(self, form: QFormLayout, key: str, text: str, lowest_percent: int) -> None:
        share = QDoubleSpinBox(objectName=key, minimum=lowest_percent, maximum=100, decimals=0, suffix=" %",
                               value=getattr(self._settings, key) * 100)
        self._add_field(form, key, text, share)

    def _add_field(self, form: QFormLayout, key: str, text: str, field: QWidget) -> None:
        field.setToolTip(_DOCS[key])
        field.setMinimumWidth(150)
        self.widgets[key] = field
        label = QLabel(text + ":")
        label.setBuddy(field)
        form.addRow(label, field)

    def _rules_tab(self) -> QWidget:
        s = self._settings
        page = QWidget()
        form = self._number_form(page, RULE_SETTINGS)
        self._add_share(form, "heads_up_capacity_share", "Heads-up calls may use of each caller's quota", 5)
        quotes = QLineEdit(", ".join(str(d) for d in s.quote_follow_up_days), objectName="quote_follow_up_days")
        quotes.setToolTip(_DOCS["quote_follow_up_days"])
        quotes.setMinimumWidth(150)
        self.widgets["quote_follow_up_days"] = quotes
        form.addRow("Follow up an open quote after (days, comma-separated):", quotes)
        return page

    def _planning_tab(self) -> QWidget:
        """How the plan fits calls into the team's days: how long each kind of call stays worth
        making, how calls to one customer are combined and spaced, the courtesy floor."""
        s = self._settings
        page = QWidget()
        form = self._number_form(page, PLANNING_SETTINGS)
        self._add_share(form, "courtesy_floor_share", "&Share of each day kept for that", 0)
        for key, text in (("after_change_calls_to_everyone", "After a change, call &everyone affected"),
                          ("notes_for_expiring_calls", "Send a &note when a call finds no room in time")):
            box = QCheckBox(text, objectName=key)
            box.setChecked(getattr(s, key))
            box.setToolTip(_DOCS[key])
            self.widgets[key] = box
            form.addRow("", box)
        return page

    # --- saving ------------------------------------------------------------------------------
    def _data_tab(self) -> QWidget:
        s = self._machine
        page = QWidget()
        form = QFormLayout(page)
        folder = self._services.queries.backups_folder()
        where = QLabel(str(folder) if folder else "Backups of a shared server database are made by its own tools.",
                       objectName="backupsFolder", wordWrap=True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        low, high = setting_bounds("backups_to_keep")
        keep = QSpinBox(objectName="backups_to_keep", minimum=low, maximum=high, value=s.backups_to_keep)
        keep.setMaximumWidth(90)
        keep.setToolTip(_DOCS["backups_to_keep"])
        self.widgets["backups_to_keep"] = keep
        open_folder = QPushButton("Open the &folder", objectName="openBackups")
        open_folder.setEnabled(folder is not None)
        open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        restore = QPushButton("&Restore from backup…", objectName="restoreBackup")
        restore.setEnabled(folder is not None)
        restore.clicked.connect(self._restore_clicked)
        at_login = QCheckBox("Start CallAhead when I log in (it waits in the tray)", objectName="start_at_login")
        at_login.setChecked(s.start_at_login)
        self.widgets["start_at_login"] = at_login
        buttons = QHBoxLayout()
        buttons.addWidget(open_folder)
        buttons.addWidget(restore)
        buttons.addStretch(1)
        form.addRow("Backups are kept in:", where)
        form.addRow("", buttons)
        form.addRow("&Keep this many backups:", keep)
        form.addRow("", QLabel("A backup is made each day on the first start, and before every upgrade, import "
                               "and restore.", wordWrap=True))
        form.addRow("", at_login)
        return page

    def _restore_clicked(self) -> None:
        self.reject()
        self.restore_requested.emit()

    def changes(self) -> dict:
        w = self.widgets
        quote_days: list = []
        for part in w["quote_follow_up_days"].text().replace(";", ",").split(","):
            part = part.strip()
            if part:
                quote_days.append(int(part) if part.isdigit() else part)
        values = {
            "business_name": w["business_name"].text(),
            "phone_region": w["phone_region"].currentData(),
            "currency_symbol": w["currency_symbol"].text(),
            "day_starts_at": w["day_starts_at"].time().toString("HH:mm"),
            "business_weekdays": [n for n, box in enumerate(self.weekday_boxes) if box.isChecked()],
            "holiday_country": w["holiday_country"].currentData(),
            "holiday_subdivision": w["holiday_subdivision"].currentData(),
            "closed_dates": [self.closed_list.item(i).text() for i in range(self.closed_list.count())],
            "heads_up_capacity_share": round(w["heads_up_capacity_share"].value() / 100, 2),
            "courtesy_floor_share": round(w["courtesy_floor_share"].value() / 100, 2),
            "after_change_calls_to_everyone": w["after_change_calls_to_everyone"].isChecked(),
            "notes_for_expiring_calls": w["notes_for_expiring_calls"].isChecked(),
            "quote_follow_up_days": quote_days,
            "backups_to_keep": w["backups_to_keep"].value(),
            "start_at_login": w["start_at_login"].isChecked(),
        }
        values.update({key: w[key].value() for key, _label, _suffix in (*RULE_SETTINGS, *PLANNING_SETTINGS)})
        return values

    def staff_entries(self) -> list[StaffEntry]:
        entries = []
        for row in range(self.staff_table.rowCount()):
            name = self.staff_table.item(row, NAME_COLUMN)
            entries.append(StaffEntry(
                id=name.data(Qt.ItemDataRole.UserRole), name=name.text(),
                daily_quota=self.staff_table.cellWidget(row, QUOTA_COLUMN).value(),
                active=self.staff_table.item(row, ACTIVE_COLUMN).checkState() == Qt.CheckState.Checked))
        return entries

    def save(self) -> bool:
        """Save everything, or show what is wrong (and where) and save nothing."""
        for widget in self.widgets.values():
            widget.setStyleSheet("")
        try:
            if self.widgets["start_at_login"].isChecked() and not self._machine.start_at_login:
                self._autostart.check_location()  # a copy that will vanish says so before anything is saved
            self._services.run(settings_actions.save_business_settings, self.changes(), self.staff_entries(),
                               self._services.queries.machine)
        except InvalidInput as error:
            self._show_error(error)
            return False
        self.error_label.hide()
        return True

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def _show_error(self, error: InvalidInput) -> None:
        self.error_label.setText(str(error))
        self.error_label.show()
        field = error.field or ""
        if field.startswith("staff["):
            self.tabs.setCurrentIndex(1)
            row = int(field[6:field.index("]")]) - 1
            self.staff_table.setCurrentCell(row, NAME_COLUMN)
            return
        if field == "business_weekdays" or field == "closed_dates":
            self.tabs.setCurrentIndex(2)
            return
        widget = self.widgets.get(field)
        if widget is not None:
            for index in range(self.tabs.count()):
                if self.tabs.widget(index).isAncestorOf(widget):
                    self.tabs.setCurrentIndex(index)
            widget.setStyleSheet(_INVALID_STYLE)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save_clicked(self) -> None:
        if self.save():
            self.accept()
