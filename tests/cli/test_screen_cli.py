"""`armsgate lists ...`, `armsgate screen ...` and the screening shown on a case, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import APP, APPLICATION, REGISTERS, Cli

HEADER = "name,aliases,country,type,identifiers,listed_on,source\n"


@pytest.fixture
def submitted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)
    cli = Cli(tmp_path / "store.db", monkeypatch)
    cli("init")
    cli("registers", "import", REGISTERS)
    cli("cases", "submit", APPLICATION)
    return cli


def denials(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "denials.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_an_import_lists_the_cases_it_flags_and_clears(submitted: Cli, tmp_path: Path) -> None:
    submitted.day("2025-06-02")
    path = denials(tmp_path, "Egyptian Armament Authority,,EG,organisation,,,")
    out = submitted("lists", "import", path, "--format", "csv").stdout
    assert "1 case(s) newly flagged, 0 cleared, 0 with other hits" in out
    assert f"{APP} (in_review): flagged" in out
    assert "+ consignee/end_user/euc.issuer eg-mod: denials" in out
    submitted.day("2025-06-03")
    path = denials(tmp_path, "Some Unrelated Trading LLC,,AE,company,,,")
    report = submitted.json("lists", "import", path, "--format", "csv")
    [case] = report["screening"]
    assert (case["application"], case["change"], case["added"]) == (APP, "cleared", [])
    [hit] = case["removed"]
    assert (hit["party"], hit["list"], hit["name"]) == ("eg-mod", "denials",
                                                        "Egyptian Armament Authority")
    assert hit["score"] > 0.9
    again = submitted("lists", "import", path, "--format", "csv").stdout
    assert "nothing changed" in again


def test_show_gives_each_party_screened_with_its_hits(submitted: Cli, tmp_path: Path) -> None:
    submitted("lists", "import", denials(tmp_path, "Krusik AD,,RS,company,,,"), "--format", "csv")
    case = submitted.json("cases", "show", APP)
    screening = {p["party"]: p for p in case["screening"]}
    assert screening["eg-mod"]["roles"] == ["consignee", "end_user", "euc.issuer"]
    assert screening["eg-mod"]["hits"] == []
    [hit] = screening["krusik"]["hits"]
    assert hit["explanation"]["query_name"] in ("Krušik a.d. Valjevo", "Krusik AD")
    assert "screening-hit" in case["assessment"]["flags"]
    out = submitted("cases", "show", APP).stdout
    assert "screening exporter krusik 'Krušik a.d. Valjevo' (RS): 1 hit(s)" in out
    assert f"(entry {hit['entry']}; matched 'Krusik AD')" in out
    submitted("screen", "dismiss", "krusik", str(hit["entry"]), "--reason", "not this one")
    out = submitted("cases", "show", APP).stdout
    assert "dismissed 2025-06-01 by" in out
    assert "screening-hit" not in submitted.json("cases", "assess", APP)["flags"]
