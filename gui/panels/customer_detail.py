"""One customer at a glance while the phone rings: how to reach them (the phone opens the
system's dialer or softphone through a tel: link), what they bought, open quotes, the reward
card, and the history of every call, note, sample and thank-you note.

While the owner browses another customer than the call in front of them, a bar says so and
offers the way back ("Back to the call with Patricia O'Brien (Esc)"): `back_requested`.

From here the owner logs a call for no reason ("Log a call…"), adds, edits and decides quotes,
and records reward stamps; dialogs are opened by the window (`log_call_requested`,
`quote_requested`), one-click actions go through the service bridge."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.customers.detail import CustomerDetail, CustomerNotFound, TimelineEntry
from core.errors import CallAheadError
from core.labels import (
    OUTCOME_LABELS,
    PURCHASE_KIND_LABELS,
    REASON_LABELS,
    TASK_KIND_LABELS,
    TASK_STATUS_LABELS,
    format_day,
    format_money,
    result_tag_labels,
)
from core.services import ChangeSet
from gui.flow_layout import FlowLayout
from gui.services import ServiceBridge


def _tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setWordWrap(False)
    tree.header().setStretchLastSection(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return tree


class CustomerDetailPanel(QWidget):
    edit_requested = Signal(int)
    log_call_requested = Signal(int)  # customer id: a call for no reason
    quote_requested = Signal(int, object)  # customer id, the QuoteRecord to edit (None: a new quote)
    back_requested = Signal()  # back to the call in front of the owner
    customer_shown = Signal(object)  # the customer now shown (int), or None: whom Edit/Delete act on

    def __init__(self, services: ServiceBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("customerDetailPanel")
        self._services = services
        self._customer_id: int | None = None
        self._call_with: str | None = None  # the call in front of the owner, while browsing someone else
        self.detail: CustomerDetail | None = None
        self._open_quotes: list = []

        self.name_label = QLabel(objectName="customerName", textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.name_label.setFont(font)
        self.company_label = QLabel(objectName="customerCompany")
        self.phone_button = QPushButton(objectName="callPhone")
        self.phone_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.phone_button.setFlat(True)
        self.phone_button.setStyleSheet("QPushButton { color: palette(link); text-decoration: underline;"
                                        " text-align: left; padding: 0 2px; font-weight: bold; }")
        self.other_phones_label = QLabel(objectName="otherPhones", openExternalLinks=False)
        self.email_label = QLabel(objectName="customerEmail")
        self.address_label = QLabel(objectName="customerAddress", wordWrap=True,
                                    textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.flags_label = QLabel(objectName="customerFlags", wordWrap=True)
        self.notes_label = QLabel(objectName="customerNotes", wordWrap=True,
                                  textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton("Ed&it…", objectName="editCustomer")
        self.log_call_button = QPushButton("Log a &call…", objectName="logCallForNoReason")
        self.log_call_button.setToolTip("Record a call made for no reason — just to see how everything is going")

        self.history = _tree(["When", "What", "Outcome", "By", "Notes"], "history")
        self.history.setAccessibleName("History of calls and notes")
        self.purchases = _tree(["Date", "Product", "Qty", "Amount", ""], "purchases")
        self.purchases.setAccessibleName("Purchases")
        self.quotes = _tree(["Sent", "What", "Amount", "By", "Follow-ups"], "openQuotes")
        self.add_quote_button = QPushButton("&Add quote…", objectName="addQuote")
        self.edit_quote_button = QPushButton("Edit…", objectName="editQuote")
        self.won_button = QPushButton("&Won", objectName="quoteWon")
        self.lost_button = QPushButton("&Lost", objectName="quoteLost")
        self.rewards_label = QLabel(objectName="rewardCard", wordWrap=True)
        self.stamp_button = QPushButton("Add &stamp", objectName="addStamp")
        self.redeem_button = QPushButton("Reward &taken", objectName="redeemReward")
        self.records_error = QLabel(objectName="recordsError", wordWrap=True)
        self.records_error.setStyleSheet("color: #b3261e;")
        self.tabs = QTabWidget(objectName="detailTabs")
        self.tabs.addTab(self.history, "Histor&y")
        self.tabs.addTab(self.purchases, "&Purchases")
        self.tabs.addTab(self._quotes_and_rewards_page(), "Q&uotes && rewards")

        self.empty_label = QLabel("Choose a customer in the list to see how to reach them and their history.",
                                  objectName="detailEmpty", wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self._detail_page())
        self.browse_bar = QFrame(objectName="browseBar")
        self.browse_bar.setStyleSheet("#browseBar { background: #e8f0fe; border: 1px solid #a8c0e8; border-radius: 4px; }")
        self.browse_label = QLabel(objectName="browseLabel", wordWrap=True)
        self.back_button = QPushButton(objectName="backToCall")
        bar = QHBoxLayout(self.browse_bar)
        bar.setContentsMargins(8, 2, 4, 2)
        bar.addWidget(self.browse_label, 1)
        bar.addWidget(self.back_button)
        self.browse_bar.hide()
        # Escape goes back from anywhere in the window, but only while there is somewhere to go back to.
        self.back_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WindowShortcut)
        self.back_shortcut.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browse_bar)
        layout.addWidget(self.stack)
        self.back_button.clicked.connect(self.back_requested)
        self.back_shortcut.activated.connect(self.back_requested)

        self.phone_button.clicked.connect(self._call)
        for label in (self.email_label, self.other_phones_label):
            label.linkActivated.connect(self._open_link)
        self.edit_button.clicked.connect(lambda: self._customer_id is not None and self.edit_requested.emit(self._customer_id))
        self.log_call_button.clicked.connect(
            lambda: self._customer_id is not None and self.log_call_requested.emit(self._customer_id))
        self.add_quote_button.clicked.connect(
            lambda: self._customer_id is not None and self.quote_requested.emit(self._customer_id, None))
        self.edit_quote_button.clicked.connect(self._edit_quote)
        self.quotes.itemDoubleClicked.connect(lambda _item, _column: self._edit_quote())
        self.quotes.currentItemChanged.connect(lambda _current, _previous: self._quote_chosen())
        self.won_button.clicked.connect(lambda: self._decide(True))
        self.lost_button.clicked.connect(lambda: self._decide(False))
        self.stamp_button.clicked.connect(lambda: self._act_on_card(redeem=False))
        self.redeem_button.clicked.connect(lambda: self._act_on_card(redeem=True))

    def _detail_page(self) -> QWidget:
        page = QWidget()
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.name_label)
        names.addWidget(self.company_label)
        head.addLayout(names, 1)
        head.addWidget(self.log_call_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        reach = FlowLayout(spacing=12)  # phone, other phones, e-mail: wrap, never cut, on a narrow panel
        reach.addWidget(self.phone_button)
        reach.addWidget(self.other_phones_label)
        reach.addWidget(self.email_label)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(head)
        layout.addLayout(reach)
        layout.addWidget(self.address_label)
        layout.addWidget(self.flags_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.tabs, 1)
        return page

    def _quotes_and_rewards_page(self) -> QWidget:
        page = QWidget()
        quote_buttons = QHBoxLayout()
        for button in (self.add_quote_button, self.edit_quote_button, self.won_button, self.lost_button):
            quote_buttons.addWidget(button)
        quote_buttons.addStretch(1)
        card = QGridLayout()
        card.addWidget(self.rewards_label, 0, 0, 1, 3)
        card.addWidget(self.stamp_button, 1, 0)
        card.addWidget(self.redeem_button, 1, 1)
        card.setColumnStretch(2, 1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(QLabel("<b>Open quotes</b>"))
        layout.addWidget(self.quotes, 1)
        layout.addLayout(quote_buttons)
        layout.addWidget(QLabel("<b>Rewards card</b>"))
        layout.addLayout(card)
        layout.addWidget(self.records_error)
        # Scrolls rather than asks for height: the detail panel stays as small as the owner drags it.
        scroll = QScrollArea(objectName="quotesAndRewards", widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    # --- what is shown ---------------------------------------------------------------------------
    @property
    def customer_id(self) -> int | None:
        return self._customer_id

    def shown_detail(self, customer_id: int) -> CustomerDetail | None:
        """What the panel shows of this customer, None when it shows someone else."""
        return self.detail if self._customer_id == customer_id else None

    def show_customer(self, customer_id: int | None, *, call_with: str | None = None, force: bool = False) -> None:
        """Show this customer; `call_with` names the call in front of the owner when this is
        someone else (the bar back to it shows). Read again only when asked or another customer."""
        before = self._customer_id
        self._show(customer_id, call_with, force)
        if self._customer_id != before:
            self.customer_shown.emit(self._customer_id)

    def _show(self, customer_id: int | None, call_with: str | None, force: bool) -> None:
        self._show_browsing(call_with)
        if customer_id == self._customer_id and not force and (customer_id is None or self.detail is not None):
            return
        self._customer_id = customer_id
        detail = None
        if customer_id is not None:
            try:
                detail = self._services.queries.customer_detail(customer_id)
            except CustomerNotFound:
                self._customer_id = None
        self.detail = detail
        if detail is None:
            self.stack.setCurrentIndex(0)
            return
        self._fill(detail)
        self.stack.setCurrentIndex(1)

    def shown_name(self, customer_id: int) -> str | None:
        """The name shown, when this customer is the one shown."""
        return self.detail.name if self.detail is not None and self._customer_id == customer_id else None

    def is_browsing(self) -> bool:
        return not self.browse_bar.isHidden()

    def _show_browsing(self, call_with: str | None) -> None:
        self._call_with = call_with
        if call_with:
            self.browse_label.setText("Not the call in front of you.")
            self.back_button.setText(f"Back to the call with {call_with} (Esc)")
            self.back_button.setAccessibleName(f"Back to the call with {call_with}")
        self.browse_bar.setVisible(bool(call_with))
        self.back_shortcut.setEnabled(bool(call_with))

    def on_changes(self, changes: ChangeSet) -> None:
        if self._customer_id is not None and (self._customer_id in changes.customers or changes.tasks
                                              or changes.settings or changes.staff):
            self.show_customer(self._customer_id, call_with=self.back_call_name(), force=True)

    def back_call_name(self) -> str | None:
        return self._call_with

    def _fill(self, detail: CustomerDetail) -> None:
        settings = self._services.queries.settings()
        today = self._services.queries.today()
        money = settings.currency_symbol
        self.name_label.setText(detail.name)
        person = " ".join(p for p in (detail.first_name, detail.last_name) if p)
        self.company_label.setText(detail.company if detail.company and detail.company != detail.name
                                   else ("" if not person or person == detail.name else person))
        self.company_label.setVisible(bool(self.company_label.text()))
        phone = detail.main_phone
        self.phone_button.setVisible(phone is not None)
        self.phone_button.setEnabled(phone is not None and not detail.do_not_call)
        if phone:
            self.phone_button.setText(phone.display)
            self.phone_button.setToolTip(f"Call {phone.display} with your phone or softphone ({phone.tel_uri})")
        others = [f'<a href="{escape(p.tel_uri)}">{escape(p.display)}</a>'
                  + (f" ({escape(p.label)})" if p.label else "") for p in detail.phones[1:]]
        self.other_phones_label.setText(" · ".join(others))
        self.other_phones_label.setVisible(bool(others))
        self.email_label.setText(f'<a href="mailto:{escape(detail.email)}">{escape(detail.email)}</a>'
                                 if detail.email else "no e-mail")
        self.address_label.setText(" · ".join(detail.address_lines))
        self.address_label.setVisible(bool(detail.address_lines))
        flags = []
        if detail.do_not_call:
            flags.append("<b style='color:#b3261e'>Asked not to be called</b>")
        if detail.needs_data_fix:
            flags.append("<b style='color:#b26a00'>Phone number needs checking</b>")
        if detail.preferred_call_time:
            flags.append(f"Best reached around {detail.preferred_call_time:%H:%M}")
        if detail.keep_in_touch_days:
            flags.append(f"Keep in touch every {detail.keep_in_touch_days} days")
        if detail.assigned_staff:
            flags.append(f"Caller: {escape(detail.assigned_staff)}")
        if detail.tags:
            flags.append("Tags: " + escape(", ".join(detail.tags)))
        self.flags_label.setText(" · ".join(flags))
        self.flags_label.setVisible(bool(flags))
        self.notes_label.setText(f"<i>{escape(detail.notes)}</i>" if detail.notes else "")
        self.notes_label.setVisible(bool(detail.notes))
        self._fill_history(detail.timeline, today)
        self._fill_purchases(detail, today, money)
        self._fill_quotes_and_rewards(detail, today, money)

    def _fill_history(self, timeline: list[TimelineEntry], today) -> None:
        self.history.clear()
        for entry in timeline:
            when = format_day(entry.when.date(), today)
            if entry.when.time().hour or entry.when.time().minute:
                when += f" {entry.when:%H:%M}"
            what = TASK_KIND_LABELS[entry.kind]
            if entry.reason is None and entry.outcome is not None:
                what = "Call for no reason"
            elif entry.reason:
                what = f"{what}: {REASON_LABELS[entry.reason]}" if entry.kind.value != "call" else REASON_LABELS[entry.reason]
            outcome = OUTCOME_LABELS[entry.outcome] if entry.outcome else TASK_STATUS_LABELS[entry.status]
            tags = ", ".join(result_tag_labels(entry.result_tags))
            notes = " ".join(p for p in (entry.notes, f"({tags})" if tags else None,
                                         entry.why if entry.planned else None) if p)
            item = QTreeWidgetItem([when, what, outcome, entry.staff or "", notes])
            item.setToolTip(4, notes)
            if entry.planned:
                font = item.font(0)
                font.setItalic(True)
                for column in range(5):
                    item.setFont(column, font)
            self.history.addTopLevelItem(item)
        if not timeline:
            self.history.addTopLevelItem(QTreeWidgetItem(["", "No calls or notes yet.", "", "", ""]))

    def _fill_purchases(self, detail: CustomerDetail, today, money: str) -> None:
        self.purchases.clear()
        for line in detail.purchases:
            item = QTreeWidgetItem([format_day(line.day, today), line.product, str(line.quantity),
                                    format_money(line.amount_cents, money), PURCHASE_KIND_LABELS[line.kind]])
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight)
            self.purchases.addTopLevelItem(item)
        if not detail.purchases:
            text = "No purchases recorded."
            if detail.imported_total_spent_cents:
                text += f" Imported total: {format_money(detail.imported_total_spent_cents, money)}."
            self.purchases.addTopLevelItem(QTreeWidgetItem(["", text, "", "", ""]))

    def _fill_quotes_and_rewards(self, detail: CustomerDetail, today, money: str) -> None:
        self.records_error.hide()
        self._open_quotes = detail.open_quotes
        self.quotes.clear()
        for quote in self._open_quotes:
            follow = ", ".join(format_day(day, today) for day in quote.follow_ups)
            item = QTreeWidgetItem([format_day(quote.sent, today), quote.what or "Quote",
                                    format_money(quote.amount_cents, money), quote.staff or "", follow])
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
            self.quotes.addTopLevelItem(item)
        if self._open_quotes:
            self.quotes.setCurrentItem(self.quotes.topLevelItem(0))
        self._quote_chosen()
        card = detail.reward_card
        if card:
            self.rewards_label.setText(
                f"{card.stamps} of {card.stamps_needed} stamps"
                + (" — <b>one stamp short of a reward</b>" if card.stamps_to_go == 1 else "")
                + (" — <b>the card is full: a reward is earned</b>" if card.stamps_to_go == 0 else "")
                + (f"; {card.rewards_redeemed} reward{'s' if card.rewards_redeemed != 1 else ''} redeemed"
                   if card.rewards_redeemed else "")
                + (f"; last stamp {format_day(card.last_stamp_on, today)}" if card.last_stamp_on else ""))
        else:
            self.rewards_label.setText("No card yet: the first stamp starts one.")
        self.stamp_button.setEnabled(card is None or card.stamps_to_go > 0)
        self.redeem_button.setEnabled(card is not None and card.stamps_to_go == 0)
        self.tabs.setTabText(2, f"Q&uotes && rewards ({len(detail.open_quotes)})" if detail.open_quotes
                             else "Q&uotes && rewards")

    def _chosen_quote(self):
        row = self.quotes.indexOfTopLevelItem(self.quotes.currentItem()) if self.quotes.currentItem() else -1
        return self._open_quotes[row] if 0 <= row < len(self._open_quotes) else None

    def _quote_chosen(self) -> None:
        chosen = self._chosen_quote() is not None
        for button in (self.edit_quote_button, self.won_button, self.lost_button):
            button.setEnabled(chosen)

    def _edit_quote(self) -> None:
        quote = self._chosen_quote()
        if quote is not None:
            self.quote_requested.emit(quote.customer_id, quote)

    def _decide(self, won: bool) -> None:
        from core.actions import quotes as quote_actions  # loaded with the first quote decided, not at start

        quote = self._chosen_quote()
        if quote is not None:
            self._report(lambda: self._services.run(quote_actions.decide_quote, quote.quote_id, won))

    def _act_on_card(self, *, redeem: bool) -> None:
        from core.actions import stamps as stamp_actions  # loaded with the first stamp, not at start

        if self._customer_id is not None:
            customer_id = self._customer_id
            action = stamp_actions.redeem_reward if redeem else stamp_actions.add_stamps
            self._report(lambda: self._services.run(action, customer_id))

    def _report(self, action) -> None:
        """Run a one-click action; a refusal is shown under the quotes and card, never a crash."""
        try:
            action()
        except CallAheadError as error:
            self.records_error.setText(str(error))
            self.records_error.show()

    # --- reaching the customer -------------------------------------------------------------------
    def _call(self) -> None:
        phone = self.detail.main_phone if self.detail else None
        if phone:
            QDesktopServices.openUrl(QUrl(phone.tel_uri))

    def _open_link(self, link: str) -> None:
        QDesktopServices.openUrl(QUrl(link))
