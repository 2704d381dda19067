"""Legal forms across languages and scripts, grouped into families, and words that say
nothing about who a party is (titles, articles).

A legal form is removed from a name before its words are compared, and remembered: two
organisations with forms of the same family (a joint-stock company on both sides) is weak
evidence for a match, forms of two different families (a joint-stock company and a limited
liability company) weak evidence against. The `generic` family ("Inc", "Corporation",
"Company") is compatible with every other. The spellings are compared after the same
normalisation as names (every romanisation of the Cyrillic ones), without dots or spaces
when they are one word or a run of one- and two-letter words, word by word otherwise.

The forms of the conformance SPEC are those of `armsgate.rules.name_tables`; this table
adds their families, long spellings and forms of further countries.
"""

# Cyrillic spellings are the point of this table.
# ruff: noqa: RUF001

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from armsgate.rules.name_tables import LEGAL_FORMS_CYRILLIC, LEGAL_FORMS_LATIN
from armsgate.rules.names import word_variants

Tokens = tuple[str, ...]
_SHORT = 2  # words of one or two letters may spell a legal form together

JOINT_STOCK = "joint-stock"
LIMITED = "limited-liability"
PARTNERSHIP = "partnership"
NON_PROFIT = "non-profit"
STATE = "state-enterprise"
GENERIC = "generic"

# family -> spellings; the first spelling of each line is the form's canonical name.
_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (JOINT_STOCK, ("a.d.", "ад", "akcionarsko drustvo", "акционарско друштво")),
    (JOINT_STOCK, ("d.d.", "д.д.", "dionicko drustvo")),
    (JOINT_STOCK, ("a.s.", "akciova spolecnost", "akciova spolocnost", "aktieselskab")),
    (JOINT_STOCK, ("JSC", "joint stock company", "joint-stock company", "АО", "AO",
                   "aktsionernoye obshchestvo", "акционерное общество", "акционерно дружество",
                   "акціонерне товариство")),
    (JOINT_STOCK, ("OJSC", "open joint stock company", "OAO", "ОАО",
                   "открытое акционерное общество")),
    (JOINT_STOCK, ("CJSC", "closed joint stock company", "ZAO", "ЗАО",
                   "закрытое акционерное общество", "PrAT", "ПрАТ", "NAO", "НАО",
                   "непубличное акционерное общество")),
    (JOINT_STOCK, ("PJSC", "public joint stock company", "PAO", "ПАО",
                   "публичное акционерное общество", "PAT", "ПАТ")),
    (JOINT_STOCK, ("EAD", "ЕАД")),
    (JOINT_STOCK, ("AG", "Aktiengesellschaft")),
    (JOINT_STOCK, ("SA", "societe anonyme", "sociedad anonima", "sociedade anonima",
                   "spolka akcyjna")),
    (JOINT_STOCK, ("SpA", "societa per azioni")),
    (JOINT_STOCK, ("NV", "naamloze vennootschap")),
    (JOINT_STOCK, ("plc", "p.l.c.", "public limited company")),
    (JOINT_STOCK, ("AB", "aktiebolag")),
    (JOINT_STOCK, ("Oyj", "ASA", "Zrt", "Nyrt", "Bhd", "Berhad", "kabushiki kaisha")),
    (LIMITED, ("d.o.o.", "д.о.о.", "drustvo s ogranicenom odgovornoscu",
               "drustvo sa ogranicenom odgovornoscu", "друштво са ограниченом одговорношћу",
               "друштво с ограниченом одговорношћу", "DOOEL", "ДООЕЛ")),
    (LIMITED, ("s.r.o.", "spolecnost s rucenim omezenym", "spolocnost s rucenim obmedzenym")),
    (LIMITED, ("OOO", "ООО", "obshchestvo s ogranichennoy otvetstvennostyu",
               "общество с ограниченной ответственностью", "TOV", "ТОВ",
               "товариство з обмеженою відповідальністю")),
    (LIMITED, ("LLC", "L.L.C.", "limited liability company", "PLLC", "FZLLC", "FZ-LLC")),
    (LIMITED, ("Ltd", "Limited", "company limited", "private limited company", "Pty",
               "Pty Ltd", "Pte", "Pte Ltd", "Sdn Bhd", "Ltda", "Lda")),
    (LIMITED, ("GmbH", "G.m.b.H.", "gesellschaft mit beschrankter haftung")),
    (LIMITED, ("SRL", "SARL", "S.A.R.L.", "societatea cu raspundere limitata",
               "societa a responsabilita limitata", "societe a responsabilite limitee",
               "sociedad limitada")),
    (LIMITED, ("BV", "besloten vennootschap")),
    (LIMITED, ("Kft",)),
    (LIMITED, ("EOOD", "ЕООД", "OOD", "ООД")),
    (LIMITED, ("Sp. z o.o.", "spolka z ograniczona odpowiedzialnoscia")),
    (LIMITED, ("FZE", "FZCO", "ApS", "UG")),
    (PARTNERSHIP, ("k.s.", "к.с.", "KG", "Kommanditgesellschaft", "OHG", "k.d.", "к.д.",
                   "komanditno drustvo")),
    (PARTNERSHIP, ("LP", "L.P.", "limited partnership", "LLP", "SNC", "SCS", "v.o.s.")),
    (NON_PROFIT, ("ANO", "АНО", "autonomous non-profit organisation",
                  "автономная некоммерческая организация", "NKO", "НКО", "e.V.",
                  "eingetragener Verein")),
    (STATE, ("GUP", "ГУП", "FGUP", "ФГУП", "MUP", "МУП", "state unitary enterprise",
             "federal state unitary enterprise", "государственное унитарное предприятие")),
    (GENERIC, ("Inc", "Incorporated")),
    (GENERIC, ("Corp", "Corporation")),
    (GENERIC, ("Co", "Company")),
)  # fmt: skip


def form_table() -> tuple[tuple[str, str, str], ...]:
    """(spelling, canonical name, family) for every form, the SPEC's listed ones included
    (a SPEC form that is not in the table above is its own canonical name, `generic`)."""
    rows: list[tuple[str, str, str]] = []
    known: set[str] = set()
    for family, spellings in _FORMS:
        canonical = spellings[0].casefold().replace(".", "").replace(" ", "")
        for spelling in spellings:
            rows.append((spelling, canonical, family))
            known.add(spelling.casefold())
    for spelling in LEGAL_FORMS_LATIN + LEGAL_FORMS_CYRILLIC:
        if spelling.casefold() not in known:
            rows.append((spelling, spelling.casefold().replace(".", ""), GENERIC))
    return tuple(rows)


# Words that say nothing about who a party is; removed unless nothing else is left.
TITLES: frozenset[str] = frozenset({
    "mr", "mrs", "ms", "miss", "mister", "dr", "prof", "professor", "sir", "dame", "lord",
    "sheikh", "shaikh", "sheik", "shaykh", "haji", "hajji", "alhaji", "mullah", "mawlawi",
    "maulvi", "maulana", "president", "monsieur", "madame", "mme", "herr", "frau",
    "the", "and", "of", "for", "und", "et", "mv", "mt",
})  # fmt: skip

# Spellings of one name particle, compared as one.
PARTICLES: Mapping[str, str] = MappingProxyType({
    "el": "al", "ul": "al", "ibn": "bin", "abou": "abu",
})  # fmt: skip

# English number words and ordinals, read as numbers ("Forty-Four" is "44", "1st" is "1").
UNITS: Mapping[str, int] = MappingProxyType({
    word: n for n, words in enumerate((
        ("zero",), ("one", "first"), ("two", "second"), ("three", "third"),
        ("four", "fourth"), ("five", "fifth"), ("six", "sixth"), ("seven", "seventh"),
        ("eight", "eighth"), ("nine", "ninth"), ("ten", "tenth"), ("eleven", "eleventh"),
        ("twelve", "twelfth"), ("thirteen",), ("fourteen",), ("fifteen",), ("sixteen",),
        ("seventeen",), ("eighteen",), ("nineteen",),
    )) for word in words
})  # fmt: skip
TENS: Mapping[str, int] = MappingProxyType({
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
})  # fmt: skip
ORDINAL_SUFFIXES: tuple[str, ...] = ("st", "nd", "rd", "th")

# Scripts written without short vowels: their romanisations are compared by consonants.
ABJAD_RANGES: tuple[tuple[int, int], ...] = (
    (0x0590, 0x05FF), (0x0600, 0x06FF), (0x0700, 0x074F), (0x0750, 0x077F),
    (0x08A0, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF),
)  # fmt: skip

# Ideographic scripts: unidecode spells each character as a syllable and a space; the
# syllables of one word are joined again.
IDEOGRAPH_RANGES: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F),
)  # fmt: skip

FAMILY_OF: Mapping[str, str] = MappingProxyType(
    {canonical: family for _, canonical, family in form_table()}
)


# --- forms found in a name's words ---------------------------------------------------


def _form_index() -> tuple[dict[str, str], dict[str, tuple[tuple[Tokens, str], ...]]]:
    """Legal forms spelled as one key (no dots or spaces), and as phrases by first word."""
    single: dict[str, str] = {}
    phrases: dict[str, list[tuple[Tokens, str]]] = {}
    for spelling, canonical, _ in form_table():
        for _, tokens in word_variants(spelling):
            if len(tokens) == 1 or all(len(t) <= _SHORT for t in tokens):
                single.setdefault("".join(tokens), canonical)
            elif tokens:
                phrases.setdefault(tokens[0], []).append((tokens, canonical))
    ordered = {
        first: tuple(sorted(set(found), key=lambda item: -len(item[0])))
        for first, found in phrases.items()
    }
    return single, ordered


_SINGLE_FORMS, _PHRASE_FORMS = _form_index()
# The words that are a legal form or begin one: a phrase's first word, a form's one-word
# spelling, or the first one or two letters of a form spelled in short words ("a" of "a d").
_PHRASE_OR_SHORT_STARTS = frozenset(_PHRASE_FORMS).union(
    key[:length] for key in _SINGLE_FORMS for length in range(1, _SHORT + 1)
)
_FORM_STARTS = _PHRASE_OR_SHORT_STARTS.union(_SINGLE_FORMS)
FORM_KEYS = MappingProxyType(_SINGLE_FORMS)


def strip_forms(tokens: Tokens) -> tuple[Tokens, list[str]]:
    """`tokens` without legal forms, and the canonical forms removed.

    A form is one word, a phrase ("joint stock company"), or a run of one- and two-letter
    words up to the end of that run ("a. d." is "a.d."; "A. B. C." is not "a.b.")."""
    if _FORM_STARTS.isdisjoint(tokens):  # no word is, or begins, a legal form
        return tokens, []
    if _PHRASE_OR_SHORT_STARTS.isdisjoint(tokens):  # only forms of one word, "inc", "gmbh"
        found = [_SINGLE_FORMS[word] for word in tokens if word in _SINGLE_FORMS]
        return tuple(word for word in tokens if word not in _SINGLE_FORMS), found
    return strip_each_form(tokens)


def strip_each_form(tokens: Tokens) -> tuple[Tokens, list[str]]:
    """`strip_forms`, word by word."""
    kept: list[str] = []
    found: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        word = tokens[i]
        phrase = next(
            (p for p in _PHRASE_FORMS.get(word, ()) if tokens[i : i + len(p[0])] == p[0]),
            None,
        )
        if phrase is not None:
            found.append(phrase[1])
            i += len(phrase[0])
            continue
        if len(word) > _SHORT:
            if word in _SINGLE_FORMS:
                found.append(_SINGLE_FORMS[word])
            else:
                kept.append(word)
            i += 1
            continue
        end = i
        while end < n and len(tokens[end]) <= _SHORT:
            end += 1
        spelled = "".join(tokens[i:end])
        if spelled in _SINGLE_FORMS:
            found.append(_SINGLE_FORMS[spelled])
            i = end
        else:
            kept.append(word)
            i += 1
    return tuple(kept), found
