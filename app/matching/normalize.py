"""Name normalisation, done once per list name at index build and once per query.

Steps, in order:
1. Unicode NFKC; OFAC's "SURNAME, Given" becomes "Given SURNAME" for persons (and for queries of
   unknown kind), so whole-string comparisons see the usual order.
2. Transliteration of other scripts to Latin words (translit.py).
3. Case and accent folding; apostrophes and ayn/hamza marks vanish without a gap (Kata'ib ->
   kataib, ‘Umayr -> umayr); every other punctuation mark splits words; dotted acronyms close up
   (P.J.S.C. -> pjsc).
4. Words that carry no identity are dropped: legal forms (LLC, JSC, Ltd, Co., Company, S.A. ...),
   honorifics and titles (Mr, Dr, Sheikh, Haji, Mullah ...), stop words (of, the, and, for) and the
   Arabic particles al/el/ul and their sun-letter forms (ar-Rahman, as-Sayyid), bin/ibn/bint/ben.
   If dropping would leave nothing, the words are kept.
5. Arabic compounds are split the same way whatever the spelling: Abdul Rahman, Abd al-Rahman,
   Abdulrahman, Abdurrahman -> "abd rahman"; Abdullah, Abd Allah, Abdalla -> "abd lah";
   abou/abo -> abu and Abubakar -> "abu bakar".
Each token keeps its phonetic key and consonant skeleton (phonetic.py) for matching.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.matching.phonetic import phonetic_key, skeleton
from app.matching.translit import to_latin_words

LEGAL_FORMS = frozenset(
    "llc ltd limited jsc pjsc ojsc cjsc zao oao ooo pao sa sas sarl gmbh ag inc incorporated "
    "co company plc llp bv nv spa srl doo ltda kg pte pvt fze fzc fzco fzllc sal saog saoc "
    "bsc qsc psc wll est corp corporation".split()
)
HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sheikh shaikh shaykh haji hajji alhaj alhaji mullah mulla mawlawi "
    "maulvi maulavi mawlavi qari hafiz sir lord general gen colonel col major captain capt "
    "ayatollah hojatoleslam sayyed sayyid".split()
)
STOP_WORDS = frozenset("of the and for de del la le du des y et und".split())
ARTICLES = frozenset("al el ul il".split())
PATRONYMIC = frozenset("bin ibn bint ben ould".split())
# Low-information words of organisation names: they match but count little (see weights.py).
GENERIC_WORDS = frozenset(
    "bank banque banca banco islamic international intl trading trade group holding holdings "
    "investment investments finance financial industries industrial industry enterprise "
    "enterprises services service import export general national commercial development "
    "construction engineering shipping marine global organization organisation foundation "
    "association charity ministry state republic agency institute center centre society "
    "committee office network factory factories technology technologies energy petroleum "
    "oil gas economic exchange development partners brothers sons united joint stock "
    "public private commerce industrial masraf sharika abu abd".split()
)

_APOSTROPHES = re.compile(r"['’‘`´ʼʻʿʾ]")
_DOTTED_ACRONYM = re.compile(r"\b(?:[a-z]\.){2,}")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_ABD_PREFIX = re.compile(r"^abd(?:[aeiou]{1,2}l|[aeiou](?=([rsdntz])\1))?")
_ABD_TYPO_TARGET = re.compile(r"^abd[aeiou]l")
_ABD_WORDS = frozenset("abd abdul abdel abdol abdal abdoul abdou abdu abdil".split())


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # folded Latin spelling
    key: str  # phonetic key (vowel classes kept)
    skel: str  # consonant skeleton
    vowelless: bool  # transliterated from a script without short vowels
    syllabic: bool = False  # one Han syllable (or a glue of them): its vowels are exact

    def __hash__(self) -> int:
        # Tokens key the search caches; the spelling's hash is cached by str, where the
        # generated hash would rebuild a tuple of all five fields on every look-up.
        return hash(self.text)


@dataclass(frozen=True, slots=True)
class NormName:
    original: str
    tokens: tuple[Token, ...]
    joined: str  # token texts concatenated in name order
    joined_sorted: str  # token texts sorted, then concatenated

    @property
    def is_empty(self) -> bool:
        return not self.tokens


def reorder_surname_first(name: str) -> str:
    """'AL-MOUSSAWI, Hamad' -> 'Hamad AL-MOUSSAWI' (one comma, short surname part only)."""
    if name.count(",") != 1:
        return name
    surname, given = (part.strip() for part in name.split(","))
    if not surname or not given or len(surname.split()) > 3:
        return name
    return f"{given} {surname}"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _split_words(text: str) -> list[str]:
    text = _APOSTROPHES.sub("", _fold(text))
    text = _DOTTED_ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)
    return [w for w in _NON_WORD.split(text) if w]


def _untangle_abd(word: str) -> str:
    """Abdul with two neighbouring letters swapped (ADBUL, ABUDL, BADULLAH) is still Abdul: a
    typo there would otherwise hide the whole compound. Only swaps giving abd + vowel + l count,
    so Baddour or Abud stay as they are."""
    if len(word) < 5 or word.startswith("abd"):
        return word
    for i in range(4):
        swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if _ABD_TYPO_TARGET.match(swapped):
            return swapped
    return word


def _split_arabic_compound(word: str, next_word: str | None) -> list[str]:
    word = _untangle_abd(word)
    if word in ("abou", "abo"):
        return ["abu"]
    if word.startswith(("abou", "abu")) and len(word) >= 7 and word[3] not in "aeiouy":
        return ["abu", word[4:] if word.startswith("abou") else word[3:]]
    if word in _ABD_WORDS:
        return ["abd"]
    match = _ABD_PREFIX.match(word)
    if match and len(word) - match.end() >= 3:
        rest = word[match.end() :]
        return ["abd", rest[1:] if rest[0] == rest[1] else rest]  # abdur-rahman
    return [word]


def _canonical_words(words: list[str]) -> list[str]:
    out: list[str] = []
    for index, word in enumerate(words):
        nxt = words[index + 1] if index + 1 < len(words) else None
        out.extend(_split_arabic_compound(word, nxt))
    # "abd allah" / "abd al rahman": the article after abd belongs to the next word.
    merged: list[str] = []
    for index, word in enumerate(out):
        if (
            index
            and out[index - 1] == "abd"
            and word.startswith(("al", "el", "ul"))
            and len(word) > 3
        ):
            word = word[2:]
        merged.append(word)
    return merged


def _is_droppable(word: str, next_word: str | None) -> bool:
    if word in LEGAL_FORMS or word in HONORIFICS or word in STOP_WORDS:
        return True
    if word in ARTICLES or word in PATRONYMIC:
        return True
    # Sun-letter article: ar-Rahman, as-Sayyid, ad-Din, ash-Shami.
    if next_word and len(word) in (2, 3) and word[0] in "aeu" and next_word.startswith(word[1:]):
        return word[1:] not in "aeiou"
    return False


def _drop_noise(words: list[str], syllables: set[str]) -> list[str]:
    """Drop noise words; a Han/Hangul syllable is never noise (彬 "bin" is no Arabic "bin")."""
    kept = [
        w
        for i, w in enumerate(words)
        if w in syllables or not _is_droppable(w, words[i + 1] if i + 1 < len(words) else None)
    ]
    return kept or words


# spelling (+ NUL when vowel-less) -> its one shared Token; a plain dict, as lru_cache
# bookkeeping would cost more than the tokens themselves
_TOKENS: dict[str, Token] = {}
TOKEN_TABLE_LIMIT = 400_000


def token_variant(text: str, vowelless: bool, syllabic: bool) -> str:
    """A string telling apart tokens of equal spelling but different origin (memo keys)."""
    return text + ("\x00" if vowelless else "") + ("\x01" if syllabic else "")


def make_token(text: str, vowelless: bool, syllabic: bool = False) -> Token:
    """One shared Token per spelling: list names repeat words, and an index holds ~150k units."""
    table_key = token_variant(text, vowelless, syllabic)
    token = _TOKENS.get(table_key)
    if token is None:
        if len(_TOKENS) > TOKEN_TABLE_LIMIT:
            _TOKENS.clear()  # only sharing is lost; tokens already handed out stay valid
        text = sys.intern(text)
        key, skel = phonetic_key(text), skeleton(text)
        token = _TOKENS[table_key] = Token(text, key, skel, vowelless, syllabic)
    return token


@lru_cache(maxsize=100_000)
def normalize_name(name: str, surname_first: bool = True) -> NormName:
    """Normalise one name (see the module docstring). Cached: list names repeat across lists."""
    text = unicodedata.normalize("NFKC", name)
    if surname_first:
        text = reorder_surname_first(text)
    latin_words = to_latin_words(text)
    folded = [(w, latin) for latin in latin_words for w in _split_words(latin.text)]
    vowelless = {w for w, latin in folded if latin.vowelless}
    syllables = {w for w, latin in folded if latin.syllabic}
    words = _drop_noise(_canonical_words([w for w, _ in folded]), syllables)
    tokens = tuple(make_token(w, w in vowelless, w in syllables) for w in words)
    texts = [t.text for t in tokens]
    return NormName(name, tokens, "".join(texts), "".join(sorted(texts)))
