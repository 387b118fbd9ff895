"""Bringing customers, purchase history, quotes and reward cards in from other systems' exports.

The steps a wizard (or the command line) drives, each returning a plain value:

    source = read_import_file(path, kind)            # encoding, delimiter, rows with line numbers
    column_map = suggest_mapping(source, kind)       # what each column means; .changed({...}) to edit
    plan = preview_customer_import(db, source, column_map)   # or preview_purchase/quote/reward_import
    report = import_customers(db, source, column_map)        # one transaction: all of the good rows

Nothing here imports Qt; nothing is written before the last step.

May use: core.storage, core.customers (the contact-field rules every import cleans with),
core.scheduling (what an import brings joins the plan) and the basics.
"""

from core.importing.customers import (
    CustomerImportPlan,
    CustomerImportReport,
    MergeNote,
    PlanAction,
    PlannedCustomer,
    PlannedPhone,
    RowIssue,
    import_customers,
    plan_customer_import,
    preview_customer_import,
)
from core.importing.fields import Field, PurchaseField, QuoteField, RewardField
from core.importing.formats import ImportKind, KnownFormat
from core.importing.mapping import ColumnMap, ColumnMapping, NoUsableColumns, parse_map_options, suggest_mapping
from core.importing.purchases import (
    PlannedPurchase,
    PurchaseImportPlan,
    PurchaseImportReport,
    import_purchases,
    plan_purchase_import,
    preview_purchase_import,
)
from core.importing.quotes import QuoteImportPlan, QuoteImportReport, import_quotes, preview_quote_import
from core.importing.rewards import RewardImportPlan, RewardImportReport, import_rewards, preview_reward_import
from core.importing.reading import (
    EmptyImportFile,
    ImportFileError,
    ImportSource,
    NotATextFile,
    SourceKind,
    read_import_bytes,
    read_import_file,
)

__all__ = [
    "ColumnMap", "ColumnMapping", "CustomerImportPlan", "CustomerImportReport", "EmptyImportFile", "Field",
    "ImportFileError", "ImportKind", "ImportSource", "KnownFormat", "MergeNote", "NoUsableColumns", "NotATextFile",
    "PlanAction", "PlannedCustomer", "PlannedPhone", "PlannedPurchase", "PurchaseField", "PurchaseImportPlan",
    "PurchaseImportReport", "QuoteField", "QuoteImportPlan", "QuoteImportReport", "RewardField", "RewardImportPlan",
    "RewardImportReport", "RowIssue", "SourceKind", "import_customers", "import_purchases", "import_quotes", "import_rewards", "parse_map_options",
    "plan_customer_import", "plan_purchase_import", "preview_customer_import", "preview_purchase_import",
    "preview_quote_import", "preview_reward_import",
    "read_import_bytes", "read_import_file", "suggest_mapping",
]
