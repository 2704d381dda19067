"""Records and their fingerprints, country text, dates and identifiers, OFAC XML variants."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from armsgate.errors import InputError
from armsgate.screening.sources import FORMATS, parse
from armsgate.screening.sources._common import id_type, partial_date
from armsgate.screening.sources._ofac import birth_dates
from armsgate.screening.sources.countries import country_code, country_codes
from armsgate.screening.sources.records import ListedName, ListRecord
from armsgate.screening.sources.un_xml import document_number
from tests.screening.test_sources import data_file

RECORD = ListRecord(
    list="un", entity_id="QDi.1", schema="person",
    names=(ListedName("A B", "primary"), ListedName("C D", "alias"),
           ListedName("E", "weak-alias")),
    countries=("AF", "PK"), birth_dates=("1960",), identifiers=(("passport", "X1"),),
    listed_on=date(2001, 1, 25), programs=("Al-Qaida",), remarks="r")


def test_formats() -> None:
    assert sorted(FORMATS) == ["csv", "eu-csv", "ofac-sdn-csv", "ofac-xml", "un-xml"]


def test_fingerprint_ignores_the_id_and_orders_but_not_content() -> None:
    reordered = replace(RECORD, entity_id="other", countries=("PK", "AF"),
                        names=(RECORD.names[0], RECORD.names[2], RECORD.names[1]))
    assert reordered.fingerprint() == RECORD.fingerprint()
    assert len(RECORD.fingerprint()) == 64
    for changed in (replace(RECORD, remarks="s"), replace(RECORD, birth_dates=("1961",)),
                    replace(RECORD, listed_on=None), replace(RECORD, list="eu"),
                    replace(RECORD, names=(ListedName("C D", "primary"),
                                           ListedName("A B", "alias"))),
                    replace(RECORD, names=(*RECORD.names[:2], ListedName("E", "alias")))):
        assert changed.fingerprint() != RECORD.fingerprint()


@pytest.mark.parametrize(("names", "problem"), [
    ((), "the primary name must come first"),
    ((ListedName("A", "alias"),), "the primary name must come first"),
    ((ListedName("A", "primary"), ListedName("a", "alias")), "duplicate names"),
    ((ListedName("A", "primary"), ListedName("B", "primary")), "more than one primary"),
])
def test_record_checks_its_names(names: tuple[ListedName, ...], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        replace(RECORD, names=names)


@pytest.mark.parametrize(("text", "code"), [
    ("Iran (Islamic Republic of)", "IR"), ("IRAN (ISLAMIC REPUBLIC OF)", "IR"),
    ("Russian Federation", "RU"), ("Russia", "RU"), ("Syrian Arab Republic", "SY"),
    ("Democratic People's Republic of Korea", "KP"), ("Korea, North", "KP"),
    ("KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF", "KP"), ("Korea, South", "KR"),
    ("Viet Nam", "VN"), ("Congo, Democratic Republic of the", "CD"),
    ("Democratic Republic of the Congo", "CD"), ("CONGO, Democratic Republic of (was Zaire)",
                                                 "CD"),
    ("Congo", "CG"), ("Türkiye", "TR"), ("Turkey", "TR"), ("TURKIYE", "TR"),
    ("United Kingdom of Great Britain and Northern Ireland", "GB"), ("United Kingdom", "GB"),
    ("United States of America", "US"), ("Palestine", "PS"), ("State of Palestine", "PS"),
    ("Palestinian", "PS"), ("Burma", "MM"), ("Man, Isle of", "IM"),
    ("Virgin Islands, British", "VG"), ("British Virgin Islands", "VG"),
    ("North Macedonia, The Republic of", "MK"), ("COTE D'IVOIRE", "CI"),
    ("St. Kitts & Nevis", "KN"), ("China, Hong Kong Special Administrative Region", "HK"),
    ("United Republic of Tanzania", "TZ"), ("BOSNIA AND HERZEGOWINA", "BA"),
])
def test_country_code(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize("text", [
    "Kosovo", "Korea", "Virgin Islands", "na", "RU", "former Soviet Union",
    "SERBIA AND MONTENEGRO", "None Identified", "", None])
def test_country_code_leaves_unknown_and_ambiguous_text_unmapped(text: str | None) -> None:
    assert country_code(text) is None


def test_country_codes_splits_lists_with_commas_in_names() -> None:
    assert country_codes("MOLDOVA, REPUBLIC OF, ISRAEL") == (("MD", "IL"), ())
    assert country_codes("CENTRAL AFRICAN REPUBLIC, CHAD, CONGO, People's Republic of") == (
        ("CF", "TD", "CG"), ())
    assert country_codes("PALESTINIAN TERRITORY, Occupied, ALGERIA") == (("PS", "DZ"), ())
    assert country_codes("Ruritania, FRANCE") == (("FR",), ("Ruritania",))
    assert country_codes("") == ((), ())


def test_country_strings_of_the_real_files_that_stay_unmapped() -> None:
    un = ET.parse(data_file("un-xml")).getroot()
    texts = {v.text or "" for v in un.iterfind(".//NATIONALITY/VALUE")}
    texts |= {a.findtext("COUNTRY") or "" for tag in ("INDIVIDUAL", "ENTITY")
              for a in un.iterfind(f".//{tag}_ADDRESS")}
    assert {t for t in texts if t and country_code(t) is None} == {"former Soviet Union", "na"}
    with data_file("eu-csv").open(encoding="utf-8", newline="") as handle:
        eu = {row["Nationality"] for row in csv.DictReader(handle)}
    assert {u for text in eu for u in country_codes(text)[1]} == {"SERBIA AND MONTENEGRO"}


@pytest.mark.parametrize(("text", "expected"), [
    ("12 Jan 1960", "1960-01-12"), ("Jan 1960", "1960-01"), ("Nov. 1973", "1973-11"),
    ("August 1961", "1961-08"), ("1960", "1960"), ("1960-01-12", "1960-01-12"),
    ("31 Feb 1960", None), ("24/06/1402 (Hijri Calendar)", None), ("", None)])
def test_partial_date(text: str, expected: str | None) -> None:
    assert partial_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("circa 1960", ["1960"]), ("1960 to 1962", ["1960", "1961", "1962"]),
    ("circa 1958-1960", ["1958", "1959", "1960"]),
    ("01 Jan 1960 to 31 Dec 1961", ["1960", "1961"]),
    ("01 Mar 1960 to 01 Mar 1960", ["1960-03-01"]),
    ("1900 to 1960", ["1900", "1960"]), ("unknown", [])])
def test_ofac_birth_dates(text: str, expected: list[str]) -> None:
    assert birth_dates(text) == expected


@pytest.mark.parametrize(("label", "kind"), [
    ("Passport", "passport"), ("Numéro de passeport ", "passport"),
    ("Número de pasaporte", "passport"), ("National Identification Number", "national-id"),
    ("National ID No.", "national-id"), ("Cedula No.", "national-id"),
    ("Tax ID No.", "tax-id"), ("V.A.T. Number", "tax-id"), ("R.F.C.", "tax-id"),
    ("Registration Number", "registration"), ("Government Gazette Number", "registration"),
    ("Vessel Registration Identification IMO", "imo"), ("MMSI", "mmsi"),
    ("SWIFT/BIC", "swift-bic"), ("Legal Entity Number", "lei"),
    ("Birth Certificate Number", "birth-certificate-number")])
def test_id_type(label: str, kind: str) -> None:
    assert id_type(label) == kind


@pytest.mark.parametrize(("text", "number"), [
    ("Afghan passport number SE 012820", "SE 012820"),
    ("CAR diplomatic passport no. D00000898", "D00000898"),
    ("Provisional passport No.: 28642163", "28642163"),
    ("381110042 (Expired 25 Jan. 2016)", "381110042"), ("OA 454044", "OA 454044")])
def test_un_document_number(text: str, number: str) -> None:
    assert document_number(text) == number


OFAC_XML = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>05/03/2024</Publish_Date></publshInformation>
  <sdnEntry>
    <uid>4243</uid><lastName>EBANO</lastName><sdnType>Vessel</sdnType>
    <programList><program>CUBA</program></programList>
    <idList><id><uid>1</uid><idType>Vessel Registration Identification</idType>
      <idNumber>IMO 7406784</idNumber></id>
      <id><uid>2</uid><idType>Website</idType><idNumber>www.example.com</idNumber></id></idList>
    <akaList><aka><uid>3</uid><type>f.k.a.</type><category>strong</category>
      <lastName>SAND SWAN</lastName></aka></akaList>
    <vesselInfo><callSign>3FXA7</callSign><vesselFlag>Panama</vesselFlag></vesselInfo>
  </sdnEntry>
  <sdnEntry>
    <uid>7</uid><firstName>John</firstName><lastName>DOE</lastName>
    <sdnType>Individual</sdnType>
    <dateOfBirthList><dateOfBirthItem><uid>8</uid><dateOfBirth>circa 1960</dateOfBirth>
      </dateOfBirthItem></dateOfBirthList>
    <citizenshipList><citizenship><uid>9</uid><country>Korea, North</country></citizenship>
      </citizenshipList>
  </sdnEntry>
</sdnList>
"""


def test_ofac_xml_in_another_namespace_with_a_vessel(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(OFAC_XML, encoding="utf-8")
    vessel, person = parse("ofac-xml", path)
    assert (vessel.list, vessel.entity_id, vessel.schema) == ("ofac-sdn", "4243", "vessel")
    assert [(n.name, n.kind) for n in vessel.names] == [
        ("EBANO", "primary"), ("SAND SWAN", "alias")]  # f.k.a., category strong
    assert vessel.identifiers == (("call-sign", "3FXA7"), ("registration", "IMO 7406784"))
    assert vessel.countries == ("PA",)
    assert (person.name, person.birth_dates, person.countries) == ("DOE, John", ("1960",),
                                                                   ("KP",))


def test_malformed_rows_and_headers_name_the_line(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text('36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
                   '-0- \r\n37,"TRUNCATED",-0- \r\n\x1a', encoding="utf-8")
    with pytest.raises(InputError, match=r"sdn\.csv:2: row: has 3 fields, expected 12"):
        list(parse("ofac-sdn-csv", sdn))
    eu = tmp_path / "eu.csv"
    eu.write_text("Name,Aliases,Nationality,Designation\nX,,,person\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"eu\.csv:1: header: missing column\(s\): Alias"):
        list(parse("eu-csv", eu))


def test_legacy_sdn_row_with_empty_fields(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.csv"
    sdn.write_text('36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
                   '-0- \r\n\x1a', encoding="utf-8")
    (record,) = parse("ofac-sdn-csv", sdn)
    assert record == ListRecord(list="ofac-sdn", entity_id="36", schema="organisation",
                                names=(ListedName("AEROCARIBBEAN AIRLINES", "primary"),),
                                programs=("CUBA",))
