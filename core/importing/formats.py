"""The column names of the exports owners really have, and which field each one means.

A `KnownFormat` is recognised by a few headers only its export has (its signature); its
overrides settle the headers whose meaning depends on the system (Shopify's orders "Name" is
the order number, Xero's "ContactName" is the business). Every other header goes through one
shared alias table, so a hand-made file with ordinary column names maps itself too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from core.importing.fields import Field, PurchaseField, QuoteField, RewardField


class ImportKind(StrEnum):
    CUSTOMERS = "customers"
    PURCHASES = "purchases"
    QUOTES = "quotes"
    REWARDS = "rewards"


# What a column can mean in each kind of file.
FIELDS_FOR_KIND: dict[ImportKind, type[StrEnum]] = {
    ImportKind.CUSTOMERS: Field, ImportKind.PURCHASES: PurchaseField,
    ImportKind.QUOTES: QuoteField, ImportKind.REWARDS: RewardField,
}


def header_key(header: str) -> str:
    """A header reduced to lower-case words: 'E-mail 1 - Value' -> 'e mail 1 value'."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.replace("\ufeff", "").lower()).split())


@dataclass(frozen=True)
class KnownFormat:
    key: str
    label: str
    kind: ImportKind
    signatures: tuple[frozenset[str], ...]  # any one complete set of header keys identifies the export
    overrides: Mapping[str, StrEnum] = field(default_factory=dict)

    def matches(self, keys: set[str]) -> int:
        """How strongly the headers match: the size of the largest complete signature, 0 for none."""
        return max((len(sig) for sig in self.signatures if sig <= keys), default=0)


def _sig(*headers: str) -> frozenset[str]:
    return frozenset(header_key(h) for h in headers)


def _overrides(pairs: Mapping[str, StrEnum]) -> dict[str, StrEnum]:
    return {header_key(h): f for h, f in pairs.items()}


F = Field
P = PurchaseField

CUSTOMER_FORMATS: tuple[KnownFormat, ...] = (
    KnownFormat("callahead", "CallAhead customers export", ImportKind.CUSTOMERS,
                (_sig("CallAhead ID", "Other phones"),),
                _overrides({"CallAhead ID": F.IGNORE, "Name": F.NAME, "Phone": F.PHONE, "Other phones": F.PHONE})),
    KnownFormat("square", "Square customers export", ImportKind.CUSTOMERS,
                (_sig("Square Customer ID", "Transaction Count"),),
                _overrides({"Reference ID": F.IGNORE, "Nickname": F.IGNORE, "Memo": F.NOTES,
                            "Last Visit": F.LAST_PURCHASE, "First Visit": F.IGNORE})),
    KnownFormat("shopify", "Shopify customers export", ImportKind.CUSTOMERS,
                (_sig("Accepts Email Marketing", "Total Orders"), _sig("Accepts Marketing", "Total Orders")),
                _overrides({"Note": F.NOTES, "Default Address Phone": F.PHONE, "Phone": F.PHONE})),
    KnownFormat("woocommerce", "WooCommerce customers export", ImportKind.CUSTOMERS,
                (_sig("Username", "Last active", "Total spend"), _sig("billing_email", "billing_first_name")),
                _overrides({"Name": F.NAME, "Username": F.IGNORE, "Orders": F.ORDER_COUNT,
                            "Last active": F.LAST_PURCHASE, "Date registered": F.IGNORE, "AOV": F.IGNORE,
                            "Region": F.REGION})),
    KnownFormat("lightspeed_r", "Lightspeed Retail (R-Series) customers export", ImportKind.CUSTOMERS,
                (_sig("Customer ID", "Customer Type", "Mobile Phone"),),
                _overrides({"Title": F.IGNORE, "Customer Type": F.IGNORE, "Pager": F.IGNORE})),
    KnownFormat("lightspeed_x", "Lightspeed Retail (X-Series) customers export", ImportKind.CUSTOMERS,
                (_sig("customer_code", "customer_group_name"),),
                _overrides({"customer_code": F.EXTERNAL_ID, "customer_group_name": F.TAGS,
                            "year_to_date": F.IGNORE, "balance": F.IGNORE})),
    KnownFormat("quickbooks_online", "QuickBooks Online customer contact list", ImportKind.CUSTOMERS,
                (_sig("Customer", "Phone Numbers", "Full Name"),),
                _overrides({"Customer": F.COMPANY, "Full Name": F.NAME, "Phone Numbers": F.PHONE,
                            "Billing Address": F.ADDRESS, "Shipping Address": F.IGNORE})),
    KnownFormat("quickbooks_desktop", "QuickBooks Desktop customer contact list", ImportKind.CUSTOMERS,
                (_sig("Customer", "Bill to", "Primary Contact"),),
                _overrides({"Customer": F.COMPANY, "Primary Contact": F.NAME, "Bill to": F.ADDRESS,
                            "Main Phone": F.PHONE, "Balance Total": F.IGNORE})),
    KnownFormat("xero", "Xero contacts export", ImportKind.CUSTOMERS,
                (_sig("ContactName", "POAddressLine1"), _sig("*ContactName", "POAddressLine1")),
                _overrides({"ContactName": F.COMPANY, "AccountNumber": F.EXTERNAL_ID, "POAttentionTo": F.IGNORE,
                            "POAddressLine1": F.ADDRESS, "POAddressLine2": F.ADDRESS_2, "POCity": F.CITY,
                            "PORegion": F.REGION, "POPostalCode": F.POSTAL_CODE, "POCountry": F.COUNTRY,
                            "PhoneNumber": F.WORK_PHONE, "MobileNumber": F.MOBILE, "FaxNumber": F.FAX,
                            "DDINumber": F.OTHER_PHONE, "ContactGroups": F.TAGS})),
    KnownFormat("google", "Google Contacts CSV", ImportKind.CUSTOMERS,
                (_sig("Organization Name", "Labels", "File As"),),
                _overrides({"Labels": F.TAGS, "Nickname": F.IGNORE, "File As": F.IGNORE,
                            "Organization Title": F.IGNORE, "Organization Department": F.IGNORE})),
    KnownFormat("google_legacy", "Google Contacts CSV (legacy)", ImportKind.CUSTOMERS,
                (_sig("Given Name", "Family Name", "Group Membership"),),
                _overrides({"Name": F.NAME, "Group Membership": F.TAGS, "Organization 1 - Name": F.COMPANY,
                            "Location": F.IGNORE, "Nickname": F.IGNORE})),
    KnownFormat("outlook", "Outlook CSV (desktop)", ImportKind.CUSTOMERS,
                (_sig("E-mail Display Name", "Business Street 2"),),
                _overrides({"Categories": F.TAGS, "Title": F.IGNORE, "Location": F.IGNORE, "Keywords": F.IGNORE})),
    KnownFormat("outlook_com", "Outlook.com CSV", ImportKind.CUSTOMERS,
                (_sig("Given Yomi", "Surname Yomi"),),
                _overrides({"Title": F.IGNORE, "Location": F.IGNORE})),
)

PURCHASE_FORMATS: tuple[KnownFormat, ...] = (
    KnownFormat("shopify_orders", "Shopify orders export", ImportKind.PURCHASES,
                (_sig("Lineitem name", "Lineitem quantity"),),
                _overrides({"Name": P.ORDER_ID, "Email": P.CUSTOMER_EMAIL, "Created at": P.DATE,
                            "Lineitem quantity": P.QUANTITY, "Lineitem name": P.PRODUCT, "Lineitem price": P.UNIT_PRICE,
                            "Lineitem sku": P.SKU, "Billing Name": P.CUSTOMER_NAME, "Billing Phone": P.CUSTOMER_PHONE,
                            "Phone": P.CUSTOMER_PHONE, "Id": P.IGNORE, "Total": P.IGNORE, "Subtotal": P.IGNORE})),
    KnownFormat("square_item_sales", "Square item sales export", ImportKind.PURCHASES,
                (_sig("Gross Sales", "Transaction ID", "Item"),),
                _overrides({"Item": P.PRODUCT, "Qty": P.QUANTITY, "Gross Sales": P.AMOUNT, "Net Sales": P.IGNORE,
                            "Transaction ID": P.ORDER_ID, "Customer ID": P.CUSTOMER_ID, "Customer Name": P.CUSTOMER_NAME,
                            "Event Type": P.KIND, "Category": P.CATEGORY, "Customer Reference ID": P.IGNORE})),
    KnownFormat("woocommerce_orders", "WooCommerce orders export", ImportKind.PURCHASES,
                (_sig("Order Number", "Item Name", "Item Cost"),),
                _overrides({"Order ID": P.IGNORE, "Order Total": P.IGNORE, "Item #": P.LINE_ID})),
)

CUSTOMER_ALIASES: dict[str, Field] = {header_key(h): f for h, f in {
    "name": F.NAME, "full name": F.NAME, "display name": F.NAME, "contact name": F.NAME, "customer name": F.NAME,
    "contact": F.NAME, "customer": F.NAME, "client": F.NAME, "nom": F.NAME,
    "first name": F.FIRST_NAME, "firstname": F.FIRST_NAME, "given name": F.FIRST_NAME, "first": F.FIRST_NAME,
    "forename": F.FIRST_NAME, "billing first name": F.FIRST_NAME, "vorname": F.FIRST_NAME, "prénom": F.FIRST_NAME,
    "middle name": F.MIDDLE_NAME, "additional name": F.MIDDLE_NAME, "m i": F.MIDDLE_NAME,
    "last name": F.LAST_NAME, "lastname": F.LAST_NAME, "surname": F.LAST_NAME, "family name": F.LAST_NAME,
    "last": F.LAST_NAME, "billing last name": F.LAST_NAME, "nachname": F.LAST_NAME,
    "company": F.COMPANY, "company name": F.COMPANY, "organization": F.COMPANY, "organisation": F.COMPANY,
    "organization name": F.COMPANY, "business": F.COMPANY, "business name": F.COMPANY, "companyname": F.COMPANY,
    "billing company": F.COMPANY, "default address company": F.COMPANY, "firma": F.COMPANY,
    "phone": F.PHONE, "phone number": F.PHONE, "telephone": F.PHONE, "tel": F.PHONE, "primary phone": F.PHONE,
    "main phone": F.PHONE, "phone numbers": F.PHONE, "billing phone": F.PHONE, "phonenumber": F.PHONE,
    "default address phone": F.PHONE, "telefon": F.PHONE, "téléphone": F.PHONE,
    "mobile": F.MOBILE, "mobile phone": F.MOBILE, "cell": F.MOBILE, "cell phone": F.MOBILE,
    "mobile number": F.MOBILE, "mobilenumber": F.MOBILE, "cellphone": F.MOBILE,
    "home phone": F.HOME_PHONE, "home phone 2": F.HOME_PHONE,
    "work phone": F.WORK_PHONE, "business phone": F.WORK_PHONE, "business phone 2": F.WORK_PHONE,
    "company main phone": F.WORK_PHONE, "office phone": F.WORK_PHONE,
    "other phone": F.OTHER_PHONE, "alt phone": F.OTHER_PHONE, "car phone": F.OTHER_PHONE,
    "alternate phone": F.OTHER_PHONE,
    "fax": F.FAX, "business fax": F.FAX, "home fax": F.FAX, "other fax": F.FAX, "fax number": F.FAX,
    "email": F.EMAIL, "e mail": F.EMAIL, "email address": F.EMAIL, "e mail address": F.EMAIL,
    "e mail 2 address": F.EMAIL, "e mail 3 address": F.EMAIL, "email 2": F.EMAIL, "emailaddress": F.EMAIL,
    "mail": F.EMAIL, "billing email": F.EMAIL, "main email": F.EMAIL, "courriel": F.EMAIL,
    "address": F.ADDRESS, "street": F.ADDRESS, "street address": F.ADDRESS, "street address 1": F.ADDRESS,
    "address1": F.ADDRESS, "address 1": F.ADDRESS, "address line 1": F.ADDRESS, "billing address 1": F.ADDRESS,
    "default address address1": F.ADDRESS, "business street": F.ADDRESS, "home street": F.ADDRESS,
    "physical address 1": F.ADDRESS, "billing address": F.ADDRESS,
    "address2": F.ADDRESS_2, "address 2": F.ADDRESS_2, "street address 2": F.ADDRESS_2,
    "address line 2": F.ADDRESS_2, "billing address 2": F.ADDRESS_2, "default address address2": F.ADDRESS_2,
    "physical address 2": F.ADDRESS_2, "business street 2": F.ADDRESS_2, "home street 2": F.ADDRESS_2,
    "city": F.CITY, "town": F.CITY, "billing city": F.CITY, "default address city": F.CITY,
    "business city": F.CITY, "home city": F.CITY, "physical city": F.CITY,
    "state": F.REGION, "province": F.REGION, "region": F.REGION, "province code": F.REGION,
    "state province": F.REGION, "billing state": F.REGION, "default address province code": F.REGION,
    "business state": F.REGION, "home state": F.REGION, "physical state": F.REGION,
    "zip": F.POSTAL_CODE, "zip code": F.POSTAL_CODE, "postal code": F.POSTAL_CODE, "postcode": F.POSTAL_CODE,
    "billing postcode": F.POSTAL_CODE, "default address zip": F.POSTAL_CODE, "business postal code": F.POSTAL_CODE,
    "home postal code": F.POSTAL_CODE, "physical postcode": F.POSTAL_CODE,
    "country": F.COUNTRY, "country code": F.COUNTRY, "country region": F.COUNTRY, "billing country": F.COUNTRY,
    "default address country code": F.COUNTRY, "business country region": F.COUNTRY,
    "home country region": F.COUNTRY, "physical country id": F.COUNTRY,
    "notes": F.NOTES, "note": F.NOTES, "comments": F.NOTES, "comment": F.NOTES, "memo": F.NOTES,
    "tags": F.TAGS, "groups": F.TAGS, "group": F.TAGS, "categories": F.TAGS, "labels": F.TAGS,
    "customer group": F.TAGS, "customer groups": F.TAGS,
    "birthday": F.BIRTHDAY, "birth date": F.BIRTHDAY, "date of birth": F.BIRTHDAY, "dob": F.BIRTHDAY,
    "birthdate": F.BIRTHDAY,
    "last purchase": F.LAST_PURCHASE, "last purchase date": F.LAST_PURCHASE, "last visit": F.LAST_PURCHASE,
    "last order": F.LAST_PURCHASE, "last order date": F.LAST_PURCHASE, "last active": F.LAST_PURCHASE,
    "total spent": F.TOTAL_SPENT, "total spend": F.TOTAL_SPENT, "lifetime spend": F.TOTAL_SPENT,
    "lifetime value": F.TOTAL_SPENT, "total sales": F.TOTAL_SPENT, "amount spent": F.TOTAL_SPENT,
    "order count": F.ORDER_COUNT, "orders": F.ORDER_COUNT, "total orders": F.ORDER_COUNT,
    "transaction count": F.ORDER_COUNT, "number of orders": F.ORDER_COUNT, "visits": F.ORDER_COUNT,
    "customer id": F.EXTERNAL_ID, "square customer id": F.EXTERNAL_ID, "external id": F.EXTERNAL_ID,
    "account number": F.EXTERNAL_ID, "customer number": F.EXTERNAL_ID, "client id": F.EXTERNAL_ID,
    "do not call": F.DO_NOT_CALL, "dnc": F.DO_NOT_CALL,
}.items()}

# Numbered columns (Google's "Phone 2 - Value", Outlook's "E-mail 3 Address") keep their pairing number.
CUSTOMER_PATTERNS: tuple[tuple[re.Pattern[str], Field], ...] = (
    (re.compile(r"^e mail \d+ value$"), F.EMAIL),
    (re.compile(r"^e mail \d+ address$"), F.EMAIL),
    (re.compile(r"^phone \d+ value$"), F.PHONE),
    (re.compile(r"^phone \d+ (type|label)$"), F.PHONE_LABEL),
    (re.compile(r"^address 1 street$"), F.ADDRESS),
    (re.compile(r"^address 1 extended address$"), F.ADDRESS_2),
    (re.compile(r"^address 1 city$"), F.CITY),
    (re.compile(r"^address 1 region$"), F.REGION),
    (re.compile(r"^address 1 postal code$"), F.POSTAL_CODE),
    (re.compile(r"^address 1 country$"), F.COUNTRY),
    (re.compile(r"^organization 1 name$"), F.COMPANY),
)

PURCHASE_ALIASES: dict[str, PurchaseField] = {header_key(h): f for h, f in {
    "order id": P.ORDER_ID, "order": P.ORDER_ID, "order number": P.ORDER_ID, "order no": P.ORDER_ID,
    "invoice": P.ORDER_ID, "invoice number": P.ORDER_ID, "invoice no": P.ORDER_ID, "receipt": P.ORDER_ID,
    "receipt number": P.ORDER_ID, "transaction id": P.ORDER_ID, "sale id": P.ORDER_ID,
    "line id": P.LINE_ID, "line item id": P.LINE_ID, "lineitem id": P.LINE_ID,
    "date": P.DATE, "order date": P.DATE, "purchase date": P.DATE, "sale date": P.DATE, "invoice date": P.DATE,
    "created at": P.DATE, "purchased on": P.DATE, "transaction date": P.DATE,
    "sku": P.SKU, "product sku": P.SKU, "item sku": P.SKU, "product code": P.SKU, "item code": P.SKU,
    "product": P.PRODUCT, "product name": P.PRODUCT, "item": P.PRODUCT, "item name": P.PRODUCT,
    "description": P.PRODUCT, "product service": P.PRODUCT,
    "category": P.CATEGORY, "product category": P.CATEGORY,
    "quantity": P.QUANTITY, "qty": P.QUANTITY, "units": P.QUANTITY,
    "amount": P.AMOUNT, "line total": P.AMOUNT, "total": P.AMOUNT, "line amount": P.AMOUNT,
    "gross sales": P.AMOUNT, "sales": P.AMOUNT,
    "price": P.UNIT_PRICE, "unit price": P.UNIT_PRICE, "rate": P.UNIT_PRICE, "item cost": P.UNIT_PRICE,
    "customer id": P.CUSTOMER_ID, "pos id": P.CUSTOMER_ID, "external id": P.CUSTOMER_ID,
    "customer number": P.CUSTOMER_ID, "account number": P.CUSTOMER_ID,
    "email": P.CUSTOMER_EMAIL, "e mail": P.CUSTOMER_EMAIL, "customer email": P.CUSTOMER_EMAIL,
    "billing email": P.CUSTOMER_EMAIL, "email address": P.CUSTOMER_EMAIL,
    "phone": P.CUSTOMER_PHONE, "customer phone": P.CUSTOMER_PHONE, "billing phone": P.CUSTOMER_PHONE,
    "phone number": P.CUSTOMER_PHONE,
    "customer": P.CUSTOMER_NAME, "customer name": P.CUSTOMER_NAME, "name": P.CUSTOMER_NAME,
    "billing name": P.CUSTOMER_NAME, "billing first name": P.CUSTOMER_NAME, "billing last name": P.CUSTOMER_NAME,
    "client": P.CUSTOMER_NAME,
    "kind": P.KIND, "type": P.KIND, "event type": P.KIND,
}.items()}


Q = QuoteField
R = RewardField
_RECORD_CUSTOMER_ALIASES = {
    "customer id": "customer_id", "pos id": "customer_id", "external id": "customer_id",
    "customer number": "customer_id", "account number": "customer_id",
    "email": "customer_email", "e mail": "customer_email", "customer email": "customer_email",
    "email address": "customer_email",
    "phone": "customer_phone", "customer phone": "customer_phone", "phone number": "customer_phone",
    "customer": "customer_name", "customer name": "customer_name", "name": "customer_name", "client": "customer_name",
}
QUOTE_ALIASES: dict[str, QuoteField] = {key: Q(meaning) for key, meaning in _RECORD_CUSTOMER_ALIASES.items()} | {
    header_key(h): f for h, f in {
        "what": Q.WHAT, "description": Q.WHAT, "item": Q.WHAT, "work": Q.WHAT, "job": Q.WHAT, "quote": Q.WHAT,
        "quote for": Q.WHAT, "subject": Q.WHAT,
        "amount": Q.AMOUNT, "total": Q.AMOUNT, "quote amount": Q.AMOUNT, "value": Q.AMOUNT, "price": Q.AMOUNT,
        "sent": Q.SENT, "sent on": Q.SENT, "date sent": Q.SENT, "date": Q.SENT, "quote date": Q.SENT,
        "estimate date": Q.SENT, "created": Q.SENT,
        "status": Q.STATUS, "state": Q.STATUS, "outcome": Q.STATUS,
        "decided": Q.DECIDED, "decided on": Q.DECIDED, "closed": Q.DECIDED, "closed on": Q.DECIDED,
        "accepted date": Q.DECIDED,
        "staff": Q.STAFF, "sent by": Q.STAFF, "salesperson": Q.STAFF, "sales rep": Q.STAFF, "rep": Q.STAFF,
        "owner": Q.STAFF,
    }.items()}
REWARD_ALIASES: dict[str, RewardField] = {key: R(meaning) for key, meaning in _RECORD_CUSTOMER_ALIASES.items()} | {
    header_key(h): f for h, f in {
        "stamps": R.STAMPS, "stamp count": R.STAMPS, "points": R.STAMPS, "punches": R.STAMPS, "visits": R.STAMPS,
        "stamps needed": R.STAMPS_NEEDED, "card size": R.STAMPS_NEEDED, "stamps for reward": R.STAMPS_NEEDED,
        "reward at": R.STAMPS_NEEDED, "goal": R.STAMPS_NEEDED,
        "rewards redeemed": R.REWARDS_REDEEMED, "redeemed": R.REWARDS_REDEEMED, "rewards": R.REWARDS_REDEEMED,
        "last stamp": R.LAST_STAMP, "last stamp on": R.LAST_STAMP, "last visit": R.LAST_STAMP,
    }.items()}
_RECORD_ALIASES = {ImportKind.QUOTES: QUOTE_ALIASES, ImportKind.REWARDS: REWARD_ALIASES}


def formats_for(kind: ImportKind) -> tuple[KnownFormat, ...]:
    if kind in _RECORD_ALIASES:
        return ()  # quotes and cards come from spreadsheets with ordinary column names
    return CUSTOMER_FORMATS if kind is ImportKind.CUSTOMERS else PURCHASE_FORMATS


def detect_format(headers: Iterable[str], kind: ImportKind) -> KnownFormat | None:
    """The known export these headers come from, or None for a file of ordinary column names."""
    keys = {header_key(h) for h in headers}
    scored = [(known.matches(keys), index, known) for index, known in enumerate(formats_for(kind))]
    best = max(scored, key=lambda item: (item[0], -item[1]), default=(0, 0, None))
    return best[2] if best[0] else None


def field_for_header(header: str, kind: ImportKind, known: KnownFormat | None = None) -> StrEnum | None:
    """What a header means in this kind of file; None when it is not recognised."""
    key = header_key(header)
    if not key:
        return None
    if known is not None and key in known.overrides:
        return known.overrides[key]
    if kind is ImportKind.PURCHASES:
        return PURCHASE_ALIASES.get(key)
    if kind in _RECORD_ALIASES:
        return _RECORD_ALIASES[kind].get(key)
    if key in CUSTOMER_ALIASES:
        return CUSTOMER_ALIASES[key]
    for pattern, meaning in CUSTOMER_PATTERNS:
        if pattern.match(key):
            return meaning
    return None


def recognised_count(headers: Iterable[str], kind: ImportKind) -> int:
    """How many headers mean something: used to find the header line below a title or two."""
    return sum(1 for h in headers if field_for_header(h, kind) not in (None, Field.IGNORE, PurchaseField.IGNORE))
