"""Pronunciation for the local voice: Sanskrit words as phones, so an English voice says them as a teacher would.

By English letter rules a local engine says "Padangusthasana" with half its vowels gone, and stresses every
"-asana" word as "-SAH-nuh". Respelling the words (pah-dahn-…) makes it worse: each syllable comes out stressed
and slow. So each Sanskrit word becomes a lexicon entry in the engine's own phones (CMU, as Festival uses):
open vowels, the stress a teacher puts on it (a-pa-NA-sa-na), and the last two syllables of -asana reduced.
Polly's neural voices say common yoga words well on their own, so they get the text as written.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Where the usual romanisation hides the sound teachers use, the word as it sounds.
SOUNDS_LIKE = {
    "savasana": "shavasana", "salabhasana": "shalabhasana", "sirsasana": "shirshasana",
    "padangusthasana": "padangushthasana", "pristhasana": "prishthasana", "parivrtta": "parivritta",
    "namaste": "namastay",
}
# Sanskrit words are recognised as whole words: anything ending in -asana, and these.
SANSKRIT = re.compile(
    r"\b([A-Za-z]+asana|Adho|Ananda|Ardha|Baddha|Bandha|Eka|Janu|Jathara|Karani|Mukha|Namaste|Pada|Parivrtta|"
    r"Parsva|Salamba|Setu|Supta|Utthan|Viparita)\b", re.IGNORECASE)
_VOWEL_PHONES = {"ai": "ay", "au": "aw", "aa": "aa", "ay": "ey", "ee": "iy", "a": "aa", "i": "iy", "u": "uw",
                 "e": "ey", "o": "ow"}
_CONSONANT_PHONES = {"sh": "sh", "ch": "ch", "j": "jh", "y": "y", "h": "hh", "c": "ch"}
_UNIT = re.compile(r"sh|ch|[bdgjkptv]h|ai|au|aa|ay|ee|[a-z]")
_VOWELS = frozenset(_VOWEL_PHONES)


def _phone(unit: str) -> str:
    if unit in _CONSONANT_PHONES:
        return _CONSONANT_PHONES[unit]
    if len(unit) == 2 and unit.endswith("h"):  # bh, dh, th…: English ears hear no breath in them
        return unit[0]
    return unit


@lru_cache(maxsize=512)
def syllables(word: str) -> tuple[tuple[tuple[str, ...], int], ...]:
    """A Sanskrit word as Festival syllables: ((phones…), stress) each, e.g. apanasana →
    ((aa), 0) ((p aa), 0) ((n aa), 1) ((s ax), 0) ((n ax), 0)."""
    lower = word.lower()
    units = _UNIT.findall(SOUNDS_LIKE.get(lower, lower))
    groups: list[list[str]] = [[]]  # consonants before each vowel, then the vowel
    for unit in units:
        groups[-1].append(unit)
        if unit in _VOWELS:
            groups.append([])
    tail = groups.pop()  # consonants after the last vowel close the last syllable
    if not groups:
        return ((tuple(_phone(u) for u in tail), 1),)
    for k in range(1, len(groups)):  # of two or more consonants between vowels, the first closes the syllable
        onset = groups[k][:-1]
        if len(onset) >= 2 and onset[:2] not in (["s", "v"], ["d", "r"], ["p", "r"], ["t", "r"], ["b", "r"]):
            groups[k - 1].append(groups[k].pop(0))
    groups[-1] += tail
    phones = [[(_VOWEL_PHONES[u] if u in _VOWELS else _phone(u)) for u in group] for group in groups]
    stressed = 0
    if lower.endswith("asana") and len(phones) >= 3:  # a-pa-NA-sa-na: the last two fall to a soft "uh"
        stressed = len(phones) - 3
        for syllable in phones[-2:]:
            syllable[-1] = "ax"
    return tuple((tuple(p), 1 if k == stressed else 0) for k, p in enumerate(phones))


def festival_entry(word: str) -> str:
    """The Scheme that adds word to Festival's lexicon."""
    body = " ".join(f"(({' '.join(phones)}) {stress})" for phones, stress in syllables(word))
    return f'(lex.add.entry \'("{word.lower()}" nil ({body})))'


def sanskrit_words(text: str) -> list[str]:
    return sorted({m.group(1).lower() for m in SANSKRIT.finditer(text)})
