"""SSML: escaping, breaks, the checker itself, and every response every class can produce."""
from __future__ import annotations

import re

import pytest

from skill.practice import ssml
from skill.practice.rehearse import rehearse, summarise
from skill.practice.speech import Say, Silence


class TestRender:
    def test_text_is_always_escaped(self):
        """Markup characters in text arrive as text, and the result still parses."""
        out = ssml.render((Say('Rock & roll <gently> "slowly" it\'s fine'),))
        assert "&amp;" in out and "&lt;gently&gt;" in out and "&quot;" in out and "&apos;" in out
        assert ssml.problems(out) == []

    @pytest.mark.parametrize("seconds,expected", [
        (45, ['10s', '10s', '10s', '10s', '5s']),
        (10, ['10s']),
        (10.5, ['10s', '500ms']),
        (0.5, ['500ms']),
        (0, []),
    ])
    def test_long_silences_become_consecutive_breaks_of_ten_seconds_at_most(self, seconds, expected):
        """A hold is split into breaks of at most 10 s that add up to it."""
        out = ssml.render((Say("Hold."), Silence(seconds, hold=True)))
        assert re.findall(r'<break time="([^"]+)"/>', out) == expected

    def test_adjacent_silences_merge(self):
        """Two silences in a row are one pause, not two rounded ones."""
        out = ssml.render((Say("a"), Silence(6), Silence(6), Say("b")))
        assert '<break time="10s"/><break time="2s"/>' in out

    def test_each_spoken_part_is_a_sentence(self):
        """Spoken parts become <s> elements inside one <speak>, with nothing else around them."""
        assert ssml.render((Say("One."), Say("Two."))) == "<speak><s>One.</s><s>Two.</s></speak>"


class TestProblems:
    @pytest.mark.parametrize("document,problem", [
        ("<speak><s>unclosed</speak>", "not well-formed"),
        ("<speak><marquee>hi</marquee></speak>", "unsupported tag <marquee>"),
        ('<speak><break time="11s"/></speak>', "longer than 10 s"),
        ('<speak><break time="10500ms"/></speak>', "longer than 10 s"),
        ('<speak><break time="soon"/></speak>', "not a duration"),
        ("<speak>" + "a" * 8000 + "</speak>", "characters"),
        ("<voice>hi</voice>", "root element"),
        ('<speak><amazon:effect name="whispered">hi</amazon:effect></speak>', None),
        ('<speak><amazon:dance>hi</amazon:dance></speak>', "unsupported tag <dance>"),
    ])
    def test_the_checker_catches_what_alexa_rejects(self, document, problem):
        """Each kind of bad SSML is reported; supported amazon: tags are not."""
        found = ssml.problems(document)
        if problem is None:
            assert found == []
        else:
            assert any(problem in p for p in found), found


class TestEveryResponse:
    @pytest.mark.parametrize("mode", ["flow", "step"])
    def test_every_step_of_every_class_renders_valid_ssml(self, library, mode):
        """Played to the end in each mode, every response and reprompt is valid, short enough SSML."""
        checked = 0
        for practice in library:
            turns = rehearse(library, practice.id, mode)
            seen = set()
            for turn in turns:
                for reply in (turn.outcome.speech, turn.outcome.reprompt):
                    if reply:
                        document = ssml.render(reply)
                        assert ssml.problems(document) == [], (practice.id, mode)
                        checked += 1
                if turn.outcome.segment:
                    seen.update(turn.outcome.segment.steps)
            assert seen == set(range(len(practice.steps))), f"{practice.id}: every step is played in {mode} mode"
        assert checked > 0

    def test_the_check_summary_finds_no_problem(self, library):
        """The summary `make check` prints reports no SSML problem for any class."""
        for practice in library:
            assert summarise(library, practice.id).ssml_problems == ()
