"""The batch upload template: the columns we recognise and the example file we hand out."""

from __future__ import annotations

# Canonical columns in template order, with what each holds (also rendered into docs/batch.md).
COLUMNS: dict[str, str] = {
    "record_id": "required; your reference for the record, echoed in every result row",
    "name": "full name in any script; required unless identifiers or bic is given",
    "type": "person, organization, vessel, aircraft or any (empty = any)",
    "country": "ISO 3166-1 alpha-2 codes, several separated by |",
    "dob": "date of birth or incorporation: YYYY, YYYY-MM or YYYY-MM-DD",
    "identifiers": "type:value pairs separated by |, e.g. passport:A1234567|tax_id:99-123",
    "bic": "SWIFT/BIC code of a bank",
    "address": "payment column: postal address of the party",
    "account": "payment column: account number or IBAN",
    "currency": "payment column: ISO 4217 currency code, e.g. USD",
    "amount": "payment column: decimal amount, e.g. 1250.00",
}
REQUIRED = "record_id"
# At least one of these must be a column, or no row could ever be screened.
SCREENABLE = ("name", "identifiers", "bic")
# Header spellings from other vendors' templates that mean one of our columns.
ALIASES: dict[str, str] = {
    "external_identifier": "record_id",
    "entity_type": "type",
    "date_of_birth": "dob",
    "incorporation_date": "dob",
}
# Mapping a header to this name drops the column instead of rejecting the file.
IGNORE = "ignore"

EXAMPLE_ROWS: tuple[tuple[str, ...], ...] = (
    ("C-0001", "Al Huda Bank", "organization", "IQ", "", "", "BHDAIQBA", "", "", "USD", "250000.00"),
    ("C-0002", "مصرف الهدى", "organization", "IQ", "", "", "", "Baghdad", "", "", ""),
    ("C-0003", "Jane Example", "person", "GB|IE", "1980-04", "passport:X1234567", "", "", "", "", ""),
)


def template_csv() -> str:
    """The template as UTF-8 CSV text: header and three example rows."""
    lines = [",".join(COLUMNS)] + [",".join(_quote(v) for v in row) for row in EXAMPLE_ROWS]
    return "\r\n".join(lines) + "\r\n"


def _quote(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ',;"\t') else value
