"""The seeded query set of the index benchmarks: half perturbed list names, half other names.

Perturbed: a listed name (a primary name or an alias, never a weak alias) with one to three
of: a letter substituted, deleted or transposed with its neighbour, a word dropped (names
of three words or more), the words reordered, the diacritics removed, the case changed.

Other: plausible person and company names made here from seeded syllables and word lists
(none of them taken from a labelled file): given names and surnames of two to four
syllables, and companies of one or two made-up words, a trade word and a legal form.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from armsgate.screening.sources import ListRecord

SEED = 20250419
ONSETS = ("b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr",
          "kr", "st", "sh", "ch", "h", "j", "f", "y", "kh", "ts")  # fmt: skip
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ia", "ei", "ou")
CODAS = ("", "", "", "n", "r", "l", "s", "m", "k", "d", "v", "t", "sh")
PERSON_ENDINGS = ("", "", "ov", "ova", "ic", "enko", "escu", "ani", "ez", "son", "er", "idis",
                  "ski", "elli", "oglu", "ian", "yan", "i")  # fmt: skip
TRADE_WORDS = ("Trading", "Logistics", "Holding", "Systems", "Technologies", "Industries",
               "Shipping", "Engineering", "Energy", "Marine", "Aviation", "Group", "Partners",
               "Solutions", "Consulting", "Machinery", "Electronics", "Import Export",
               "International", "Metals", "Chemicals", "Security", "Defence",
               "Capital")  # fmt: skip
PLAIN_WORDS = ("Star", "Gulf", "North", "Global", "United", "Atlas", "Delta", "Orient", "Nova",
               "Alpha", "Silver", "Blue", "Eagle", "Crown", "Pacific", "Baltic", "Danube",
               "Summit", "Falcon", "Horizon", "Prime", "Royal", "Ocean", "Golden")  # fmt: skip
LEGAL_FORMS = ("LLC", "Ltd", "GmbH", "d.o.o.", "S.A.", "JSC", "a.s.", "Inc.", "FZE", "OOO",
               "PLC", "S.R.L.", "AG", "Co. Ltd", "")  # fmt: skip
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class SeededQuery:
    """A query name, and the entry ("list/entity_id") whose name it perturbs, if any."""

    name: str
    source: str | None


def query_set(records: Sequence[ListRecord], count: int, seed: int = SEED) -> list[SeededQuery]:
    """`count` names, alternately a perturbed listed name and another name."""
    rnd = random.Random(seed)
    names = [(n.name, f"{r.list}/{r.entity_id}") for r in records for n in r.names
             if n.kind != "weak-alias"]  # fmt: skip
    out = []
    for k in range(count):
        if k % 2 == 0:
            name, source = rnd.choice(names)
            out.append(SeededQuery(perturb(name, rnd), source))
        else:
            out.append(SeededQuery(other_name(rnd), None))
    return out


def perturb(name: str, rnd: random.Random) -> str:
    for _ in range(rnd.randint(1, 3)):
        name = rnd.choice(_PERTURBATIONS)(name, rnd)
    return name


def other_name(rnd: random.Random) -> str:
    if rnd.random() < 0.5:
        words = [_word(rnd, rnd.randint(2, 3)) for _ in range(rnd.randint(2, 3))]
        words[-1] = _word(rnd, rnd.randint(1, 2)) + rnd.choice(PERSON_ENDINGS)
        return " ".join(w.capitalize() for w in words)
    first = rnd.choice(PLAIN_WORDS) if rnd.random() < 0.3 else _word(rnd, rnd.randint(2, 3))
    words = [first.capitalize()]
    if rnd.random() < 0.3:
        words.append(_word(rnd, 2).capitalize())
    words.append(rnd.choice(TRADE_WORDS))
    form = rnd.choice(LEGAL_FORMS)
    return " ".join([*words, form] if form else words)


def _word(rnd: random.Random, syllables: int) -> str:
    return "".join(rnd.choice(ONSETS) + rnd.choice(VOWELS) + rnd.choice(CODAS)
                   for _ in range(syllables))  # fmt: skip


def _letter_positions(name: str) -> list[int]:
    return [i for i, ch in enumerate(name) if ch.isalpha()]


def _substitute(name: str, rnd: random.Random) -> str:
    positions = _letter_positions(name)
    if not positions:
        return name
    i = rnd.choice(positions)
    return name[:i] + rnd.choice(LETTERS) + name[i + 1 :]


def _delete(name: str, rnd: random.Random) -> str:
    positions = _letter_positions(name)
    if len(positions) < 2:
        return name
    i = rnd.choice(positions)
    return name[:i] + name[i + 1 :]


def _transpose(name: str, rnd: random.Random) -> str:
    positions = [i for i in _letter_positions(name) if i + 1 < len(name) and name[i + 1].isalpha()]
    if not positions:
        return name
    i = rnd.choice(positions)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _drop_word(name: str, rnd: random.Random) -> str:
    words = name.split()
    if len(words) < 3:
        return name
    del words[rnd.randrange(len(words))]
    return " ".join(words)


def _reorder(name: str, rnd: random.Random) -> str:
    words = name.split()
    rnd.shuffle(words)
    return " ".join(words)


def _strip_diacritics(name: str, rnd: random.Random) -> str:
    decomposed = unicodedata.normalize("NFD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _case(name: str, rnd: random.Random) -> str:
    return rnd.choice((str.upper, str.lower, str.title))(name)


_PERTURBATIONS = (_substitute, _delete, _transpose, _drop_word, _reorder, _strip_diacritics,
                  _case)  # fmt: skip
