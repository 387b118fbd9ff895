"""What a column of an import file can mean: the target fields an owner can map a column to.

The string values are what the command line's `--map COLUMN=FIELD` and the wizard's column
picker use, so they are part of the public interface: add values, never rename one.
"""

from __future__ import annotations

from enum import StrEnum


class Field(StrEnum):
    """A customer file's column meanings."""

    NAME = "name"  # a full or display name ("Ada Lovelace", or an accounting system's customer name)
    FIRST_NAME = "first_name"
    MIDDLE_NAME = "middle_name"
    LAST_NAME = "last_name"
    COMPANY = "company"
    PHONE = "phone"
    MOBILE = "mobile"
    HOME_PHONE = "home_phone"
    WORK_PHONE = "work_phone"
    OTHER_PHONE = "other_phone"
    FAX = "fax"
    PHONE_LABEL = "phone_label"  # Google's "Phone 1 - Label": the kind of the paired phone column
    EMAIL = "email"
    ADDRESS = "address"
    ADDRESS_2 = "address_2"
    CITY = "city"
    REGION = "region"
    POSTAL_CODE = "postal_code"
    COUNTRY = "country"
    NOTES = "notes"
    TAGS = "tags"
    BIRTHDAY = "birthday"
    LAST_PURCHASE = "last_purchase"
    TOTAL_SPENT = "total_spent"
    ORDER_COUNT = "order_count"
    EXTERNAL_ID = "external_id"
    DO_NOT_CALL = "do_not_call"  # "yes"/"true"/"1" sets do-not-call; an import never clears it
    IGNORE = "ignore"


class PurchaseField(StrEnum):
    """An orders or line-items file's column meanings."""

    ORDER_ID = "order_id"
    LINE_ID = "line_id"
    DATE = "date"
    SKU = "sku"
    PRODUCT = "product"
    CATEGORY = "category"
    QUANTITY = "quantity"
    AMOUNT = "amount"  # the line's total
    UNIT_PRICE = "unit_price"
    CUSTOMER_ID = "customer_id"  # the customer's id in the point-of-sale (Customer.external_id)
    CUSTOMER_EMAIL = "customer_email"
    CUSTOMER_PHONE = "customer_phone"
    CUSTOMER_NAME = "customer_name"
    KIND = "kind"  # sale or installation
    IGNORE = "ignore"


class QuoteField(StrEnum):
    """A quotes file's column meanings (customer columns as in a purchases file)."""

    CUSTOMER_ID = "customer_id"
    CUSTOMER_EMAIL = "customer_email"
    CUSTOMER_PHONE = "customer_phone"
    CUSTOMER_NAME = "customer_name"
    WHAT = "what"  # what the quote is for
    AMOUNT = "amount"
    SENT = "sent"  # the day it was sent
    STATUS = "status"  # open, won or lost (accepted, declined, expired... are read as such)
    DECIDED = "decided"  # the day it was won or lost
    STAFF = "staff"  # the caller who sent it, by name
    IGNORE = "ignore"


class RewardField(StrEnum):
    """A reward cards file's column meanings."""

    CUSTOMER_ID = "customer_id"
    CUSTOMER_EMAIL = "customer_email"
    CUSTOMER_PHONE = "customer_phone"
    CUSTOMER_NAME = "customer_name"
    STAMPS = "stamps"
    STAMPS_NEEDED = "stamps_needed"
    REWARDS_REDEEMED = "rewards_redeemed"
    LAST_STAMP = "last_stamp"
    IGNORE = "ignore"


# The label each phone field gives its number; None lets a paired label column decide.
PHONE_FIELD_LABELS: dict[Field, str | None] = {
    Field.PHONE: None,
    Field.MOBILE: "mobile",
    Field.HOME_PHONE: "home",
    Field.WORK_PHONE: "work",
    Field.OTHER_PHONE: "other",
    Field.FAX: "fax",
}

# A record is a customer only if at least one column says who it is or how to reach them.
IDENTITY_FIELDS = frozenset({Field.NAME, Field.FIRST_NAME, Field.LAST_NAME, Field.COMPANY, Field.EMAIL,
                             *PHONE_FIELD_LABELS})
PURCHASE_CUSTOMER_FIELDS = frozenset({PurchaseField.CUSTOMER_ID, PurchaseField.CUSTOMER_EMAIL,
                                      PurchaseField.CUSTOMER_PHONE, PurchaseField.CUSTOMER_NAME})
PURCHASE_PRODUCT_FIELDS = frozenset({PurchaseField.SKU, PurchaseField.PRODUCT})
# Quotes and reward cards name their customer with the same four columns as purchases.
RECORD_CUSTOMER_FIELDS = frozenset({"customer_id", "customer_email", "customer_phone", "customer_name"})


def normalize_phone_label(raw: str | None) -> str | None:
    """A phone's kind in a few words the app shows: mobile, home, work, main, fax, other..."""
    if raw is None:
        return None
    text = " ".join(str(raw).replace("_$!<", "").replace(">!$_", "").split()).lower().strip("* ")
    if not text or text in ("phone", "tel", "telephone", "voice", "number"):
        return None
    if "fax" in text:
        return "fax"
    if any(word in text for word in ("cell", "mobile", "iphone", "handy", "portable")):
        return "mobile"
    if "pager" in text:
        return "pager"
    if "home" in text:
        return "home"
    if any(word in text for word in ("work", "business", "office")):
        return "work"
    if "main" in text:
        return "main"
    return text[:40]
