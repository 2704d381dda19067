"""Docs that are generated from code must be current."""

from __future__ import annotations

from pathlib import Path

from armsgate.rules.findings import rules_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_rules_reference_is_current() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `python -m armsgate.rules.findings > docs/rules.md`")
