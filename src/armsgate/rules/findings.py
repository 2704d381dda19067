"""What an assessment finds: outcomes, codes, the rules behind them and their legal basis.

Each rule has a stable id, the code it produces (a refusal reason, `hold`, or a
flag of SPEC.md) and the legal basis an officer cites. The texts name public
instruments only: EU Council Common Position 2008/944/CFSP (as amended by
2019/1560), the Arms Trade Treaty (2013), and the national licensing policy in
force (for Serbia, the Law on Export and Import of Arms and Military Equipment,
whose Art. 16(4) the 2025 suspension invoked).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Outcome(StrEnum):
    REFUSE = "refuse"
    HOLD = "hold"
    REVIEW = "review"


class Effect(StrEnum):
    REFUSE = "refuse"
    HOLD = "hold"
    RELEASE = "release"  # a special resolution lifts a hold
    FLAG = "flag"
    CONSENT = "consent"  # a body's consent is required
    NOTE = "note"  # shown to the reviewer; sets no flag and requires no consent


CP = "EU Common Position 2008/944/CFSP"
ATT = "Arms Trade Treaty"
NATIONAL = "national licensing policy in force"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    code: str
    effect: Effect
    basis: str
    summary: str


def _rule(id_: str, code: str, effect: Effect, basis: str, summary: str) -> Rule:
    return Rule(id_, code, effect, basis, summary)


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        _rule("P1-EMBARGO", "embargo", Effect.REFUSE,
              f"{CP}, criterion 1; {ATT} Art. 6(1)",
              "an embargo in force on a destination covers a line's category"),
        _rule("P2-AT-WAR", "at-war", Effect.REFUSE,
              f"{CP}, criteria 3 and 4; {ATT} Art. 7; {NATIONAL}",
              "a destination is in the conflict register"),
        _rule("P3-BLACK-LIST", "black-list", Effect.REFUSE,
              f"{NATIONAL} (destination lists)",
              "a destination is on the black list"),
        _rule("H1-SUSPENSION", "suspension", Effect.HOLD,
              f"{NATIONAL} (suspension order)",
              "a suspension order in force covers a line's category and a destination"),
        _rule("H2-SPECIAL-RESOLUTION", "special-resolution", Effect.RELEASE,
              f"{NATIONAL} (special resolution of the National Security Council)",
              "a special resolution allows the application despite a suspension"),
        _rule("F1-ASSEMBLY-KIT", "assembly-kit", Effect.FLAG,
              f"{CP}, criterion 7",
              "a line is an assembly kit, counted as the item it makes"),
        _rule("F2-RE-EXPORT", "re-export-risk", Effect.FLAG,
              f"{CP}, criterion 7; {ATT} Art. 11",
              "the consignee is not the end user, there are intermediates, "
              "or the consignee is an assembler or broker"),
        _rule("F3-TRANSIT", "transit-risk", Effect.FLAG,
              f"{CP}, criterion 7; {ATT} Art. 11",
              "a route country is under an embargo, at war, or on the gray or black list"),
        _rule("F4-GRAY-LIST", "gray-list", Effect.FLAG,
              f"{NATIONAL} (destination lists)",
              "a destination is on the gray list"),
        _rule("F5-EUC-MISSING", "euc-missing", Effect.FLAG,
              f"{CP}, criterion 7; {ATT} Art. 11(2)",
              "no end-user certificate although one is required"),
        _rule("F6-EUC-EXPIRED", "euc-expired", Effect.FLAG,
              f"{CP}, criterion 7", "the end-user certificate has expired"),
        _rule("F7-EUC-ISSUER", "euc-issuer-unknown", Effect.FLAG,
              f"{CP}, criterion 7; {ATT} Art. 11(2)",
              "the certificate's issuer is not a competent authority of the end user's country"),
        _rule("F8-EUC-MISMATCH", "euc-mismatch", Effect.FLAG,
              f"{CP}, criterion 7",
              "the certificate names another end user or does not cover the goods"),
        _rule("F9-EUC-NO-REEXPORT", "euc-no-reexport", Effect.FLAG,
              f"{CP}, criterion 7; {ATT} Art. 11",
              "the certificate has no non-re-export clause"),
        _rule("F10-EUC-REUSED", "euc-reused", Effect.FLAG,
              f"{CP}, criterion 7",
              "an earlier application cites a certificate with the same issuer and number"),
        _rule("F11-SCREENING", "screening-hit", Effect.FLAG,
              f"{CP}, criterion 1; {ATT} Art. 6(1)",
              "a party matches an entry of a sanctions or denial list"),
        _rule("F12-NON-STATE-EMBARGO", "non-state-embargo", Effect.FLAG,
              f"{CP}, criterion 1; {ATT} Art. 6(1)",
              "an embargo aimed at non-state actors in a destination covers a line's category"),
        _rule("N1-EUC-ISSUER-SCREENING", "euc-issuer-screening", Effect.NOTE,
              f"{CP}, criterion 7; {ATT} Art. 11(2)",
              "the certificate's issuer matches an entry of a sanctions or denial list "
              "(SPEC.md's `screening-hit` covers exporter, consignee, end user and "
              "intermediates only)"),
        _rule("C1-CONSENTS", "consents", Effect.CONSENT,
              f"{NATIONAL} (policy.consents)", "the bodies whose consent every case needs"),
        _rule("C2-NSC", "nsc", Effect.CONSENT,
              f"{NATIONAL} (policy.nsc; in Serbia Art. 16(4) of the law since 23 June 2025)",
              "the National Security Council must consent"),
    )
}

PROHIBITIONS = ("embargo", "at-war", "black-list")

FLAGS = (
    "assembly-kit", "re-export-risk", "transit-risk", "gray-list", "euc-missing",
    "euc-expired", "euc-issuer-unknown", "euc-mismatch", "euc-no-reexport", "euc-reused",
    "screening-hit", "non-state-embargo",
)
# SPEC.md: "Diversion flags are all of the above but gray-list."
DIVERSION_FLAGS = frozenset(FLAGS) - {"gray-list"}


Fact = tuple[str, object]
_RULE_PARTS = {code: (rule.effect, rule.id, rule.basis) for code, rule in RULES.items()}


class Finding(NamedTuple):
    """One reason of an assessment: what fired, under which rule and basis, on which facts.

    Facts keep their values as found (text, dates, sorted tuples); `fact_text` renders them.
    """

    effect: Effect
    code: str
    facts: tuple[Fact, ...]
    rule: str
    basis: str

    @classmethod
    def of(cls, code: str, **facts: object) -> Finding:
        """A finding of the rule with this code; facts given as None are left out."""
        effect, rule, basis = _RULE_PARTS[code]
        return cls(effect, code, tuple([kv for kv in facts.items() if kv[1] is not None]),
                   rule, basis)

    def fact_text(self) -> dict[str, str]:
        return {k: _text(v) for k, v in self.facts}

    def explain(self) -> str:
        facts = ", ".join(f"{k}={v}" for k, v in self.fact_text().items())
        return f"[{self.rule}] {RULES[self.code].summary} ({facts}); basis: {self.basis}"


def _text(value: object) -> str:
    if isinstance(value, (set, frozenset, tuple, list)):
        return ",".join(str(v) for v in value)
    return str(value)


def rules_markdown() -> str:
    """docs/rules.md, generated from RULES so that it cannot drift."""
    lines = [
        "# Rules of the policy engine",
        "",
        "Generated from `armsgate.rules.findings.RULES` (run `python -m armsgate.rules.findings"
        " > docs/rules.md`); a test checks it is current. The meaning of each rule is SPEC.md's;"
        " the order of judgement is: prohibitions refuse, else a suspension holds (unless a"
        " later special resolution allows), else the case is in review. Flags are set whatever"
        " the outcome; diversion flags (all but `gray-list`) make the National Security"
        " Council's consent required when `policy.nsc.on_flags` is set. Notes are shown to the"
        " reviewer with their facts; they set no flag and require no consent.",
        "",
        "| rule | code | effect | what fires it | legal basis |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in RULES.values():
        lines.append(f"| {rule.id} | `{rule.code}` | {rule.effect.value} | {rule.summary} "
                     f"| {rule.basis} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
