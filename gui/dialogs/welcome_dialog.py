"""The first start: the business's name and country, who makes the calls and how many a day,
then "Import customers" or "Try the demo".

What is typed is saved as settings and callers in one action (planning runs straight after,
through the service bridge), so the day's list can fill as soon as customers arrive.
"""

from __future__ import annotations

from enum import StrEnum

import phonenumbers
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import APP_NAME
from core.actions import settings as settings_actions
from core.errors import CallAheadError
from core.scheduling.holiday_countries import holiday_countries
from core.scheduling.staff import StaffEntry


class WelcomeChoice(StrEnum):
    IMPORT = "import"
    DEMO = "demo"
    LATER = "later"


class WelcomeDialog(QDialog):
    def __init__(self, bridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self._bridge = bridge
        self.choice = WelcomeChoice.LATER
        settings = bridge.queries.settings()

        intro = QLabel(f"<h2>Welcome to {APP_NAME}</h2><p>Three things and your first calls are planned: "
                       "your business, who makes the calls, and your customers.</p>", wordWrap=True)
        self.business_name = QLineEdit(objectName="welcomeBusinessName")
        self.business_name.setPlaceholderText("e.g. Harbor Door & Supply")
        self.business_name.setAccessibleName("Business name")
        self.country = QComboBox(objectName="welcomeCountry")
        self.country.setAccessibleName("Country")
        for country in holiday_countries():
            if country.code in phonenumbers.SUPPORTED_REGIONS:
                self.country.addItem(country.name, country.code)
        self.country.setCurrentIndex(max(self.country.findData(settings.phone_region.upper()), 0))
        form = QFormLayout()
        form.addRow("Business &name:", self.business_name)
        form.addRow("&Country:", self.country)

        self.callers_grid = QGridLayout()
        self.callers_grid.addWidget(QLabel("<b>Who makes the calls</b>"), 0, 0)
        self.callers_grid.addWidget(QLabel("<b>Calls a day</b>"), 0, 1)
        self.caller_names: list[QLineEdit] = []
        self.caller_quotas: list[QSpinBox] = []
        self.add_caller_button = QPushButton("&Add another caller", objectName="welcomeAddCaller")
        self.add_caller()

        self.problem = QLabel(objectName="welcomeProblem", wordWrap=True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        self.import_button = QPushButton("&Import customers…", objectName="welcomeImport")
        self.import_button.setDefault(True)
        self.demo_button = QPushButton("Try the &demo", objectName="welcomeDemo")
        self.demo_button.setToolTip("Opens a made-up business in its own window; your data stays empty until you import.")
        self.later_button = QPushButton("&Later", objectName="welcomeLater")
        buttons = QHBoxLayout()
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.import_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addLayout(self.callers_grid)
        layout.addWidget(self.add_caller_button)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.add_caller_button.clicked.connect(lambda: self.add_caller())
        self.import_button.clicked.connect(lambda: self.finish(WelcomeChoice.IMPORT))
        self.demo_button.clicked.connect(lambda: self.finish(WelcomeChoice.DEMO))
        self.later_button.clicked.connect(lambda: self.finish(WelcomeChoice.LATER))
        self.setMinimumWidth(460)

    # --- a small API for the window and tests -------------------------------------------------
    def add_caller(self, name: str = "", daily_calls: int = 10) -> int:
        row = len(self.caller_names)
        edit = QLineEdit(name, objectName=f"welcomeCaller{row}")
        edit.setPlaceholderText("Name" if row else "Your name")
        edit.setAccessibleName(f"Caller {row + 1} name")
        quota = QSpinBox(minimum=1, maximum=500, value=daily_calls, objectName=f"welcomeQuota{row}")
        quota.setAccessibleName(f"Caller {row + 1} calls a day")
        self.callers_grid.addWidget(edit, row + 1, 0)
        self.callers_grid.addWidget(quota, row + 1, 1)
        self.caller_names.append(edit)
        self.caller_quotas.append(quota)
        if row:
            edit.setFocus()
        return row

    def callers(self) -> list[StaffEntry]:
        return [StaffEntry(None, edit.text().strip(), quota.value())
                for edit, quota in zip(self.caller_names, self.caller_quotas) if edit.text().strip()]

    def finish(self, choice: WelcomeChoice) -> bool:
        """Save what was typed (nothing typed: nothing saved) and close with the owner's choice."""
        changes = {}
        if self.business_name.text().strip():
            changes["business_name"] = self.business_name.text().strip()
        code = self.country.currentData()
        if code:
            changes.update(phone_region=code, holiday_country=code, holiday_subdivision=None)
        callers = self.callers()
        if choice is WelcomeChoice.IMPORT and not callers:
            self.problem.setText("Add who makes the calls first: the day's list needs at least one caller.")
            self.problem.show()
            self.caller_names[0].setFocus()
            return False
        if callers or "business_name" in changes:
            try:
                self._bridge.run(settings_actions.save_business_settings, changes, callers, self._bridge.queries.machine)
            except CallAheadError as error:
                self.problem.setText(str(error))
                self.problem.show()
                return False
        self.choice = choice
        self.accept()
        return True
