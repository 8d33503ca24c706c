from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from app.core.errors import PaymentMessageError
from app.payments.pacs008 import parse_pacs008

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payments"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_parties_banks_chain_and_purpose() -> None:
    (tx,) = parse_pacs008(read("pacs008_alhuda_intermediary.xml"))
    assert (tx.currency, tx.amount, tx.value_date, tx.reference) == (
        "USD",
        Decimal("184500.00"),
        "2025-03-14",
        "INV-2025-0417",
    )
    assert tx.originator.name == "Dijla Food Import Company"
    assert tx.originator.type == "organization"
    assert tx.originator.country == "IQ"
    assert tx.originator.account == "IQ20TGRS001001234567890"
    assert tx.originator.bank is not None
    assert tx.originator.bank.bic == "TGRSIQBA"
    assert tx.beneficiary.bank is not None
    assert tx.beneficiary.bank.name == "Gulf Coast Bank"
    assert tx.beneficiary.address == "Dubai, AE, Office 1204, Al Moosa Tower 2"
    # InstgAgt repeats the debtor agent and is not screened twice; InstdAgt is.
    assert [(b.bic, b.via) for b in tx.intermediaries] == [
        ("BHDAIQBA", "IntrmyAgt1"),
        ("HVTCUS33", "InstdAgt"),
    ]


def test_envelope_several_transfers_and_free_text() -> None:
    first, second = parse_pacs008(read("pacs008_two_transfers_arabic_purpose.xml"))
    assert first.beneficiary.name == "Emirates Surgical Trading FZE"
    assert second.purpose == "تبرع لعوائل كتائب حزب الله | URGENT"
    assert "purpose GDDS" in parse_pacs008(read("pacs008_union_bank_usd.xml"))[0].purpose


@pytest.mark.parametrize(
    ("data", "field", "detail"),
    [
        (read("pacs008_missing_ccy.xml"), "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt", "missing Ccy"),
        (read("pacs008_doctype.xml"), "Document", "DOCTYPE and ENTITY declarations are refused"),
        (b"<Document><FIToFICstmrCdtTrf>", "Document", "not well-formed XML"),
        (b"<Document><Other/></Document>", "Document", "not a pacs.008"),
        (read("pacs008_union_bank_usd.xml").replace(b"<Nm>Lakeside Agricultural Machinery Inc</Nm>", b""),
         "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/Dbtr/Nm", "missing"),
        (read("pacs008_union_bank_usd.xml").replace(b"HVTCUS33", b"HVTC-US"),
         "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/DbtrAgt/FinInstnId/BICFI", "not a BIC"),
        (read("pacs008_union_bank_usd.xml").replace(b">52000.00<", b">52,000<"),
         "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt", "bad amount"),
        (read("pacs008_union_bank_usd.xml").replace(b"<Ctry>IQ</Ctry></PstlAdr>\n      </Cdtr>", b"<Ctry>QQ</Ctry></PstlAdr>\n      </Cdtr>"),
         "Document/FIToFICstmrCdtTrf/CdtTrfTxInf/Cdtr/PstlAdr/Ctry", "not an ISO 3166-1"),
    ],
)  # fmt: skip
def test_malformed_messages_name_the_field(data: bytes, field: str, detail: str) -> None:
    with pytest.raises(PaymentMessageError) as raised:
        parse_pacs008(data)
    assert raised.value.field == field
    assert detail in raised.value.detail


def test_oversized_input_is_refused() -> None:
    with pytest.raises(PaymentMessageError, match="limit 100"):
        parse_pacs008(read("pacs008_union_bank_usd.xml"), max_bytes=100)
