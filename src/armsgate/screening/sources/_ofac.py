"""What OFAC's two formats share: its identifier labels, its dates, its list names.

OFAC writes the same facts in the legacy CSV's remarks ("Passport A123 (Iran); DOB 12 Jan
1960") and in the XML's ``idList``/``dateOfBirthList``. `ID_LABELS` are the labels read as
identifiers (other ``idType`` entries, such as "Website", "Email Address", "Listing Date" or
"Secondary sanctions risk:", are not identifiers of the party and are left out); their
types are normalised by `id_type`.
"""

from __future__ import annotations

import re
from pathlib import Path

from armsgate.screening.sources._common import clean, date_range, partial_date
from armsgate.screening.sources.countries import country_code

ID_LABELS: tuple[str, ...] = (
    "Passport", "Diplomatic Passport", "Passport Booklet", "Travel Document Number",
    "National ID No.", "Identification Number", "Personal ID Card", "Kenyan ID No.",
    "Turkish Identification Number", "National Foreign ID Number", "Tazkira National ID Card",
    "Citizen's Card Number", "Numero de Identidad", "Cedula No.", "C.U.R.P.", "C.U.R.P. #",
    "D.N.I.", "C.U.I.", "C.U.I.P.", "UAE Identification", "Refugee ID Card",
    "Residency Number", "Birth Certificate Number", "Driver's License No.",
    "Electoral Registry No.", "Credencial electoral", "I.F.E.", "Immigration No.",
    "Cartilla de Servicio Militar Nacional", "Pilot License Number", "SSN",
    "Tax ID No.", "NIT #", "RUC #", "RIF #", "R.F.C.", "R.F.C. #", "RFC", "C.U.I.T.", "C.I.F.",
    "V.A.T. Number", "US FEIN", "Italian Fiscal Code", "Paraguayan tax identification number",
    "Registration Number", "Registration ID", "Business Registration Number",
    "Business Registration Document #", "Commercial Registry Number", "Company Number",
    "UK Company Number", "Government Gazette Number", "Unified Social Credit Code (USCC)",
    "Legal Entity Number", "C.R. No.", "Romanian C.R.", "Trade License No.",
    "Chamber of Commerce Number", "Istanbul Chamber of Comm. No.",
    "Dubai Chamber of Commerce Membership No.", "Economic Register Number (CBLS)",
    "Central Registration System Number", "Enterprise Number", "Branch Unit Number",
    "Business Number", "Folio Mercantil No.", "Matricula Mercantil No",
    "Certificate of Incorporation Number", "Public Registration Number",
    "Registered Charity No.", "Organization Code", "LE Number", "RTN", "Permit Number",
    "License", "Afghan Money Service Provider License Number",
    "Vessel Registration Identification IMO", "Vessel Registration Identification",
    "Identification Number IMO", "Company Number IMO", "MMSI", "Other Vessel Call Sign",
    "Aircraft Manufacturer's Serial Number (MSN)", "Aircraft Tail Number",
    "Aircraft Serial Identification", "Aircraft Mode S Transponder Code",
    "SWIFT/BIC", "D-U-N-S Number", "BIK (RU)", "ISIN",
)
_LABEL_KEYS = frozenset(label.casefold() for label in ID_LABELS)
# "<label>[:] <value>", longest label first so that "Passport Booklet" wins over "Passport"
ID_PART = re.compile(
    r"(?:alt\. )?(?P<label>"
    + "|".join(re.escape(label) for label in sorted(ID_LABELS, key=len, reverse=True))
    + r"):? (?P<rest>.+)")
COUNTRY_LABELS = ("nationality", "citizen", "nationality of registration")
_ISSUED = re.compile(r"(?:^|\s+)(?:issued|expires)\b.*$")
_NUMBER_LABEL = re.compile(r"^(?:No\.|#)\s*:?\s*")
_TRAILING_PARENS = re.compile(r"(?:\s*\([^()]*\))+\s*$")
_CIRCA = re.compile(r"^(?:circa|approximately|about)\s+", re.IGNORECASE)
_YEARS = re.compile(r"(\d{4})\s*-\s*(\d{4})")


def is_id_label(label: str) -> bool:
    """Whether an OFAC ``idType`` (or remarks label) names an identifier of the party."""
    return clean(label).rstrip(":").casefold() in _LABEL_KEYS


def id_value(rest: str) -> str:
    """The identifier in "<value> (<place>) (<country>) issued <date> expires <date>"; also
    without a leading "No.:" and a country after a comma ("1372584, Kenya")."""
    value = clean(_TRAILING_PARENS.sub("", _ISSUED.sub("", rest)))
    value = _NUMBER_LABEL.sub("", value)
    first, comma, after = value.partition(", ")
    if comma and country_code(after.partition(", ")[0]):
        value = first
    return value


def birth_dates(text: str) -> list[str]:
    """OFAC's DOB text as partial ISO dates: "12 Jan 1960", "Jan 1960", "1960",
    "circa 1960" (the year: "circa" is not widened), "1960 to 1962", "circa 1960-1962",
    "01 Jan 1960 to 31 Dec 1962" (every year of a range); [] for anything else."""
    text = _CIRCA.sub("", clean(text))
    if m := _YEARS.fullmatch(text):
        return date_range(m[1], m[2])
    if " to " in text:
        start, _, end = text.partition(" to ")
        first, last = partial_date(start), partial_date(end)
        return date_range(first, last) if first and last else []
    value = partial_date(text)
    return [value] if value else []


def default_list_name(path: Path) -> str:
    """"ofac-cons" for a file named as the consolidated (non-SDN) list, else "ofac-sdn"."""
    name = path.name.casefold()
    return "ofac-cons" if "cons" in name or "non-sdn" in name else "ofac-sdn"
