"""The UCDP/PRIO importer: parsing, repair of split records, and proposals for the register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from armsgate.errors import InputError
from armsgate.importers.gwcodes import GW_TO_ISO2, UnknownGwCode, iso2_for
from armsgate.importers.ucdp import (
    DATASET,
    UcdpRow,
    describe,
    parse_codes,
    parse_date,
    propose_conflicts,
    read_rows,
    unmapped_parties,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
ACD = REPO_ROOT.parent / "shared" / "data" / "conflicts" / "ucdp-prio-acd-v25.1.csv"

HEADER = (
    "conflict_id;location;side_a;side_a_id;side_a_2nd;side_b;side_b_id;side_b_2nd;"
    "incompatibility;territory_name;year;intensity_level;cumulative_intensity;"
    "type_of_conflict;start_date;start_prec;start_date2;start_prec2;ep_end;ep_end_date;"
    "ep_end_prec;gwno_a;gwno_a_2nd;gwno_b;gwno_b_2nd;gwno_loc;region;version"
)
COLUMNS = HEADER.split(";")
DEFAULTS = {
    "conflict_id": "900", "location": "Ruritania", "side_a": "Government of Ruritania",
    "side_a_id": "1", "side_a_2nd": "", "side_b": "RLF", "side_b_id": "2", "side_b_2nd": "",
    "incompatibility": "2", "territory_name": "", "year": "2024", "intensity_level": "1",
    "cumulative_intensity": "0", "type_of_conflict": "3", "start_date": "5-4-1990",
    "start_prec": "1", "start_date2": "10-8-2020", "start_prec2": "1", "ep_end": "0",
    "ep_end_date": "", "ep_end_prec": "", "gwno_a": "710", "gwno_a_2nd": "", "gwno_b": "",
    "gwno_b_2nd": "", "gwno_loc": "710", "region": "3", "version": "25.1",
}  # fmt: skip


def line(**values: str) -> str:
    row = DEFAULTS | values
    return ";".join(row[name] for name in COLUMNS)


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "acd.csv"
    path.write_text("\r\n".join((HEADER, *lines)) + "\r\n", encoding="utf-8")
    return path


def rows_of(tmp_path: Path, *lines: str) -> list[UcdpRow]:
    return read_rows(write(tmp_path, *lines))


# --- parsing ---------------------------------------------------------------------------------


def test_parse_date_reads_day_month_year_without_leading_zeros() -> None:
    assert parse_date("24-2-2022") == date(2022, 2, 24)
    assert parse_date("1-12-1946") == date(1946, 12, 1)
    assert parse_date("31-12-2024") == date(2024, 12, 31)


@pytest.mark.parametrize("text", ["2022-02-24", "24/2/2022", "", "31-2-2020", "24-2-22"])
def test_parse_date_rejects_other_forms_and_impossible_days(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError, the message varies
        parse_date(text)


def test_dates_in_the_file_are_parsed_and_an_empty_episode_end_is_none(tmp_path: Path) -> None:
    (open_row, ended) = rows_of(
        tmp_path,
        line(start_date="18-3-2014", start_date2="24-2-2022"),
        line(conflict_id="901", ep_end="1", ep_end_date="29-8-2008"),
    )
    assert (open_row.start_date, open_row.start_date2) == (date(2014, 3, 18), date(2022, 2, 24))
    assert (open_row.ep_end, open_row.ep_end_date) == (False, None)
    assert (ended.ep_end, ended.ep_end_date) == (True, date(2008, 8, 29))


def test_a_bad_date_is_an_input_error_naming_the_field_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, line(), line(start_date2="2020-08-10"))
    with pytest.raises(InputError, match=r"acd\.csv:3: start_date2: expected a d-m-yyyy"):
        read_rows(path)


def test_multi_code_gwno_fields_are_read_as_tuples() -> None:
    assert parse_codes("") == ()
    assert parse_codes("710") == (710,)
    assert parse_codes("200,  2") == (200, 2)
    assert parse_codes("2, 200, 678") == (2, 200, 678)
    with pytest.raises(ValueError, match="comma-separated codes"):
        parse_codes("200; 2")


def test_multi_code_fields_in_a_row(tmp_path: Path) -> None:
    (row,) = rows_of(
        tmp_path,
        line(gwno_a="200,  2", gwno_a_2nd="900, 20", gwno_b="678", gwno_loc="2, 200, 678"),
    )
    assert row.gwno_a == (200, 2)
    assert row.gwno_a_2nd == (900, 20)
    assert row.gwno_b == (678,)
    assert row.gwno_loc == (2, 200, 678)


def test_a_record_padded_and_continued_on_the_next_line_is_one_row(tmp_path: Path) -> None:
    # The shape of conflict 11349 in v25.1: the first part is padded with separators to the
    # header's width, the continuation starts with the separator and is padded too, and some
    # separators of the continuation came out as bare commas.
    head = "11349;China;Government of China;135;;ETIM;1156;;1;East Turkestan" + ";" * 18
    tail = ";2008;1;0;3;5-4-1990;1;10-8-2008;1;1;29-8-2008;,710,;,;710;3;25.1" + ";" * 12
    rows = rows_of(tmp_path, line(conflict_id="11348"), head, tail, line(conflict_id="11350"))
    assert [r.conflict_id for r in rows] == [11348, 11349, 11350]
    split = rows[1]
    assert split.lines == (3, 4)
    assert (split.year, split.intensity_level, split.type_of_conflict) == (2008, 1, 3)
    assert (split.start_date2, split.ep_end_date) == (date(2008, 8, 10), date(2008, 8, 29))
    assert (split.gwno_a, split.gwno_b, split.gwno_loc) == ((710,), (), (710,))
    assert split.version == "25.1"


@pytest.mark.parametrize("cut_at", ["Turkestan", ";2024", "2024"])
def test_a_line_with_fewer_fields_than_the_header_is_joined_to_the_next(
    tmp_path: Path, cut_at: str
) -> None:
    # cut inside a field, just before a separator, and just after one
    whole = line(conflict_id="905", territory_name="East Turkestan")
    cut = whole.index(cut_at)
    rows = rows_of(tmp_path, whole[:cut], whole[cut:], line(conflict_id="906"))
    assert [(r.conflict_id, r.lines) for r in rows] == [(905, (2, 3)), (906, (4, 4))]
    assert (rows[0].year, rows[0].version) == (2024, "25.1")


def test_a_record_with_the_wrong_number_of_fields_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, line() + ";extra")
    with pytest.raises(InputError, match="29 fields where the header has 28"):
        read_rows(path)


def test_a_file_without_a_needed_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "acd.csv"
    path.write_text(HEADER.replace("start_date2", "start_dateX") + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns start_date2"):
        read_rows(path)


# --- proposals -------------------------------------------------------------------------------


def test_conflicts_of_one_country_are_merged_into_one_proposal(tmp_path: Path) -> None:
    rows = rows_of(
        tmp_path,
        line(conflict_id="950", side_b="NRF", start_date2="3-3-2015", type_of_conflict="3",
             gwno_a="700", gwno_loc="700", location="Afghanistan"),
        line(conflict_id="920", side_b="IS", start_date2="27-4-1978", type_of_conflict="4",
             intensity_level="2", side_a_2nd="Government of United States of America",
             gwno_a="700", gwno_a_2nd="2", gwno_loc="700", location="Afghanistan"),
    )  # fmt: skip
    (af,) = propose_conflicts(rows)
    assert af.country == "AF"
    assert af.conflict_ids == (920, 950)
    assert af.from_ == date(1978, 4, 27)
    assert (af.intensity, af.types) == (2, (3, 4))
    assert af.sides == ("Government of Ruritania", "IS", "NRF")
    assert af.location == "Afghanistan"
    assert af.source == f"{DATASET} v25.1, conflicts 920 (Afghanistan), 950 (Afghanistan)"
    assert af.also_involved == ("Government of United States of America",)
    assert af.year == 2024


def test_parties_and_locations_with_several_codes_each_get_a_proposal(tmp_path: Path) -> None:
    rows = rows_of(
        tmp_path,
        line(conflict_id="16099", type_of_conflict="2", start_date2="3-2-2024",
             location="United Kingdom, United States of America, Yemen (North Yemen)",
             side_a="Government of United Kingdom,  Government of United States of America",
             side_b="Government of Yemen (North Yemen)",
             side_a_2nd="Government of Australia,  Government of Bahrain",
             gwno_a="200,  2", gwno_a_2nd="900, 692", gwno_b="678", gwno_loc="2, 200, 678"),
    )  # fmt: skip
    proposals = propose_conflicts(rows)
    assert [p.country for p in proposals] == ["GB", "US", "YE"]
    assert {p.conflict_ids for p in proposals} == {(16099,)}
    # secondary supporters are listed for information, never proposed
    assert proposals[0].also_involved == ("Government of Australia", "Government of Bahrain")
    assert {"AU", "BH"}.isdisjoint(p.country for p in proposals)


def test_the_year_intensity_and_type_filters(tmp_path: Path) -> None:
    rows = rows_of(
        tmp_path,
        line(conflict_id="1", year="2023", gwno_a="652", gwno_loc="652"),
        line(conflict_id="2", year="2024", gwno_a="475", gwno_loc="475", intensity_level="2"),
        line(conflict_id="3", year="2024", gwno_a="840", gwno_loc="840"),
        line(conflict_id="4", year="2024", gwno_a="200", gwno_loc="200", type_of_conflict="1"),
    )
    assert [p.country for p in propose_conflicts(rows)] == ["NG", "PH"]
    assert [p.country for p in propose_conflicts(rows, min_intensity=2)] == ["NG"]
    assert [p.country for p in propose_conflicts(rows, as_of_year=2023)] == ["SY"]
    assert [p.country for p in propose_conflicts(rows, types=frozenset({1}))] == ["GB"]
    assert propose_conflicts(rows, as_of_year=1900) == []
    assert propose_conflicts([]) == []


def test_codes_without_an_iso_code_are_reported_not_proposed(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, line(conflict_id="7", gwno_a="345", gwno_loc="345, 347"))
    assert propose_conflicts(rows) == []
    assert unmapped_parties(rows) == [(7, 345), (7, 347)]


def test_an_unknown_code_is_an_error_not_a_silent_omission(tmp_path: Path) -> None:
    rows = rows_of(tmp_path, line(gwno_loc="710, 999"))
    with pytest.raises(InputError, match="unknown Gleditsch-Ward code 999"):
        propose_conflicts(rows)


def test_describe_is_one_readable_line(tmp_path: Path) -> None:
    rows = rows_of(
        tmp_path, line(ep_end="1", ep_end_date="1-6-2024", side_b_2nd="Government of Laos")
    )
    text = describe(propose_conflicts(rows)[0])
    assert "\n" not in text
    assert text.startswith("CN: proposed as at war from 2020-08-10 (minor in 2024; intrastate)")
    assert "also involved (not proposed): Government of Laos" in text
    assert "episode ended in 2024: 900" in text
    assert text.endswith(f"source: {DATASET} v25.1, conflict 900 (Ruritania)")


# --- Gleditsch-Ward codes --------------------------------------------------------------------


def test_gw_code_choices() -> None:
    assert all(v is None or (len(v) == 2 and v.isupper()) for v in GW_TO_ISO2.values())
    chosen = {260: "DE", 265: None, 340: "RS", 345: None, 347: None, 365: "RU", 369: "UA",
              678: "YE", 680: None, 816: "VN", 817: None, 970: "KI", 972: "TO"}  # fmt: skip
    assert {code: iso2_for(code) for code in chosen} == chosen
    with pytest.raises(UnknownGwCode):
        iso2_for(679)  # COW's code for united Yemen is not a GW code


# --- the real data set -----------------------------------------------------------------------

needs_acd = pytest.mark.skipif(
    not ACD.exists(), reason=f"UCDP/PRIO ACD v25.1 not found at {ACD} (kept outside the repo)"
)


@pytest.fixture(scope="module")
def acd_rows() -> list[UcdpRow]:
    return read_rows(ACD)


@needs_acd
def test_real_file_every_gw_code_is_known(acd_rows: list[UcdpRow]) -> None:
    codes = {
        c for r in acd_rows for c in r.gwno_a + r.gwno_a_2nd + r.gwno_b + r.gwno_b_2nd + r.gwno_loc
    }
    assert codes - GW_TO_ISO2.keys() == set()


@needs_acd
def test_real_file_split_row_11349_is_read_as_one_row(acd_rows: list[UcdpRow]) -> None:
    starts = [
        text for text in ACD.read_text(encoding="utf-8").splitlines()[1:] if text[:1].isdigit()
    ]
    assert len(acd_rows) == len(starts)  # one row per line that starts a record
    (row,) = (r for r in acd_rows if r.conflict_id == 11349)
    assert row.lines[1] == row.lines[0] + 1
    assert (row.location, row.side_b, row.year) == ("China", "ETIM", 2008)
    assert (row.gwno_a, row.gwno_loc, row.version) == ((710,), (710,), "25.1")
    assert row.start_date2 == date(2008, 8, 10)


@needs_acd
def test_real_file_russia_and_ukraine_are_proposed_for_2024(acd_rows: list[UcdpRow]) -> None:
    proposals = {p.country: p for p in propose_conflicts(acd_rows)}
    (war,) = (r for r in acd_rows if r.conflict_id == 13243 and r.year == 2024)
    assert war.start_date2 == date(2022, 2, 24)  # what v25.1 says for the current episode
    for country in ("UA", "RU"):
        proposal = proposals[country]
        assert proposal.year == 2024
        assert 13243 in proposal.conflict_ids
        assert proposal.from_ == war.start_date2
        assert proposal.intensity == 2
    assert proposals["UA"].source == (
        "UCDP/PRIO Armed Conflict Dataset v25.1, conflict 13243 (Russia (Soviet Union), Ukraine)"
    )
    # North Korea supports Russia: listed, not proposed
    assert "Government of North Korea" in proposals["RU"].also_involved
    assert "KP" not in proposals


@needs_acd
def test_real_file_every_proposal_cites_its_conflicts(acd_rows: list[UcdpRow]) -> None:
    by_key = {(r.conflict_id, r.year): r for r in acd_rows}
    for year in sorted({r.year for r in acd_rows}):
        for p in propose_conflicts(acd_rows, as_of_year=year):
            assert p.conflict_ids, p
            assert p.source.startswith(f"{DATASET} v25.1, conflict")
            for cid in p.conflict_ids:
                assert f"{cid} (" in p.source
                row = by_key[(cid, year)]
                assert p.country in {iso2_for(c) for c in row.gwno_a + row.gwno_b + row.gwno_loc}
            assert p.from_ == min(by_key[(cid, year)].start_date2 for cid in p.conflict_ids)


@needs_acd
def test_real_file_wars_only_is_a_subset(acd_rows: list[UcdpRow]) -> None:
    everything = {p.country: p for p in propose_conflicts(acd_rows)}
    wars = propose_conflicts(acd_rows, min_intensity=2)
    assert wars
    assert len(wars) < len(everything)
    for p in wars:
        assert p.intensity == 2
        assert set(p.conflict_ids) <= set(everything[p.country].conflict_ids)


@needs_acd
def test_real_file_ended_states_are_reported_for_the_officer(acd_rows: list[UcdpRow]) -> None:
    assert unmapped_parties(acd_rows) == []  # every 2024 party and location has an ISO code
    assert (412, 345) in unmapped_parties(acd_rows, as_of_year=1999)  # Serbia (Yugoslavia)
