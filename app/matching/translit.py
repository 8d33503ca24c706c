"""Script handling: bring any script to Latin words the matcher can compare.

Every word is transliterated on its own, so a mixed-script name keeps its word boundaries:

- Latin, Cyrillic, Greek and other alphabets go through `anyascii`, which follows common
  romanisations (Путин -> Putin, Νικόλαος -> Nikolaos).
- Arabic, Persian and Hebrew are abjads: short vowels are not written, so "محمد" can only become
  "mhmd". Such words are flagged `vowelless`; the matcher then compares them on their consonant
  skeleton (see phonetic.py), which "Muhammad", "Mohammed" and "mhmd" share. A small table of
  very common Arabic/Persian name words gives them their usual Latin spelling directly, and the
  Arabic article "ال" is split off the way "al-" is in Latin.
- Thai writes vowels around consonants in ways a character mapping loses, so it is flagged too.
- Han, Hangul and Kana are syllabic: each character becomes its own Latin word ("李明" -> "li
  ming"), so "Li Ming" and "Liming" can both be found. The first Hangul syllable of a name word
  gets the usual spelling of the Korean surname it writes (김 -> Kim, 박 -> Park, 이 -> Lee).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii


@dataclass(frozen=True, slots=True)
class LatinWord:
    text: str  # ASCII, not yet case-folded
    vowelless: bool  # came from a script that does not write short vowels
    syllabic: bool = False  # one Han syllable: its pinyin is exact, vowels included


# Usual Latin spellings of frequent Arabic/Persian name words (keys after _fold_arabic).
ARABIC_NAME_WORDS: dict[str, str] = {
    "محمد": "muhammad",
    "احمد": "ahmad",
    "محمود": "mahmud",
    "مصطفي": "mustafa",
    "علي": "ali",
    "حسن": "hasan",
    "حسين": "husayn",
    "عبد": "abd",
    "الله": "allah",
    "عبدالله": "abdullah",
    "خالد": "khalid",
    "عمر": "umar",
    "عثمان": "uthman",
    "ابراهيم": "ibrahim",
    "اسماعيل": "ismail",
    "يوسف": "yusuf",
    "جعفر": "jafar",
    "قاسم": "qasim",
    "سليماني": "sulaymani",
    "موسي": "musa",
    "موسوي": "musawi",
    "عيسي": "isa",
    "يحيي": "yahya",
    "زكريا": "zakariya",
    "فاطمه": "fatima",
    "مريم": "maryam",
    "زينب": "zaynab",
    "سعيد": "said",
    "سعد": "saad",
    "رضا": "reza",
    "مهدي": "mahdi",
    "هادي": "hadi",
    "جواد": "javad",
    "كريم": "karim",
    "رحمن": "rahman",
    "رحيم": "rahim",
    "ناصر": "nasir",
    "نصر": "nasr",
    "صالح": "salih",
    "سلمان": "salman",
    "سليمان": "sulayman",
    "طارق": "tariq",
    "فيصل": "faysal",
    "بن": "bin",
    "ابن": "ibn",
    "ابو": "abu",
    "بنت": "bint",
    "مصرف": "bank",
    "بنك": "bank",
    "شركه": "company",
    "حزب": "hizb",
    "هدي": "huda",
    "امير": "amir",
    "جمال": "jamal",
    "منصور": "mansur",
}

# Revised-Romanisation syllables that write a common Korean surname, with its usual spelling.
KOREAN_SURNAMES: dict[str, str] = {
    "김": "kim",
    "이": "lee",
    "박": "park",
    "최": "choi",
    "정": "jung",
    "강": "kang",
    "조": "cho",
    "윤": "yoon",
    "장": "jang",
    "임": "lim",
    "한": "han",
    "오": "oh",
    "서": "seo",
    "신": "shin",
    "권": "kwon",
    "황": "hwang",
    "안": "ahn",
    "송": "song",
    "류": "ryu",
    "홍": "hong",
    "리": "ri",
    "로": "ro",
}

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ة": "ه",
        "ک": "ك",
        "ؤ": "و",
        "ـ": None,
    }
)


def _block(char: str) -> str:
    code = ord(char)
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x0590 <= code <= 0x05FF:
        return "hebrew"
    if 0x0E00 <= code <= 0x0E7F:
        return "thai"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF:
        return "han"
    return "other"


def _fold_arabic(word: str) -> str:
    without_marks = "".join(c for c in word if unicodedata.category(c) != "Mn")
    return without_marks.translate(_ARABIC_FOLD)


def _arabic_words(word: str) -> list[LatinWord]:
    folded = _fold_arabic(word)
    if folded in ARABIC_NAME_WORDS:
        return [LatinWord(ARABIC_NAME_WORDS[folded], False)]
    words: list[LatinWord] = []
    # The article "ال" is written joined to its noun; split it off like Latin "al-".
    if folded.startswith("ال") and len(folded) > 3:
        words.append(LatinWord("al", False))
        folded = folded[2:]
        if folded in ARABIC_NAME_WORDS:
            return [*words, LatinWord(ARABIC_NAME_WORDS[folded], False)]
    return [*words, LatinWord(anyascii(folded), True)]


def _syllabic_words(word: str) -> list[LatinWord]:
    words: list[LatinWord] = []
    for position, char in enumerate(word):
        if position == 0 and char in KOREAN_SURNAMES:
            words.append(LatinWord(KOREAN_SURNAMES[char], False))
        else:
            # Pinyin of a Han character is exact; Hangul has two romanisations whose vowels
            # differ (jeong / jong), so only Han syllables are marked
            words.append(LatinWord(anyascii(char), False, syllabic=_block(char) == "han"))
    return [w for w in words if w.text.strip()]


def to_latin_words(text: str) -> list[LatinWord]:
    """Split on whitespace and bring each word to Latin letters, flagging vowel-less scripts."""
    words: list[LatinWord] = []
    for word in text.split():
        if word.isascii():
            words.append(LatinWord(word, False))
            continue
        blocks = {_block(c) for c in word if c.isalpha()}
        if "arabic" in blocks:
            words.extend(_arabic_words(word))
        elif blocks & {"hebrew", "thai"}:
            words.append(LatinWord(anyascii(word), True))
        elif blocks & {"hangul", "han"}:
            words.extend(_syllabic_words(word))
        else:
            words.append(LatinWord(anyascii(word), False))
    return words


_KANJI_READER: object | None = None
_KANJI_LOCK = threading.Lock()


# The "han" ranges of _block (kana and CJK ideographs), as one pattern: every query asks.
_HAN_CHAR = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def has_han(text: str) -> bool:
    return _HAN_CHAR.search(text) is not None


def could_be_japanese(text: str) -> bool:
    """Han or kana, alone or beside Latin letters (トヨタ ACE): Japanese writing mixes with no
    other script, so 志偉 المهيدب is not read as Japanese."""
    return has_han(text) and all(c.isascii() or not c.isalpha() or _block(c) == "han" for c in text)


def japanese_reading(text: str) -> str | None:
    """Hepburn reading of a name written in kanji/kana (山田太郎 -> "yamada tarou"), if pykakasi
    is installed. Han characters alone do not say whether a name is Chinese or Japanese, so the
    matcher tries this reading beside the per-character pinyin of `to_latin_words`."""
    global _KANJI_READER
    if not could_be_japanese(text):
        return None
    try:
        import pykakasi  # optional: Japanese readings of kanji names
    except ImportError:
        return None
    with _KANJI_LOCK:
        if _KANJI_READER is None:
            _KANJI_READER = pykakasi.kakasi()  # type: ignore[no-untyped-call]
        parts = _KANJI_READER.convert(text)  # type: ignore[attr-defined]
    if any(has_han(p["orig"]) and not p["hepburn"].strip() for p in parts):
        return None  # a character with no Japanese reading (张): not a Japanese name
    reading = " ".join(p["hepburn"] for p in parts if p["hepburn"].strip())
    return reading or None
