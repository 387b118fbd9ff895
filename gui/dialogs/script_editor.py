"""Edit the call scripts, with a live preview for a sample customer. Merge fields are listed
with what they mean; double-click one to insert it. Mistakes are shown as you type and stop
the script from being saved; awkward spots are shown as warnings."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.actions import settings as settings_actions
from core.storage.enums import Reason
from core.errors import InvalidInput
from core.labels import REASON_LABELS
from core.scripts.library import MERGE_FIELDS, ScriptText
from gui.choices import chosen
from gui.panels.script_panel import script_html

PREVIEW_DELAY_MS = 200
SYNTAX_HELP = ("<b>{first_name}</b> fills in a value · <b>{company|your business}</b> says what to read when "
               "there is none · <b>[[ … ]]</b> leaves a passage out when a field inside it has no value")


class ScriptEditorDialog(QDialog):
    def __init__(self, services, reason: Reason = Reason.CHANGE_HEADS_UP, customer_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scriptEditor")
        self.setWindowTitle("Call scripts")
        self.resize(1000, 640)
        self._services = services
        self._customer_id = customer_id or services.queries.preview_customer_id()
        self._reason = reason
        self._dirty = False

        self.reason_box = QComboBox(objectName="editorReason")
        for each in Reason:
            self.reason_box.addItem(REASON_LABELS[each], each)
        self.title_edit = QLineEdit(objectName="scriptTitleEdit")
        self.body_edit = QPlainTextEdit(objectName="scriptBodyEdit")
        self.body_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.field_list = QListWidget(objectName="mergeFields")
        for field in MERGE_FIELDS.values():
            item = QListWidgetItem("{" + field.name + "}")
            item.setToolTip(field.description + (f" — reads “{field.fallback}” when empty" if field.fallback else ""))
            item.setData(Qt.ItemDataRole.UserRole, field.name)
            self.field_list.addItem(item)
        self.problems_label = QLabel(objectName="scriptProblems", wordWrap=True)
        self.preview = QTextBrowser(objectName="scriptPreview")
        self.preview_caption = QLabel(objectName="previewCaption")
        self.reset_button = QPushButton("Reset to the &shipped script", objectName="resetScript")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)

        form = QFormLayout()
        form.addRow("&Script for:", self.reason_box)
        form.addRow("&Title:", self.title_edit)
        editor = QWidget()
        left = QVBoxLayout(editor)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(form)
        left.addWidget(self.body_edit, 1)
        left.addWidget(QLabel(SYNTAX_HELP, wordWrap=True))
        left.addWidget(self.problems_label)
        fields_box = QWidget()
        middle = QVBoxLayout(fields_box)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addWidget(QLabel("Merge &fields (double-click to insert):", buddy=self.field_list))
        middle.addWidget(self.field_list)
        preview_box = QWidget()
        right = QVBoxLayout(preview_box)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.preview_caption)
        right.addWidget(self.preview, 1)
        splitter = QSplitter()
        splitter.addWidget(editor)
        splitter.addWidget(fields_box)
        splitter.addWidget(preview_box)
        splitter.setSizes([420, 180, 400])
        bottom = QHBoxLayout()
        bottom.addWidget(self.reset_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.reason_box.activated.connect(self._reason_chosen)
        self.title_edit.textEdited.connect(self._edited)
        self.body_edit.textChanged.connect(self._edited)
        self._preview_timer.timeout.connect(self.update_preview)
        self.field_list.itemActivated.connect(self._insert_field)
        self.reset_button.clicked.connect(self.reset_to_shipped)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self._load(reason)

    # --- a small API for the window and tests -------------------------------------------------
    def reason(self) -> Reason:
        return self._reason

    def set_body(self, text: str) -> None:
        self.body_edit.setPlainText(text)
        self.update_preview()

    def preview_text(self) -> str:
        return self.preview.toPlainText()

    def problems_text(self) -> str:
        return self.problems_label.text()

    def save(self) -> bool:
        try:
            self._services.run(settings_actions.save_script, self._reason, self.title_edit.text(),
                                  self.body_edit.toPlainText())
        except InvalidInput as error:
            self.problems_label.setText(f"<span style='color:#b3261e'>Not saved: {escape(str(error))}</span>")
            return False
        self._dirty = False
        self.save_button.setEnabled(False)
        return True

    def reset_to_shipped(self) -> None:
        self._services.run(settings_actions.reset_script, self._reason)
        self._load(self._reason)

    # --- behaviour ---------------------------------------------------------------------------
    def _load(self, reason: Reason) -> None:
        self._reason = reason
        self.reason_box.setCurrentIndex(self.reason_box.findData(reason))
        script = self._services.queries.script(reason)
        self.title_edit.setText(script.title)
        self.body_edit.blockSignals(True)
        self.body_edit.setPlainText(script.body)
        self.body_edit.blockSignals(False)
        self._dirty = False
        self.save_button.setEnabled(False)
        self.update_preview()

    def _edited(self, *_args) -> None:
        self._dirty = True
        self.save_button.setEnabled(True)
        self._preview_timer.start()

    def _reason_chosen(self, _index: int) -> None:
        wanted = chosen(self.reason_box, Reason)
        if wanted == self._reason:
            return
        if self._dirty and not self._may_leave():
            self.reason_box.setCurrentIndex(self.reason_box.findData(self._reason))
            return
        self._load(wanted)

    def _may_leave(self) -> bool:
        answer = QMessageBox.question(
            self, "Unsaved script", f"Save your changes to “{self.title_edit.text()}” first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _insert_field(self, item: QListWidgetItem) -> None:
        self.body_edit.insertPlainText("{" + item.data(Qt.ItemDataRole.UserRole) + "}")
        self.body_edit.setFocus()

    def update_preview(self) -> None:
        self._preview_timer.stop()
        body = self.body_edit.toPlainText()
        problems = self._services.queries.script_problems(body)
        lines = []
        for problem in problems:
            line = body.count("\n", 0, problem.position) + 1
            colour = "#b3261e" if problem.is_error else "#8a5a00"
            lines.append(f"<span style='color:{colour}'>Line {line}: {escape(problem.message)}</span>")
        self.problems_label.setText("<br>".join(lines))
        self.problems_label.setVisible(bool(lines))
        script = ScriptText(self._reason, self.title_edit.text() or "Untitled", body)
        rendered = self._services.queries.preview_script(script, self._customer_id)
        who = ""
        if self._customer_id is not None:
            who = self._services.queries.customer_detail(self._customer_id).name
        self.preview_caption.setText(f"Preview for <b>{escape(who)}</b>" if who else "Preview with sample values")
        checklist = "".join(f"<li>{escape(q)}</li>" for q in rendered.checklist)
        self.preview.setHtml(f"<h3>{escape(rendered.title)}</h3>{script_html(rendered.body)}"
                             f"<p><b>Courtesy questions</b></p><ul>{checklist}</ul>"
                             f"<p><i>{escape(rendered.closing)}</i></p>")

    def reject(self) -> None:
        if self._dirty and not self._may_leave():
            return
        super().reject()
