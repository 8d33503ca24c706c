"""Every malformed-row kind is rejected with its reason, and rows in = screened + rejected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.batch.rows import RejectedRow, RejectReason, ScreenableRow
from app.lists.models import EntityKind, IdentifierType
from tests.batch.conftest import read_rows

HEADER = "record_id,name,type,country,dob,identifiers,bic,currency,amount\n"

BAD_ROWS: list[tuple[str, RejectReason]] = [
    ("m1,,,,,,,,", RejectReason.MISSING_NAME),
    ("m2,   ,person,,,,,,", RejectReason.MISSING_NAME),
    (",Ann,,,,,,,", RejectReason.MISSING_RECORD_ID),
    ("d1,Ann,,,1970-13-45x,,,,", RejectReason.BAD_DATE),
    ("d2,Ann,,,12/03/1970,,,,", RejectReason.BAD_DATE),
    (f"o1,{'A' * 201},,,,,,,", RejectReason.OVERLONG_FIELD),
    ("c1,Ann,person", RejectReason.WRONG_COLUMN_COUNT),
    ("c2,Ann,,,,,,,,,extra", RejectReason.WRONG_COLUMN_COUNT),
    ("v1,Ann,dragon,,,,,,", RejectReason.INVALID_VALUE),
    ("v2,Ann,,Iraq,,,,,", RejectReason.INVALID_VALUE),
    ("v3,Ann,,,,shoe:12,,,", RejectReason.INVALID_VALUE),
    ("v4,Ann,,,,,,dollars,", RejectReason.INVALID_VALUE),
    ("v5,Ann,,,,,,,lots", RejectReason.INVALID_VALUE),
    ('q1,"Ann,,,,,,,,', RejectReason.UNBALANCED_QUOTES),
]


@pytest.mark.parametrize(("line", "reason"), BAD_ROWS, ids=[r[0][:8] for r in BAD_ROWS])
def test_each_malformed_row_kind_is_rejected_with_its_reason(
    write_file: Callable[[bytes], Path], line: str, reason: RejectReason
) -> None:
    rows = read_rows(write_file(f"{HEADER}{line}\nok,Fine Name,,,,,,,\n".encode()))
    assert len(rows) == 2
    assert isinstance(rows[0], RejectedRow)
    assert rows[0].reason is reason
    assert rows[0].detail
    assert isinstance(rows[1], ScreenableRow)  # a bad row never stops the rows after it


def test_undecodable_bytes_are_rejected(write_file: Callable[[bytes], Path]) -> None:
    rows = read_rows(write_file(HEADER.encode() + b"u1,\xff\xfe\xfa,,,,,,,\n"))
    assert isinstance(rows[0], RejectedRow)
    assert rows[0].reason is RejectReason.UNDECODABLE


def test_good_row_becomes_a_full_query(write_file: Callable[[bytes], Path]) -> None:
    line = "g1,Al Huda Bank,Bank,iq|IR,1999,passport:A 123|tax_id:77,BHDAIQBA,usd,\"1,250.50\"\n"
    row = read_rows(write_file((HEADER + line).encode()))[0]
    assert isinstance(row, ScreenableRow)
    assert row.query.kind is EntityKind.ORGANIZATION
    assert row.query.countries == ("IQ", "IR")
    assert row.query.birth_date == "1999"
    assert {i.type for i in row.query.identifiers} == {IdentifierType.BIC, IdentifierType.PASSPORT, IdentifierType.TAX_ID}
    assert row.attributes == {"currency": "USD", "amount": "1250.50"}


def test_identifiers_alone_are_screenable(write_file: Callable[[bytes], Path]) -> None:
    row = read_rows(write_file((HEADER + "b1,,,,,,BHDAIQBA,,\n").encode()))[0]
    assert isinstance(row, ScreenableRow)
    assert row.query.name == ""


def test_ten_thousand_rows_with_three_bad_reconcile(write_file: Callable[[bytes], Path]) -> None:
    # R13's acceptance test: 10k rows with 3 bad -> 9,997 screenable + 3 rejected.
    lines = [f"r{i},Customer {i},,,,,,," for i in range(10_000)]
    lines[10], lines[5000], lines[9999] = "r10,,,,,,,,", "r5000,X,,,1970-99,,,,", "r9999,too,few"
    rows = read_rows(write_file((HEADER + "\n".join(lines) + "\n").encode()))
    rejected = [r for r in rows if isinstance(r, RejectedRow)]
    assert len(rows) == 10_000
    assert len(rows) - len(rejected) == 9_997
    assert [r.row_number for r in rejected] == [11, 5001, 10_000]
    assert [r.row_number for r in rows] == list(range(1, 10_001))
