"""Import customers or purchase history from another system's export, in three steps.

1. Choose the file (and whether it holds customers or purchases): its encoding, delimiter and
   format are detected, and a file that cannot be imported says why.
2. Check what each column means: recognised columns are filled in; any can be changed, each
   with its first values beside it.
3. Preview: the first rows exactly as they will be stored, every merge, every rejected or
   flagged row with its line number; choose to import the good rows or nothing.
Reading, planning and importing run off the GUI thread (core.importing does the work).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from core.errors import CallAheadError
from core.importing import (
    ColumnMap,
    CustomerImportPlan,
    ImportKind,
    ImportSource,
    PurchaseImportPlan,
    SourceKind,
    read_import_file,
    suggest_mapping,
)
from core.importing.formats import FIELDS_FOR_KIND
from gui.background import BackgroundTask

PREVIEW_ROWS = 50
ACTION_LABELS = {"create": "New", "update": "Updated", "unchanged": "Already there"}
SAMPLE_VALUES = 3
FIELD_LABELS = {
    "ignore": "— ignore this column —", "name": "Full name", "first_name": "First name", "middle_name": "Middle name",
    "last_name": "Last name", "company": "Company", "phone": "Phone", "mobile": "Mobile phone",
    "home_phone": "Home phone", "work_phone": "Work phone", "other_phone": "Other phone", "fax": "Fax",
    "phone_label": "Label of the phone beside it", "email": "E-mail", "address": "Street address",
    "address_2": "Address line 2", "city": "City", "region": "State / province", "postal_code": "Postal code",
    "country": "Country", "notes": "Notes", "tags": "Tags", "birthday": "Birthday",
    "last_purchase": "Last purchase date", "total_spent": "Total spent", "order_count": "Number of orders",
    "external_id": "Customer id in that system", "do_not_call": "Do not call (yes/no)",
    "order_id": "Order number", "line_id": "Line id", "date": "Date", "sku": "SKU", "product": "Product name",
    "category": "Category", "quantity": "Quantity", "amount": "Line total", "unit_price": "Unit price",
    "customer_id": "Customer id (POS)", "customer_email": "Customer e-mail", "customer_phone": "Customer phone",
    "customer_name": "Customer name", "kind": "Sale or installation",
}


def field_label(value: str) -> str:
    return FIELD_LABELS.get(value, value.replace("_", " ").capitalize())


class FilePage(QWizardPage):
    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self._wizard = wizard
        self.setTitle("Choose the file to import")
        self.setSubTitle("A CSV or vCard export from your point-of-sale, accounting package or phone's contacts.")
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText("customers.csv")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        self.customers_radio = QRadioButton("&Customers (names, phones, e-mails…)")
        self.purchases_radio = QRadioButton("&Purchase history (orders or line items)")
        self.quotes_radio = QRadioButton("&Quotes sent (customer, what, amount, date sent, status)")
        self.rewards_radio = QRadioButton("&Reward cards (customer, stamps, stamps needed)")
        self.customers_radio.setChecked(True)
        group = QButtonGroup(self)
        for radio in (self.customers_radio, self.purchases_radio, self.quotes_radio, self.rewards_radio):
            group.addButton(radio)
        self.problem = QLabel()
        self.problem.setObjectName("fileProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a0361c")
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.customers_radio)
        layout.addWidget(self.purchases_radio)
        layout.addWidget(self.quotes_radio)
        layout.addWidget(self.rewards_radio)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.path_edit.textChanged.connect(lambda _text: (self.problem.clear(), self.completeChanged.emit()))

    def kind_radios(self) -> dict[ImportKind, QRadioButton]:
        return {ImportKind.CUSTOMERS: self.customers_radio, ImportKind.PURCHASES: self.purchases_radio,
                ImportKind.QUOTES: self.quotes_radio, ImportKind.REWARDS: self.rewards_radio}

    def kind(self) -> ImportKind:
        return next(kind for kind, radio in self.kind_radios().items() if radio.isChecked())

    def _browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Import from", str(Path.home()),
                                                    "Exports (*.csv *.txt *.tsv *.vcf *.vcard);;All files (*)")
        if path:
            self.path_edit.setText(path)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        path = Path(self.path_edit.text().strip()).expanduser()
        try:
            source = read_import_file(path, self.kind())
            column_map = suggest_mapping(source, self.kind())
        except (CallAheadError, OSError) as problem:
            self.problem.setText(str(problem) if isinstance(problem, CallAheadError)
                                 else f"{path} cannot be read: {problem.strerror or problem}.")
            return False
        self._wizard.source, self._wizard.column_map = source, column_map
        return True


class ColumnsPage(QWizardPage):
    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self._wizard = wizard
        self.setTitle("What each column means")
        self.detected = QLabel()
        self.detected.setObjectName("detectedFormat")
        self.detected.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("columnTable")
        self.table.setHorizontalHeaderLabels(["Column", "First values", "Means"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a0361c")
        layout = QVBoxLayout(self)
        layout.addWidget(self.detected)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        source, column_map = self._wizard.source, self._wizard.column_map
        delimiter = {",": "commas", ";": "semicolons", "\t": "tabs"}.get(source.delimiter or "", source.delimiter)
        how = f"{source.encoding}, separated by {delimiter}" if source.kind is SourceKind.CSV else source.encoding
        self.detected.setText(f"<b>{source.name}</b>: {column_map.format_label} ({how}), "
                              f"{source.record_count} record{'s' if source.record_count != 1 else ''}.")
        self.problem.clear()
        if source.kind is SourceKind.VCARD:
            self.table.hide()
            self.setSubTitle("Contact cards name their own fields: nothing to choose here.")
            return
        self.table.show()
        self.setSubTitle("Recognised columns are filled in. Change any that is wrong; ignored columns are not imported.")
        fields = list(FIELDS_FOR_KIND[column_map.kind])
        self.table.setRowCount(len(column_map.columns))
        for row, column in enumerate(column_map.columns):
            self.table.setItem(row, 0, QTableWidgetItem(column.header or f"Column {column.number}"))
            samples = [r.cells[column.index] for r in source.rows[:20]
                       if column.index < len(r.cells) and r.cells[column.index].strip()][:SAMPLE_VALUES]
            self.table.setItem(row, 1, QTableWidgetItem(" · ".join(samples)))
            for col in (0, 1):
                self.table.item(row, col).setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            picker = QComboBox()
            picker.setAccessibleName(f"Meaning of {column.header or column.number}")
            for meaning in fields:
                picker.addItem(field_label(meaning.value), meaning.value)
            picker.setCurrentIndex(picker.findData(column.field.value))
            picker.currentIndexChanged.connect(lambda _i, r=row: self._meaning_changed(r))
            self.table.setCellWidget(row, 2, picker)

    def set_meaning(self, row: int, meaning: str) -> None:
        picker: QComboBox = self.table.cellWidget(row, 2)
        picker.setCurrentIndex(picker.findData(meaning))

    def _meaning_changed(self, row: int) -> None:
        picker: QComboBox = self.table.cellWidget(row, 2)
        column = self._wizard.column_map.columns[row]
        self._wizard.column_map = self._wizard.column_map.changed({column.number: picker.currentData()})

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        try:
            self._wizard.column_map.require_usable(self._wizard.source.name)
        except CallAheadError as problem:
            self.problem.setText(str(problem))
            return False
        return True


class PreviewPage(QWizardPage):
    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self._wizard = wizard
        self.setTitle("Check before importing")
        self.setSubTitle("The first rows exactly as they will be stored. Nothing is saved until you press Import.")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setObjectName("previewBusy")
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.rows = QTableWidget(0, 0)
        self.rows.setObjectName("previewRows")
        self.rows.verticalHeader().hide()
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.issues = QListWidget()
        self.issues.setObjectName("importIssues")
        self.issues.setMaximumHeight(150)
        self.good_rows = QRadioButton("Import the good rows and skip the ones listed")
        self.all_or_nothing = QRadioButton("Import nothing while any row is rejected")
        self.good_rows.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.good_rows)
        group.addButton(self.all_or_nothing)
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows, 1)
        layout.addWidget(QLabel("Merges, rejected and flagged rows:"))
        layout.addWidget(self.issues)
        layout.addWidget(self.good_rows)
        layout.addWidget(self.all_or_nothing)
        self._ready = False

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self._ready = False
        self.completeChanged.emit()
        self.busy.show()
        self.summary.setText("Reading the file against your customers…")
        self.rows.setRowCount(0)
        self.issues.clear()
        wizard = self._wizard
        task = BackgroundTask(lambda: wizard.bridge.queries.preview_import(wizard.source, wizard.column_map), self)
        task.finished.connect(self._show_plan)
        task.failed.connect(lambda error: self._show_problem(str(error)))
        wizard.preview_task = task
        task.start()

    def _show_problem(self, text: str) -> None:
        self.busy.hide()
        self.summary.setText(f"<span style='color:#a0361c'>{text}</span>")

    def _show_plan(self, plan) -> None:
        self.busy.hide()
        self._wizard.plan = plan
        issues = [f"Line {m.line}: {m.describe()}" for m in getattr(plan, "merges", ())]
        issues += [f"Line {r.line}: rejected — {r.reason}" for r in plan.rejected]
        issues += [f"Line {r.line}: flagged — {r.reason}" for r in plan.flagged]
        self.issues.addItems(issues)
        if hasattr(plan, "preview_table"):  # quotes and reward cards describe their own preview
            summary, headers, rows = plan.preview_table(PREVIEW_ROWS)
            self.summary.setText(summary)
        elif isinstance(plan, CustomerImportPlan):
            self.summary.setText(
                f"{plan.records} records: <b>{plan.created}</b> new customers, <b>{plan.updated}</b> updated, "
                f"{plan.unchanged} unchanged, {len(plan.merges)} merged, "
                f"<b>{len(plan.rejected)}</b> rejected, {len(plan.flagged)} flagged.")
            headers = ["Line", "Will be", "Name", "Company", "Phone", "Other phones", "E-mail", "Tags"]
            rows = [[", ".join(map(str, c.lines)), ACTION_LABELS.get(c.action.value, c.action.value), c.name, c.company or "", c.phone or "",
                     ", ".join(c.phones[1:]) if len(c.phones) > 1 else "", c.email or "", c.tags or ""]
                    for c in plan.preview(PREVIEW_ROWS)]
        else:
            self.summary.setText(
                f"{plan.records} rows: <b>{len(plan.purchases)}</b> purchases for your customers, "
                f"{len(plan.new_products)} new products, {len(plan.already_imported)} already imported, "
                f"<b>{len(plan.rejected)}</b> rejected, {len(plan.flagged)} flagged.")
            headers = ["Line", "Customer", "Date", "Product", "Quantity", "Amount"]
            rows = [[str(p.line), p.customer_name, p.purchased_on.isoformat(), p.product_name, str(p.quantity),
                     f"{p.amount_cents / 100:,.2f}"] for p in plan.preview(PREVIEW_ROWS)]
        self.rows.setColumnCount(len(headers))
        self.rows.setHorizontalHeaderLabels(headers)
        self.rows.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.rows.setItem(r, c, QTableWidgetItem(value))
        self.rows.resizeColumnsToContents()
        self._ready = True
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return self._ready

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        return self._wizard.run_import()


class ImportWizard(QWizard):
    def __init__(self, bridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.setObjectName("ImportWizard")
        self.resize(900, 620)
        self.bridge = bridge
        self.source: ImportSource | None = None
        self.column_map: ColumnMap | None = None
        self.plan: CustomerImportPlan | PurchaseImportPlan | None = None
        self.report = None
        self.preview_task: BackgroundTask | None = None
        self.import_task: BackgroundTask | None = None
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.file_page, self.columns_page, self.preview_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Import")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)

    def choose_file(self, path: str | Path, kind: ImportKind = ImportKind.CUSTOMERS) -> None:
        self.file_page.path_edit.setText(str(path))
        self.file_page.kind_radios()[kind].setChecked(True)

    def run_import(self) -> bool:
        """Import in the background; the wizard closes when it is done, or shows why not."""
        if self.report is not None and self.report.applied:
            return True  # QWizard.accept() validates the page again once the import is done
        if self.import_task is not None and self.import_task.is_running():
            return False
        page = self.preview_page
        page.busy.show()
        page.summary.setText("Importing…")
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        all_or_nothing = page.all_or_nothing.isChecked()
        task = BackgroundTask(lambda: self.bridge.queries.run_import(self.source, self.column_map, all_or_nothing),
                              self)
        task.finished.connect(self._imported)
        task.failed.connect(lambda error: (page._show_problem(str(error)),
                                           self.button(QWizard.WizardButton.FinishButton).setEnabled(True)))
        self.import_task = task
        task.start()
        return False  # the page stays until the import finishes

    def _imported(self, outcome) -> None:
        report, changes = outcome
        self.report = report
        self.bridge.announce(changes)
        if report.refused:
            self.preview_page._show_problem(report.refused)
            self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
            return
        self.accept()
