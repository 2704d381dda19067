"""Scorecard of the scored name matcher (`armsgate.screening.matcher`).

    .venv/bin/python -m benchmarks.screening.evaluate [--data DIR] [--fit] [--speed-pairs N]

On shared/data/screening/name-pairs-dev.csv: precision, recall and F1 of the shipped
weights at the shipped threshold (the plain figure: those weights were fitted on these
pairs), overall, by schema and by quality tier, beside the 5-fold cross-validated figure
(folds stratified by label and seeded; weights and threshold fitted on the four training
folds only, the fifth held out). Then the STRONG-tier pairs it gets wrong, the seed
names, the whole-entity checks of nomenklatura-entity-checks.yml, and pairs per second.

`--fit` also prints the weights and threshold fitted on all development pairs, to be
pasted into `FITTED_WEIGHTS` and `THRESHOLD` in `armsgate/screening/matcher.py`.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from armsgate.screening.context import CONTEXT_FEATURES
from armsgate.screening.fitting import Counts, best_threshold, decide, fit_logistic, sigmoid
from armsgate.screening.matcher import (
    FEATURES,
    PRIOR_WEIGHTS,
    SIGNS,
    THRESHOLD,
    Candidate,
    NameQuery,
    ScoredMatcher,
    prepare,
    spec_distinct,
    spec_floor,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FIT_FEATURES = tuple(name for name in FEATURES if name not in CONTEXT_FEATURES)
L2 = 1.0  # ridge penalty of the fit (not tuned on the data)
FOLDS = 5
SEED = 20250401
# The seed names of the task (not from any labelled file): each pair must match.
SEEDS = (
    ("Krušik a.d. Valjevo", "Krusik AD"),
    ("Poličské strojírny a.s.", "Policske Strojirni"),
    ("Александар Вучић", "Aleksandar Vucic"),
)


@dataclass(frozen=True, slots=True)
class Pair:
    """A labelled pair: the query, the candidate, and the label's groups."""

    query: NameQuery
    candidate: Candidate
    match: bool
    groups: dict[str, str]


@dataclass(frozen=True, slots=True)
class Row:
    """A pair's features (in `FIT_FEATURES` order) and the SPEC's rule on it."""

    values: list[float]
    forced: bool | None


def load_pairs(path: Path) -> list[Pair]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Pair(
                NameQuery(row["name1"], schema=row["schema"]),
                Candidate((row["name2"],), schema=row["schema"]),
                row["is_match"].strip().casefold() == "true",
                {"schema": row["schema"], "quality": row["quality"]},
            )
            for row in csv.DictReader(handle)
        ]


def load_checks(path: Path) -> list[Pair]:
    """Whole-entity checks; a name given in parts is its parts in order."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    out = []
    for check in data["checks"]:
        schema = str(check["schema"])
        query, candidate = _names(check["query"]), _names(check["candidate"])
        out.append(Pair(NameQuery(query[0], schema=schema), Candidate(candidate, schema=schema),
                        bool(check["match"]), {"schema": schema}))  # fmt: skip
    return out


def _names(entity: dict[str, object]) -> tuple[str, ...]:
    names = [str(entity["name"])] if entity.get("name") else []
    parts = [str(entity[k]) for k in ("firstName", "middleName", "fatherName", "lastName")
             if entity.get(k)]  # fmt: skip
    if parts:
        names.append(" ".join(parts))
    return tuple(names) or ("",)


def featurise(pairs: Sequence[Pair], matcher: ScoredMatcher) -> list[Row]:
    rows = []
    for pair in pairs:
        scored = matcher.score(pair.query, pair.candidate)
        values = {f.name: f.value for f in scored.features}
        forced = True if spec_floor(pair.query.name, scored.candidate_name) else None
        rows.append(Row([values.get(name, 1.0 if name == "bias" else 0.0)
                         for name in FIT_FEATURES], forced))  # fmt: skip
    return rows


def fit(rows: Sequence[Row], labels: Sequence[bool]) -> tuple[list[float], float]:
    signs = [SIGNS.get(name, 0) for name in FIT_FEATURES]
    fixed = {k: PRIOR_WEIGHTS[name] for k, name in enumerate(FIT_FEATURES) if name in PRIOR_WEIGHTS}
    weights = fit_logistic([r.values for r in rows], labels, L2, signs, fixed)
    scores = [_score(weights, r) for r in rows]
    return weights, best_threshold(scores, labels, [r.forced for r in rows])


def _score(weights: Sequence[float], row: Row) -> float:
    return sigmoid(sum(w * x for w, x in zip(weights, row.values, strict=True)))


def cross_validate(rows: Sequence[Row], labels: Sequence[bool]) -> list[bool]:
    """Held-out decisions of each pair, in a seeded, label-stratified 5-fold split."""
    rnd = random.Random(SEED)
    fold_of = [0] * len(rows)
    for label in (True, False):
        members = [i for i, value in enumerate(labels) if value is label]
        rnd.shuffle(members)
        for k, i in enumerate(members):
            fold_of[i] = k % FOLDS
    predicted = [False] * len(rows)
    for fold in range(FOLDS):
        train = [i for i in range(len(rows)) if fold_of[i] != fold]
        test = [i for i in range(len(rows)) if fold_of[i] == fold]
        weights, threshold = fit([rows[i] for i in train], [labels[i] for i in train])
        scores = [_score(weights, rows[i]) for i in test]
        for i, decision in zip(test, decide(scores, [rows[i].forced for i in test], threshold),
                               strict=True):  # fmt: skip
            predicted[i] = decision
    return predicted


def _table(title: str, pairs: Sequence[Pair], plain: Sequence[bool],
           cv: Sequence[bool] | None, key: str | None) -> None:  # fmt: skip
    print(f"\n{title}")
    header = f"  {'group':<16}{'pairs':>6}{'P':>8}{'R':>8}{'F1':>8}"
    print(header + ("   F1 (5-fold CV)" if cv else ""))
    groups: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        groups["all"].append(i)
        if key:
            groups[pair.groups[key]].append(i)
    for name, members in sorted(groups.items(), key=lambda item: (item[0] != "all", item[0])):
        actual = [pairs[i].match for i in members]
        c = Counts.of([plain[i] for i in members], actual)
        line = f"  {name:<16}{len(members):>6}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"
        if cv is not None:
            line += f"   {Counts.of([cv[i] for i in members], actual).f1:.3f}"
        print(line)


def _speed(label: str, pairs: Sequence[tuple[NameQuery, Candidate]], matcher: ScoredMatcher,
           repeat: int) -> None:  # fmt: skip
    for query, candidate in pairs:  # warm the prepare() cache
        matcher.score(query, candidate)
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for query, candidate in pairs:
            matcher.score(query, candidate)
        best = min(best, time.process_time() - start)
    print(f"  {label}: {len(pairs) / best:,.0f} pairs/s ({len(pairs)} pairs, best of {repeat})")


def _sdn_names(path: Path, count: int) -> list[str]:
    with path.open(newline="", encoding="latin-1") as handle:
        names = [row[1] for row in csv.reader(handle) if len(row) > 2 and row[1].strip()]
    return random.Random(SEED).sample(names, min(count, len(names)))


def _timed_prepare(names: Sequence[str]) -> float:
    prepare.cache_clear()
    start = time.process_time()
    for name in names:
        prepare(name)
    return len(names) / (time.process_time() - start)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="shared/data directory")
    parser.add_argument("--fit", action="store_true", help="print weights fitted on all pairs")
    parser.add_argument("--speed-pairs", type=int, default=20000, help="random list pairs")
    args = parser.parse_args(argv)
    screening = args.data / "screening"
    matcher = ScoredMatcher()
    print("shipped weights: " + ", ".join(f"{k} {v:+.3f}" for k, v in matcher.weights.items()))
    pairs = load_pairs(screening / "name-pairs-dev.csv")
    labels = [p.match for p in pairs]
    rows = featurise(pairs, matcher)
    _report_pairs(pairs, rows, matcher)
    print("\nseed names:")
    for a, b in SEEDS:
        s = matcher.score(NameQuery(a), Candidate((b,)))
        print(f"  {a!r} = {b!r}: {'match' if s.match else 'NO MATCH'} ({s.score:.3f})")
    checks = load_checks(screening / "nomenklatura-entity-checks.yml")
    decisions = [matcher.score(p.query, p.candidate).match for p in checks]
    _table(f"nomenklatura-entity-checks.yml ({len(checks)} checks)", checks, decisions, None,
           "schema")  # fmt: skip
    print("\nspeed (prepare() cached; CPU time of this process, one core):")
    _speed("development pairs", [(p.query, p.candidate) for p in pairs] * 20, matcher, 5)
    names = _sdn_names(screening / "ofac-sdn-2024-05-03.csv", 4000)
    rnd = random.Random(SEED)
    random_pairs = [(NameQuery(rnd.choice(names)), Candidate((rnd.choice(names),)))
                    for _ in range(args.speed_pairs)]  # fmt: skip
    _speed("random OFAC SDN name pairs", random_pairs, matcher, 3)
    print(f"  prepare(), cold: {_timed_prepare(names):,.0f} names/s")
    if args.fit:
        _print_fit(rows, labels)


def _report_pairs(pairs: Sequence[Pair], rows: Sequence[Row], matcher: ScoredMatcher) -> None:
    labels = [p.match for p in pairs]
    plain = [matcher.score(p.query, p.candidate).match for p in pairs]
    cv = cross_validate(rows, labels)
    print(f"\nname-pairs-dev.csv: {len(pairs)} pairs, threshold {matcher.threshold:.3f}")
    _table("by schema (plain: shipped weights, fitted on these pairs)", pairs, plain, cv, "schema")
    _table("by quality tier", pairs, plain, cv, "quality")
    cv_counts, plain_counts = Counts.of(cv, labels), Counts.of(plain, labels)
    print(f"\nF1 plain {plain_counts.f1:.3f} (P {plain_counts.precision:.3f}, "
          f"R {plain_counts.recall:.3f}); 5-fold CV {cv_counts.f1:.3f} "
          f"(P {cv_counts.precision:.3f}, R {cv_counts.recall:.3f})")  # fmt: skip
    strong = [(p, d) for p, d in zip(pairs, plain, strict=True) if p.groups["quality"] == "STRONG"]
    wrong = [p for p, d in strong if d != p.match]
    print(f"STRONG tier: {len(strong) - len(wrong)}/{len(strong)} right")
    for p in wrong:
        print(f"  wrong: {p.query.name!r} / {p.candidate.names[0]!r} (label {p.match})")
    floor = sum(row.forced is True for row in rows)
    distinct = [(d, p.match) for p, d in zip(pairs, plain, strict=True)
                if spec_distinct(p.query.name, p.candidate.names[0])]  # fmt: skip
    matched = [label for decision, label in distinct if decision]
    print(f"SPEC minimum met by {floor} pairs (all matched); SPEC no-hit class: "
          f"{len(distinct)} pairs, {len(matched)} matched ({sum(matched)} labelled matches)")


def _print_fit(rows: Sequence[Row], labels: Sequence[bool]) -> None:
    weights, threshold = fit(rows, labels)
    print("\nfitted on all development pairs (paste into matcher.py):")
    for name, weight in zip(FIT_FEATURES, weights, strict=True):
        if name not in PRIOR_WEIGHTS:
            print(f'    "{name}": {weight:.3f},')
    print(f"THRESHOLD = {threshold:.3f}")
    print(f"(shipped threshold {THRESHOLD:.3f})")


if __name__ == "__main__":
    main()
