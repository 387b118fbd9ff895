"""Customers: finding them, showing them, editing them, and what they hold with the business.

The customer list and its search (queries.py, search.py; search_index.py is SQLite's FTS5 side),
everything shown while the phone rings (detail.py), adding/editing/deleting by hand (editing.py),
cleaning phones, e-mails and names the one way the whole app uses (contact_fields.py), quotes and
reward cards (quotes.py, rewards.py).

May use: core.storage, core.settings, core.scheduling (a quote or a card changes the plan),
core.habits (the thank-you notes shown with a customer) and the basics. Functions take an open session; the caller
(an action in core.actions, or a query) owns the transaction.
"""
