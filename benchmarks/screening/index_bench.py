"""Measurements of the name index on the UN + OFAC SDN + EU lists (see `scorecard`).

Single queries are timed one after another in this process (wall time, the per-word
caches of the index warming up as a service's would); the batch goes through
`NameIndex.search_batch` in forked worker processes; candidate recall compares `search`
with `scan` (every entry scored, the brute-force reference) on the first queries of the
set, in worker processes too.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from armsgate.screening.matcher import NameQuery
from benchmarks.screening.corpus import Corpus, candidate, load
from benchmarks.screening.queries import SeededQuery, query_set


@dataclass(frozen=True, slots=True)
class Latency:
    queries: int
    per_second: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    hits_perturbed: float  # hits per perturbed listed name
    own_found: float  # share of perturbed names whose own entry is among the hits
    hits_other: float  # hits per other (made-up) name


@dataclass(frozen=True, slots=True)
class Recall:
    queries: int
    scan_hits: int
    found: int
    misses: tuple[tuple[str, str], ...]  # (query, payload) found by scan, not search
    scan_seconds_per_query: float

    @property
    def recall(self) -> float:
        return self.found / self.scan_hits if self.scan_hits else 1.0


def rss_mb() -> float:
    """Resident memory of this process, from /proc (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * 4096 / 1e6


def build(data: Path) -> tuple[Corpus, float]:
    """The corpus, and the resident memory its index added (MB)."""
    gc.collect()
    before = rss_mb()
    corpus = load(data)
    gc.collect()
    return corpus, rss_mb() - before


def traced_index_mb(data: Path) -> float:
    """Peak memory traced (tracemalloc) while indexing the parsed lists (slow)."""
    from armsgate.screening.index import NameIndex
    from armsgate.screening.normalise import prepare
    from benchmarks.screening.corpus import records

    parsed = list(records(data))
    prepare.cache_clear()
    gc.collect()
    tracemalloc.start()
    index: NameIndex[str] = NameIndex()
    index.extend((candidate(r), f"{r.list}/{r.entity_id}") for r in parsed)
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current / 1e6


def latency(corpus: Corpus, queries: Sequence[SeededQuery]) -> Latency:
    times: list[float] = []
    hits: list[set[str]] = []
    start = time.perf_counter()
    for query in queries:
        began = time.perf_counter()
        found = corpus.index.search(NameQuery(query.name))
        times.append(time.perf_counter() - began)
        hits.append({h.payload for h in found})
    elapsed = time.perf_counter() - start
    ordered = sorted(times)
    perturbed = [(q, h) for q, h in zip(queries, hits, strict=True) if q.source]
    others = [h for q, h in zip(queries, hits, strict=True) if not q.source]
    return Latency(
        queries=len(queries),
        per_second=len(queries) / elapsed,
        p50_ms=ordered[len(ordered) // 2] * 1e3,
        p95_ms=ordered[int(len(ordered) * 0.95)] * 1e3,
        max_ms=ordered[-1] * 1e3,
        hits_perturbed=sum(len(h) for _, h in perturbed) / max(1, len(perturbed)),
        own_found=sum(q.source in h for q, h in perturbed) / max(1, len(perturbed)),
        hits_other=sum(len(h) for h in others) / max(1, len(others)),
    )


def batch(corpus: Corpus, names: Sequence[str], processes: int) -> float:
    """Seconds to search every name, in `processes` worker processes."""
    queries = [NameQuery(name) for name in names]
    start = time.perf_counter()
    corpus.index.search_batch(queries, processes=processes)
    return time.perf_counter() - start


_CORPUS: Corpus | None = None


def _compare(name: str) -> tuple[str, set[str], set[str], float]:
    assert _CORPUS is not None
    query = NameQuery(name)
    began = time.process_time()
    scanned = {h.payload for h in _CORPUS.index.scan(query)}
    seconds = time.process_time() - began
    return name, scanned, {h.payload for h in _CORPUS.index.search(query)}, seconds


def recall(corpus: Corpus, names: Sequence[str], processes: int) -> Recall:
    """Candidate recall of `search` against `scan` over `names`."""
    global _CORPUS
    _CORPUS = corpus
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = pool.map(_compare, names, chunksize=4)
    finally:
        _CORPUS = None
    total = sum(len(s) for _, s, _, _ in results)
    found = sum(len(s & f) for _, s, f, _ in results)
    misses = tuple((name, p) for name, s, f, _ in results for p in sorted(s - f))
    seconds = sum(t for *_, t in results) / max(1, len(results))
    return Recall(len(names), total, found, misses, seconds)


def run(data: Path, queries: int, batch_size: int, recall_queries: int,
        processes: int, trace: bool) -> dict[str, object]:  # fmt: skip
    """Every index measurement, printed as it comes and returned."""
    corpus, memory = build(data)
    names = sum(len(candidate(r).names) for r in corpus.records)
    print(f"\nindex: {len(corpus.index):,} entries ({names:,} names); "
          f"parse {corpus.parse_seconds:.1f} s, index {corpus.index_seconds:.1f} s; "
          f"memory (RSS added by parsing and indexing) {memory:.0f} MB, "
          f"process {rss_mb():.0f} MB")  # fmt: skip
    out: dict[str, object] = {"entries": len(corpus.index), "parse_s": corpus.parse_seconds,
                              "index_s": corpus.index_seconds, "rss_mb": memory}  # fmt: skip
    if trace:
        traced = traced_index_mb(data)
        out["traced_mb"] = traced
        print(f"  index alone, traced by tracemalloc: {traced:.0f} MB")
    seeded = query_set(corpus.records, max(queries, recall_queries))
    single = latency(corpus, seeded[:queries])
    out["single"] = single
    print(f"single queries ({single.queries:,}, half perturbed list names): "
          f"{single.per_second:,.0f}/s, p50 {single.p50_ms:.1f} ms, p95 {single.p95_ms:.1f} ms, "
          f"max {single.max_ms:.0f} ms")  # fmt: skip
    print(f"  hits per perturbed name {single.hits_perturbed:.2f} (own entry found "
          f"{single.own_found:.1%}); hits per other name {single.hits_other:.3f}")
    if batch_size:
        batch_names = [q.name for q in query_set(corpus.records, batch_size, seed=7)]
        seconds = batch(corpus, batch_names, processes)
        out["batch_s"] = seconds
        print(f"batch of {batch_size:,} names, {processes} processes: {seconds:.1f} s "
              f"({batch_size / seconds:,.0f} names/s)")
    if recall_queries:
        found = recall(corpus, [q.name for q in seeded[:recall_queries]], processes)
        out["recall"] = found
        print(f"candidate recall vs scan ({found.queries} queries, {found.scan_hits} scan hits): "
              f"{found.found}/{found.scan_hits} = {found.recall:.2%} "
              f"(scan {found.scan_seconds_per_query:.2f} s CPU per query)")  # fmt: skip
        for name, payload in found.misses[:10]:
            print(f"  missed: {name!r} -> {payload}")
    return out
