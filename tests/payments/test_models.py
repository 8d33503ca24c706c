from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.payments.models import Bank, Owner, Party, Transaction


def test_bank_country_comes_from_bic() -> None:
    bank = Bank(bic="bhda iq ba")
    assert bank.bic == "BHDAIQBA"
    assert bank.country == "IQ"


@pytest.mark.parametrize("bic", ["BHDAIQ", "BHDAIQBAX", "1HDAIQBA", "BHDAZZBA"])
def test_bad_bic_is_refused(bic: str) -> None:
    with pytest.raises(ValidationError):
        Bank(bic=bic)


def test_bank_needs_name_or_bic() -> None:
    with pytest.raises(ValidationError):
        Bank(country="IQ")


def test_country_currency_and_share_are_checked() -> None:
    with pytest.raises(ValidationError):
        Party(name="X", country="ZZ")
    with pytest.raises(ValidationError):
        Owner(name="X", share=120)
    with pytest.raises(ValidationError):
        Transaction(
            currency="US$", amount=1, originator=Party(name="A"), beneficiary=Party(name="B")
        )
    assert Party(name="X", country="xk").country == "XK"
