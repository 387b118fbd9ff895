"""Importing a file (customers, purchases, quotes, reward cards) as one owner action.

The backup before it, the import's own transaction and the standing rules and whole plan made
again after it are one unit: the plan is made in the import's transaction, so an import is never
stored without its calls. The rows are read and planned outside the write lock first
(core.importing), so nobody waits on a big file being read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from core.actions.results import ActionResult, ChangeSet
from core.actions.runner import UnitOfWork, owner_action
from core.storage.backup_files import BackupReason
from core.storage.backups import import_changed_data
from core.importing import (
    ColumnMap,
    ImportKind,
    ImportSource,
    import_customers,
    import_purchases,
    import_quotes,
    import_rewards,
)


def source_kind(column_map: ColumnMap | None) -> ImportKind:
    return column_map.kind if column_map is not None else ImportKind.CUSTOMERS


@owner_action(backup=BackupReason.BEFORE_IMPORT, plans_before_writing=True)
def import_file(unit: UnitOfWork, source: ImportSource, column_map: ColumnMap | None, *,
                kind: ImportKind | None = None, region: str | None = None, all_or_nothing: bool = False,
                decisions: Mapping | None = None) -> ActionResult:
    """Import the good rows (with `all_or_nothing`, nothing if any row is rejected); the value is
    the importer's report. `decisions`: the owner's answer for each possible duplicate
    (remembered for later imports)."""
    unit.replan(everything=True, if_written=True)  # in the import's transaction, after its rows
    report = _import(unit.database, kind or source_kind(column_map), source, column_map, region=region,
                     all_or_nothing=all_or_nothing, dry_run=False, today=unit.today(), now=unit.now(),
                     decisions=decisions)
    return ActionResult(report, ChangeSet(customer_list=report.applied, tasks=report.applied),
                        message=report.refused or "", changed_data=import_changed_data(report.summary()))


def preview_import_report(database, today: dt.date, now: dt.datetime, source: ImportSource,
                          column_map: ColumnMap | None, *, kind: ImportKind | None = None, region: str | None = None,
                          all_or_nothing: bool = False):
    """What `import_file` would report, nothing written (a dry run: a read, not an action)."""
    return _import(database, kind or source_kind(column_map), source, column_map, region=region,
                   all_or_nothing=all_or_nothing, dry_run=True, today=today, now=now, decisions=None)


def _import(database, kind: ImportKind, source: ImportSource, column_map: ColumnMap | None, *, region: str | None,
            all_or_nothing: bool, dry_run: bool, today: dt.date, now: dt.datetime, decisions: Mapping | None):
    common = dict(region=region, all_or_nothing=all_or_nothing, dry_run=dry_run)
    if kind is ImportKind.QUOTES:
        return import_quotes(database, source, column_map, today=today, **common)
    if kind is ImportKind.REWARDS:
        return import_rewards(database, source, column_map, today=today, **common)
    if kind is ImportKind.PURCHASES:
        return import_purchases(database, source, column_map, **common)
    return import_customers(database, source, column_map, today=today, now=now, decisions=decisions, **common)
