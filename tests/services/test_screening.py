"""Screening in the service, SQLite and PostgreSQL: list versions, hits, dismissals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from armsgate.clock import SimulatedClock
from armsgate.domain import inputs as i
from armsgate.errors import InputError
from armsgate.screening.matcher import NameQuery
from armsgate.services.authority import Authority

HEADER = "name,aliases,country,type,identifiers,listed_on,source\n"
PARTIES = {
    "parties": [
        {"id": "exp", "name": "Krušik a.d. Valjevo", "country": "RS", "roles": ["exporter"]},
        {"id": "cz", "name": "Moravske Strojirny a.s.", "country": "CZ",
         "roles": ["consignee", "assembler"]},
        {"id": "cz-mod", "name": "Czech Armed Forces", "country": "CZ",
         "roles": ["end_user", "authority"]},
    ],
    "goods": [{"id": "g", "category": "ML3"}],
}


def write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def world(authority: Authority) -> Authority:
    authority.import_registers(i.parse(i.RegistersIn, PARTIES))
    authority.submit(i.parse(i.Submit, {
        "id": "A1", "exporter": "exp", "consignee": "cz", "end_user": "cz-mod",
        "goods": [{"item": "g", "quantity": 1, "value": 1}]}))
    return authority


def test_a_list_version_flags_the_case_and_a_second_import_changes_nothing(
        world: Authority, clock: SimulatedClock, tmp_path: Path) -> None:
    assert "screening-hit" not in world.assess("A1").flags
    clock.set(date(2025, 2, 1))
    path = write(tmp_path / "denials.csv",
                 ["MORAVSKÉ STROJÍRNY a. s.,,CZ,company,,2025-01-30,national decision 1",
                  "Some Unrelated Trading LLC,,AE,company,,,"])
    first = world.import_list(path, "csv")
    assert first.summary() == {"list": "denials", "version": first.version, "records": 2,
                               "added": 2, "removed": 0, "changed": 0,
                               "screening": first.screening}
    assert [c["application"] for c in first.screening] == ["A1"]
    assessment = world.assess("A1")
    assert "screening-hit" in assessment.flags
    assert "nsc" in assessment.consents
    assert world.assess("A1", date(2025, 1, 31)).flags.isdisjoint({"screening-hit"})
    again = world.import_list(path, "csv")
    assert again.version is None
    assert len(world.list_versions("denials")) == 1


def test_versions_and_diff(world: Authority, clock: SimulatedClock, tmp_path: Path) -> None:
    v1 = world.import_list(write(tmp_path / "d.csv", ["Alpha Trading LLC,,AE,company,,,",
                                                      "Beta Holding GmbH,,DE,company,,,"]), "csv")
    clock.set(date(2025, 3, 1))
    v2 = world.import_list(write(tmp_path / "d.csv", ["Alpha Trading LLC,,AE,company,,,",
                                                      "Gamma Logistics,,TR,company,,,"]), "csv")
    assert v1.version is not None
    assert v2.version is not None
    d = world.list_diff("d", v1.version, v2.version)
    assert [e["name"] for e in d["added"]] == ["Gamma Logistics"]
    assert [e["name"] for e in d["removed"]] == ["Beta Holding GmbH"]
    assert d["changed"] == []
    with pytest.raises(InputError):
        world.list_diff("d", v2.version, v1.version)


def test_dismissed_hit_holds_until_the_party_changes(world: Authority, tmp_path: Path) -> None:
    world.import_list(write(tmp_path / "n.csv", ["Moravske Strojirny,,CZ,company,,,"]), "csv")
    [(ref, _)] = world.screen(NameQuery("Moravske Strojirny a.s.", country="CZ"))
    world.dismiss_hit("cz", ref.pk, "another company of the same name, checked with the register")
    assert "screening-hit" not in world.assess("A1").flags
    changed = {**PARTIES, "parties": [{**PARTIES["parties"][1],
                                       "aliases": ["Moravske Strojirny Brno"]}]}
    world.import_registers(i.parse(i.RegistersIn, changed))
    assert "screening-hit" in world.assess("A1").flags


def test_screen_finds_names_across_scripts(world: Authority, tmp_path: Path) -> None:
    world.import_list(write(tmp_path / "s.csv", ["Крушик АД,,RS,company,,,"]), "csv")
    hits = world.screen(NameQuery("Krusik AD", country="RS"))
    assert [ref.name for ref, _ in hits] == ["Крушик АД"]
    assert hits[0][1].match


def test_an_import_reports_the_cases_it_flags_and_those_whose_hit_went_away(
        world: Authority, clock: SimulatedClock, tmp_path: Path) -> None:
    clock.set(date(2025, 2, 1))
    path = write(tmp_path / "denials.csv", ["Moravske Strojirny,,CZ,company,,,",
                                            "Some Unrelated Trading LLC,,AE,company,,,"])
    [flagged] = world.import_list(path, "csv").screening
    assert flagged["application"] == "A1"
    assert (flagged["change"], flagged["state"], flagged["removed"]) == ("flagged",
                                                                        "in_review", [])
    [hit] = flagged["added"]
    assert (hit["party"], hit["roles"], hit["list"], hit["name"]) == (
        "cz", ["consignee"], "denials", "Moravske Strojirny")
    assert hit["score"] >= 0.7
    assert "matched_name" in hit["explanation"]
    clock.set(date(2025, 3, 1))
    path = write(tmp_path / "denials.csv", ["Some Unrelated Trading LLC,,AE,company,,,"])
    [cleared] = world.import_list(path, "csv").screening
    assert (cleared["application"], cleared["change"], cleared["added"]) == ("A1", "cleared", [])
    assert [h["entry"] for h in cleared["removed"]] == [hit["entry"]]
    assert "screening-hit" not in world.assess("A1").flags
    assert "screening-hit" in world.assess("A1", date(2025, 2, 15)).flags


def test_a_dismissed_hit_is_not_reported_until_its_entry_changes(
        world: Authority, clock: SimulatedClock, tmp_path: Path) -> None:
    world.import_list(write(tmp_path / "n.csv", ["Moravske Strojirny,,CZ,company,,,"]), "csv")
    [party] = [p for p in world.case("A1")["screening"] if p["party"] == "cz"]
    [hit] = party["hits"]
    world.dismiss_hit("cz", hit["entry"], "another company, checked with the register")
    clock.set(date(2025, 2, 1))
    again = write(tmp_path / "n.csv", ["Moravske Strojirny,,CZ,company,,,",
                                       "Gamma Logistics,,TR,company,,,"])
    assert world.import_list(again, "csv").screening == []
    clock.set(date(2025, 3, 1))
    changed = write(tmp_path / "n.csv", ["Moravske Strojirny,Moravske Strojirny Brno,CZ,"
                                         "company,,,", "Gamma Logistics,,TR,company,,,"])
    [report] = world.import_list(changed, "csv").screening
    assert (report["application"], report["change"]) == ("A1", "flagged")
    assert report["removed"] == []  # the dismissed hit did not count


def test_the_certificate_issuer_is_screened_and_shown_without_a_flag(
        world: Authority, clock: SimulatedClock, tmp_path: Path) -> None:
    world.import_registers(i.parse(i.RegistersIn, {"parties": [
        {"id": "cz-auth", "name": "Licensing Office Prague", "country": "CZ",
         "roles": ["authority"]}]}))
    world.submit(i.parse(i.Submit, {
        "id": "A2", "exporter": "exp", "consignee": "cz", "end_user": "cz-mod",
        "goods": [{"item": "g", "quantity": 1, "value": 1}],
        "euc": {"number": "E-1", "issuer": "cz-auth", "issued_on": "2025-01-01",
                "valid_until": "2025-12-31", "end_user": "cz-mod", "non_reexport": True,
                "goods": [{"item": "g", "quantity": 1}]}}))
    clock.set(date(2025, 2, 1))
    path = write(tmp_path / "d.csv", ["Licensing Office Prague,,CZ,organisation,,,"])
    [report] = world.import_list(path, "csv").screening
    assert (report["application"], report["change"]) == ("A2", "changed")
    assert [(h["party"], h["roles"]) for h in report["added"]] == [("cz-auth", ["euc.issuer"])]
    a = world.assess("A2")
    assert "screening-hit" not in a.flags
    [note] = [f for f in a.findings if f.code == "euc-issuer-screening"]
    assert note.fact_text()["party"] == "cz-auth"
    screening = {p["party"]: p for p in world.case("A2")["screening"]}
    assert [p["roles"] for p in screening.values()] == [
        ["exporter"], ["consignee"], ["end_user"], ["euc.issuer"]]
    issuer = screening["cz-auth"]
    assert issuer["flags"] is False
    [hit] = issuer["hits"]
    assert hit["name"] == "Licensing Office Prague"
    assert hit["dismissed"] is None
    assert hit["explanation"]["text"]
    assert screening["cz"]["hits"] == []
