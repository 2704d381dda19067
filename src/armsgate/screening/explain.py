"""The explanation of a scored match, as one line an officer can read.

    [krusik valjevo] vs [krusik] (latin): aligned krusik; unmatched valjevo;
    legal forms ad vs ad; score 0.804 >= threshold 0.709: match;
    contributions bias +2.06, unmatched_max -0.88, legal_form_same +0.22
"""

from __future__ import annotations

from collections.abc import Sequence

from armsgate.screening.alignment import Alignment
from armsgate.screening.normalise import PreparedName

__all__ = ["explain"]


def _magnitude(item: tuple[str, float]) -> float:
    return abs(item[1])


def explain(
    alignment: Alignment, left: PreparedName, right: PreparedName,
    contributions: Sequence[tuple[str, float]], score: float, threshold: float, match: bool,
    *, floor: bool,
) -> str:  # fmt: skip
    """Words on each side and how they were aligned, legal forms, the score against the
    threshold, the SPEC floor where it decided, and each feature's non-zero contribution
    (`contributions`: feature name, value * weight)."""
    words = [
        pair.left if pair.kind == "equal"
        else f"{pair.left}~{pair.right} ({pair.kind}, {pair.edits} edits)"
        for pair in alignment.pairs
    ]
    a, b = alignment.left, alignment.right
    labels = a.label if a.label == b.label else f"{a.label}/{b.label}"
    parts = [f"[{a.text}] vs [{b.text}] ({labels}): aligned {', '.join(words) or 'nothing'}"]
    unmatched = alignment.unmatched_left + alignment.unmatched_right
    if unmatched:
        parts.append(f"unmatched {', '.join(unmatched)}")
    if left.forms or right.forms:
        parts.append(
            f"legal forms {'/'.join(sorted(left.forms)) or '-'}"
            f" vs {'/'.join(sorted(right.forms)) or '-'}"
        )
    relation = ">=" if score >= threshold else "<"
    verdict = "match" if match else "no match"
    parts.append(f"score {score:.3f} {relation} threshold {threshold:.3f}: {verdict}")
    if floor:
        parts.append("matched by the SPEC minimum (the same words, within one edit)")
    shown = sorted(contributions, key=_magnitude, reverse=True)
    parts.append("contributions " + ", ".join([f"{name} {value:+.2f}" for name, value in shown]))
    return "; ".join(parts)
