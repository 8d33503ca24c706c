"""Small factories for matching tests: hand-made list entries and a tiny index."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from app.lists.models import Alias, AliasStrength, EntityKind, Identifier, IdentifierType, ListEntry
from app.matching.index import MatchIndex


def make_entry(
    source_id: str,
    name: str,
    kind: EntityKind = EntityKind.PERSON,
    *,
    list_id: str = "test",
    aliases: Sequence[str] = (),
    weak: Sequence[str] = (),
    birth_dates: Sequence[str] = (),
    countries: Sequence[str] = (),
    identifiers: Sequence[tuple[IdentifierType, str]] = (),
) -> ListEntry:
    return ListEntry(
        id=f"{list_id}:{source_id}",
        list_id=list_id,
        source_id=source_id,
        kind=kind,
        name=name,
        aliases=tuple(Alias(name=a) for a in aliases)
        + tuple(Alias(name=a, strength=AliasStrength.WEAK) for a in weak),
        birth_dates=tuple(birth_dates),
        countries=tuple(countries),
        identifiers=tuple(Identifier(type=t, value=v) for t, v in identifiers),
    )


ORG = EntityKind.ORGANIZATION
SAMPLE_ENTRIES = [
    make_entry("moussawi", "AL-MOUSSAWI, Hamad", birth_dates=["1970-05-01"], countries=["IQ"]),
    make_entry("melli", "BANK MELLI IRAN", ORG, identifiers=[(IdentifierType.BIC, "MELIIRTH")]),
    make_entry("mellat", "BANK MELLAT", ORG),
    make_entry("huda", "AL-HUDA BANK", ORG, aliases=["Al Huda Bank for Investment and Finance"]),
    make_entry("kataib", "KATA'IB HIZBALLAH", ORG),
    make_entry("hussein", "HUSSEIN, Ahmad"),
    make_entry("soleimani", "SOLEIMANI, Qasem"),
    make_entry("mohamed-ali", "Mohamed Ali"),
    make_entry("islamic", "ISLAMIC BANK OF AFGHANISTAN", ORG),
    make_entry("putin", "PUTIN, Vladimir Vladimirovich"),
    make_entry("li-ming", "Li Ming"),
    make_entry("kim", "KIM, Jong Un"),
    make_entry("abdullah", "Abdullah Yahya Al Hakim"),
    make_entry("khaled", "Khaled Mahmoud"),
    make_entry("hassan", "Ahmed Hassan"),
    make_entry(
        "vessel", "SOLEIMANI", EntityKind.VESSEL, identifiers=[(IdentifierType.IMO, "IMO 9187629")]
    ),
    make_entry("smith", "SMITH, John", weak=["Johnny the Knife"]),
    make_entry("passport", "ZARIF, Reza", identifiers=[(IdentifierType.PASSPORT, "K-1234 567")]),
    make_entry("husayni", "HUSAYNI, Sayyid Ali"),
    make_entry("hizballah", "HIZBALLAH", ORG, aliases=["Hezbollah", "Party of God"]),
    make_entry("alexander", "PETROV, Alexander"),
    make_entry("zhou", "ZHOU, Chong"),
    make_entry("dandong", "DANDONG ZHONGSENG TRADE CO., LTD.", ORG),
]


@pytest.fixture(scope="session")
def sample_index() -> MatchIndex:
    return MatchIndex.build({"test": SAMPLE_ENTRIES})
