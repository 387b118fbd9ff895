"""The team's weekly habits: thank-you notes, the weekly review, and what's on (news to mention).

thanks.py logs a caller's daily thank-you note, weekly_review.py sums up the week's calls per
caller, news.py keeps dated items every call mentions while they run; services.py is their front
for the window and the command line, writing through the one runner.

May use: core.storage, core.customers, core.scheduling, core.actions (services.py only) and the
basics.
"""
