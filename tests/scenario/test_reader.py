"""Reading scenario files: YAML 1.2, duplicate keys, impossible dates, nulls."""

from __future__ import annotations

from pathlib import Path

import pytest

from armsgate.scenario.reader import YamlError, load_yaml
from armsgate.scenario.runner import run_file
from armsgate.scenario.validate import ScenarioInvalid, validate

WORLD = """
name: t
world:
  parties:
    - {id: exp, name: "Exporter a.d.", country: RS, roles: [exporter]}
    - {id: user, name: "Armed Forces", country: NO, roles: [end_user, consignee, authority]}
  goods:
    - {id: g, category: ML3}
"""


def test_unquoted_no_is_norway_not_false() -> None:
    doc = load_yaml(WORLD + "steps: []\n")
    assert doc["world"]["parties"][1]["country"] == "NO"
    scenario = validate(doc)
    assert scenario.world.parties[1].country == "NO"


def test_duplicate_key_is_refused() -> None:
    with pytest.raises(YamlError, match="duplicate key"):
        load_yaml("name: a\nname: b\n")


def test_duplicate_key_makes_the_file_invalid_at_step_0(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(WORLD + "steps: []\nsteps: []\n", encoding="utf-8")
    result = run_file(path)
    assert not result.valid
    assert result.error is not None
    assert result.error.step == 0


def test_impossible_date_is_an_error_with_its_path_not_a_crash() -> None:
    doc = load_yaml(WORLD + "steps:\n  - date: 2025-02-30\n    lift: {id: x}\n")
    with pytest.raises(ScenarioInvalid) as err:
        validate(doc)
    assert (err.value.step, err.value.path) == (1, "date")
    assert "not a real date" in err.value.message


def test_impossible_date_inside_a_field_names_the_field() -> None:
    text = WORLD + """steps:
  - date: 2025-02-01
    submit:
      id: A
      exporter: exp
      consignee: user
      end_user: user
      goods: [{item: g, quantity: 1, value: 1}]
      euc: {number: "1", issuer: user, issued_on: 2025-13-01, valid_until: 2026-01-01,
            end_user: user, non_reexport: true, goods: [{item: g, quantity: 1}]}
"""
    with pytest.raises(ScenarioInvalid) as err:
        validate(load_yaml(text))
    assert err.value.path == "submit.euc.issued_on"


def test_malformed_date_text_is_invalid() -> None:
    doc = load_yaml(WORLD + "steps:\n  - date: 2025-2-3\n    lift: {id: x}\n")
    with pytest.raises(ScenarioInvalid, match="expected a date"):
        validate(doc)


def test_null_counts_as_absent() -> None:
    doc = load_yaml(WORLD + "description: null\nsteps: []\n")
    assert "description" not in doc
    assert validate(doc).description == ""


def test_not_yaml_is_an_error_at_step_0(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: [unclosed\n", encoding="utf-8")
    result = run_file(path)
    assert result.error is not None
    assert result.error.step == 0


def test_a_file_that_is_not_a_mapping_is_invalid() -> None:
    with pytest.raises(ScenarioInvalid, match="mapping"):
        validate(load_yaml("- a\n- b\n"))


@pytest.mark.parametrize(
    ("extra", "step", "path"),
    [
        ("  - date: 2025-01-01\n    unknown: {}\n", 1, "unknown"),
        ("  - date: 2025-01-01\n", 1, ""),
        ("  - date: 2025-01-01\n    lift: {id: nope}\n", 1, "lift.id"),
        ("  - date: 2025-01-01\n    suspend: {id: S, until: 2025-01-01}\n", 1, "suspend.until"),
        ("  - date: 2025-01-01\n    suspend: {id: S}\n  - date: 2025-01-02\n"
         "    suspend: {id: S}\n", 2, "suspend.id"),
        ("  - date: 2025-01-01\n    expect: {application: A, licence: A}\n", 1, "expect"),
        ("  - date: 2025-01-01\n    list: {country: XK, list: gray}\n", 1, "list.country"),
        ("  - date: 2025-01-01\n    list: {country: RS, list: pink}\n", 1, "list.list"),
        ("  - date: 2025-01-01\n    policy: {licence_days: 1.5}\n", 1, "policy.licence_days"),
        ("  - date: 2025-01-01\n    policy: {nsc: {value_over: 0}}\n", 1,
         "policy.nsc.value_over"),
    ],
)
def test_invalid_steps_name_step_and_path(extra: str, step: int, path: str) -> None:
    with pytest.raises(ScenarioInvalid) as err:
        validate(load_yaml(WORLD + "steps:\n" + extra))
    assert (err.value.step, err.value.path) == (step, path)


def test_kit_loop_and_country_on_two_lists_are_invalid() -> None:
    loop = WORLD.replace("- {id: g, category: ML3}",
                         "- {id: g, category: ML3, kit_of: h}\n    - {id: h, category: ML16, "
                         "kit_of: g}")
    with pytest.raises(ScenarioInvalid, match="loops"):
        validate(load_yaml(loop + "steps: []\n"))
    two = WORLD + "  lists: {gray: [RS], black: [RS]}\nsteps: []\n"
    with pytest.raises(ScenarioInvalid) as err:
        validate(load_yaml(two))
    assert err.value.path == "world.lists.black[0]"
