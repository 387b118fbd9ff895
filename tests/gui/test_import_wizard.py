"""The import wizard: detect, map, preview exactly as stored, then import in the background."""

from pathlib import Path

from PySide6.QtWidgets import QWizard

from core.importing import ImportKind
from gui.dialogs.import_wizard import ImportWizard

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"


def _next(qtbot, wizard):
    wizard.button(QWizard.WizardButton.NextButton).click()


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
    assert wizard.preview_page.rows.item(0, 4).text() == (first.phone or ""), "shown exactly as stored"
    wizard.button(QWizard.WizardButton.FinishButton).click()
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
