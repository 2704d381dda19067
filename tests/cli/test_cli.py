"""The `armsgate` command end to end: CliRunner on a SQLite file, a fixed day, the doc examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armsgate.cli.app import app
from tests.cli.conftest import (
    APP,
    APPLICATION,
    REGISTERS,
    UCDP,
    Cli,
    err,
    runner,
    write,
)

# --- the store and the registers ---------------------------------------------------------


def test_init_twice(cli: Cli) -> None:
    first = cli.json("init")
    assert first["revision"]
    assert first["database"] == f"sqlite:///{cli.db}"
    assert cli.json("init") == first
    assert "store ready" in cli("init").stdout


def test_registers_import_of_the_example_and_again(cli: Cli) -> None:
    cli("init")
    counts = cli.json("registers", "import", REGISTERS)
    assert counts == {"parties": {"added": 3}, "goods": {"added": 3}, "lists": {"added": 4},
                      "embargoes": {"added": 1}, "conflicts": {"added": 1},
                      "screening": {"added": 1}}
    again = cli.json("registers", "import", REGISTERS)
    assert again == {kind: {"unchanged": sum(c.values())} for kind, c in counts.items()}
    facts = cli.json("world", "show")
    assert facts["conflicts"] == ["UA"]
    assert facts["lists"] == {"DE": "white", "FR": "white", "AE": "gray", "KP": "black"}
    assert facts["embargoes"] == ["EU-BY BY (government)"]


def test_registers_reference_loads_un_embargoes(cli: Cli) -> None:
    cli("init")
    counts = cli.json("registers", "reference")
    assert counts["embargoes"]["added"] >= 10
    embargoes = cli.json("world", "show")["embargoes"]
    assert "UN-KP KP (government)" in embargoes
    assert any(e.startswith("UN-SO SO") for e in embargoes)
    assert cli.json("registers", "reference")["embargoes"] == {
        "unchanged": counts["embargoes"]["added"]}


def test_a_failed_import_writes_nothing(ready: Cli, tmp_path: Path) -> None:
    bad = write(tmp_path, "r.yaml", "parties:\n"
                "  - {id: new-party, name: New, country: RS, roles: [exporter]}\n"
                "lists:\n  gray: [DE]\n")
    events, parties = ready.count("events"), ready.count("parties")
    result = ready("registers", "import", bad, code=2)
    assert "lists.gray[0]: DE is on the white list" in err(result)
    assert (ready.count("events"), ready.count("parties")) == (events, parties)


def test_lists_conflict_names_the_real_command(ready: Cli, tmp_path: Path) -> None:
    result = ready("registers", "import", write(tmp_path, "r.yaml", "lists: {gray: [DE]}\n"),
                   code=2)
    assert "armsgate world list" in err(result)


def test_reimporting_a_policy_changes_nothing(ready: Cli, tmp_path: Path) -> None:
    reg = write(tmp_path, "p.yaml", "policy: {consents: [defence], licence_days: 180}\n")
    assert ready.json("registers", "import", reg)["policy"] == {"added": 1}
    policies = ready.count("policies")
    assert "added" not in ready.json("registers", "import", reg).get("policy", {})
    assert ready.count("policies") == policies


def test_a_changed_goods_description_is_not_silently_dropped(ready: Cli, tmp_path: Path) -> None:
    reg = write(tmp_path, "g.yaml", "goods: [{id: rifle, category: ML1, description: new}]\n")
    result = runner.invoke(app, ["registers", "import", str(reg), "--json"])
    assert result.exit_code == 2 or json.loads(result.stdout)["goods"] == {"updated": 1}


def test_propose_conflicts(cli: Cli) -> None:
    if not UCDP.exists():
        pytest.skip(f"{UCDP} is absent")
    proposals = cli.json("registers", "propose-conflicts", UCDP)
    countries = {p["country"] for p in proposals}
    assert {"UA", "RU"} <= countries
    ua = next(p for p in proposals if p["country"] == "UA")
    assert set(ua) == {"country", "from", "conflict_ids", "intensity", "source"}
    assert "UCDP/PRIO" in ua["source"]
    assert "confirm each with" in cli("registers", "propose-conflicts", UCDP).stdout
    assert not cli.db.exists()  # a proposal never touches the store


# --- cases ---------------------------------------------------------------------------------


def test_submit_the_example(ready: Cli) -> None:
    result = ready.json("cases", "submit", APPLICATION)
    assert (result["application"], result["outcome"], result["flags"]) == (APP, "review", [])
    assert result["consents"] == ["defence", "foreign_affairs"]
    assert {"day", "reasons", "findings"} <= set(result)
    assert ready("cases", "show", APP).stdout.startswith(f"{APP} by krusik: in_review")


def test_show_assess_and_list_as_json(submitted: Cli) -> None:
    case = submitted.json("cases", "show", APP)
    assert set(case) == {"application", "licence", "opinions", "history", "observed_through",
                         "screening", "assessment", "awaiting", "questions",
                         "consent_requests", "versions", "content_version", "appeals"}
    assert case["application"]["state"] == "in_review"
    assert case["application"]["value_cents"] == 25_000_000
    assert case["licence"] is None
    assert case["history"][0]["to_state"] == "in_review"
    assert case["assessment"]["outcome"] == "review"
    a = submitted.json("cases", "assess", APP)
    assert (a["application"], a["day"], a["outcome"]) == (APP, "2025-06-01", "review")
    rows = submitted.json("cases", "list")
    assert [(r["id"], r["exporter"], r["state"]) for r in rows] == [(APP, "krusik", "in_review")]
    assert submitted.json("cases", "list", "--destination", "EG")[0]["id"] == APP
    assert submitted.json("cases", "list", "--state", "approved") == []
    assert f"│ {APP} │ in_review" in submitted("cases", "list").stdout


def test_cases_list_keeps_ids_whole_at_80_columns(submitted: Cli) -> None:
    submitted.width(80)
    out = submitted("cases", "list").stdout
    assert APP in out
    assert "250,000.00" in out


def test_assess_at_a_day(submitted: Cli) -> None:
    later = submitted.json("cases", "assess", APP, "--at", "2026-06-01")
    assert later["day"] == "2026-06-01"
    assert "euc-expired" in later["flags"]  # the certificate is valid through 2026-05-01
    assert "nsc" in later["consents"]
    result = submitted("cases", "assess", APP, "--at", "2025-02-30", code=2)
    assert "--at: not a real date" in err(result)
    assert "no application 'NOPE'" in err(submitted("cases", "assess", "NOPE", code=2))


def test_opinions_then_decide_approves_with_a_licence(submitted: Cli) -> None:
    assert submitted.json("cases", "decide", APP)["state"] == "in_review"
    opinion = submitted.json("opinions", "record", APP, "defence", "consent")
    assert opinion == {"application": APP, "body": "defence", "decision": "consent",
                       "reason": ""}
    submitted("opinions", "record", APP, "foreign_affairs", "consent", "--reason", "fine")
    assert submitted.json("cases", "decide", APP) == {"application": APP, "state": "approved"}
    licence = submitted.json("cases", "show", APP)["licence"]
    assert (licence["id"], licence["state"]) == (APP, "active")
    assert (licence["issued_on"], licence["expires_on"]) == ("2025-06-01", "2026-06-01")
    submitted("opinions", "record", APP, "defence", "maybe", code=2)


def test_an_objection_refuses(submitted: Cli) -> None:
    submitted("opinions", "record", APP, "defence", "object", "--reason", "stocks")
    assert submitted.json("cases", "decide", APP)["state"] == "refused"
    case = submitted.json("cases", "show", APP)
    assert case["application"]["reasons"] == ["objection:defence"]
    assert case["opinions"][0]["reason"] == "stocks"


# --- orders ----------------------------------------------------------------------------------


def test_suspend_holds_and_lift_releases(submitted: Cli) -> None:
    submitted.day("2025-06-10")
    impact = submitted.json("orders", "suspend", "SUSP-1", "--category", "ML3",
                            "--basis", "Government decision")
    assert (impact["day"], impact["changed"]) == ("2025-06-10", 1)
    assert impact["by_new_state"] == {"application:held": 1}
    assert (impact["by_exporter"], impact["by_destination"]) == ({"krusik": 1}, {"EG": 1})
    assert impact["value_affected_eur"] == "250000"
    assert submitted.json("cases", "show", APP)["application"]["state"] == "held"
    assert submitted.json("cases", "assess", APP, "--at", "2025-06-09")["outcome"] == "review"
    submitted.day("2025-06-12")
    released = submitted.json("orders", "lift", "SUSP-1")
    assert released["by_new_state"] == {"application:in_review": 1}
    assert submitted.json("cases", "list", "--state", "in_review")[0]["id"] == APP
    assert "suspend.id: 'SUSP-1' is already used" in err(
        submitted("orders", "suspend", "SUSP-1", code=2))
    assert "lift.id: no suspension order 'NOPE'" in err(
        submitted("orders", "lift", "NOPE", code=2))


def test_suspend_prints_an_impact_summary(submitted: Cli) -> None:
    out = " ".join(submitted("orders", "suspend", "SUSP-1", "--destination", "EG").stdout.split())
    assert "examined 1 pending applications and 0 live licences; 1 changed" in out
    assert "application:held" in out
    assert "by exporter: krusik 1" in out


def test_suspend_covers_a_licence_too(submitted: Cli) -> None:
    for body in ("defence", "foreign_affairs"):
        submitted("opinions", "record", APP, body, "consent")
    submitted("cases", "decide", APP)
    impact = submitted.json("orders", "suspend", "SUSP-1", "--until", "2025-07-01")
    assert impact["by_new_state"] == {"licence:suspended": 1}
    submitted.day("2025-07-01")
    observed = submitted.json("observe")
    assert observed["by_new_state"] == {"licence:active": 1}
    assert observed["next_change"] == "2026-06-01"


def test_resolve(submitted: Cli) -> None:
    submitted("orders", "suspend", "SUSP-1")
    allowed = submitted.json("orders", "resolve", "NSC-1", APP, "allow")
    assert allowed["by_new_state"] == {"application:in_review": 1}
    opinions = submitted.json("cases", "show", APP)["opinions"]
    assert [(o["body"], o["decision"]) for o in opinions] == [("nsc", "consent")]
    assert "resolve.decision" in err(submitted("orders", "resolve", "NSC-2", APP, "maybe",
                                               code=2))
    assert "resolve.id: 'NSC-1' is already used" in err(
        submitted("orders", "resolve", "NSC-1", APP, "deny", code=2))
    submitted("orders", "resolve", "NSC-2", APP, "deny")
    case = submitted.json("cases", "show", APP)["application"]
    assert (case["state"], case["reasons"]) == ("refused", ["nsc-denied"])


def test_resolve_deny_reports_the_refusal(submitted: Cli) -> None:
    impact = submitted.json("orders", "resolve", "NSC-1", APP, "deny")
    assert impact["by_new_state"] == {"application:refused": 1}


# --- the world -------------------------------------------------------------------------------


def test_world_commands(submitted: Cli) -> None:
    submitted.day("2025-06-05")
    assert submitted.json("world", "conflict", "SD", "--source", "ACD")["changed"] == 0
    assert submitted.json("world", "show")["conflicts"] == ["SD", "UA"]
    submitted.day("2025-06-06")
    submitted("world", "peace", "SD")
    assert submitted.json("world", "show")["conflicts"] == ["UA"]
    assert submitted.json("world", "show", "--at", "2025-06-05")["conflicts"] == ["SD", "UA"]
    submitted("world", "list", "AE", "black")
    submitted("world", "list", "DE", "none")
    assert submitted.json("world", "show")["lists"] == {"FR": "white", "KP": "black",
                                                        "AE": "black"}
    assert "list.list" in err(submitted("world", "list", "AE", "purple", code=2))
    submitted("world", "sanction", "Krusik AD", "--list", "test list", "--country", "RS")
    assert "screening-hit" in submitted.json("cases", "assess", APP)["flags"]
    submitted("world", "policy", "--consent", "defence", "--nsc-always", "--licence-days", "90")
    policy = submitted.json("world", "show")["policy"]
    assert (policy["consents"], policy["nsc"]["always"], policy["licence_days"]) == (
        ["defence"], True, 90)
    assert submitted.json("cases", "assess", APP)["consents"] == ["defence", "nsc"]
    impact = submitted.json("world", "embargo", "EMB-EG", "EG", "--by", "national",
                            "--category", "ML3", "--basis", "a decision")
    assert impact["by_new_state"] == {"application:refused": 1}
    assert submitted.json("cases", "show", APP)["application"]["reasons"] == ["embargo"]
    assert "EMB-EG EG (government)" in submitted.json("world", "show")["embargoes"]
    assert "embargo.id: 'EMB-EG' is already used" in err(
        submitted("world", "embargo", "EMB-EG", "EG", "--by", "EU", code=2))
    assert "embargo.categories[0]" in err(
        submitted("world", "embargo", "E2", "EG", "--by", "EU", "--category", "ML99", code=2))
    assert "conflict.country" in err(submitted("world", "conflict", "XX", code=2))


def test_observe(ready: Cli) -> None:
    report = ready.json("observe")
    assert (report["day"], report["changed"]) == ("2025-06-01", 0)
    assert set(report) >= {"examined", "by_new_state", "value_affected_eur", "next_change"}
    assert "next change by itself: none scheduled" in ready("observe").stdout
