"""Phonetic keys for one name token: equal keys mean "the same name, spelled differently".

`phonetic_key` maps consonants to classes that transliteration mixes up (q/k/g/gh/kh -> K,
d/t/th/dh -> T, s/z/ts -> S, v/w -> W, b/p -> P, sh/sch -> X, ch/tch -> C, j/dj/zh -> J), collapses
doubled letters and replaces every vowel group by one marker:

- "Y" for a diphthong or written long i (ai, ay, ei, ey, a final i/y): Hussein, Husayn, Hossein and
  Husain all give "hVSYn", while Hassan gives "hVSVn", so the two names stay apart;
- "V" for any other vowel group, so Muhammad, Mohammed, Mohamad all give "mVhVmVT" and Qasim,
  Qassem, Ghasem all give "KVSVm".

`skeleton` is the key without the "V" markers. Names written in an abjad (Arabic, Persian, Hebrew)
carry no short vowels, so "محمد" -> "mhmd" is compared to Latin names on skeletons only.
A final "h" after a vowel is silent in transliteration (Abdullah/Abdulla) and is dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGRAPHS = re.compile(r"tsch|dzh|sch|tch|ch|sh|kh|gh|ph|th|dh|zh|dj|ck|ts|tz|x|c(?=[eiy])|c")
_DIGRAPH_CLASS = {
    "tsch": "C",
    "dzh": "J",
    "sch": "X",
    "tch": "C",
    "ch": "C",
    "sh": "X",
    "kh": "K",
    "gh": "K",
    "ph": "F",
    "th": "T",
    "dh": "T",
    "zh": "J",
    "dj": "J",
    "ck": "K",
    "ts": "S",
    "tz": "S",
    "x": "KS",
    "c": "K",
}
_LETTER_CLASS = str.maketrans(
    {
        "q": "K",
        "k": "K",
        "g": "K",
        "d": "T",
        "t": "T",
        "s": "S",
        "z": "S",
        "v": "W",
        "w": "W",
        "b": "P",
        "p": "P",
        "f": "F",
        "j": "J",
    }
)
_VOWELS = frozenset("aeiouy")


def _fold_digraphs(token: str) -> str:
    def replace(match: re.Match[str]) -> str:
        text = match.group(0)
        if text == "c" and match.end() < len(token) and token[match.end()] in "eiy":
            return "S"
        return _DIGRAPH_CLASS[text]

    return _DIGRAPHS.sub(replace, token)


def _vowel_marker(group: str, is_final: bool) -> str:
    if "y" in group or (len(group) > 1 and group[0] in "ae" and "i" in group):
        return "Y"
    if is_final and group in ("i", "ee", "ie", "iy"):
        return "Y"
    return "V"


def _is_vowel_at(text: str, index: int) -> bool:
    """y and w act as vowels unless they start the token or precede a vowel (Musawi, Yusuf)."""
    char = text[index]
    if char in "aeiou":
        return True
    if char not in "yw" or index == 0:
        return False
    return not (index + 1 < len(text) and text[index + 1] in _VOWELS)


def _mark_vowels(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        if not _is_vowel_at(text, index):
            out.append(text[index])
            index += 1
            continue
        end = index
        while end < len(text) and _is_vowel_at(text, end):
            end += 1
        group = text[index:end].replace("w", "u")
        out.append(_vowel_marker(group, end == len(text)))
        index = end
    return "".join(out)


def _collapse_doubles(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


@lru_cache(maxsize=200_000)
def phonetic_key(token: str) -> str:
    """Vowel-class key of a lower-case ASCII token (see the module docstring)."""
    if not token.isalpha():
        return token
    marked = _mark_vowels(_collapse_doubles(token))
    classed = _fold_digraphs(marked).translate(_LETTER_CLASS)
    key = _collapse_doubles(classed)
    if len(key) > 2 and key.endswith("h") and key[-2] in "VY":
        key = key[:-1]
    return key


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant skeleton: the phonetic key without plain vowel markers."""
    key = phonetic_key(token)
    if not token.isalpha():
        return key
    stripped = _collapse_doubles(key.replace("V", ""))
    if len(stripped) > 1 and stripped.endswith("h"):
        stripped = stripped[:-1]  # abjad text writes a final h the Latin side often drops
    return stripped or key
