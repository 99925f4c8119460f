"""Sentences that tell a person what to say are tagged voice-only where prompts.py makes them, and a screen shows
everything else: checked against the plain rule (a sentence with the word "say" in it) over every prompt."""
from __future__ import annotations

import inspect
import re

import pytest

from skill.practice import prompts
from skill.practice.speech import Say, on_screen, sentences, spoken, voice_only
from skill.practice.view import screen_text

SAMPLES = {"title": "Low Back Release", "pose": "Bridge", "left_seconds": 600.0, "since": 7200.0, "current": "A",
           "wanted": "B", "summaries": ["A, 20 minutes", "B, 10 minutes"], "heard": "morning", "titles": ["A", "B"],
           "focus": "hips", "asked_minutes": 20, "shortest_seconds": 900.0, "length_seconds": 1200.0,
           "props": ["a mat"], "intro": "Intro.", "name": "Cobra", "side": "right", "after": 3, "count": 2,
           "sanskrit": "Bhujangasana", "pose_number": 2, "pose_total": 9, "done": "Cat", "items": ["a mat"],
           "examples": ["x.", "y."], "change": "slower", "easier": "Keep the knee down.", "part": "knees",
           "swapped": ["Cat"], "dropped": ["Cow"], "text": "hello", "seconds": 90.0}
SAY = re.compile(r"\bsay\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def every_prompt() -> list[tuple[str, str]]:
    found = []
    for name, value in sorted(vars(prompts).items()):
        if isinstance(value, str) and not name.startswith("_"):
            found.append((name, value))
        elif inspect.isfunction(value) and value.__module__ == prompts.__name__:
            params = inspect.signature(value).parameters
            said = value(**{p: SAMPLES[p] for p in params if params[p].default is inspect.Parameter.empty})
            found += [(name, text) for text in (said if isinstance(said, tuple) else (said,))]
    return found


PROMPTS = every_prompt()


@pytest.mark.parametrize(("name", "text"), PROMPTS, ids=[f"{n}-{k}" for k, (n, _) in enumerate(PROMPTS)])
def test_a_screen_shows_every_sentence_but_those_telling_what_to_say(name, text):
    """What a screen shows is the prompt's sentences less exactly those with the word "say", in order."""
    expected = " ".join(s for s in SENTENCE_END.split(text) if s and not SAY.search(s))
    assert screen_text(text) == expected


def test_the_prompts_checked_include_tagged_and_untagged_ones():
    """The check above covers prompts with voice-only sentences and prompts without: it is not vacuous."""
    assert len(PROMPTS) > 80
    assert sum(1 for _, text in PROMPTS if on_screen(text) != text) >= 30
    assert sum(1 for _, text in PROMPTS if on_screen(text) == text) >= 30


def test_an_authors_words_are_never_hidden():
    """Only tagged sentences go: a class's own words are shown whole, even one that says "say"."""
    assert screen_text("Say hello to your hips. Breathe.") == "Say hello to your hips. Breathe."


def test_the_tag_survives_into_speech():
    """Speech made from a tagged prompt keeps the tag: a screen finds it on the spoken part, words unchanged."""
    (part,) = spoken(prompts.FLOW_PROMPT)
    assert isinstance(part, Say) and part.text == "Say continue when you're ready." and on_screen(part.text) == ""
    paused = spoken(prompts.paused("Bridge"))[0]
    assert isinstance(paused, Say) and on_screen(paused.text) == "Paused in Bridge. Rest as long as you like."


def test_a_tagged_sentence_with_spaces_around_it_keeps_its_tag():
    """Trimming a tagged sentence for speech keeps what a screen shows of it."""
    (part,) = spoken(sentences("  Rest here.", voice_only("Say next when you're ready.  ")))
    assert isinstance(part, Say) and part.text == "Rest here. Say next when you're ready."
    assert on_screen(part.text) == "Rest here."
