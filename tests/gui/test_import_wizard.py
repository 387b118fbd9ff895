"""The import wizard: detect, map, preview exactly as stored, then import in the background."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from core.customers.contact_fields import display_phone
from core.importing import ImportKind, read_import_file
from gui.dialogs.import_wizard import ImportWizard

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def _click(qtbot, wizard, which):
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), which
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _next(qtbot, wizard):
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)


def _import_and_see_the_summary(qtbot, wizard):
    _click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=20_000)


def test_a_square_export_is_recognised_previewed_and_imported(qtbot, window, services):
    before = services.queries.count_customers()
    wizard = ImportWizard(window.services, parent=window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.choose_file(FIXTURES / "square_customers.csv")
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.columns_page
    assert "Square" in wizard.columns_page.detected.text()
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10_000)
    plan = wizard.plan
    assert wizard.preview_page.rows.rowCount() == min(len(plan.customers), 50)
    first = plan.customers[0]
    assert wizard.preview_page.rows.item(0, 2).text() == first.name
    assert wizard.preview_page.rows.item(0, 4).text() == display_phone(first.phone, plan.region), \
        "the stored number as the owner reads it in their region"
    _import_and_see_the_summary(qtbot, wizard)
    assert wizard.summary_page.count("New customers") == plan.created
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    assert services.queries.count_customers() == before + plan.created
    assert window.customers.model.total == before + plan.created


def test_a_binary_file_is_refused_on_the_first_page_with_the_reason(qtbot, window, services):
    wizard = ImportWizard(window.services, parent=window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.choose_file(FIXTURES / "binary.bin")
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.file_page
    assert "binary" in wizard.file_page.problem.text()


def test_the_owner_can_change_what_a_column_means(qtbot, window, services):
    wizard = ImportWizard(window.services, parent=window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.choose_file(FIXTURES / "square_customers.csv", ImportKind.CUSTOMERS)
    _next(qtbot, wizard)
    columns = wizard.column_map.columns
    email_row = next(i for i, c in enumerate(columns) if c.field.value == "email")
    wizard.columns_page.set_meaning(email_row, "ignore")
    assert wizard.column_map.columns[email_row].field.value == "ignore"
    _next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10_000)
    assert all(c.email is None or c.action.value != "create" for c in wizard.plan.customers)


def test_possible_duplicates_are_shown_side_by_side_and_the_owners_choice_is_kept(qtbot, window, services):
    before = services.queries.count_customers()
    wizard = ImportWizard(window.services, parent=window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.choose_file(FIXTURES / "square_shared_phones.csv")
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    page = wizard.preview_page
    qtbot.waitUntil(page.isComplete, timeout=10_000)
    table = page.duplicates
    assert table.rowCount() == 2
    assert [table.item(0, c).text() for c in range(3)] == [
        "line 2: Zoë Fernández", "line 3: Greg Foster", "(503) 555-0131"]
    assert [table.item(1, c).text() for c in range(2)] == ["line 4: Helen Wright", "line 5: Gary Olsen"]
    assert wizard.plan.created == 11
    # The owner knows Gary is Helen's husband's old record: merge that pair (a real key press on its choice).
    choice = table.cellWidget(1, 4)
    choice.setFocus()
    qtbot.keyClick(choice, Qt.Key.Key_Down)
    assert choice.currentText() == "Merge them"
    qtbot.waitUntil(lambda: page.isComplete() and wizard.plan.created == 10, timeout=10_000)
    assert table.rowCount() == 2, "both pairs stay listed with their choice"
    flagged = [page.issues.item(i).text() for i in range(page.issues.count())]
    assert any(text.startswith("Line 12: flagged") and "555-0114" in text for text in flagged)
    _import_and_see_the_summary(qtbot, wizard)
    summary = wizard.summary_page
    assert (summary.count("New customers"), summary.count("Possible duplicates merged as you chose"),
            summary.count("Possible duplicates kept apart as you chose")) == (10, 1, 1)
    assert summary.count("Rows rejected (not imported)") == 0 and summary.count(
        "Rows flagged (imported, a value left out)") == 5  # lines 5 and 9 (a second POS id), 12, 13, 14
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    assert services.queries.count_customers() == before + 10
    again = services.queries.preview_import(read_import_file(FIXTURES / "square_shared_phones.csv"), None)
    assert again.possible_duplicates == () and again.created == 0, "the choices were remembered"


def test_the_encoding_can_be_chosen_with_a_live_preview(qtbot, window):
    wizard = ImportWizard(window.services, parent=window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.choose_file(FIXTURES / "cp1250_polish.csv")
    page = wizard.file_page
    assert "Windows-1250" in page.detected_encoding.text()
    assert page.encoding_preview.item(1).text().startswith("Łukasz;Wróbel")
    page.encoding.setFocus()
    while page.encoding.currentData() != "cp1251":
        qtbot.keyClick(page.encoding, Qt.Key.Key_Down)
    assert "Windows-1251" in page.detected_encoding.text()
    assert not page.encoding_preview.item(1).text().startswith("Łukasz"), "the preview follows the choice"
    while page.encoding.currentData() != "cp1250":
        qtbot.keyClick(page.encoding, Qt.Key.Key_Up)
    _next(qtbot, wizard)
    assert "Windows-1250" in wizard.columns_page.detected.text()
    _next(qtbot, wizard)
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=10_000)
    assert wizard.preview_page.rows.item(0, 2).text() == "Łukasz Wróbel"
