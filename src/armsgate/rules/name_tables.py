"""Tables for name matching: Cyrillic romanisations, Latin special letters, legal forms.

All Cyrillic keys are lower case (names are case-folded before transliteration).
Values may carry diacritics; the matcher strips them afterwards.
"""

# Cyrillic letters that look like Latin ones are the point of these tables.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Letters romanised alike by every scheme below.
_COMMON: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "ъ": "", "ь": "",
    # Letters of Serbian and Macedonian, as in Serbian Latin (BGN/PCGN Serbian is the same).
    "ђ": "đ", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "ć", "џ": "dž",
}  # fmt: skip

# Serbian Latin (Gaj), extended to Russian, Ukrainian and Macedonian letters the way
# Serbian transcribes them.
SERBIAN_LATIN: Mapping[str, str] = MappingProxyType({
    **_COMMON,
    "ж": "ž", "х": "h", "ц": "c", "ч": "č", "ш": "š", "й": "j", "щ": "šč", "ы": "i",
    "э": "e", "ю": "ju", "я": "ja", "ё": "jo", "є": "je", "і": "i", "ї": "ji", "ґ": "g",
    "ѓ": "đ", "ќ": "ć", "ѕ": "dz", "ў": "u",
})  # fmt: skip

# BGN/PCGN 1947 for Russian (with its Ukrainian, Belarusian and Macedonian letters).
# Word-initial "е"/"ё" and after a vowel, "й", "ъ" or "ь" take a "y": see BGN_IOTATED.
BGN_PCGN: Mapping[str, str] = MappingProxyType({
    **_COMMON,
    "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "й": "y", "щ": "shch", "ы": "y",
    "э": "e", "ю": "yu", "я": "ya", "ё": "ë", "є": "ye", "і": "i", "ї": "yi", "ґ": "g",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "ў": "w",
})  # fmt: skip

BGN_IOTATED: Mapping[str, str] = MappingProxyType({"е": "ye", "ё": "yë"})
BGN_IOTATING: frozenset[str] = frozenset("аеёиоуыэюяйъьєіїў")

# BGN/PCGN 2013 for Bulgarian (the Bulgarian Streamlined System).
BGN_PCGN_BG: Mapping[str, str] = MappingProxyType({
    **BGN_PCGN,
    "х": "h", "щ": "sht", "ъ": "a", "ь": "y", "ё": "yo",
})  # fmt: skip

# BGN/PCGN 1965 for Ukrainian.
BGN_PCGN_UK: Mapping[str, str] = MappingProxyType({
    **BGN_PCGN,
    "г": "h", "и": "y", "ё": "yo",
})  # fmt: skip

# ISO 9:1995 (hard and soft signs are modifier letters there; they are dropped here).
ISO9: Mapping[str, str] = MappingProxyType({
    **_COMMON,
    "ѓ": "ǵ", "ґ": "g̀", "ё": "ë", "є": "ê", "ж": "ž", "ѕ": "ẑ", "і": "ì", "ї": "ï",
    "й": "j", "ј": "ǰ", "ќ": "ḱ", "љ": "l̂", "њ": "n̂", "ў": "ŭ", "х": "h", "ц": "c",
    "ч": "č", "џ": "d̂", "ш": "š", "щ": "ŝ", "ы": "y", "э": "è", "ю": "û", "я": "â",
    "ѣ": "ě", "ѳ": "f̀", "ѵ": "ỳ",
})  # fmt: skip

# Romanisations tried for a name with Cyrillic letters, in order of preference.
ROMANISATIONS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "serbian-latin": SERBIAN_LATIN,
    "bgn-pcgn": BGN_PCGN,
    "bgn-pcgn-bg": BGN_PCGN_BG,
    "bgn-pcgn-uk": BGN_PCGN_UK,
    "iso9": ISO9,
})  # fmt: skip

# Latin letters that Unicode does not decompose into a base letter and a mark.
# "đ" is also tried as "dj" (see the matcher).
LATIN_SPECIAL: Mapping[str, str] = MappingProxyType({
    "đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe",
    "ß": "ss", "þ": "th", "ı": "i", "ŀ": "l", "ĸ": "k", "ŋ": "n", "ſ": "s", "ƒ": "f",
})  # fmt: skip

# Legal forms as usually written; the matcher compares them without dots and spaces,
# after the same transliteration as names.
LEGAL_FORMS_LATIN: tuple[str, ...] = (
    # required by the conformance SPEC
    "a.d.", "d.d.", "d.o.o.", "a.s.", "s.r.o.", "k.s.", "JSC", "OJSC", "PJSC", "OAO", "ZAO",
    "OOO", "AO", "PAO", "Ltd", "Limited", "LLC", "L.L.C.", "Inc", "Corp", "GmbH", "AG", "SA",
    "SARL", "SRL", "SpA", "BV", "NV", "plc", "Kft",
    # unambiguous abbreviations beyond the minimum
    "CJSC", "DOOEL", "EAD", "EOOD", "OOD", "FZE", "FZCO", "FZLLC", "LLP", "PLLC",
)  # fmt: skip

LEGAL_FORMS_CYRILLIC: tuple[str, ...] = (
    "АД", "ЕАД", "ЕООД", "ООД", "ООО", "АО", "ПАО", "ОАО", "ЗАО", "а.д.", "д.д.", "д.о.о.",
    "ДООЕЛ",
)  # fmt: skip
