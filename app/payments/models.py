"""The payment model every message format (pacs.008, MT103, JSON) is mapped onto.

Validation is strict on what screening relies on (BIC shape, ISO country and currency codes,
ownership shares) and lenient on free text, which is screened as given.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

import pycountry
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

BIC_PATTERN = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
# User-assigned codes that lists and payment systems use but ISO 3166 does not define.
EXTRA_COUNTRIES = frozenset({"XK"})


def check_country(value: str | None) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper-cased; None and "" become None."""
    if value is None or not str(value).strip():
        return None
    code = value.strip().upper()
    if code not in EXTRA_COUNTRIES and pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"not an ISO 3166-1 alpha-2 country code: {value!r}")
    return code


def check_bic(value: str | None) -> str | None:
    """A BIC of 8 or 11 characters (spaces ignored), upper-cased; None stays None."""
    if value is None or not str(value).strip():
        return None
    bic = re.sub(r"\s+", "", value).upper()
    if not BIC_PATTERN.match(bic):
        raise ValueError(f"not a BIC (8 or 11 letters and digits, country in 5-6): {value!r}")
    check_country(bic[4:6])
    return bic


CountryCode = Annotated[str | None, BeforeValidator(check_country)]
BicCode = Annotated[str | None, BeforeValidator(check_bic)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Bank(_Model):
    """A financial institution in the chain. Known by name, BIC or both."""

    name: str | None = None
    bic: BicCode = None
    country: CountryCode = None  # taken from the BIC when not given
    via: str | None = None  # the message field it came from: "IntrmyAgt1", "56A"

    @model_validator(mode="after")
    def _named_or_coded(self) -> Bank:
        if not self.name and not self.bic:
            raise ValueError("a bank needs a name or a BIC")
        if self.country is None and self.bic:
            object.__setattr__(self, "country", self.bic[4:6])
        return self


class Owner(_Model):
    """A shareholder of a party; `share` is a percentage, None when unknown."""

    name: str = Field(min_length=1)
    share: float | None = Field(default=None, ge=0, le=100)


class Party(_Model):
    """An originator, beneficiary or other customer party of a payment."""

    name: str = Field(min_length=1)
    type: Literal["person", "organization", "unknown"] = "unknown"
    country: CountryCode = None
    address: str | None = None
    account: str | None = None
    bank: Bank | None = None
    owners: tuple[Owner, ...] = ()


class Transaction(_Model):
    """One credit transfer, whatever message it came from."""

    currency: str
    amount: Decimal = Field(ge=0)
    purpose: str = ""  # remittance information, purpose code, instructions: all free text
    originator: Party
    beneficiary: Party
    intermediaries: tuple[Bank, ...] = ()
    reference: str | None = None  # MT103 field 20, pacs.008 EndToEndId/TxId
    value_date: str | None = None  # ISO date
    # pacs.008 only: parties on whose behalf the debtor pays or the creditor receives.
    ultimate_originator: Party | None = None
    ultimate_beneficiary: Party | None = None
    initiating_party: Party | None = None

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        code = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValueError(f"currency must be 3 letters (ISO 4217): {value!r}")
        return code
