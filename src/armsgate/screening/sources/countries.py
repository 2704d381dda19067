"""Country text as the lists write it -> ISO 3166-1 alpha-2 code.

Built from the ISO short names that armsgate ships (`armsgate.reference.catalog.countries`)
plus the variants the UN, OFAC and EU lists use. Matching ignores case, diacritics,
punctuation, the words "the", "of" and "and" ("&"), and word order, and reads "St." as
"Saint", so "Iran (Islamic Republic of)", "Iran, Islamic Republic of" and "Islamic Republic
of Iran" are one key. From every ISO name of the form "Name, qualifier" or "Name
(qualifier)", the bare "Name" is also accepted unless two countries share it ("Korea",
"Virgin Islands"). Text that still does not match is retried without a trailing
parenthesis ("Congo, Democratic Republic of (was Zaire)").

Deliberately unmapped: Kosovo (no officially assigned ISO code; XK is user-assigned),
withdrawn countries ("Serbia and Montenegro", "Yugoslavia", "Soviet Union") and
non-answers ("na", "None Identified", "possibly Palestinian"). ISO codes themselves ("RU")
are not accepted here, since list text such as "na" would then read as a code (Namibia).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from armsgate.reference.catalog import countries

_STOPWORDS = frozenset({"the", "of", "and"})
_ABBREVIATIONS = {"st": "saint"}
_APOSTROPHES = re.compile("['`\u2018\u2019]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
_VARIANTS: dict[str, tuple[str, ...]] = {
    "AE": ("UAE",),
    "BA": ("Bosnia", "Bosnia and Herzegowina", "Bosnia-Herzegovina"),
    "BN": ("Brunei",),
    "CD": ("DRC", "DR Congo", "Zaire", "Congo-Kinshasa", "Congo (Kinshasa)"),
    "CG": ("Republic of the Congo", "Congo, People's Republic of", "Congo-Brazzaville",
           "Congo (Brazzaville)", "Congo, Republic of the"),
    "CI": ("Ivory Coast",),
    "CV": ("Cape Verde",),
    "CZ": ("Czech Republic",),
    "GB": ("United Kingdom of Great Britain and Northern Ireland", "UK", "Great Britain",
           "Britain", "United Kingdom (UK)"),
    "HK": ("China, Hong Kong Special Administrative Region", "Hong Kong SAR",
           "Hong Kong, China"),
    "IR": ("Iran",),
    "KG": ("Kyrgyz Republic",),
    "KP": ("North Korea", "Korea, North", "DPRK", "Korea DPR", "Korea (North)"),
    "KR": ("South Korea", "Korea, South", "Korea (South)"),
    "LA": ("Laos",),
    "LY": ("Libyan Arab Jamahiriya",),
    "MK": ("Macedonia", "Republic of North Macedonia", "North Macedonia, The Republic of",
           "The former Yugoslav Republic of Macedonia"),
    "MM": ("Burma",),
    "MO": ("Macau", "China, Macao Special Administrative Region"),
    "PS": ("Palestinian", "Palestinian Territory, Occupied", "Occupied Palestinian Territory",
           "Palestinian Territories", "Gaza", "Gaza Strip", "West Bank", "Region: Gaza",
           "Region: West Bank"),
    "RU": ("Russia",),
    "SK": ("Slovak Republic",),
    "SY": ("Syria",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "TR": ("Turkey",),
    "TW": ("Taiwan",),
    "US": ("United States of America", "USA", "U.S.A.", "US"),
    "VA": ("Vatican", "Vatican City"),
    "VI": ("US Virgin Islands", "United States Virgin Islands"),
    "VN": ("Vietnam",),
}


def country_key(text: str) -> str:
    """The matching key of a country's text: folded, unaccented, sorted words."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("&", " and "))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", folded)).split()
    return " ".join(sorted(_ABBREVIATIONS.get(w, w) for w in words if w not in _STOPWORDS))


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    bare: dict[str, set[str]] = {}
    for country in countries():
        table[country_key(country.name)] = country.code
        short = re.split(r",|\(", country.name, maxsplit=1)[0].strip()
        if short != country.name:
            bare.setdefault(country_key(short), set()).add(country.code)
    for key, codes in bare.items():
        if len(codes) == 1 and key not in table:
            table[key] = next(iter(codes))
    for code, variants in _VARIANTS.items():
        for variant in variants:
            table[country_key(variant)] = code
    return table


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code for a country's name as a list writes it, or None."""
    if not text or not text.strip():
        return None
    table = _table()
    code = table.get(country_key(text))
    if code is None and _PARENTHESIS.search(text):
        code = table.get(country_key(_PARENTHESIS.sub("", text)))
    return code


def country_codes(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The codes of a comma-separated list of countries, and the parts that do not map.

    Commas also occur inside names ("MOLDOVA, REPUBLIC OF, ISRAEL"): from each position the
    longest run of up to three comma-separated parts that names a country is taken.
    """
    parts = [part.strip() for part in (text or "").split(",")]
    codes: list[str] = []
    unmapped: list[str] = []
    i = 0
    while i < len(parts):
        for width in (3, 2, 1):
            if i + width <= len(parts) and (code := country_code(", ".join(parts[i:i + width]))):
                codes.append(code)
                i += width
                break
        else:
            if parts[i]:
                unmapped.append(parts[i])
            i += 1
    return tuple(dict.fromkeys(codes)), tuple(unmapped)
