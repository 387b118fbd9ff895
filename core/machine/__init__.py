"""This computer, not the business: its own settings, starting at login, its log, its commands.

settings.py keeps per-machine settings (desk id, backups to keep, start at login) in a small file
on the machine — several desks may share one database; autostart.py writes the login entry
(Windows Run value, macOS LaunchAgent, XDG autostart); applog.py configures the log file
(record ids only, never who the customers are); console_command.py names the command an owner
types on this platform; holiday_tables.py keeps the public holidays once worked out for the
business's country, so a start need not load every country's rules.

May use: the basics and core.storage (to read settings older versions kept in the database).
"""
