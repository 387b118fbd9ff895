"""Call scripts: the shipped defaults, the owner's edits, and a script filled in for one customer.

library.py chooses and renders the script for a call (merge fields from the customer's history,
the reasons of the call, the news to mention); template.py is the little template language.

May use: core.storage, core.customers, core.scheduling (reasons and their words), core.habits
(news) and the basics. No Qt; the window's script panel only shows what this renders.
"""
