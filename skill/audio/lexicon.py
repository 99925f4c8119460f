"""Pronunciation for local engines: Sanskrit words respelled so an English voice says them as a teacher would.

A local engine reads "Savasana" by English rules ("SAY-vuh-sanner"). Every Sanskrit word is respelled syllable by
syllable (sah-vah-sah-nah), with the teacher's usual sound where spelling misleads (Savasana is "shah-").
Polly's neural voices say common yoga words well on their own, so they get the text as written.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Where the usual romanisation hides the sound teachers use.
OVERRIDES = {
    "savasana": "shah-vah-sah-nah",
    "namaste": "nah-mah-stay",
    "parivrtta": "pah-ree-vree-tah",
    "pristhasana": "preesh-tah-sah-nah",
    "salabhasana": "shah-lah-bah-sah-nah",
    "sirsasana": "sheer-shah-sah-nah",
    "padangusthasana": "pah-dahn-goosh-tah-sah-nah",
    "matsyendrasana": "maht-see-ayn-drah-sah-nah",
    "two": "two",
}
# Sanskrit words are recognised by their letters: these endings and words, as whole words.
_SANSKRIT = re.compile(
    r"\b([A-Za-z]+asana|Adho|Ananda|Ardha|Baddha|Bandha|Eka|Janu|Jathara|Karani|Mukha|Namaste|Pada|Parivrtta|"
    r"Parsva|Salamba|Setu|Supta|Utthan|Viparita)\b")
_VOWELS = (("ai", "eye"), ("au", "ow"), ("aa", "ah"), ("ee", "ee"), ("a", "ah"), ("i", "ee"), ("u", "oo"),
           ("e", "ay"), ("o", "oh"))
_ASPIRATE = re.compile(r"([bdtpkgj]h)")
_VOWEL_SOUNDS = dict(_VOWELS)
_SYLLABLE = re.compile(r"([^aeiou]*)(ai|au|aa|ee|[aeiou])", re.IGNORECASE)


@lru_cache(maxsize=512)
def sanskrit(word: str) -> str:
    """One Sanskrit word as English syllables, e.g. Balasana → bah-lah-sah-nah."""
    lower = word.lower()
    if lower in OVERRIDES:
        return OVERRIDES[lower]
    syllables: list[str] = []
    at = 0
    for match in _SYLLABLE.finditer(lower):
        onset, vowel = match.group(1), match.group(2)
        onset_sound = _ASPIRATE.sub(lambda m: m.group(1)[0], onset)  # bh → b: English ears hear no breath
        onset_sound = re.sub(r"c(?!h)", "ch", onset_sound)
        if len(onset_sound) > 1 and syllables and onset_sound[0] == onset_sound[1]:  # a doubled consonant
            syllables[-1] += onset_sound[0]
            onset_sound = onset_sound[1:]
        elif len(onset_sound) > 1 and syllables and onset_sound not in ("sh", "ch", "sv", "tr", "dr", "br", "pr",
                                                                         "kr", "vr", "shr", "ny", "dy"):
            syllables[-1] += onset_sound[0]  # a cluster splits across the syllables: Mat-sya, Pad-ang
            onset_sound = onset_sound[1:]
        syllables.append(onset_sound + _VOWEL_SOUNDS[vowel])
        at = match.end()
    if at < len(lower):  # a final consonant closes the last syllable
        syllables[-1] += lower[at:]
    return "-".join(syllables)


def respell(text: str) -> str:
    """text with every Sanskrit word respelled for a local engine."""
    return _SANSKRIT.sub(lambda m: sanskrit(m.group(1)), text)
