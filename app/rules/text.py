"""Text facts the rules need but CEL cannot compute: fuzzy mentions of designated groups in
payment free text, business types read from names, and Iranian addresses.

Two normalisers, on purpose:
- purpose text and watch terms go through the matching engine's `normalize_name`, so a group
  name is folded exactly as list names are (Kata'ib -> kataib, Arabic transliterated to Latin,
  articles and legal forms dropped) and Arabic text meets its Latin or Arabic alias;
- business-type and Iran words use `normalize_text` below, which keeps the words the engine
  drops as noise (FZE, trading, exchange) and leaves Arabic in Arabic script.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from app.matching.normalize import normalize_name

# Arabic and Persian letter variants that writers use interchangeably. Hamza-carrying alefs
# (أ إ آ) need no entry: NFKD splits off the hamza as a combining mark, which is then dropped.
_LETTER_VARIANTS = str.maketrans(
    {
        "ة": "ه",  # taa marbuta -> haa (often written without dots)
        "ى": "ي",  # alef maqsura -> yaa
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian kaf
        "ـ": "",  # tatweel (decorative stretching)
        "'": "",  # Kata'ib = Kataib: apostrophes and ayn/hamza marks join, never split words
        "’": "",
        "‘": "",
        "ʼ": "",
        "ʿ": "",
        "ʾ": "",
        "`": "",
        "´": "",
    }
)
_NON_WORD = re.compile(r"[\W_]+")

# Terms this short are acronyms or tails ("IRGC", "KH", "YI-BAF"): fuzzy matching them would flag
# every similar word, so they must appear as whole words.
EXACT_ONLY_MAX_LEN = 6
FUZZY_CUTOFF = 88.0  # partial_ratio; catches one wrong letter in a 10-letter name


def normalize_purpose(text: str) -> str:
    """Free text folded as the matcher folds names, words joined by single spaces."""
    return " ".join(t.text for t in normalize_name(text, surname_first=False).tokens)


def normalize_text(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free, single-spaced; Arabic letter variants unified."""
    text = unicodedata.normalize("NFKD", text.casefold()).translate(_LETTER_VARIANTS)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text).split())


@dataclass(frozen=True, slots=True)
class WatchTerm:
    """A watched name with its normalised spellings, prepared once at rule load."""

    name: str
    variants: tuple[str, ...]


def prepare_terms(terms: Sequence[tuple[str, Sequence[str]]]) -> tuple[WatchTerm, ...]:
    """Normalise each (name, aliases) pair; empty spellings are dropped."""
    prepared = []
    for name, aliases in terms:
        variants = {normalize_purpose(s) for s in (name, *aliases)}
        prepared.append(WatchTerm(name, tuple(sorted(v for v in variants if v))))
    return tuple(prepared)


def find_mentions(text: str, terms: Sequence[WatchTerm]) -> list[str]:
    """The names of the terms that `text` mentions, exactly or nearly, in term order."""
    normalized = normalize_purpose(text)
    if not normalized:
        return []
    padded = f" {normalized} "
    return [term.name for term in terms if _mentions(padded, normalized, term)]


def _mentions(padded: str, normalized: str, term: WatchTerm) -> bool:
    for variant in term.variants:
        if f" {variant} " in padded:
            return True
        if len(variant) > EXACT_ONLY_MAX_LEN and fuzz.partial_ratio(
            variant, normalized, score_cutoff=FUZZY_CUTOFF
        ):
            return True
    return False


# Name words that mark a business type. Matched as whole normalised words or phrases.
_BUSINESS_WORDS: dict[str, tuple[str, ...]] = {
    "exchange_house": (
        "exchange", "exchanges", "money changer", "sarafi", "sarrafi", "sarafie", "sarafy",
        "doviz", "صرافه", "صيرفه", "صرافي", "للصرافه",
    ),
    "trading_company": (
        "trading", "general trading", "gen trading", "trade", "traders", "ticaret",
        "import export", "imp exp", "تجاره", "للتجاره", "تجاريه",
    ),
    "free_zone_company": ("fze", "fzco", "fzc", "fz llc", "fz co"),
    "travel_agency": ("travel", "tourism", "tours", "سياحه", "للسياحه", "سفريات"),
}  # fmt: skip


def business_types(name: str) -> list[str]:
    """Business types the name suggests, e.g. ["exchange_house"] for "Al Noor Sarafi"."""
    padded = f" {normalize_text(name)} "
    return [
        kind for kind, words in _BUSINESS_WORDS.items() if any(f" {w} " in padded for w in words)
    ]


_IRAN_WORDS = (
    "iran", "ايران", "تهران", "طهران", "tehran", "teheran", "mashhad", "isfahan", "esfahan",
    "tabriz", "shiraz", "bandar abbas", "qom", "ahvaz", "kish island",
)  # fmt: skip


def names_iran(address: str) -> bool:
    """Whether an address names Iran or one of its main cities."""
    padded = f" {normalize_text(address)} "
    return any(f" {w} " in padded for w in _IRAN_WORDS)
