"""The one place an Alexa request meets the engine: load the person's state, handle the event, save, respond."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa import translate
from skill.errors import StateError
from skill.practice import prompts, ssml
from skill.practice.engine import Outcome, handle
from skill.practice.model import Library
from skill.practice.speech import Pace, join, spoken
from skill.practice.state import State, from_dict, to_dict

log = logging.getLogger("gentle_yoga.alexa")


@dataclass(frozen=True)
class Shell:
    library: Library
    pace: Pace
    clock: Callable[[], float]

    def load(self, handler_input: HandlerInput) -> tuple[State, bool]:
        """The stored state, and whether a record was there but unreadable (it is replaced by a fresh start)."""
        record = handler_input.attributes_manager.persistent_attributes
        if not record:
            return State(mode=self.pace.mode), False
        try:
            return from_dict(record), False
        except StateError as exc:
            log.warning("unreadable practice record, starting fresh: %s", exc)
            return State(mode=self.pace.mode), True

    def save(self, handler_input: HandlerInput, state: State) -> None:
        manager = handler_input.attributes_manager
        manager.persistent_attributes = to_dict(state)
        manager.save_persistent_attributes()

    def respond(self, handler_input: HandlerInput) -> Response:
        """Answer one request: the engine decides, and this only loads, saves and renders."""
        request = handler_input.request_envelope.request
        if request.object_type in translate.SILENT:
            return self.silent(handler_input)
        state, lost = self.load(handler_input)
        outcome = handle(state, translate.event_of(request), translate.seconds(request, self.clock), self.library,
                         self.pace)
        if lost or outcome.state != state:
            self.save(handler_input, outcome.state)
        if lost and outcome.speech:
            outcome = replace(outcome, speech=join(spoken(prompts.LOST_PLACE), outcome.speech))
        return render(handler_input, outcome)

    def silent(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        if request.object_type == translate.FORGET:
            handler_input.attributes_manager.delete_persistent_attributes()
        elif request.object_type == "System.ExceptionEncountered":
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


def render(handler_input: HandlerInput, outcome: Outcome) -> Response:
    """The outcome as Alexa's response: SSML speech, a reprompt while listening, and whether the session ends."""
    builder = handler_input.response_builder
    if handler_input.request_envelope.request.object_type == "SessionEndedRequest":
        return builder.response  # Alexa plays nothing in answer to a session that has ended
    if outcome.speech:
        builder.speak(ssml.render(outcome.speech))
    if outcome.reprompt and not outcome.end_session:
        builder.ask(ssml.render(outcome.reprompt))
    builder.set_should_end_session(outcome.end_session)
    return builder.response
