"""Fitting the matcher's weights and threshold on labelled pairs (pure Python, no numpy).

Used by `benchmarks.screening.evaluate`: an L2-regularised logistic regression by
Newton's method (the bias is not penalised), and the threshold that maximises F1.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Counts", "best_threshold", "decide", "fit_logistic", "sigmoid"]


@dataclass(frozen=True, slots=True)
class Counts:
    """A confusion count and its figures."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @classmethod
    def of(cls, predicted: Sequence[bool], actual: Sequence[bool]) -> Counts:
        pairs = list(zip(predicted, actual, strict=True))
        return cls(
            tp=sum(p and a for p, a in pairs),
            fp=sum(p and not a for p, a in pairs),
            fn=sum(a and not p for p, a in pairs),
            tn=sum(not p and not a for p, a in pairs),
        )

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn,
                      self.tn + other.tn)  # fmt: skip

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def fit_logistic(
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    l2: float,
    signs: Sequence[int] | None = None,
    fixed: Mapping[int, float] | None = None,
) -> list[float]:
    """Weights of a logistic regression on `rows` (column 0 is the bias, not penalised).

    `signs[k]` of +1 or -1 keeps weight k non-negative or non-positive (0: free): a
    weight that comes out with the wrong sign is held at zero and the rest refitted, the
    worst one first. `fixed` weights are held at their given values (priors)."""
    held: dict[int, float] = dict(fixed or {})
    while True:
        weights = _newton(rows, labels, l2, held)
        wrong = [
            (abs(w), k) for k, w in enumerate(weights)
            if k not in held and signs is not None and signs[k] * w < 0
        ]
        if not wrong:
            return weights
        held[max(wrong)[1]] = 0.0


def _newton(
    rows: Sequence[Sequence[float]], labels: Sequence[bool], l2: float,
    held: Mapping[int, float], iterations: int = 50,
) -> list[float]:
    size = len(rows[0])
    free = [k for k in range(size) if k not in held]
    weights = [held.get(k, 0.0) for k in range(size)]
    for _ in range(iterations):
        gradient = [l2 * weights[k] if k else 0.0 for k in free]
        hessian = [[(l2 if a == b and k else 0.0) for b in range(len(free))]
                   for a, k in enumerate(free)]  # fmt: skip
        for row, label in zip(rows, labels, strict=True):
            p = sigmoid(sum(w * x for w, x in zip(weights, row, strict=True)))
            error, curvature = p - float(label), max(p * (1.0 - p), 1e-9)
            values = [row[k] for k in free]
            for a, x in enumerate(values):
                if x == 0.0:
                    continue
                gradient[a] += error * x
                line = hessian[a]
                for b, y in enumerate(values):
                    line[b] += curvature * x * y
        for a in range(len(free)):
            hessian[a][a] += 1e-9  # features that never fire keep their weight at zero
        step = _solve(hessian, gradient)
        for a, k in enumerate(free):
            weights[k] -= step[a]
        if not step or max(abs(s) for s in step) < 1e-8:
            break
    return weights


def decide(scores: Sequence[float], forced: Sequence[bool | None], threshold: float) -> list[bool]:
    """Decisions at `threshold`, where `forced` (True, False, or None for the score's own
    decision) is the SPEC's rule."""
    return [
        (s >= threshold) if f is None else f for s, f in zip(scores, forced, strict=True)
    ]


def best_threshold(
    scores: Sequence[float], labels: Sequence[bool], forced: Sequence[bool | None]
) -> float:
    """The threshold with the best F1 of `decide` (midway between neighbouring scores; the
    lower threshold, so the higher recall, on a tie)."""
    ranked = sorted(set(scores))
    candidates = [(a + b) / 2 for a, b in itertools.pairwise(ranked)] or [0.5]
    best, best_f1 = candidates[0], -1.0
    for threshold in candidates:
        f1 = Counts.of(decide(scores, forced, threshold), labels).f1
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """x with matrix @ x = vector (Gaussian elimination with partial pivoting)."""
    n = len(vector)
    a = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-15:
            continue
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(a[r][r]) < 1e-15:
            continue
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x
