"""What the owner takes out of CallAhead: the printed day sheets, exported files, the first numbers.

day_sheets.py builds each caller's sheet for a day (as printable HTML; the window turns it into a
PDF), exporting.py writes customers and call history as CSV and planned calls as iCalendar,
overview.py counts what the owner sees first.

May use: core.storage, core.customers, core.scheduling, core.habits and the basics. Reads only.
"""
