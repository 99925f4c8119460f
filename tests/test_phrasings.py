"""The held-out phrasings (tests/phrasings) against the generated model, with virtual-alexa's matcher (npm, installed
by make test): the measurement `make phrasings` prints, and the goal the issue set for it."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from skill.alexa.intents import duration_minutes
from skill.alexa.model import interaction_model

pytestmark = pytest.mark.node

sys.path.insert(0, str(Path(__file__).parent / "phrasings"))
import measure  # noqa: E402


@pytest.fixture(scope="module")
def model(library):
    return interaction_model(library, "en-US")


class TestHeldOut:
    def test_the_set_is_large_and_covers_every_intent_s_event(self):
        """At least 200 phrasings, and every event a custom or built-in intent can become is asked for."""
        phrasings = measure.read_heldout()
        assert len(phrasings) >= 200
        wanted = {p.event for p in phrasings}
        from skill.alexa.intents import INTENTS

        events = {type(i.event({})).__name__ for i in INTENTS} - {"Unknown"}
        assert events <= wanted, events - wanted

    def test_at_least_nine_in_ten_match_as_meant(self, model, capsys):
        """virtual-alexa matches at least 90 % of the held-out phrasings to the event they mean."""
        rate = measure.report(measure.measure(model, measure.read_heldout()))
        assert rate >= measure.GOAL, capsys.readouterr().out

    def test_a_model_without_our_samples_falls_short(self, model):
        """The measurement can fail: with the custom samples of the built-ins taken away, pause words miss."""
        import copy

        bare = copy.deepcopy(model)
        for intent in bare["interactionModel"]["languageModel"]["intents"]:
            if intent["name"].startswith("AMAZON."):
                intent["samples"] = []
        pauses = [p for p in measure.read_heldout() if p.event == "Pause"]
        results = measure.measure(bare, pauses)
        assert sum(measure.matches(p, e) for p, _, e in results) <= 2


class TestTheFileAndTheSlots:
    def test_a_bad_line_is_named(self, tmp_path):
        path = tmp_path / "set.txt"
        path.write_text("# a comment\npause | Pause\nhold on | Halt\n")
        with pytest.raises(ValueError, match="set.txt line 3"):
            measure.read_heldout(path)

    @pytest.mark.parametrize("words,iso", [("half an hour", "PT30M"), ("an hour and a quarter", "PT1H15M"),
                                           ("20 minutes", "PT20M"), ("two hours", "PT2H"), ("a while", None)])
    def test_spoken_lengths_become_what_alexa_sends(self, words, iso):
        assert measure.alexa_duration(words) == iso

    @pytest.mark.parametrize("value,minutes", [("PT30M", 30), ("PT1H15M", 75), ("PT1H", 60), ("PT90S", 2),
                                               ("P0D", None), ("?", None), ("", None), ("PT20", None),
                                               ("P1D", None), ("pt20m", 20), ("PT0M", None)])
    def test_a_duration_slot_reads_as_whole_minutes(self, value, minutes):
        """AMAZON.DURATION's ISO-8601 values; anything unreadable or past 600 minutes is no length at all."""
        assert duration_minutes(value) == minutes
