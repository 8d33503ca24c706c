"""The sources catalogue lists/sources.yaml and its loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import ListFormatError
from app.lists.models import ListAction
from app.lists.parsers import FORMATS
from app.lists.sources import SourceSpec, load_sources

LISTS = Path(__file__).resolve().parents[2] / "lists"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "curated"


@pytest.fixture(scope="module")
def catalogue() -> dict[str, SourceSpec]:
    return {spec.id: spec for spec in load_sources(LISTS / "sources.yaml")}


def test_the_shipped_catalogue_loads(catalogue: dict[str, SourceSpec]) -> None:
    assert {"ofac-sdn", "ofac-cons", "un", "us-csl", "fincen-311", "cbi-usd-ban"} <= set(catalogue)
    assert all(spec.format in FORMATS for spec in catalogue.values())
    assert all(spec.to_list_info().id == spec.id for spec in catalogue.values())


def test_official_lists_and_curated_lists_are_enabled_opensanctions_is_not(
    catalogue: dict[str, SourceSpec],
) -> None:
    enabled = {spec.id for spec in catalogue.values() if spec.enabled}
    assert enabled == {"ofac-sdn", "ofac-cons", "un", "fincen-311", "cbi-usd-ban"}
    opensanctions = [spec for spec in catalogue.values() if spec.id.startswith("os-")]
    assert opensanctions
    for spec in opensanctions:
        assert not spec.enabled
        assert spec.licence
        assert spec.format == "ftm"
        assert spec.location.startswith("https://data.opensanctions.org/datasets/latest/")


def test_remote_sources_use_official_https_urls(catalogue: dict[str, SourceSpec]) -> None:
    ofac = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
    assert catalogue["ofac-sdn"].location == ofac + "SDN_ENHANCED.XML"
    assert catalogue["ofac-cons"].location == ofac + "CONS_ENHANCED.XML"
    assert (
        catalogue["un"].location == "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
    )
    for spec in catalogue.values():
        if spec.is_remote:
            assert spec.location.startswith("https://"), spec.id
            assert spec.max_shrink == 0.2, spec.id
    assert catalogue["ofac-sdn"].freshness_hours == 24
    assert catalogue["ofac-cons"].freshness_hours == 24


def test_curated_lists_are_local_and_take_their_metadata_from_the_file(
    catalogue: dict[str, SourceSpec],
) -> None:
    cbi, fincen = catalogue["cbi-usd-ban"], catalogue["fincen-311"]
    assert not cbi.is_remote
    assert cbi.location == "cbi-usd-ban.yaml"
    assert cbi.format == "yaml"
    assert (cbi.category, cbi.default_action) == ("high_risk", ListAction.REVIEW)
    assert (fincen.category, fincen.default_action) == ("special_measure", ListAction.BLOCK)
    assert fincen.to_list_info().name == "FinCEN section 311 special measures"


def test_a_multi_file_source_lists_its_files() -> None:
    specs = {spec.id: spec for spec in load_sources(FIXTURES / "sources_valid.yaml")}
    sdn = specs["test-sdn"]
    assert sdn.is_remote
    assert sdn.files == {
        "SDN.CSV": "https://example.org/exports/SDN.CSV",
        "ADD.CSV": "https://example.org/exports/ADD.CSV",
    }
    assert (sdn.freshness_hours, sdn.max_shrink) == (24, 0.1)
    with pytest.raises(ValueError, match="several files"):
        _ = sdn.location
    assert specs["test-un"].location == "un/consolidated.xml"
    assert not specs["test-un"].enabled
    assert specs["test-un"].max_shrink is None  # the service default applies
    assert specs["tiny"].to_list_info().default_action is ListAction.REVIEW


def test_relative_paths_point_into_the_given_lists_folder(tmp_path: Path) -> None:
    catalogue = tmp_path / "sources.yaml"
    catalogue.write_text(
        (FIXTURES / "sources_valid.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(ListFormatError, match="valid.yaml"):
        load_sources(catalogue)  # valid.yaml is not beside this copy
    assert len(load_sources(catalogue, lists_dir=FIXTURES)) == 3


@pytest.mark.parametrize(
    ("fixture", "fragments"),
    [
        (
            "sources_unknown_field.yaml",
            ["source 1 (id 'test-un'), line 2", "unknown field 'enabeld'"],
        ),
        ("sources_plain_http.yaml", ["source 1 (id 'test-un')", "only https://"]),
        (
            "sources_duplicate_id.yaml",
            ["source 2 (id 'test-un'), line 9", "duplicate source id 'test-un'"],
        ),
        (
            "sources_url_and_path.yaml",
            ["source 1 (id 'test-un')", "exactly one of url, files or path"],
        ),
        (
            "sources_files_for_one_file_format.yaml",
            ["source 1 (id 'test-un')", "`files:` is only for ofac-csv"],
        ),
        ("sources_ofac_csv_one_url.yaml", ["source 1 (id 'test-sdn')", "list them under `files:`"]),
        (
            "sources_remote_without_name.yaml",
            ["source 1 (id 'test-un')", "a remote source needs name"],
        ),
        ("sources_unknown_format.yaml", ["source 1 (id 'test-un')", "format 'un-json' is unknown"]),
        (
            "sources_wrong_list_id.yaml",
            ["source 1 (id 'not-tiny')", "valid.yaml is list 'tiny', not 'not-tiny'"],
        ),
        (
            "sources_absolute_path.yaml",
            ["source 1 (id 'tiny')", "must be relative to the lists folder"],
        ),
    ],
)
def test_broken_catalogues_are_refused_naming_file_source_and_problem(
    fixture: str, fragments: list[str]
) -> None:
    with pytest.raises(ListFormatError) as caught:
        load_sources(FIXTURES / fixture)
    message = str(caught.value)
    assert fixture in message
    for fragment in fragments:
        assert fragment in message, message
