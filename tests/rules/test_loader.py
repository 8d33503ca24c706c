"""Loading rule packs: valid files, and every kind of broken file refused with file, rule and problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.errors import RuleSetInvalid
from app.rules.loader import check_rules, load_ruleset
from tests.rules.factories import REPO_ROOT, RULES_DIR

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "rules"


def test_builtin_pack_is_valid() -> None:
    assert check_rules(RULES_DIR) == []
    ruleset = load_ruleset(RULES_DIR)
    assert ruleset.version.startswith("sha256:")
    assert ruleset.files == ("iran-usd-diversion.yaml",)
    assert ruleset.purpose_terms


def test_empty_folder_is_an_empty_ruleset(tmp_path: Path) -> None:
    ruleset = load_ruleset(tmp_path)
    assert ruleset.rules == ()
    assert check_rules(tmp_path) == []


def test_single_file_and_version_follows_content(tmp_path: Path) -> None:
    target = tmp_path / "valid.yaml"
    shutil.copy(FIXTURES / "valid.yaml", target)
    first = load_ruleset(target)
    assert [r.id for r in first.rules] == ["big-usd"]
    target.write_text(target.read_text().replace("0.1", "0.2"))
    assert load_ruleset(target).version != first.version


def test_missing_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleSetInvalid):
        load_ruleset(tmp_path / "nope")


def problems(name: str) -> list[str]:
    found = check_rules(FIXTURES / name)
    assert found, f"{name} should be refused"
    return found


def test_bad_yaml_names_file_and_position() -> None:
    (problem,) = problems("bad_yaml.yaml")
    assert problem.startswith("bad_yaml.yaml: invalid YAML")
    assert "line 7" in problem


def test_bad_cel_names_rule_and_position() -> None:
    (problem,) = problems("bad_cel.yaml")
    assert problem.startswith("bad_cel.yaml: rule missing-operand: bad CEL expression")
    assert "(line 8, column 16)" in problem


def test_unknown_key_is_refused() -> None:
    (problem,) = problems("unknown_field.yaml")
    assert problem == "unknown_field.yaml: rule typo-key: unknown field 'acton' (line 6, column 12)"


def test_unknown_context_field_and_variable() -> None:
    found = problems("unknown_context_field.yaml")
    assert any(
        p.startswith(
            "unknown_context_field.yaml: rule country-typo: unknown context field 'contry'"
        )
        for p in found
    )
    assert any(
        p.startswith(
            "unknown_context_field.yaml: rule unknown-variable: unknown variable 'payment'"
        )
        for p in found
    )


def test_runtime_shape_problems_are_caught_at_load() -> None:
    found = problems("unguarded.yaml")
    assert any(
        "rule usd-unguarded: fails on sample data without a transaction" in p
        and "transaction != null" in p
        for p in found
    )
    assert any("rule not-bool: must evaluate to a bool, got str" in p for p in found)
    assert any("rule bad-placeholder: unknown placeholder {bank_name}" in p for p in found)


def test_duplicate_id_across_packs() -> None:
    (problem,) = problems("duplicate")
    assert problem.startswith("b.yaml: rule same-id: duplicate rule id, already defined in a.yaml")


def test_all_problems_of_a_folder_are_collected(tmp_path: Path) -> None:
    for name in ("bad_yaml.yaml", "bad_cel.yaml", "unknown_field.yaml", "valid.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    with pytest.raises(RuleSetInvalid) as raised:
        load_ruleset(tmp_path)
    assert len(raised.value.problems) == 3
    assert {p.split(":")[0] for p in raised.value.problems} == {
        "bad_yaml.yaml",
        "bad_cel.yaml",
        "unknown_field.yaml",
    }


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("score: 1.5", "score: Input should be less than or equal to 1"),
        ("action: hold", "action: Input should be 'block', 'review' or 'info'"),
        ("scope: bank", "scope: Input should be 'match', 'party' or 'transaction'"),
    ],
)
def test_field_values_are_validated(tmp_path: Path, snippet: str, expected: str) -> None:
    key = snippet.split(":")[0]
    text = (FIXTURES / "unknown_field.yaml").read_text().replace("    acton: review\n", "")
    lines = [line for line in text.splitlines() if not line.strip().startswith(f"{key}:")]
    (tmp_path / "r.yaml").write_text("\n".join(lines) + f"\n    {snippet}\n")
    (problem,) = check_rules(tmp_path)
    assert problem.startswith(f"r.yaml: rule typo-key: {expected}")
    assert "(line " in problem
