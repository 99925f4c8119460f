"""The one place an Alexa request meets the engine: load the person's state, handle the event, save, respond.

Two requests for one person may overlap (a pause from one device, a next from another): skill.stores.turn saves
only over the record this request read, and otherwise reads and answers again, as for the browser player.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Request, Response
from ask_sdk_model.interfaces.system import ExceptionEncounteredRequest

from skill.alexa import apl, player, translate
from skill.errors import StateError
from skill.practice import prompts, ssml
from skill.practice.engine import Outcome, handle
from skill.practice.model import Library
from skill.practice.speech import Pace, join, spoken
from skill.practice.state import State, from_dict, restore, to_dict
from skill.stores.base import Store, user_id
from skill.stores.turn import Read, take_turn

if TYPE_CHECKING:  # the audio package is imported only by an app with a voice (skill.audio.open_audio)
    from skill.audio.host import AudioHost

log = logging.getLogger("gentle_yoga.alexa")


# Every answer in a session carries the place in the session's attributes, so a store that fails mid-class
# loses nothing: the next request reads the place from there, and the first save that works keeps it.
CARRIED = "gentle_yoga_place"
UNSAVED = "gentle_yoga_unsaved"  # set while the carried place is newer than the store's


@dataclass(frozen=True)
class Loaded:
    state: State
    lost: bool = False  # a stored record was there but could not be read
    unsaved: bool = False  # the state came from the session, and is newer than the store's
    unreachable: bool = False  # the store could not be read for this request
    carried: bool = False  # the session held a readable place


@dataclass(frozen=True)
class Carried:
    """The place the session carries, as sent (read only when it is used), and whether the store has yet to keep
    it. Most requests never read it: the store answers, and the session's copy only matters when the store is
    down or behind."""

    record: Any = None
    unsaved: bool = False

    @classmethod
    def of(cls, handler_input: HandlerInput) -> Carried:
        session = handler_input.request_envelope.session
        attributes = (session.attributes or {}) if session is not None else {}
        record = attributes.get(CARRIED)
        return cls(record, record is not None and attributes.get(UNSAVED) is True)

    def state(self) -> State | None:
        """The carried place, if readable."""
        if self.record is None:
            return None
        try:
            return from_dict(self.record)
        except StateError as exc:
            log.warning("the session's copy of the place is unreadable, ignoring it: %s", exc)
            return None


def _notes(loaded: Loaded, outcome: Outcome, saved: bool) -> list[str]:
    """What the person is told, before the answer, about their place: lost, unreachable, or not kept."""
    notes = [prompts.LOST_PLACE] if loaded.lost else []
    if loaded.unreachable and not loaded.carried:
        notes.append(prompts.NO_RECORD)
    elif not saved and outcome.end_session:
        notes.append(prompts.NOT_KEPT)  # the session, and the place it carries, end with this answer
    elif not saved and not loaded.unsaved:
        notes.append(prompts.NOT_SAVED)  # said once: later answers carry the place quietly until a save works
    return notes


@dataclass(frozen=True)
class Shell:
    library: Library
    pace: Pace
    clock: Callable[[], float]
    store: Store
    audio: AudioHost | None = None
    player_mode: str = "auto"
    pictures: apl.Pictures = field(default_factory=apl.Pictures)

    def key(self, handler_input: HandlerInput) -> str:
        """The store's key for the person making this request (NoUserId if the request names no one)."""
        return self.store.user_key(user_id(handler_input.request_envelope))

    def load(self, got: Read, session: Carried) -> Loaded:
        """The person's state: the store's, unless the session carries a newer one or the store is down."""
        carried = session.state() if got.unreachable or session.unsaved else None
        unsaved = session.unsaved and carried is not None
        if got.unreachable:
            log.warning("answering from %s", "the session's copy" if carried else "a fresh start")
            return Loaded(carried or State(mode=self.pace.mode), unsaved=unsaved, unreachable=True,
                          carried=carried is not None)
        if carried is not None and unsaved:
            return Loaded(carried, unsaved=True, carried=True)
        state, unreadable = restore(got.record, self.pace.mode)
        if unreadable:
            log.warning("unreadable practice record, starting fresh: %s", unreadable)
        return Loaded(state, lost=unreadable is not None)

    def carry(self, handler_input: HandlerInput, record: dict[str, Any], unsaved: bool) -> None:
        """Put the place (as to_dict gives it) in the session's attributes, which Alexa sends back with the next
        request."""
        if handler_input.request_envelope.session is None:
            return
        # Only the skill's own keys: ask-sdk would otherwise echo back whatever attributes a request brought.
        attributes: dict = {CARRIED: record}
        if unsaved:
            attributes[UNSAVED] = True
        handler_input.attributes_manager.session_attributes = attributes

    def respond(self, handler_input: HandlerInput) -> Response:
        """Answer one request: the engine decides, and this only loads, saves and renders."""
        request = _request(handler_input)
        if request.object_type in translate.SILENT:
            return self.silent(handler_input)
        key = self.key(handler_input)
        event, now = translate.event_of(request), translate.seconds(request, self.clock)
        audio_pace = player.pace_for(handler_input, self.pace, self.audio, self.player_mode)
        pace = audio_pace or apl.pace_for(handler_input, self.pace)
        device = translate.device(handler_input.request_envelope)
        carried = Carried.of(handler_input)

        def answer(got: Read) -> tuple[tuple[Loaded, Outcome, dict[str, Any]], dict[str, Any] | None]:
            loaded = self.load(got, carried)
            outcome = handle(loaded.state, event, now, self.library, pace, device)
            changed = loaded.lost or loaded.unsaved or outcome.state != loaded.state
            record = to_dict(outcome.state)  # kept, when it changed, and carried in the session either way
            return (loaded, outcome, record), record if changed else None

        turn = take_turn(self.store, key, answer)
        (loaded, outcome, record), saved = turn.answer, turn.saved
        self.carry(handler_input, record, unsaved=not saved)
        notes = _notes(loaded, outcome, saved)
        if notes and outcome.speech:
            outcome = replace(outcome, speech=join(spoken(*notes), outcome.speech))
        if audio_pace is not None:  # the device's player shows the class itself
            return render(handler_input, outcome, directives=player.directives(outcome, self.audio))
        return render(handler_input, outcome, apl.Screen(self.library, self.pace, self.pictures))

    def silent(self, handler_input: HandlerInput) -> Response:
        request = _request(handler_input)
        if request.object_type == translate.FORGET:
            self.store.delete(self.key(handler_input))
        elif isinstance(request, ExceptionEncounteredRequest):
            error = request.error
            log.error("Alexa reported an error in our response: %s %s", error and error.object_type,
                      error and error.message)
        return handler_input.response_builder.response

    def sorry(self, handler_input: HandlerInput) -> Response:
        """What the person hears when something failed that should not have; their stored place is untouched."""
        request = handler_input.request_envelope.request
        if request is None or request.object_type in translate.SILENT or request.object_type == "SessionEndedRequest":
            return handler_input.response_builder.response
        return render(handler_input, Outcome(State(), spoken(prompts.SORRY), spoken(prompts.SORRY_REPROMPT)))


def _request(handler_input: HandlerInput) -> Request:
    """The request in the envelope; the edges refuse an envelope without one before it reaches the skill."""
    request = handler_input.request_envelope.request
    if request is None:
        raise ValueError("the envelope carries no request")
    return request


def render(handler_input: HandlerInput, outcome: Outcome, screen: apl.Screen | None = None,
           directives: list | None = None) -> Response:
    """The outcome as Alexa's response: SSML speech, a reprompt while listening, and whether the session ends.

    On a device with a screen every answer that says something also shows it; an answer that says nothing leaves
    the screen (and its timer) as it is. shouldEndSession left out (None) keeps the session without listening.
    An answer to the device's audio player carries its directives and nothing else, as Alexa requires.
    """
    builder = handler_input.response_builder
    request_type = _request(handler_input).object_type
    if request_type == "SessionEndedRequest":
        return builder.response  # Alexa plays nothing in answer to a session that has ended
    for directive in directives or ():
        builder.add_directive(directive)
    if translate.from_player(request_type):
        return builder.response
    if outcome.speech:
        builder.speak(ssml.render(outcome.speech, outcome.rate))
        if screen is not None and apl.supported(handler_input):
            builder.add_directive(screen.directive(outcome))
    if outcome.reprompt and not outcome.end_session:
        builder.ask(ssml.render(outcome.reprompt, outcome.rate))
    # ask-sdk documents null ("keep the session, not listening") as a value here, but types the argument bool
    builder.set_should_end_session(outcome.end_session)  # type: ignore[arg-type]
    return builder.response
