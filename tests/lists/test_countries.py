from __future__ import annotations

import pytest

from app.lists.countries import country_of_address, to_country_code

CASES = [
    ("Iran", "IR"),
    ("Iraq", "IQ"),
    ("Korea, North", "KP"),
    ("Korea, South", "KR"),
    ("Burma", "MM"),
    ("Russia", "RU"),
    ("Russian Federation", "RU"),
    ("Congo, Democratic Republic of the", "CD"),
    ("Congo, Republic of the", "CG"),
    ("West Bank", "PS"),
    ("Region: Gaza", "PS"),
    ("Palestinian", "PS"),
    ("possibly Palestinian", "PS"),
    ("Kosovo", "XK"),
    ("Turkey", "TR"),
    ("Türkiye", "TR"),
    ("United Arab Emirates", "AE"),
    ("Syria", "SY"),
    ("Syrian Arab Republic", "SY"),
    ("Venezuela", "VE"),
    ("Venezuela (Bolivarian Republic of)", "VE"),
    ("Iran (Islamic Republic of)", "IR"),
    ("Democratic People's Republic of Korea", "KP"),
    ("Region: Crimea", "UA"),
    ("The Gambia", "GM"),
    ("Bahamas, The", "BS"),
    ("St. Kitts & Nevis", "KN"),
    ("Cote d Ivoire", "CI"),
    ("Man, Isle of", "IM"),
    ("Oman", "OM"),
    ("Chad", "TD"),
    ("Iraqi", "IQ"),
    ("Eritrean", "ER"),
    ("iq", "IQ"),
    ("IQ", "IQ"),
    ("IRQ", "IQ"),
    ("ua-cri", "UA"),
    ("suhh", "SU"),
    ("xk", "XK"),
    ("UK", "GB"),
    ("USA", "US"),
]


@pytest.mark.parametrize(("text", "code"), CASES)
def test_to_country_code(text: str, code: str) -> None:
    assert to_country_code(text) == code


@pytest.mark.parametrize(
    "text", ["", None, "-0-", "undetermined", "None Identified", "Texas", "N", "zz"]
)
def test_unknown_or_null_is_none(text: str | None) -> None:
    assert to_country_code(text) is None


def test_country_of_address() -> None:
    assert country_of_address("Zweierstrasse 35, Zurich, Switzerland") == "CH"
    assert country_of_address("Kinshasa, Congo, Democratic Republic of the") == "CD"
    assert country_of_address("Somewhere without a country") is None
    assert country_of_address(None) is None
