"""The lists of the screening benchmarks: UN, OFAC SDN (CSV) and EU, parsed and indexed.

Each record is indexed as the service indexes an entry: a `Candidate` of its names but the
weak aliases, its schema, countries, dates of birth and identifiers; the payload is
"list/entity_id".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from armsgate.screening.index import NameIndex
from armsgate.screening.matcher import Candidate, ScoredMatcher
from armsgate.screening.sources import ListRecord, parse

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
LISTS: tuple[tuple[str, str], ...] = (
    ("un-xml", "un-consolidated-2025-04-19.xml"),
    ("ofac-sdn-csv", "ofac-sdn-2024-05-03.csv"),
    ("eu-csv", "eu-consolidated-parsed-2025.csv"),
)


@dataclass(frozen=True, slots=True)
class Corpus:
    """The parsed records, the index of them, and how long each step took."""

    records: tuple[ListRecord, ...]
    index: NameIndex[str]
    parse_seconds: float
    index_seconds: float


def candidate(record: ListRecord) -> Candidate:
    names = tuple(n.name for n in record.names if n.kind != "weak-alias") or (record.name,)
    schema = record.schema if record.schema != "unknown" else None
    return Candidate(names, schema, record.countries, record.birth_dates, record.identifiers)


def records(data: Path = SHARED) -> Iterator[ListRecord]:
    for format_name, file_name in LISTS:
        yield from parse(format_name, data / "screening" / file_name)


def load(data: Path = SHARED, matcher: ScoredMatcher | None = None) -> Corpus:
    """Parse the three lists and index every record (timed separately)."""
    start = time.perf_counter()
    parsed = tuple(records(data))
    parsed_at = time.perf_counter()
    index: NameIndex[str] = NameIndex(matcher)
    index.extend((candidate(r), f"{r.list}/{r.entity_id}") for r in parsed)
    done = time.perf_counter()
    return Corpus(parsed, index, parsed_at - start, done - parsed_at)
