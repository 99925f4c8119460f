"""The ask-sdk-core skill: one request handler and one exception handler, both handing over to the shell."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import Response

from skill.alexa import translate
from skill.alexa.apl import Pictures
from skill.alexa.serializer import Serializer
from skill.alexa.shell import Shell
from skill.practice.model import Library
from skill.practice.speech import Pace
from skill.stores.base import Store

if TYPE_CHECKING:
    from skill.audio.host import AudioHost

log = logging.getLogger("gentle_yoga.alexa")


class RequestHandler(AbstractRequestHandler):
    """Every request type the skill answers goes to the shell; intents are told apart by the intents table."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return request is not None and translate.handles(request.object_type)

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.shell.respond(handler_input)


class KindErrorHandler(AbstractExceptionHandler):
    """Any error a handler did not expect: log it, say something kind, and keep the stored place as it was."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("error answering a request: %s", exception, exc_info=exception)
        return self.shell.sorry(handler_input)


def build_skill(library: Library, store: Store, pace: Pace, clock: Callable[[], float] = time.time,
                audio: AudioHost | None = None, player_mode: str = "auto",
                pictures: Pictures | None = None) -> CustomSkill:
    """The skill, with its state kept by store; the skill id is checked at the web edge, with the signature.

    The shell reads and writes the store itself (a save only if the record is unchanged), so ask-sdk is given no
    persistence adapter: its attributes manager's load-then-save would let one overlapping request undo another.
    """
    shell = Shell(library, pace, clock, store, audio=audio, player_mode=player_mode, pictures=pictures or Pictures())
    builder = SkillBuilder()
    builder.add_request_handler(RequestHandler(shell))
    builder.add_exception_handler(KindErrorHandler(shell))
    skill = builder.create()
    skill.serializer = Serializer()  # writes an Echo Show's document as it is (serializer.JsonObject)
    return skill
