"""Alexa's request objects to the engine's plain values: the event, the slots, and the time it was asked."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any

from ask_sdk_model import Intent as AlexaIntent
from ask_sdk_model import IntentRequest, Request
from ask_sdk_model.slu.entityresolution import StatusCode

from skill.alexa.apl import CARRY_ON
from skill.alexa.intents import Slot, event_for
from skill.errors import VerificationError
from skill.practice import events as ev
from skill.practice.playback import Device

# Request types the engine answers; every other type is refused at the edge before it reaches a handler.
EVENTS: dict[str, Callable[[Request], ev.Event]] = {
    "LaunchRequest": lambda request: ev.Launch(),
    "IntentRequest": lambda request: intent_event(request),  # defined below
    "SessionEndedRequest": lambda request: ev.SessionEnded(),
    "Alexa.Presentation.APL.UserEvent": lambda request: user_event(request),  # defined below
    # The device's audio player reporting on a stream, and its buttons (or "Alexa, next" said to it).
    "AudioPlayer.PlaybackStarted": lambda request: played("started", request),
    "AudioPlayer.PlaybackNearlyFinished": lambda request: played("nearly_finished", request),
    "AudioPlayer.PlaybackFinished": lambda request: played("finished", request),
    "AudioPlayer.PlaybackStopped": lambda request: played("stopped", request),
    "AudioPlayer.PlaybackFailed": lambda request: played("failed", request),
    "PlaybackController.PlayCommandIssued": lambda request: ev.Resume(),
    "PlaybackController.PauseCommandIssued": lambda request: ev.Pause(),
    "PlaybackController.NextCommandIssued": lambda request: ev.Next(),
    "PlaybackController.PreviousCommandIssued": lambda request: ev.Previous(),
}
# Requests from the device's player rather than a person: their answers carry audio directives and nothing else.
PLAYER_REQUESTS = ("AudioPlayer.", "PlaybackController.")
# Request types answered with an empty response: Alexa reporting our own error, and skill lifecycle events.
SILENT = ("System.ExceptionEncountered", "AlexaSkillEvent.SkillEnabled", "AlexaSkillEvent.SkillDisabled")
FORGET = "AlexaSkillEvent.SkillDisabled"  # the person disabled the skill: their record is deleted


def handles(request_type: object) -> bool:
    return isinstance(request_type, str) and (request_type in EVENTS or request_type in SILENT)  # [] is no type


def slots_of(intent: AlexaIntent) -> dict[str, Slot]:
    """Each filled slot's heard value, and the id entity resolution matched (the first authority that did)."""
    found: dict[str, Slot] = {}
    for name, slot in (intent.slots or {}).items():
        if slot is None or not slot.value:
            continue
        resolved = None
        for authority in getattr(slot.resolutions, "resolutions_per_authority", None) or ():
            matched = authority and authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH
            value = getattr(authority.values[0], "value", None) if matched and authority.values else None
            if value is not None and value.id:  # a match that names no id (a malformed request) is no match
                resolved = value.id
                break
        found[name] = Slot(value=slot.value, id=resolved)
    return found


def intent_event(request: Request) -> ev.Event:
    if not isinstance(request, IntentRequest) or request.intent is None or not request.intent.name:
        return ev.Unknown()
    return event_for(request.intent.name, slots_of(request.intent))


def user_event(request: Request) -> ev.Event:
    """A screen's timer: the part it showed has played. Any other event from a screen matches no part, so the
    engine answers it with silence and keeps the place."""
    from ask_sdk_model.interfaces.alexa.presentation.apl import UserEvent  # a screen's request has loaded it

    arguments = (request.arguments if isinstance(request, UserEvent) else None) or []
    if len(arguments) == 2 and arguments[0] == CARRY_ON and isinstance(arguments[1], str):
        return ev.Resume(after=arguments[1])
    return ev.Resume(after="")  # no part's token is empty


def played(what: str, request: Any) -> ev.Event:
    """An AudioPlayer request as the engine's report: which stream (its token), and how far in."""
    offset = getattr(request, "offset_in_milliseconds", None)
    if offset is None:  # PlaybackFailed says where the player was in its current playback state
        offset = getattr(getattr(request, "current_playback_state", None), "offset_in_milliseconds", None)
    return ev.Played(what, getattr(request, "token", None), offset if isinstance(offset, int) else 0)


def from_player(request_type: object) -> bool:
    return isinstance(request_type, str) and request_type.startswith(PLAYER_REQUESTS)


def device(envelope: Any) -> Device | None:
    """What the device's audio player says with any request: its token, offset and activity (None if it has none)."""
    player = getattr(getattr(envelope, "context", None), "audio_player", None)
    if player is None:
        return None
    activity = getattr(player.player_activity, "value", None) or "IDLE"
    offset = player.offset_in_milliseconds if isinstance(player.offset_in_milliseconds, int) else 0
    return Device(player.token, offset, activity)


def supports_audio_player(envelope: Any) -> bool:
    """Whether the device says it has an audio player (supportedInterfaces.AudioPlayer)."""
    system = getattr(getattr(envelope, "context", None), "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "audio_player", None) is not None


def event_of(request: Request) -> ev.Event:
    """The engine's event for a request of a type the skill handles (KeyError for any other)."""
    return EVENTS[request.object_type or ""](request)


def seconds(request: Request, clock: Callable[[], float]) -> float:
    """When the person asked, in epoch seconds: the request's timestamp, or the clock when it has none."""
    stamp = request.timestamp
    if stamp is None:
        return clock()
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


def _dig(data: Any, *keys: str) -> Any:
    """data[k1][k2]…, or None where a level is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def check_skill_id(envelope: Mapping[str, Any], skill_id: str) -> None:
    """Raise VerificationError unless the envelope's application id is skill_id ('' accepts any)."""
    if not skill_id:
        return
    found = _dig(envelope, "context", "System", "application", "applicationId")
    if found is None:
        found = _dig(envelope, "session", "application", "applicationId")
    if found is None:
        raise VerificationError("the request carries no skill id")
    if found != skill_id:
        raise VerificationError("the request is for another skill id")
