"""Gleditsch-Ward state codes mapped to ISO 3166-1 alpha-2 codes of current states.

Sources: Gleditsch, K. S. & Ward, M. D. (1999), "A revised list of independent states
since the Congress of Vienna", International Interactions 25(4): 393-413, and the lists
kept at ksgleditsch.com (``iisystem.dat`` for independent states, ``microstatessystem.dat``
for microstates). UCDP data sets code states with these numbers (``gwno_*`` columns).

The rule used here: a code maps to an ISO code when the state it names still exists, under
that code, at the end of the Gleditsch-Ward list. A code whose state has ended maps to
``None``, even where a successor exists, because the successor has its own code and a
conflict of the ended state is not a conflict of the successor. Exceptions and notable
cases are commented where they occur:

* 260 German Federal Republic -> DE. Gleditsch-Ward (unlike Correlates of War) keep 260
  for united Germany after 3 October 1990, and UCDP uses 260 for "Government of Germany"
  up to the present. 255 (Germany 1816-1945) and 265 (GDR 1949-1990) map to None.
* 365 Russia -> RU, for the Soviet Union too: UCDP writes "Russia (Soviet Union)" under one
  code, and Russia is the recognised continuator state of the USSR.
* 678 Yemen -> YE: Gleditsch-Ward keep 678 (Yemen Arab Republic) for united Yemen after
  1990; Correlates of War use 679 for united Yemen. 680 (South Yemen) maps to None.
* 816 Vietnam -> VN: the Democratic Republic of Vietnam, kept for united Vietnam after 1976.
  817 (Republic of Vietnam, South Vietnam, 1954-1975) maps to None.
* 340 Serbia -> RS: Gleditsch-Ward use 340 for Serbia 1878-1915 and from 5 June 2006, and
  345 for Yugoslavia / Serbia and Montenegro 1918-2006. Correlates of War use 345 for Serbia
  throughout, so a COW-coded 345 in recent data means Serbia; here 345 maps to None.
* 347 Kosovo -> None: Kosovo has no official ISO 3166-1 code (XK is a user-assigned code,
  not part of the standard), so it cannot be proposed as a register country by code.
* 396 Abkhazia, 397 South Ossetia (used in some GW-coded data) -> None: no ISO code.
* Pacific microstates differ from Correlates of War: GW 970 Kiribati, 971 Nauru, 972 Tonga,
  973 Tuvalu, whereas COW uses 946 Kiribati, 970 Nauru, 955 Tonga, 947 Tuvalu. Code 970
  therefore means Kiribati here and Nauru in COW data: never feed COW codes to this table.
* 751 Hyderabad (used by UCDP for 1947-1948, not in the Gleditsch-Ward list) -> None.

Codes absent from the table are unknown: `iso2_for` raises rather than guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_TABLE: dict[int, str | None] = {
    # North America, Central America and the Caribbean
    2: "US",
    20: "CA",
    31: "BS",
    40: "CU",
    41: "HT",
    42: "DO",
    51: "JM",
    52: "TT",
    53: "BB",
    54: "DM",  # microstate
    55: "GD",  # microstate
    56: "LC",  # microstate
    57: "VC",  # microstate
    58: "AG",  # microstate
    60: "KN",  # microstate
    70: "MX",
    80: "BZ",
    89: None,  # United Provinces of Central America, 1823-1839
    90: "GT",
    91: "HN",
    92: "SV",
    93: "NI",
    94: "CR",
    95: "PA",
    # South America
    99: None,  # Great Colombia, 1821-1830
    100: "CO",
    101: "VE",
    110: "GY",
    115: "SR",
    130: "EC",
    135: "PE",
    140: "BR",
    145: "BO",
    150: "PY",
    155: "CL",
    160: "AR",
    165: "UY",
    # Europe
    200: "GB",
    205: "IE",
    210: "NL",
    211: "BE",
    212: "LU",
    220: "FR",
    221: "MC",  # microstate
    223: "LI",  # microstate
    225: "CH",
    230: "ES",
    232: "AD",  # microstate
    235: "PT",
    240: None,  # Hanover, to 1871
    245: None,  # Bavaria, to 1871
    255: None,  # Germany (Prussia), 1816-1945; see 260
    260: "DE",  # German Federal Republic, kept by GW for united Germany after 1990
    265: None,  # German Democratic Republic, 1949-1990 (acceded to the FRG)
    267: None,  # Baden, to 1871
    269: None,  # Saxony, to 1871
    271: None,  # Wuerttemberg, to 1871
    273: None,  # Hesse-Kassel, to 1871
    275: None,  # Hesse-Darmstadt, to 1871
    280: None,  # Mecklenburg-Schwerin, to 1871
    290: "PL",
    300: None,  # Austria-Hungary, to 1918
    305: "AT",
    310: "HU",
    315: None,  # Czechoslovakia, 1918-1992 (successors 316 CZ and 317 SK)
    316: "CZ",
    317: "SK",
    325: "IT",
    327: None,  # Papal States, to 1870
    329: None,  # Two Sicilies, to 1861
    331: "SM",  # microstate
    332: None,  # Modena, to 1861
    335: None,  # Parma, to 1861
    337: None,  # Tuscany, to 1861
    338: "MT",
    339: "AL",
    340: "RS",  # Serbia, from 2006 (GW); COW codes Serbia 345 throughout
    341: "ME",
    343: "MK",
    344: "HR",
    345: None,  # Yugoslavia / Serbia and Montenegro, 1918-2006 (successor 340 Serbia)
    346: "BA",
    347: None,  # Kosovo: no official ISO 3166-1 code (XK is user-assigned)
    349: "SI",
    350: "GR",
    352: "CY",
    355: "BG",
    359: "MD",
    360: "RO",
    365: "RU",  # Russia, including the Soviet Union ("Russia (Soviet Union)" in UCDP)
    366: "EE",
    367: "LV",
    368: "LT",
    369: "UA",
    370: "BY",
    371: "AM",
    372: "GE",
    373: "AZ",
    375: "FI",
    380: "SE",
    385: "NO",
    390: "DK",
    395: "IS",
    396: None,  # Abkhazia: no ISO code
    397: None,  # South Ossetia: no ISO code
    # Africa
    402: "CV",
    403: "ST",  # microstate
    404: "GW",
    411: "GQ",
    420: "GM",
    432: "ML",
    433: "SN",
    434: "BJ",
    435: "MR",
    436: "NE",
    437: "CI",
    438: "GN",
    439: "BF",
    450: "LR",
    451: "SL",
    452: "GH",
    461: "TG",
    471: "CM",
    475: "NG",
    481: "GA",
    482: "CF",
    483: "TD",
    484: "CG",
    490: "CD",
    500: "UG",
    501: "KE",
    510: "TZ",
    511: None,  # Zanzibar, 1963-1964 (united with Tanganyika as Tanzania)
    516: "BI",
    517: "RW",
    520: "SO",
    522: "DJ",
    530: "ET",
    531: "ER",
    540: "AO",
    541: "MZ",
    551: "ZM",
    552: "ZW",
    553: "MW",
    560: "ZA",
    563: None,  # Transvaal, to 1910
    564: None,  # Orange Free State, to 1910
    565: "NA",
    570: "LS",
    571: "BW",
    572: "SZ",  # Swaziland / Eswatini
    580: "MG",
    581: "KM",
    590: "MU",
    591: "SC",  # microstate
    600: "MA",
    615: "DZ",
    616: "TN",
    620: "LY",
    625: "SD",
    626: "SS",
    # Middle East
    630: "IR",
    640: "TR",
    645: "IQ",
    651: "EG",
    652: "SY",
    660: "LB",
    663: "JO",
    666: "IL",
    670: "SA",
    678: "YE",  # Yemen Arab Republic, kept by GW for united Yemen (COW: 679)
    680: None,  # People's Republic of Yemen (South Yemen), 1967-1990
    690: "KW",
    692: "BH",
    694: "QA",
    696: "AE",
    698: "OM",
    # Asia
    700: "AF",
    701: "TM",
    702: "TJ",
    703: "KG",
    704: "UZ",
    705: "KZ",
    710: "CN",
    711: None,  # Tibet, 1913-1950
    712: "MN",
    713: "TW",
    730: None,  # Korea, to 1910
    731: "KP",
    732: "KR",
    740: "JP",
    750: "IN",
    751: None,  # Hyderabad, 1947-1948 (UCDP code; annexed by India)
    760: "BT",
    770: "PK",
    771: "BD",
    775: "MM",
    780: "LK",
    781: "MV",  # microstate
    790: "NP",
    800: "TH",
    811: "KH",
    812: "LA",
    815: None,  # Vietnam (Annam/Cochin China/Tonkin), to 1893
    816: "VN",  # Democratic Republic of Vietnam, kept for united Vietnam
    817: None,  # Republic of Vietnam (South Vietnam), 1954-1975
    820: "MY",
    830: "SG",
    835: "BN",
    840: "PH",
    850: "ID",
    860: "TL",
    # Oceania
    900: "AU",
    910: "PG",
    920: "NZ",
    935: "VU",  # microstate
    940: "SB",
    950: "FJ",
    970: "KI",  # microstate; GW 970 is Kiribati, COW 970 is Nauru
    971: "NR",  # microstate (COW 970)
    972: "TO",  # microstate (COW 955)
    973: "TV",  # microstate (COW 947)
    983: "MH",  # microstate
    986: "PW",  # microstate
    987: "FM",  # microstate
    990: "WS",  # microstate
}

GW_TO_ISO2: Mapping[int, str | None] = MappingProxyType(_TABLE)
"""Every known Gleditsch-Ward code; the value is None for states without a current ISO code."""


class UnknownGwCode(KeyError):
    """A Gleditsch-Ward code that is not in the table: the table must be extended, not guessed."""


def iso2_for(code: int) -> str | None:
    """The ISO 3166-1 alpha-2 code for a Gleditsch-Ward code, or None for an ended state."""
    try:
        return GW_TO_ISO2[code]
    except KeyError:
        raise UnknownGwCode(code) from None
