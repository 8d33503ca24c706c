"""Country names, adjectives and codes as list publishers print them, mapped to ISO 3166-1 alpha-2.

OFAC, UN and trade.gov print country names their own way ("Korea, North", "Burma",
"Congo, Democratic Republic of the", "Region: Crimea"), OpenSanctions uses lower-case codes
("iq", "ua-cri", "suhh"), and remarks use adjectives ("Palestinian"). pycountry knows the ISO names;
the override table below covers the rest. Unknown text maps to None rather than to a guess:
a wrong country would feed a false country-mismatch into the matcher.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

# Names, adjectives and territories that pycountry does not resolve (or resolves in a way we do
# not want). Keys are in `_normalise_key` form. Disputed or occupied regions map to the state the
# sanctions programmes attach them to (Crimea -> UA, West Bank/Gaza -> PS); Kosovo uses the
# user-assigned code XK, as OFAC, the EU and OpenSanctions do.
_OVERRIDES: dict[str, str] = {
    "russia": "RU",
    "korea north": "KP",
    "north korea": "KP",
    "democratic people s republic of korea": "KP",
    "dprk": "KP",
    "korea south": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "burma": "MM",
    "turkey": "TR",
    "iran islamic republic of": "IR",
    "congo democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "congo republic of the": "CG",
    "republic of the congo": "CG",
    "congo": "CG",
    "west bank": "PS",
    "gaza": "PS",
    "gaza strip": "PS",
    "north gaza": "PS",
    "northern gaza": "PS",
    "palestinian": "PS",
    "palestine": "PS",
    "state of palestine": "PS",
    "china hong kong special administrative region": "HK",
    "china macao special administrative region": "MO",
    "palestinian territories": "PS",
    "occupied palestinian territory": "PS",
    "kosovo": "XK",
    "crimea": "UA",
    "northern mali": "ML",
    "the gambia": "GM",
    "gambia the": "GM",
    "bahamas the": "BS",
    "the bahamas": "BS",
    "north macedonia the republic of": "MK",
    "macedonia": "MK",
    "macau": "MO",
    "cote d ivoire": "CI",
    "ivory coast": "CI",
    "st vincent and the grenadines": "VC",
    "st kitts and nevis": "KN",
    "st lucia": "LC",
    "man isle of": "IM",
    "brunei": "BN",
    "laos": "LA",
    "vietnam": "VN",
    "syria": "SY",
    "cape verde": "CV",
    "swaziland": "SZ",
    "east timor": "TL",
    "vatican": "VA",
    "vatican city": "VA",
    "holy see": "VA",
    "micronesia federated states of": "FM",
    "uk": "GB",
    "great britain": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "netherlands antilles": "AN",
    "soviet union": "SU",
    "ussr": "SU",
    "former soviet union": "SU",
    "yugoslavia": "YU",
    "serbia and montenegro": "CS",
    "czechoslovakia": "CS",
}

# Nationality adjectives seen in OFAC remarks and other lists.
_ADJECTIVES: dict[str, str] = {
    "afghan": "AF",
    "algerian": "DZ",
    "american": "US",
    "armenian": "AM",
    "azerbaijani": "AZ",
    "bahraini": "BH",
    "belarusian": "BY",
    "british": "GB",
    "burmese": "MM",
    "chinese": "CN",
    "cuban": "CU",
    "egyptian": "EG",
    "emirati": "AE",
    "eritrean": "ER",
    "ethiopian": "ET",
    "filipino": "PH",
    "french": "FR",
    "georgian": "GE",
    "german": "DE",
    "indian": "IN",
    "indonesian": "ID",
    "iranian": "IR",
    "iraqi": "IQ",
    "israeli": "IL",
    "italian": "IT",
    "jordanian": "JO",
    "kazakh": "KZ",
    "kenyan": "KE",
    "kuwaiti": "KW",
    "kyrgyz": "KG",
    "lebanese": "LB",
    "libyan": "LY",
    "malaysian": "MY",
    "malian": "ML",
    "mauritanian": "MR",
    "moroccan": "MA",
    "nigerian": "NG",
    "north korean": "KP",
    "omani": "OM",
    "pakistani": "PK",
    "qatari": "QA",
    "russian": "RU",
    "saudi": "SA",
    "saudi arabian": "SA",
    "somali": "SO",
    "spanish": "ES",
    "sudanese": "SD",
    "swiss": "CH",
    "syrian": "SY",
    "tajik": "TJ",
    "tunisian": "TN",
    "turkish": "TR",
    "turkmen": "TM",
    "ukrainian": "UA",
    "uzbek": "UZ",
    "venezuelan": "VE",
    "yemeni": "YE",
}

# FollowTheMoney codes for states that no longer exist (pycountry's historic table keys them by
# their old alpha-4 code).
_FTM_HISTORIC: dict[str, str] = {
    "suhh": "SU",
    "yucs": "YU",
    "csxx": "CS",
    "ddde": "DD",
    "cshh": "CS",
}

# Values that say "no country" in so many words.
_NULLS = frozenset(
    {"", "0", "none", "none identified", "undetermined", "unknown", "stateless", "zz"}
)

_PREFIXES = ("region ", "possibly ", "nationality of ", "the territory of ")
_NON_ALNUM = re.compile(r"[^\w]+")


def _normalise_key(text: str) -> str:
    """Case-fold, spell out "&" and turn punctuation into single spaces."""
    lowered = text.casefold().replace("&", " and ").replace("’", "'")
    return _NON_ALNUM.sub(" ", lowered).strip()


def _from_code(text: str) -> str | None:
    """ISO alpha-2 / alpha-3 codes in any case, plus FtM sub-territory codes like "ua-cri"."""
    code = text.strip().lower()
    if code in _FTM_HISTORIC:
        return _FTM_HISTORIC[code]
    if "-" in code:  # FtM territories ("ua-cri", "ge-ab") belong to their parent state
        code = code.split("-", 1)[0]
    if code == "xk":
        return "XK"
    found = None
    if len(code) == 2 and code.isalpha():
        found = pycountry.countries.get(alpha_2=code.upper())
    elif len(code) == 3 and code.isalpha():
        found = pycountry.countries.get(alpha_3=code.upper())
    return found.alpha_2 if found is not None else None


def _from_name(key: str, original: str) -> str | None:
    if key in _OVERRIDES:
        return _OVERRIDES[key]
    if key in _ADJECTIVES:
        return _ADJECTIVES[key]
    # Exact lookup only (name, official name, common name): fuzzy search maps "Kosovo" to Serbia.
    # UN names carry a parenthetical ("Bolivia (Plurinational State of)"): try without it too.
    bare = original.split("(", 1)[0].strip()
    for candidate in (original, key, bare):
        try:
            return str(pycountry.countries.lookup(candidate).alpha_2)
        except LookupError:
            continue
    return None


@lru_cache(maxsize=4096)
def to_country_code(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for a country name, adjective or ISO/FtM code; None when unknown."""
    if not text:
        return None
    original = text.strip().strip(".").strip()
    key = _normalise_key(original)
    if key in _NULLS:
        return None
    if len(original) <= 4 or re.fullmatch(r"[a-z]{2}-[a-z0-9]+", original):
        # Short tokens are codes first ("iq", "IRQ", "suhh"); "UK"/"USA" fall back to names.
        code = _from_code(original)
        if code is not None:
            return code
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return to_country_code(key[len(prefix) :])
    return _from_name(key, original)


def country_of_address(text: str | None) -> str | None:
    """The country of a one-line address whose last comma-separated part names it."""
    if not text:
        return None
    parts = [part.strip() for part in text.split(",") if part.strip()]
    for size in (2, 1):  # "..., Congo, Democratic Republic of the" needs the last two parts
        if len(parts) >= size:
            code = to_country_code(", ".join(parts[-size:]))
            if code is not None:
                return code
    return None
