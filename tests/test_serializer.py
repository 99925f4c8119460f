"""Our envelope reader reads every request exactly as ask-sdk's own serializer does, from JSON parsed only once."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from alexa import ENVELOPES, START, envelope, intent, recorded, user_event
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.alexa.serializer import Serializer

ASK = DefaultSerializer()


def _audio_player(kind: str) -> dict[str, Any]:
    """An AudioPlayer report from a device's player, as Alexa sends one."""
    body = envelope("launch", START)
    body["request"] = {"type": f"AudioPlayer.{kind}", "requestId": "amzn1.echo-api.request.p1",
                       "timestamp": "2026-11-23T07:35:12Z", "locale": "en-GB", "token": "lbr-3-1",
                       "offsetInMilliseconds": 81250}
    body["context"]["AudioPlayer"] = {"token": "lbr-3-1", "offsetInMilliseconds": 81250, "playerActivity": "PLAYING"}
    return body


BODIES = {
    **{f"recorded {path.stem}": recorded(path.stem) for path in sorted(ENVELOPES.glob("*.json"))},
    "launch on an Echo Show": envelope("launch", START, new=True, apl=True),
    "start a class, its slot resolved": intent("StartClassIntent", START,
                                               {"practice": ("low back", "low_back_release")}),
    "start a class, its slot not resolved": intent("StartClassIntent", START, {"practice": ("handstands", None)}),
    "a session carrying the place": intent("AMAZON.NextIntent", START, attributes={"gentle_yoga_place": {"v": 1}}),
    "a screen's timer": user_event(START, ["carry on", "p3"], "p3"),
    "the player stopped": _audio_player("PlaybackStopped"),
}



def stamp_of(body: dict[str, Any]) -> datetime:
    """The request's timestamp as our serializer reads it (every envelope here has a request and a timestamp)."""
    request = Serializer().envelope(body).request
    assert request is not None and request.timestamp is not None
    return request.timestamp

class TestTheSameAsAskSdk:
    """Whatever the request, the envelope read is the one ask-sdk's serializer reads from the same body."""

    @pytest.mark.parametrize("name", list(BODIES))
    def test_every_kind_of_request_reads_alike(self, name: str) -> None:
        """The same model objects, field by field, and the same JSON when written back out."""
        text = json.dumps(BODIES[name])
        ours = Serializer().envelope(json.loads(text))
        theirs = ASK.deserialize(text, RequestEnvelope)
        assert ours == theirs
        assert ASK.serialize(ours) == ASK.serialize(theirs)

    @pytest.mark.parametrize("spelling", ["2026-11-23T07:30:00Z", "2026-11-23T07:30:00.250Z",
                                          "2026-11-23T08:30:00+01:00", "2026-11-23T07:30:00",
                                          "2026-11-23T07:30:00.123456789Z", "Mon, 23 Nov 2026 07:30:00 GMT",
                                          "23 November 2026 7:30"])
    def test_a_timestamp_in_any_spelling_reads_as_ask_sdk_reads_it(self, spelling: str) -> None:
        """ISO 8601 by the standard library, anything else by ask-sdk's reader: the same instant either way."""
        body = envelope("launch", START)
        body["request"]["timestamp"] = spelling
        ours = stamp_of(body)
        theirs = ASK.deserialize(json.dumps(body), RequestEnvelope).request.timestamp
        assert ours == theirs
        assert (ours.tzinfo is None) == (theirs.tzinfo is None)

    def test_an_unreadable_timestamp_is_refused_alike(self) -> None:
        """Text that is no time at all is a SerializationException from both, which the edge answers with 400."""
        body = envelope("launch", START)
        body["request"]["timestamp"] = "half past seven"
        with pytest.raises(SerializationException):
            Serializer().envelope(body)
        with pytest.raises(SerializationException):
            ASK.deserialize(json.dumps(body), RequestEnvelope)


class TestAlexasTimestamps:
    """Alexa's own timestamps never reach dateutil's general parser, the slow part of reading a request."""

    def test_the_standard_library_reads_alexas_timestamp(self) -> None:
        """2026-11-23T07:30:00Z comes back in the standard library's UTC (dateutil would give its own tzutc):
        the override is in effect, which it would silently stop being if ask-sdk renamed its reader."""
        stamp = stamp_of(envelope("launch", START))
        assert stamp == datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
        assert stamp.tzinfo is UTC

    def test_an_offset_is_kept(self) -> None:
        """A timestamp with an offset keeps it (the instant is what the skill uses)."""
        body = envelope("launch", START)
        body["request"]["timestamp"] = "2026-11-23T08:30:00+01:00"
        stamp = stamp_of(body)
        assert stamp.utcoffset() == timedelta(hours=1)
        assert stamp.tzinfo == timezone(timedelta(hours=1))
        assert stamp.timestamp() == START


class TestModelLookup:
    """Model classes are looked up by name once per process; a name that names nothing is refused every time."""

    def test_an_unknown_model_name_is_refused_every_time(self) -> None:
        """The lookup keeps only names that resolve, so a bad name raises again rather than reading as a class."""
        lookup = Serializer()._DefaultSerializer__load_class_from_name  # type: ignore[attr-defined]
        for _ in range(2):
            with pytest.raises(SerializationException):
                lookup("ask_sdk_model.NoSuchModel")

    def test_a_name_gives_the_class_ask_sdk_gives(self) -> None:
        """The same class object as ask-sdk's own lookup, on the first request and every later one."""
        lookup = Serializer()._DefaultSerializer__load_class_from_name  # type: ignore[attr-defined]
        for _ in range(2):
            assert lookup("ask_sdk_model.request_envelope.RequestEnvelope") is RequestEnvelope
