"""`backup` and `restore`: a backup now, the list of backups with what each holds, and putting one back.

    python main.py backup [--json]
    python main.py restore --list [--json]
    python main.py restore FILE [--json]

FILE may be a path or the name of a file in the backups folder (as `--list` shows it).
Restoring keeps the current database aside under a new name; close the CallAhead window first.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from core.storage.backup_files import backups_folder
from core.storage.backups import (
    BackupInfo,
    back_up_on_request,
    list_backups,
    preview_backup,
    restore_backup,
    sqlite_file_of,
)
from core.cli.output import print_json, say
from core.context import AppContext
from core.errors import CallAheadError, InvalidInput
from core.storage.instance_lock import window_running


def register(subparsers, common: argparse.ArgumentParser) -> None:
    backup = subparsers.add_parser(
        "backup", parents=[common], help="back up the database now",
        description="Copy the database into the backups folder of its data folder (a consistent copy, safe while "
                    "the window is open). The newest backups are kept, as many as the backups_to_keep setting says.",
    )
    backup.add_argument("--json", action="store_true", help="print where the backup went and what it holds as JSON")
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore", parents=[common], help="list backups, or put one back in place of the database",
        description="Put a backup back in place of the database. The backup is checked first; the current database "
                    "is kept aside under a new name (never deleted) and a backup older than this version is brought "
                    "up to date. Close the CallAhead window before restoring; while another command or desk uses "
                    "the database, the restore waits up to 15 seconds and then stops without changing anything.",
    )
    restore.add_argument("file", nargs="?", metavar="FILE",
                         help="the backup to restore: a path, or a name from --list")
    restore.add_argument("--list", action="store_true", help="list the backups, newest first, with what each holds")
    restore.add_argument("--json", action="store_true", help="print the result as JSON")
    restore.set_defaults(handler=run_restore)


def _database_file(context: AppContext) -> Path:
    path = sqlite_file_of(context.database_url)
    if path is None:
        raise CallAheadError("This database is on a server: back it up with the server's own tools.")
    return path


def backup_summary(info: BackupInfo) -> dict[str, Any]:
    return {
        "file": str(info.path), "name": info.path.name, "taken_at": info.taken_at, "reason": info.reason,
        "size_bytes": info.size_bytes, "schema_revision": info.schema_revision, "business_name": info.business_name,
        "customers": info.customers, "call_tasks": info.call_tasks, "call_logs": info.call_logs,
        "purchases": info.purchases, "restorable": info.restorable, "problem": info.problem,
    }


def _describe(info: BackupInfo) -> str:
    if not info.restorable:
        return f"{info.taken_at:%Y-%m-%d %H:%M}  {info.path.name}\n    cannot be restored: {info.problem}"
    return (f"{info.taken_at:%Y-%m-%d %H:%M}  {info.reason or 'file':<15} {info.customers} customers, "
            f"{info.call_tasks} calls and tasks, {info.call_logs} call logs (schema {info.schema_revision})"
            f"  {info.path.name}")


def run_backup(args: argparse.Namespace, context: AppContext) -> int:
    database_file = _database_file(context)
    backup = back_up_on_request(database_file, context.clock.now())
    info = preview_backup(backup)
    if args.json:
        print_json({"backup": str(backup), "folder": str(backup.parent), **backup_summary(info)})
    else:
        print(f"Backed up to {backup}")
        print(f"  {info.customers} customers, {info.call_tasks} calls and tasks, {info.call_logs} call logs")
    return 0


def _backup_to_restore(name: str, database_file: Path) -> Path:
    given = Path(name).expanduser()
    if given.exists():
        return given
    in_folder = backups_folder(database_file.parent) / name
    if given.name == name and in_folder.exists():
        return in_folder
    raise InvalidInput(f"There is no file {name} (nor a backup of that name in {in_folder.parent}).", field="file")


def run_restore(args: argparse.Namespace, context: AppContext) -> int:
    database_file = _database_file(context)
    if args.list:
        if args.file:
            raise InvalidInput("Give either --list or a FILE to restore, not both.", field="file")
        backups = list_backups(database_file.parent)
        if args.json:
            print_json({"folder": str(backups_folder(database_file.parent)),
                        "backups": [backup_summary(info) for info in backups]})
        elif not backups:
            print(f"No backups yet in {backups_folder(database_file.parent)}.")
        else:
            print(f"Backups in {backups_folder(database_file.parent)}, newest first:")
            for info in backups:
                print(f"  {_describe(info)}")
        return 0
    if not args.file:
        say("callahead: say which backup to restore (restore FILE), or list them with restore --list.")
        return 2
    if window_running(database_file.parent):
        raise CallAheadError("A CallAhead window is open on this data folder: close it first, or restore from its "
                             "Settings → Restore from backup. Nothing was changed.")
    context.close()  # every connection to the file must be closed before it is replaced
    result = restore_backup(database_file, _backup_to_restore(args.file, database_file), context.clock.now())
    summary = {
        "restored_from": str(result.restored_from), "database": str(result.database),
        "previous_kept_as": str(result.set_aside) if result.set_aside else None,
        "safety_backup": str(result.safety_backup) if result.safety_backup else None,
        "upgraded_from": result.upgraded_from,
    }
    if args.json:
        print_json(summary)
    else:
        print(f"Restored {result.restored_from} into {result.database}.")
        if result.set_aside:
            print(f"  The previous database is kept as {result.set_aside}.")
        if result.upgraded_from:
            print(f"  It was brought up to date from schema {result.upgraded_from}.")
    return 0
