"""OpenSanctions' matcher (nomenklatura's logic-v2) on the scorecard's labelled pairs.

    .venv-bench/bin/python -m benchmarks.screening.logic_v2 [--data DIR] [--repeat N]

Runs only where nomenklatura is installed (`benchmarks/screening/setup-bench.sh`, a venv
apart from the runtime one). Each pair becomes two followthemoney entities of the pair's
schema (the name as `name`; the checks' name parts as `firstName`, `lastName`...), scored
by `logic.compare(query, candidate, ScoringConfig.defaults())`: the algorithm as
published, with its own defaults. A pair matches at `THRESHOLD`, yente's default
`SCORE_THRESHOLD` (nomenklatura itself has none). Prints one JSON object: versions,
scores per pair and per check, and pairs per second (CPU time, one core, best of
`--repeat` passes over the pairs): "warm", each entity's names analysed already
(nomenklatura caches that per entity) and the pairs new (its memos of string distances
cleared before each pass); "cold", every bounded memo of the libraries cleared before each
pass (names seen anew; reference data stays loaded).
"""

from __future__ import annotations

import argparse
import csv
import functools
import gc
import json
import time
from collections.abc import Callable, Sequence
from importlib import import_module
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
THRESHOLD = 0.70
PARTS = ("firstName", "middleName", "fatherName", "lastName")


def entity(schema: str, key: str, props: dict[str, Any]) -> Any:
    model = import_module("followthemoney").model
    proxy = model.make_entity(schema)
    proxy.id = key
    for prop, value in props.items():
        if prop in proxy.schema.properties:
            for item in value if isinstance(value, list) else [value]:
                proxy.add(prop, str(item))
    return proxy


def pair_entities(data: Path) -> list[tuple[Any, Any]]:
    path = data / "screening" / "name-pairs-dev.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [(entity(r["schema"], f"pair-q{k}", {"name": r["name1"]}),
             entity(r["schema"], f"pair-c{k}", {"name": r["name2"]}))
            for k, r in enumerate(rows)]  # fmt: skip


def check_entities(data: Path) -> list[tuple[Any, Any]]:
    path = data / "screening" / "nomenklatura-entity-checks.yml"
    checks = YAML(typ="safe").load(path.read_text(encoding="utf-8"))["checks"]
    return [(entity(c["schema"], f"check-q{k}", with_name(c["query"])),
             entity(c["schema"], f"check-c{k}", with_name(c["candidate"])))
            for k, c in enumerate(checks)]  # fmt: skip


def with_name(props: dict[str, Any]) -> dict[str, Any]:
    """The properties, and the name parts joined as a name too (as `evaluate` reads them:
    followthemoney's `name` is what logic-v2 compares)."""
    parts = [str(props[k]) for k in PARTS if props.get(k)]
    if not parts:
        return dict(props)
    names = props.get("name") or []
    names = [*(names if isinstance(names, list) else [names]), " ".join(parts)]
    return {**props, "name": names}


def clear_caches(*, names: bool) -> None:
    """Forget string distances computed for earlier pairs; with `names`, every bounded memo
    of the matching libraries too (names, tokens, phonetic keys: all seen anew), but not
    their reference data (loaded once, in unbounded caches)."""
    distance = import_module("nomenklatura.matching.logic_v2.names.distance")
    text_distance = import_module("rigour.text.distance")
    memos: list[Any] = [distance.strict_levenshtein, text_distance.levenshtein,
                        text_distance.jaro, text_distance.jaro_winkler]  # fmt: skip
    if names:
        memos = [o for o in gc.get_objects() if isinstance(o, functools._lru_cache_wrapper)
                 and str(getattr(o, "__module__", "")).split(".")[0] in _LIBRARIES
                 and o.cache_info().maxsize is not None]  # fmt: skip
    for memo in memos:
        memo.cache_clear()


_LIBRARIES = frozenset({"nomenklatura", "rigour", "followthemoney", "fingerprints", "normality"})


# One timed pass of another matcher over the same pairs (cold: names new): its seconds.
Pass = Callable[[bool], float]


def timed(logic: Any, config: Any, pairs: Sequence[tuple[Any, Any]], repeat: int,
          *, names: bool, other: Pass | None = None) -> tuple[float, float]:  # fmt: skip
    """Pairs per second, best of `repeat` passes (caches cleared before each); and the
    other matcher's, its passes taken in turn with these (the machine's load alike)."""
    best = other_best = float("inf")
    for _ in range(repeat):
        clear_caches(names=names)
        start = time.process_time()
        for q, c in pairs:
            logic.compare(q, c, config)
        best = min(best, time.process_time() - start)
        if other is not None:
            other_best = min(other_best, other(names))
    return len(pairs) / best, len(pairs) / other_best


def run(data: Path, repeat: int, other: Pass | None = None) -> dict[str, Any]:
    matching = import_module("nomenklatura.matching")
    logic, config = matching.LogicV2, matching.ScoringConfig.defaults()
    pairs, checks = pair_entities(data), check_entities(data)
    pair_scores = [logic.compare(q, c, config).score for q, c in pairs]
    check_scores = [logic.compare(q, c, config).score for q, c in checks]
    warm, other_warm = timed(logic, config, pairs, repeat, names=False, other=other)
    cold, other_cold = timed(logic, config, pairs, repeat, names=True, other=other)
    return {
        "nomenklatura": version("nomenklatura"),
        "followthemoney": version("followthemoney"),
        "rigour": version("rigour"),
        "threshold": THRESHOLD,
        "pair_scores": pair_scores,
        "check_scores": check_scores,
        "pairs_per_second": warm,
        "pairs_per_second_cold": cold,
        "interleaved": other is not None,
        "ours_per_second": other_warm,
        "ours_per_second_cold": other_cold,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED, help="shared/data directory")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the pairs")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.data, args.repeat)))


if __name__ == "__main__":
    main()
