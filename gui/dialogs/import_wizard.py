"""Import customers or purchase history from another system's export, in four steps.

1. Choose the file (and whether it holds customers or purchases): its encoding, delimiter and
   format are detected, and a file that cannot be imported says why. The encoding can be chosen,
   with the file's first lines shown live as that encoding reads them.
2. Check what each column means: recognised columns are filled in; any can be changed, each
   with its first values beside it.
3. Preview: the first rows as they will be stored (phones as the owner reads them in their
   region), every merge, every rejected or flagged row with its line number, and each possible
   duplicate (two names sharing a phone) side by side with a choice: keep apart or merge.
   Choose to import the good rows or nothing.
4. Summary: created, merged, possible duplicates decided, flagged, rejected — before closing.
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

from core.actions.importing import import_file
from core.customers.contact_fields import display_phone
from core.errors import CallAheadError
from core.importing.duplicates import PairDecision, PairKey, PossibleDuplicate
from core.importing.encodings import CHOOSABLE_ENCODINGS
from core.importing.reading import decode_import_bytes
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
ENCODING_PREVIEW_BYTES = 16 * 1024
ENCODING_PREVIEW_LINES = 6
CHOICES = {PairDecision.KEEP_APART: "Keep apart", PairDecision.MERGE: "Merge them"}
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
        self.encoding = QComboBox()
        self.encoding.setObjectName("importEncoding")
        self.encoding.setAccessibleName("Encoding of the file")
        self.encoding.addItem("Detect automatically", None)
        for codec, label in CHOOSABLE_ENCODINGS.items():
            self.encoding.addItem(label, codec)
        encoding_label = QLabel("&Encoding:")
        encoding_label.setBuddy(self.encoding)
        self.encoding_preview = QListWidget()
        self.encoding_preview.setObjectName("encodingPreview")
        self.encoding_preview.setMaximumHeight(140)
        self.detected_encoding = QLabel()
        self.detected_encoding.setObjectName("detectedEncoding")
        self.detected_encoding.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        encoding_row = QHBoxLayout()
        encoding_row.addWidget(encoding_label)
        encoding_row.addWidget(self.encoding, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.customers_radio)
        layout.addWidget(self.purchases_radio)
        layout.addWidget(self.quotes_radio)
        layout.addWidget(self.rewards_radio)
        layout.addLayout(encoding_row)
        layout.addWidget(self.detected_encoding)
        layout.addWidget(self.encoding_preview)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.path_edit.textChanged.connect(self._file_changed)
        self.encoding.currentIndexChanged.connect(lambda _i: self._show_encoding_preview())

    def _file_changed(self, _text: str) -> None:
        self.problem.clear()
        self.completeChanged.emit()
        self._show_encoding_preview()

    def chosen_encoding(self) -> str | None:
        return self.encoding.currentData()

    def _show_encoding_preview(self) -> None:
        """The file's first lines as the chosen (or detected) encoding reads them, so names can be checked."""
        self.encoding_preview.clear()
        self.detected_encoding.clear()
        path = Path(self.path_edit.text().strip()).expanduser()
        if not path.is_file():
            return
        try:
            with path.open("rb") as handle:
                head = handle.read(ENCODING_PREVIEW_BYTES)
            decoded = decode_import_bytes(head, path.name, self.chosen_encoding())
        except (CallAheadError, OSError):
            return  # the page says why when the owner goes on
        self.detected_encoding.setText(f"Read as {decoded.encoding}" + (
            "" if self.chosen_encoding() else " (detected)") + ". Check that the names look right:")
        self.encoding_preview.addItems(decoded.text.splitlines()[:ENCODING_PREVIEW_LINES])

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
            source = read_import_file(path, self.kind(), encoding=self.chosen_encoding())
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
        self.setSubTitle("The first rows as they will be stored. Nothing is saved until you press Import.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
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
        self.duplicates_label = QLabel("Possible duplicates — different names sharing a phone. "
                                       "Your choice is remembered for later imports:")
        self.duplicates_label.setWordWrap(True)
        self.duplicates = QTableWidget(0, 5)
        self.duplicates.setObjectName("possibleDuplicates")
        self.duplicates.setHorizontalHeaderLabels(["In the file", "And", "Share the phone", "", "Choice"])
        self.duplicates.verticalHeader().hide()
        self.duplicates.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.duplicates.setMaximumHeight(150)
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
        layout.addWidget(self.duplicates_label)
        layout.addWidget(self.duplicates)
        layout.addWidget(QLabel("Merges, rejected and flagged rows:"))
        layout.addWidget(self.issues)
        layout.addWidget(self.good_rows)
        layout.addWidget(self.all_or_nothing)
        self._ready = False
        self._asked = 0

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self._wizard.pairs = []
        self._wizard.decisions = {}
        self._plan()

    def _plan(self) -> None:
        """Plan (again) in the background: at first, and whenever the owner changes a choice."""
        self._ready = False
        self.completeChanged.emit()
        self.busy.show()
        self.summary.setText("Reading the file against your customers…")
        wizard = self._wizard
        decisions = dict(wizard.decisions)
        self._asked += 1
        asked = self._asked  # a plan for choices changed since is not shown
        task = BackgroundTask(lambda: wizard.bridge.queries.preview_import(wizard.source, wizard.column_map,
                                                                           decisions), self)
        task.finished.connect(lambda plan: self._show_plan(plan) if asked == self._asked else None)
        task.failed.connect(lambda error: self._show_problem(str(error)) if asked == self._asked else None)
        wizard.preview_task = task
        task.start()

    def _show_problem(self, text: str) -> None:
        self.busy.hide()
        self.summary.setText(f"<span style='color:#a0361c'>{text}</span>")

    def choose(self, row: int, decision: PairDecision) -> None:
        picker: QComboBox = self.duplicates.cellWidget(row, 4)
        picker.setCurrentIndex(picker.findData(decision.value))

    def _choice_changed(self, row: int) -> None:
        picker: QComboBox = self.duplicates.cellWidget(row, 4)
        pair = self._wizard.pairs[row]
        self._wizard.decisions[pair.key] = PairDecision(picker.currentData())
        self._plan()

    def _show_duplicates(self, pairs: list[PossibleDuplicate]) -> None:
        region = self._wizard.plan.region if isinstance(self._wizard.plan, CustomerImportPlan) else "US"
        self.duplicates.setRowCount(len(pairs))
        for row, pair in enumerate(pairs):
            other = (f"line {pair.other_line}: {pair.other_name}" if pair.other_line is not None
                     else f"{pair.other_name} (already a customer)")
            values = [f"line {pair.line}: {pair.name}", other, display_phone(pair.phone, region), ""]
            for column, value in enumerate(values):
                self.duplicates.setItem(row, column, QTableWidgetItem(value))
            picker = QComboBox()
            picker.setAccessibleName(f"{pair.name} and {pair.other_name}")
            for decision, label in CHOICES.items():
                picker.addItem(label, decision.value)
            chosen = self._wizard.decisions.get(pair.key, PairDecision.KEEP_APART)
            picker.setCurrentIndex(picker.findData(chosen.value))
            picker.currentIndexChanged.connect(lambda _i, r=row: self._choice_changed(r))
            self.duplicates.setCellWidget(row, 4, picker)
        self.duplicates.resizeColumnsToContents()
        self.duplicates_label.setVisible(bool(pairs))
        self.duplicates.setVisible(bool(pairs))

    def _show_plan(self, plan) -> None:
        self.busy.hide()
        wizard = self._wizard
        wizard.plan = plan
        self.issues.clear()
        issues = [f"Line {m.line}: {m.describe()}" for m in getattr(plan, "merges", ())]
        issues += [f"Line {r.line}: rejected — {r.reason}" for r in plan.rejected]
        issues += [f"Line {r.line}: flagged — {r.reason}" for r in plan.flagged]
        self.issues.addItems(issues)
        if hasattr(plan, "preview_table"):  # quotes and reward cards describe their own preview
            self._show_duplicates([])
            summary, headers, rows = plan.preview_table(PREVIEW_ROWS)
            self.summary.setText(summary)
        elif isinstance(plan, CustomerImportPlan):
            if not wizard.pairs:  # the pairs the first plan found stay listed, whatever is chosen for them
                wizard.pairs = list(plan.possible_duplicates)
                wizard.decisions = {pair.key: PairDecision.KEEP_APART for pair in wizard.pairs}
                self._show_duplicates(wizard.pairs)
            merged_by_choice = sum(1 for d in wizard.decisions.values() if d is PairDecision.MERGE)
            self.summary.setText(
                f"{plan.records} records: <b>{plan.created}</b> new customers, <b>{plan.updated}</b> updated, "
                f"{plan.unchanged} unchanged, {len(plan.merges)} merged, "
                f"<b>{len(wizard.pairs)}</b> possible duplicates ({merged_by_choice} to merge), "
                f"<b>{len(plan.rejected)}</b> rejected, {len(plan.flagged)} flagged.")
            headers = ["Line", "Will be", "Name", "Company", "Phone", "Other phones", "E-mail", "Tags"]
            region = plan.region
            rows = [[", ".join(map(str, c.lines)), ACTION_LABELS.get(c.action.value, c.action.value), c.name,
                     c.company or "", display_phone(c.phone, region),
                     ", ".join(display_phone(n, region) for n in c.phones[1:]), c.email or "", c.tags or ""]
                    for c in plan.preview(PREVIEW_ROWS)]
        else:
            self._show_duplicates([])
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


class SummaryPage(QWizardPage):
    """What the import did, before the wizard closes."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self._wizard = wizard
        self.setTitle("Imported")
        self.setFinalPage(True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Close")
        self.counts = QTableWidget(0, 2)
        self.counts.setObjectName("importCounts")
        self.counts.horizontalHeader().hide()
        self.counts.verticalHeader().hide()
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        report = self._wizard.report
        plan = report.plan
        self.setSubTitle(f"{Path(plan.source_name).name} is imported. The flagged lines were listed before "
                         "importing; a backup from just before the import is in the backups folder.")
        if isinstance(plan, CustomerImportPlan):
            decided = self._wizard.decisions
            merged = sum(1 for d in decided.values() if d is PairDecision.MERGE)
            lines = [("New customers", plan.created), ("Customers updated", plan.updated),
                     ("Rows merged into another", len(plan.merges)),
                     ("Possible duplicates merged as you chose", merged),
                     ("Possible duplicates kept apart as you chose", len(decided) - merged),
                     ("Rows flagged (imported, a value left out)", len({r.line for r in plan.flagged})),
                     ("Rows rejected (not imported)", len(plan.rejected))]
        elif hasattr(plan, "preview_table"):  # quotes and reward cards: the counts their report gives
            summary = report.summary()
            lines = [("Created", summary["created"]), ("Updated", summary["updated"]),
                     ("Already there", summary["unchanged"]),
                     ("Rows flagged", len({r.line for r in plan.flagged})), ("Rows rejected", len(plan.rejected))]
        else:
            lines = [("Purchases", len(plan.purchases)), ("New products", len(plan.new_products)),
                     ("Already imported", len(plan.already_imported)),
                     ("Rows flagged", len({r.line for r in plan.flagged})), ("Rows rejected", len(plan.rejected))]
        self.counts.setRowCount(len(lines))
        for row, (what, count) in enumerate(lines):
            self.counts.setItem(row, 0, QTableWidgetItem(what))
            self.counts.setItem(row, 1, QTableWidgetItem(str(count)))

    def count(self, what: str) -> int:
        for row in range(self.counts.rowCount()):
            if self.counts.item(row, 0).text() == what:
                return int(self.counts.item(row, 1).text())
        raise KeyError(what)


class ImportWizard(QWizard):
    def __init__(self, bridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.setObjectName("ImportWizard")
        self.resize(900, 680)
        self.bridge = bridge
        self.source: ImportSource | None = None
        self.column_map: ColumnMap | None = None
        self.plan: CustomerImportPlan | PurchaseImportPlan | None = None
        self.pairs: list[PossibleDuplicate] = []
        self.decisions: dict[PairKey, PairDecision] = {}
        self.report = None
        self.preview_task: BackgroundTask | None = None
        self.import_task: BackgroundTask | None = None
        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.preview_page = PreviewPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.file_page, self.columns_page, self.preview_page, self.summary_page):
            self.addPage(page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)

    def choose_file(self, path: str | Path, kind: ImportKind = ImportKind.CUSTOMERS) -> None:
        self.file_page.path_edit.setText(str(path))
        self.file_page.kind_radios()[kind].setChecked(True)

    def run_import(self) -> bool:
        """Import in the background; the summary page follows when it is done, or the page shows why not."""
        if self.report is not None and self.report.applied:
            return True  # QWizard.next() validates the page again once the import is done
        if self.import_task is not None and self.import_task.is_running():
            return False
        page = self.preview_page
        page.busy.show()
        page.summary.setText("Importing…")
        commit = self.button(QWizard.WizardButton.CommitButton)
        commit.setEnabled(False)
        all_or_nothing = page.all_or_nothing.isChecked()
        decisions = dict(self.decisions)
        task = self.bridge.run_in_background(import_file, self.source, self.column_map, parent=self,
                                             all_or_nothing=all_or_nothing, decisions=decisions)
        task.finished.connect(self._imported)
        task.failed.connect(lambda error: (page._show_problem(str(error)), commit.setEnabled(True)))
        self.import_task = task
        task.start()
        return False  # the page stays until the import finishes

    def _imported(self, result) -> None:
        report = self.report = result.value  # every panel was already told what the import changed
        if report.refused:
            self.preview_page._show_problem(report.refused)
            self.button(QWizard.WizardButton.CommitButton).setEnabled(True)
            return
        self.next()
