"""The national denial list CSV format (``csv``): reading it, and its error messages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from armsgate.errors import InputError
from armsgate.screening.sources import ListRecord, parse
from armsgate.screening.sources.national_csv import COLUMNS

HEADER = ",".join(COLUMNS)


def write(tmp_path: Path, *lines: str, header: str = HEADER, name: str = "denied.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join((header, *lines)) + "\n", encoding="utf-8")
    return path


def read(tmp_path: Path, *lines: str, header: str = HEADER) -> list[ListRecord]:
    return list(parse("csv", write(tmp_path, *lines, header=header)))


def error(tmp_path: Path, *lines: str, header: str = HEADER) -> InputError:
    with pytest.raises(InputError) as caught:
        read(tmp_path, *lines, header=header)
    return caught.value


def test_reads_every_column(tmp_path: Path) -> None:
    (acme, doe) = read(
        tmp_path,
        "Acme Trading LLC,ACME TR; Acme Trdg ;,AE,company,"
        "Registration Number:12345;passport: A1 ,2024-03-01,Decree 12/2024",
        '"DOE, John",Johnny Doe,RU;Belarus,individual,,,',
    )
    assert acme.list == "denied"  # the file's stem
    assert acme.schema == "organisation"
    assert [(n.name, n.kind) for n in acme.names] == [
        ("Acme Trading LLC", "primary"), ("ACME TR", "alias"), ("Acme Trdg", "alias")]
    assert acme.countries == ("AE",)
    assert acme.identifiers == (("registration", "12345"), ("passport", "A1"))
    assert acme.listed_on == date(2024, 3, 1)
    assert acme.remarks == "Decree 12/2024"
    assert acme.entity_id.startswith("nat-")
    assert doe.schema == "person"
    assert doe.name == "DOE, John"
    assert doe.countries == ("RU", "BY")
    assert doe.listed_on is None


def test_ids_from_content_are_stable_and_numbered_on_repeats(tmp_path: Path) -> None:
    rows = ("Acme,,RU,organisation,,,",
            "Acme,,Russia,organisation,,,",  # the same row, the country spelt out: dropped
            "Acme,Acme Ltd,RU,organisation,,,",  # same name, type, country; other aliases
            "Acme,,RU,person,,,")  # another type: another id
    plain, with_alias, person = read(tmp_path, *rows)
    assert with_alias.entity_id == f"{plain.entity_id}-2"
    assert person.entity_id not in (plain.entity_id, with_alias.entity_id)
    again = read(tmp_path, "Bolt,,,organisation,,,", *rows)[1:]  # another row before them
    assert [r.entity_id for r in again] == [r.entity_id for r in (plain, with_alias, person)]
    assert [r.fingerprint() for r in again] == [
        r.fingerprint() for r in (plain, with_alias, person)]


def test_explicit_ids_and_list_name(tmp_path: Path) -> None:
    path = write(tmp_path, "Acme,,,organisation,,,,D-1", "Bolt,,,organisation,,,,",
                 header=HEADER + ",id")
    acme, bolt = parse("csv", path, list_name="national")
    assert (acme.entity_id, acme.list) == ("D-1", "national")
    assert bolt.entity_id.startswith("nat-")


@pytest.mark.parametrize(("header", "problem"), [
    ("name,aliases,country,type", "missing column(s): identifiers, listed_on, source"),
    (HEADER + ",alias", "unknown column(s): alias"),
    (HEADER + ",name", "repeated column(s): name"),
])
def test_header_errors(tmp_path: Path, header: str, problem: str) -> None:
    caught = error(tmp_path, header=header)
    assert caught.field == "header"
    assert problem in caught.problem
    assert caught.source == f"{tmp_path / 'denied.csv'}:1"


@pytest.mark.parametrize(("row", "field", "problem"), [
    (",x,RU,person,,,", "name", "is empty"),
    ("Acme,,RU,,,,", "type", "is empty"),
    ("Acme,,RU,people,,,", "type", "'people' is not one of person, organisation"),
    ("Acme,,Ruritania,person,,,", "country", "'Ruritania' is not an ISO 3166-1 alpha-2"),
    ("Acme,,XK,person,,,", "country", "'XK' is not"),
    ("Acme,,,person,A1234567,,", "identifiers", "'A1234567' is not type:value"),
    ("Acme,,,person,passport:,,", "identifiers", "'passport:' is not type:value"),
    ("Acme,,,person,,2024-13-01,", "listed_on", "'2024-13-01' is not a date YYYY-MM-DD"),
    ("Acme,,,person,,1/3/2024,", "listed_on", "'1/3/2024' is not a date"),
    ("Acme,,,person,,", "row", "has 6 fields, the header has 7"),
])
def test_row_errors_name_the_line_and_column(tmp_path: Path, row: str, field: str,
                                             problem: str) -> None:
    caught = error(tmp_path, "Good Co,,,organisation,,,", "", '"Multi', 'line",,,person,,,',
                   row)
    assert caught.field == field
    assert problem in caught.problem
    assert caught.source == f"{tmp_path / 'denied.csv'}:6"  # header, row, blank, 2 lines
    assert str(caught).startswith(f"{tmp_path / 'denied.csv'}:6: {field}: ")


def test_duplicate_explicit_id(tmp_path: Path) -> None:
    caught = error(tmp_path, "Acme,,,organisation,,,,D-1", "Bolt,,,organisation,,,,D-1",
                   header=HEADER + ",id")
    assert (caught.field, caught.source) == ("id", f"{tmp_path / 'denied.csv'}:3")
    assert caught.problem == "'D-1' is also the id on line 2"


def test_not_utf8_not_csv_and_empty_files(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "\nSão Tomé Ltd,,,organisation,,,\n").encode("latin-1"))
    with pytest.raises(InputError, match="is not UTF-8 text"):
        list(parse("csv", path))
    huge = tmp_path / "huge.csv"
    huge.write_text(HEADER + '\n"' + "x" * 200_000 + '",,,organisation,,,\n', encoding="utf-8")
    with pytest.raises(InputError, match="is not valid CSV"):
        list(parse("csv", huge))
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="the file is empty"):
        list(parse("csv", empty))


def test_byte_order_mark_and_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(HEADER + "\nAcme,,,organisation,,,\n", encoding="utf-8-sig")
    assert [r.name for r in parse("csv", path)] == ["Acme"]
    with pytest.raises(InputError, match="unknown list format 'xls'"):
        parse("xls", path)
