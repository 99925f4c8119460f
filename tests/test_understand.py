"""Typed words to events: the terminal's stand-in for Alexa's language model, checked against the real classes."""
from __future__ import annotations

import pytest

from skill.practice import events as ev
from skill.practice.model import Library
from skill.practice.understand import find_class, numbers_to_digits, understand

# (typed words, the event they must become). Rows naming low_back_release fail, and do not skip, while that
# class is missing from sequences/.
PHRASES = [
    # starting a class: by name, by length and focus, or the one already chosen
    ("start low back release", ev.Start(practice="low_back_release")),
    ("Alexa, ask gentle yoga to start low back release", ev.Start(practice="low_back_release")),
    ("Alexa, tell Gentle Yoga to start Low Back Release.", ev.Start(practice="low_back_release")),
    ("low back release", ev.Start(practice="low_back_release")),
    ("what do I need for low back release", ev.WhatProps()),
    ("start a twenty minute practice for my hips", ev.Start(minutes=20, focus="hips")),
    ("start a practice for my low back", ev.Start(focus="low back")),
    ("start low back release for twenty minutes", ev.Start(practice="low_back_release", minutes=20)),
    ("give me a ten minute class", ev.Start(minutes=10)),
    ("start hip release", ev.Start(practice="hip_release")),
    ("Start Hip Release!", ev.Start(practice="hip_release")),
    ("hip release", ev.Start(practice="hip_release")),
    ("before bed", ev.Start(practice="bedtime_wind_down")),
    ("begin", ev.Start()),
    ("start the banana class", ev.Start(heard="banana")),
    # moving through the class
    ("next", ev.Next()),
    ("what's next", ev.WhatsNext()),  # names the next pose: it must not skip, as "next" does
    ("what comes next", ev.WhatsNext()),
    ("how many poses are left", ev.PosesLeft()),
    ("switch sides", ev.SwitchSides()),
    ("slow down", ev.Slower()),
    ("speed up", ev.Faster()),
    ("normal pace", ev.NormalPace()),
    ("make it longer", ev.Longer()),
    ("hold it longer", ev.Longer()),
    ("my knee hurts", ev.Hurts(body="knees")),
    ("that hurts", ev.Hurts()),
    ("this is too much", ev.Hurts()),
    ("easier version", ev.Easier()),
    ("go easy on my knees", ev.GoEasy(body="knees")),
    ("go easy on my wrists", ev.GoEasy(body="wrists")),
    ("how many classes have I done this week", ev.PracticeCount()),
    ("okay", ev.Yes()),
    ("go ahead", ev.Yes()),
    ("skip", ev.Next()),
    ("go back", ev.Previous()),
    ("repeat that", ev.Repeat()),
    ("pause", ev.Pause()),
    ("Alexa, tell Gentle Yoga to pause", ev.Pause()),
    ("resume", ev.Resume()),
    ("continue", ev.Resume()),
    ("keep going", ev.Resume()),
    ("I'm back", ev.Resume()),
    ("start over", ev.StartOver()),
    ("begin again", ev.StartOver()),
    # trimming the rest
    ("make it shorter", ev.Shorter()),
    ("make it twenty minutes", ev.Shorter(minutes=20)),
    ("make it 20 minutes", ev.Shorter(minutes=20)),
    ("make it twenty-five minutes", ev.Shorter(minutes=25)),
    ("make it twenty five minutes", ev.Shorter(minutes=25)),
    # questions
    ("how much time is left", ev.TimeLeft()),
    ("what pose is this", ev.WhatPose()),
    ("what do I need", ev.WhatProps()),
    ("what classes are there", ev.ListClasses()),
    ("help", ev.Help()),
    # ending, and answers to a question
    ("stop", ev.Stop()),
    ("yes", ev.Yes()),
    ("Yes.", ev.Yes()),
    ("no", ev.No()),
    ("no thanks", ev.No()),
    # nothing that fits
    ("flibber wop", ev.Unknown(heard="flibber wop")),
    ("  purple monkey dishwasher  ", ev.Unknown(heard="purple monkey dishwasher")),
    ("", ev.Unknown(heard="")),
    ("   ", ev.Unknown(heard="")),
    ("?!", ev.Unknown(heard="?!")),
]


class TestUnderstand:
    @pytest.mark.parametrize(("typed", "expected"), PHRASES, ids=[repr(typed) for typed, _ in PHRASES])
    def test_typed_words_become_the_event_asked_for(self, library: Library, typed: str, expected: ev.Event) -> None:
        """Each typed phrase maps to exactly the event (and fields) a person saying it means."""
        assert understand(typed, library) == expected

    @pytest.mark.parametrize("typed", ["start over", "begin again", "restart"])
    def test_start_over_is_not_a_start(self, library: Library, typed: str) -> None:
        """Asking to start over is its own event, never a Start that would pick a new class."""
        event = understand(typed, library)
        assert isinstance(event, ev.StartOver)
        assert not isinstance(event, ev.Start)

    def test_every_class_can_be_started_by_title_and_id(self, library: Library) -> None:
        """Saying start and a class's title, or its id with spaces, starts that class."""
        for practice in library:
            assert understand(f"start {practice.title}", library) == ev.Start(practice=practice.id)
            assert understand(f"start {practice.id.replace('_', ' ')}", library) == ev.Start(practice=practice.id)

    def test_every_alias_on_its_own_names_its_class(self, library: Library) -> None:
        """A class's alias said on its own starts that class, even when it holds a word like back or before."""
        for practice in library:
            for alias in practice.aliases:
                assert understand(alias, library) == ev.Start(practice=practice.id), alias

    def test_unknown_keeps_what_was_typed(self, library: Library) -> None:
        """Unknown carries the words as typed (trimmed), so the answer can repeat them back."""
        assert understand("  Wibble Wobble  ", library) == ev.Unknown(heard="Wibble Wobble")


class TestFindClass:
    def test_the_longest_name_wins(self, library: Library) -> None:
        """Where one class's name sits inside another's words, the longer (more specific) name decides."""
        found = find_class("low back release", library)
        assert found is not None and found.id == "low_back_release"

    def test_no_name_no_class(self, library: Library) -> None:
        """Words naming no class find none."""
        assert find_class("a gentle stretch", library) is None


NUMBERS = [
    ("twenty five minutes", "25 minutes"),
    ("twenty-five minutes", "25 minutes"),
    ("forty-two", "42"),
    ("ninety nine", "99"),
    ("twenty", "20"),
    ("ten minutes", "10 minutes"),
    ("one two three", "1 2 3"),
    ("make it fifteen", "make it 15"),
    ("a minute", "a minute"),  # "a" and "an" stay words on their own
    ("an hour", "an hour"),
    ("twenty a", "20 a"),  # "a" does not add one to a tens word
    ("twenty-a", "twenty-a"),
    ("thirty ten", "30 10"),  # only a unit below ten joins a tens word
    ("thirty-ten", "thirty-ten"),
    ("fifteen-five", "fifteen-five"),
    ("hello world", "hello world"),
    ("25 minutes", "25 minutes"),
    ("", ""),
]


class TestNumbersToDigits:
    @pytest.mark.parametrize(("words", "digits"), NUMBERS, ids=[repr(words) for words, _ in NUMBERS])
    def test_number_words_become_digits(self, words: str, digits: str) -> None:
        """Spoken numbers up to ninety-nine become digits; other words, and odd joins, are left as they are."""
        assert numbers_to_digits(words) == digits

    def test_every_number_in_words_reads_as_its_digits(self) -> None:
        """Every number from one to ninety-nine, in words spaced or hyphenated, reads back as its digits."""
        units = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
        tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
        for value in range(1, 100):
            if value < 20:
                forms = [units[value]]
            elif value % 10 == 0:
                forms = [tens[value // 10]]
            else:
                forms = [f"{tens[value // 10]} {units[value % 10]}", f"{tens[value // 10]}-{units[value % 10]}"]
            for form in forms:
                assert numbers_to_digits(f"make it {form} minutes") == f"make it {value} minutes", form
