"""Storage: the owner's database file (or server), its schema, and keeping it safe.

The engine and transactions (database.py), the tables (models.py, enums.py), the shipped Alembic
migrations (migrations/), backups and restore (backup_files.py, backups.py), damage checks
(integrity.py), owner-only files (privacy.py), where the data lives (paths.py), the window's
instance lock, safe file replacement, storage problems in plain words, the PostgreSQL server
setup (server.py) and the change log every writer appends to.

May use: the basics at core's top level (errors, clock, limits), this computer's settings and
the name of its command (core.machine.settings, core.machine.console_command). Nothing else in
core: every other package builds on this one.
"""
