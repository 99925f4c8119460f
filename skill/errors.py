"""The one error hierarchy: people see these sentences, never a traceback."""
from __future__ import annotations


class GentleYogaError(Exception):
    """Base of every error the skill raises on purpose."""


class SequenceError(GentleYogaError):
    """A class or pose file that cannot be loaded, naming the file, step and field."""

    def __init__(self, path: str, message: str, *, step: str | None = None, field: str | None = None) -> None:
        self.path = path
        self.step = step
        self.field = field
        self.message = message
        where = ", ".join(
            part for part in (path, f"step {step}" if step else "", f"field '{field}'" if field else "") if part
        )
        super().__init__(f"{where}: {message}")


class SequenceErrors(GentleYogaError):
    """Every problem found while loading, so an author can fix them all in one pass."""

    def __init__(self, errors: list[SequenceError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class StateError(GentleYogaError):
    """A stored practice record that cannot be read (corrupt, or from an unknown version)."""


class ConfigError(GentleYogaError):
    """A setting with a value the skill cannot use."""


class UsageError(GentleYogaError):
    """A command-line option the command cannot use."""


class VerificationError(GentleYogaError):
    """A request that cannot be shown to come from Alexa for this skill; the message is the short reason."""


class AudioError(GentleYogaError):
    """Audio that cannot be made or read: no voice, a failed render, or bytes that are not our MP3 format."""


class StoreUnavailable(GentleYogaError):
    """The store's backend cannot be reached or refused the operation; the message names the store, never a user."""


class NoUserId(GentleYogaError):
    """A request with no user id in it, so there is no one to keep state for."""

    def __init__(self) -> None:
        super().__init__("the request carries no user id")


class Rejected(GentleYogaError):
    """An Alexa request refused before it reaches a handler; the message is the short reason sent back."""


class BadRequest(GentleYogaError):
    """Input the browser player's API cannot use; the message is said to the caller as it is."""
