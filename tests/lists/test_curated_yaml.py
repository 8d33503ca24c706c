"""The curated YAML lists shipped in lists/ and the parser that reads them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.core.errors import ListFormatError
from app.lists.models import EntityKind, IdentifierType, ListAction, ListEntry
from app.lists.parsers import parse_list
from app.lists.parsers.curated_yaml import load_entries, read_list_info

LISTS = Path(__file__).resolve().parents[2] / "lists"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "curated"


def shipped(list_id: str) -> dict[str, ListEntry]:
    return {e.source_id: e for e in load_entries(LISTS / f"{list_id}.yaml", list_id=list_id)}


def all_names(entry: ListEntry) -> set[str]:
    return {name for name, _ in entry.all_names()}


@pytest.mark.parametrize(("list_id", "count"), [("fincen-311", 1), ("cbi-usd-ban", 34)])
def test_shipped_lists_parse_through_the_format_registry(list_id: str, count: int) -> None:
    entries = list(parse_list("yaml", LISTS / f"{list_id}.yaml", list_id=list_id))
    assert len(entries) == count
    assert all(e.id == f"{list_id}:{e.source_id}" and e.list_id == list_id for e in entries)


def test_list_blocks_say_what_a_match_means() -> None:
    fincen = read_list_info(LISTS / "fincen-311.yaml")
    cbi = read_list_info(LISTS / "cbi-usd-ban.yaml")
    assert (fincen.id, fincen.category, fincen.default_action) == (
        "fincen-311",
        "special_measure",
        ListAction.BLOCK,
    )
    assert "5318A" in (fincen.legal_basis or "")
    # A dollar ban is a high-risk flag, not a legal prohibition.
    assert (cbi.id, cbi.category, cbi.default_action) == (
        "cbi-usd-ban",
        "high_risk",
        ListAction.REVIEW,
    )


def test_al_huda_bank_has_its_bic_arabic_names_and_legal_basis() -> None:
    huda = shipped("fincen-311")["al-huda-bank"]
    assert huda.id == "fincen-311:al-huda-bank"
    assert huda.kind is EntityKind.ORGANIZATION
    assert huda.countries == ("IQ",)
    assert {"Al-Huda Bank", "Al Huda Bank", "AlHuda Bank", "مصرف الهدى", "بنك الهدى"} <= all_names(
        huda
    )
    arabic = [a for a in huda.aliases if a.kind == "original_script"]
    assert {a.name for a in arabic} == {"مصرف الهدى", "بنك الهدى"}
    (bic,) = huda.identifiers
    assert (bic.type, bic.value) == (IdentifierType.BIC, "BHDAIQBA")
    assert "third-party" in (bic.note or "")
    assert "confidence M" in (bic.note or "")
    assert huda.action is ListAction.BLOCK
    for citation in ("5318A", "89 FR 55051", "2024-14415", "1506-AB65", "89 FR 6074"):
        assert citation in (huda.legal_basis or "")
    assert huda.listed_date == "2024-08-02"
    assert huda.source_url
    assert huda.source_url.startswith("https://")


def test_al_huda_bank_links_its_sdn_owner_with_unknown_share() -> None:
    huda = shipped("fincen-311")["al-huda-bank"]
    assert huda.linked_to == ("AL-MOUSSAWI, Hamad",)
    assert "[SDGT] [IFSR]" in huda.properties["linked_to"]
    assert huda.properties["owner_ownership_share"] == "unknown"
    assert "subsidiaries, branches and offices" in huda.properties["measure_scope"]
    assert "correspondent account" in huda.properties["measure"]


def test_every_entry_carries_sources_with_confidence() -> None:
    for list_id in ("fincen-311", "cbi-usd-ban"):
        for entry in shipped(list_id).values():
            assert entry.properties["sources"], entry.id
            assert any(f"[{tag}]" in entry.properties["sources"] for tag in "HML"), entry.id
            assert entry.properties["confidence"] in {"H", "M", "L"}, entry.id


def test_every_dollar_ban_entry_has_a_batch_date() -> None:
    for entry in shipped("cbi-usd-ban").values():
        assert entry.properties["batch_date"] == entry.listed_date, entry.id
        assert entry.properties["batch_date_note"], entry.id
        assert entry.countries == ("IQ",)


def test_dollar_ban_batches_have_the_reported_sizes() -> None:
    entries = shipped("cbi-usd-ban").values()
    banks = Counter(
        e.properties["batch_date"] for e in entries if e.properties.get("group") != "payment-firms"
    )
    assert banks == {"2022-11": 4, "2023-07": 14, "2024-02": 8, "2025": 5}
    firms = {e.name for e in entries if e.properties.get("group") == "payment-firms"}
    assert firms == {"Amawl", "AL-Saqi Payment", "Aqsa Payment"}


def test_al_huda_bank_is_in_the_february_2024_batch_under_its_own_id() -> None:
    huda = shipped("cbi-usd-ban")["al-huda-bank"]
    assert huda.id == "cbi-usd-ban:al-huda-bank"
    assert huda.properties["batch_date"] == "2024-02"
    assert "BHDAIQBA" in {i.value for i in huda.identifiers}
    assert huda.action is None  # the list's default (review) applies here


@pytest.mark.parametrize(
    ("source_id", "translations"),
    [
        (
            "al-janoob-islamic-bank",
            {
                "South Islamic Bank for Investment and Finance",
                "Southern Islamic Bank for Investment and Finance",
            },
        ),
        ("arabia-islamic-bank", {"Arab Islamic Bank"}),
        ("ashur-international-bank-for-investment", {"Assyria International Investment Bank"}),
        ("al-mustashar-islamic-bank", {"Islamic Investment and Finance Advisor"}),
        ("iraq-trans-bank", {"Trans-Iraq Bank"}),
    ],
)
def test_translated_names_are_aliased_by_hand(source_id: str, translations: set[str]) -> None:
    entry = shipped("cbi-usd-ban")[source_id]
    assert translations <= {a.name for a in entry.aliases if a.kind == "translation"}


def test_names_exactly_as_the_sources_print_them_are_kept() -> None:
    entries = shipped("cbi-usd-ban")
    assert "Ahsur International Bank for Investment" in all_names(
        entries["ashur-international-bank-for-investment"]
    )
    assert "al-Arabiya Islamic Bank" in all_names(entries["arabia-islamic-bank"])
    assert "مصرف الجنوب الإسلامي للاستثمار والتمويل" in all_names(entries["al-janoob-islamic-bank"])


def test_rajih_is_not_merged_with_al_rajhi() -> None:
    for entry in shipped("cbi-usd-ban").values():
        assert not any("rajhi" in name.casefold() for name in all_names(entry)), entry.id
    assert {"Rajih Bank", "Al-Rajih Bank", "مصرف الراجح"} <= all_names(
        shipped("cbi-usd-ban")["rajih-bank"]
    )


def test_inferred_legal_names_say_so() -> None:
    nov_2022 = [
        e for e in shipped("cbi-usd-ban").values() if e.properties["batch_date"] == "2022-11"
    ]
    assert len(nov_2022) == 4
    for entry in nov_2022:
        assert entry.properties["name_confidence"] == "L"
        assert "inferred" in (entry.remarks or "")


def test_a_tiny_list_keeps_every_field() -> None:
    first, second = load_entries(FIXTURES / "valid.yaml", list_id="tiny")
    assert first.id == "tiny:first-bank"
    assert [(a.name, a.kind, a.strength) for a in first.aliases] == [
        ("First Bank", "aka", "strong"),
        ("المصرف الأول", "original_script", "strong"),
        ("FTB", "aka", "weak"),
    ]
    assert first.listed_date == "2024-02"
    assert first.properties["batch_date"] == "2024-02"
    assert first.properties["sources"].startswith(
        "Test source one, 2024-02-04, https://example.org/one [M]"
    )
    assert first.source_url == "https://example.org/one"
    assert second.kind is EntityKind.PERSON
    assert second.source_url == "https://example.org/three"


def test_a_file_made_for_another_list_is_refused() -> None:
    with pytest.raises(
        ListFormatError, match=r"valid\.yaml.*list 'tiny', not the requested list 'other'"
    ):
        list(parse_list("yaml", FIXTURES / "valid.yaml", list_id="other"))


@pytest.mark.parametrize(
    ("fixture", "fragments"),
    [
        (
            "unknown_field.yaml",
            ["entry 2 (id 'misspelt-bank')", "line 13", "unknown field 'aliasses'"],
        ),
        ("bad_yaml.yaml", ["invalid YAML", "line", "column"]),
        ("missing_name.yaml", ["entry 1 (id 'nameless-bank')", "name: required field is missing"]),
        ("duplicate_id.yaml", ["entry 2 (id 'same-bank')", "duplicate entry id 'same-bank'"]),
        ("bad_kind.yaml", ["entry 1 (id 'odd-kind')", "kind:", "'organization'"]),
        (
            "bad_identifier_type.yaml",
            ["entry 1 (id 'odd-identifier')", "identifiers.0.type:", "'bic'"],
        ),
        ("bad_date.yaml", ["entry 1 (id 'odd-date')", "listed_date:", "not a real date"]),
        ("no_sources.yaml", ["entry 1 (id 'unsourced-bank')", "sources:"]),
        ("duplicate_key.yaml", ["invalid YAML", "duplicate key 'name'", "line 12"]),
        ("bad_confidence.yaml", ["entry 1 (id 'unsure-bank')", "sources.0.confidence:"]),
        ("bad_country.yaml", ["entry 1 (id 'nowhere-bank')", "countries.0:", "ISO 3166-1"]),
    ],
)
def test_broken_files_are_refused_naming_file_entry_and_problem(
    fixture: str, fragments: list[str]
) -> None:
    with pytest.raises(ListFormatError) as caught:
        list(parse_list("yaml", FIXTURES / fixture, list_id="tiny"))
    message = str(caught.value)
    assert fixture in message
    for fragment in fragments:
        assert fragment in message, message
