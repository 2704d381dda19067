"""The logistic fit: signs imposed, priors held, the F1-best threshold."""

from __future__ import annotations

import math
import random

from armsgate.screening.fitting import Counts, best_threshold, fit_logistic


def test_the_fit_keeps_signs_and_priors() -> None:
    rnd = random.Random(7)
    rows = [[1.0, rnd.random(), rnd.random(), 1.0] for _ in range(200)]
    labels = [row[1] > 0.5 for row in rows]  # column 2 is noise, column 3 a fixed prior
    weights = fit_logistic(rows, labels, l2=1.0, signs=[0, 1, 1, 0], fixed={3: -0.5})
    assert weights[1] > 2.0
    assert weights[2] >= 0.0
    assert weights[3] == -0.5
    scores = [1 / (1 + math.exp(-sum(w * x for w, x in zip(weights, row, strict=True))))
              for row in rows]  # fmt: skip
    threshold = best_threshold(scores, labels, [None] * len(rows))
    assert Counts.of([s >= threshold for s in scores], labels).f1 > 0.9
