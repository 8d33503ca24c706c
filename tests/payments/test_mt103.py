from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.core.errors import PaymentMessageError
from app.payments.mt103 import parse_mt103

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payments"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_option_k_and_d_with_header_banks() -> None:
    tx = parse_mt103(read("mt103_union_bank_usd.txt"))
    assert (tx.currency, tx.amount, tx.value_date, tx.reference) == (
        "USD",
        Decimal("52000.00"),
        "2025-05-02",
        "HVT0502-7781",
    )
    assert tx.originator.name == "LAKESIDE AGRICULTURAL MACHINERY INC"
    assert tx.originator.account == "000123456789"
    assert tx.originator.bank is not None
    assert tx.originator.bank.bic == "HVTCUS33"
    assert tx.beneficiary.bank is not None
    assert tx.beneficiary.bank.name == "UNION BANK OF IRAQ"
    assert tx.beneficiary.address == "HILLAH, BABIL, IRAQ"
    assert [(b.bic, b.via) for b in tx.intermediaries] == [("TGRSIQBA", "receiver")]
    assert tx.purpose == "PO 88213 SPARE PARTS FOR HARVESTERS"


def test_option_f_and_intermediary() -> None:
    tx = parse_mt103(read("mt103_iran_beneficiary.txt"))
    assert tx.originator.country == "IQ"
    assert tx.beneficiary.name == "ARYA PETRO TRADING"
    assert tx.beneficiary.country == "IR"
    assert tx.beneficiary.address == "NO 17 VALIASR AVENUE, TEHRAN"
    assert [(b.bic, b.via) for b in tx.intermediaries] == [
        ("GULFAEAD", "56A"),
        ("HVTCUS33", "receiver"),
    ]
    assert tx.purpose == "/INV/AP-2025-331 FREIGHT | /ACC/PLS CREDIT ON RECEIPT"


def test_bare_block_4_and_option_a_customer() -> None:
    tx = parse_mt103(
        ":20:REF1\n:32A:250101USD10,\n:50A:/123\nTGRSIQBA\n:56A:BHDAIQBA\n:59A:GULFAEAD\n"
    )
    assert tx.originator.name == "TGRSIQBA"
    assert tx.beneficiary.country == "AE"
    assert [b.bic for b in tx.intermediaries] == ["BHDAIQBA"]


@pytest.mark.parametrize(
    ("text", "field", "detail"),
    [
        (read("mt103_bad_amount.txt"), "field 32A", "bad amount"),
        (read("mt103_bad_bic.txt"), "field 57A", "bad BIC"),
        (":20:X\n:32A:251301USD10,00\n:50K:A\n:59:B\n", "field 32A", "bad date"),
        (":20:X\n:32A:250101USD10,00\n:59:B\n", "field 50a", "missing"),
        (":32A:250101USD10,00\n:50K:A\n:59:B\n", "field 20", "missing"),
        ("hello", "block 4", "no :tag: fields"),
    ],
)
def test_malformed_messages_name_the_field(text: str, field: str, detail: str) -> None:
    with pytest.raises(PaymentMessageError) as raised:
        parse_mt103(text)
    assert raised.value.field == field
    assert detail in raised.value.detail
