"""Every intent the skill knows: its name, its slots, its sample utterances, and the event it becomes.

This one table drives both the handlers (an intent request becomes an event) and the generated interaction
model (`python -m skill model`), so an intent cannot have samples without a handler, or a handler without
samples. It imports nothing from ask_sdk: slots arrive as plain `Slot` values.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from skill.practice import events as ev

# Slot types. The two custom ones take their values from the class files.
CLASS_TYPE = "ClassName"
FOCUS_TYPE = "Focus"
NUMBER_TYPE = "AMAZON.NUMBER"


@dataclass(frozen=True)
class Slot:
    """One filled slot: what was heard, and the id it resolved to (entity resolution), if any."""

    value: str | None = None
    id: str | None = None


Slots = Mapping[str, Slot]


@dataclass(frozen=True)
class Intent:
    name: str
    event: Callable[[Slots], ev.Event]
    samples: tuple[str, ...] = ()  # built-ins need none; custom ones need many
    slots: tuple[tuple[str, str], ...] = ()  # (slot name, slot type)

    @property
    def builtin(self) -> bool:
        return self.name.startswith("AMAZON.")


def minutes(slots: Slots, name: str = "minutes") -> int | None:
    """A whole number of minutes from an AMAZON.NUMBER slot; None when absent, '?' or out of reason."""
    raw = (slots.get(name) or Slot()).value
    if raw is None or not raw.strip().isdecimal() or len(raw.strip()) > 4:  # int() refuses 4,300 digits and more
        return None
    value = int(raw)
    return value if 1 <= value <= 600 else None


def _start(slots: Slots) -> ev.Event:
    practice, focus = slots.get("practice") or Slot(), slots.get("focus") or Slot()
    heard = practice.value if practice.value and not practice.id else None
    focus_words = focus.id.replace("_", " ") if focus.id else focus.value  # Focus ids are slugs: low_back
    return ev.Start(practice=practice.id, minutes=minutes(slots), focus=focus_words, heard=heard)


def _plain(event: type) -> Callable[[Slots], ev.Event]:
    return lambda slots: event()


_CLASS = ("practice", CLASS_TYPE)
_MINUTES = ("minutes", NUMBER_TYPE)
_FOCUS = ("focus", FOCUS_TYPE)

INTENTS: tuple[Intent, ...] = (
    Intent("StartClassIntent", _start, slots=(_CLASS, _MINUTES, _FOCUS), samples=(
        "start {practice}", "start the {practice} class", "start the {practice} practice", "begin {practice}",
        "do {practice}", "do the {practice} class", "play {practice}", "let's do {practice}",
        "i want to do {practice}", "i'd like to do {practice}", "practice {practice}", "open {practice}",
        "start a {minutes} minute class", "start a {minutes} minute practice", "a {minutes} minute class",
        "i have {minutes} minutes", "give me a {minutes} minute practice", "do a {minutes} minute class",
        "start a class for my {focus}", "start a practice for my {focus}", "something for my {focus}",
        "yoga for my {focus}", "a class for my {focus}", "i want to work on my {focus}", "help my {focus}",
        "start a {minutes} minute class for my {focus}", "start a {minutes} minute practice for my {focus}",
        "a {minutes} minute class for my {focus}", "{minutes} minutes for my {focus}",
        "start {practice} for {minutes} minutes", "do {practice} in {minutes} minutes",
        "start a class", "start a practice", "start yoga", "begin a class", "let's begin", "let's start",
    )),
    Intent("ShorterIntent", lambda slots: ev.Shorter(minutes=minutes(slots)), slots=(_MINUTES,), samples=(
        "make it shorter", "shorter", "shorten it", "shorten the class", "a shorter class", "i'm short on time",
        "i don't have much time", "speed it up", "cut it down", "make the class shorter",
        "make it {minutes} minutes", "make it {minutes} minutes long", "make the class {minutes} minutes",
        "cut it to {minutes} minutes", "shorten it to {minutes} minutes", "i only have {minutes} minutes",
        "i only have {minutes} minutes left", "finish in {minutes} minutes", "fit it into {minutes} minutes",
    )),
    Intent("ContinueIntent", _plain(ev.Resume), samples=(
        "continue", "keep going", "carry on", "go on", "i'm ready", "ready", "i'm back", "let's continue",
        "continue the class", "continue my class", "continue my practice", "pick up where i left off",
        "let's keep going", "on we go", "unpause", "begin", "begin the class", "i'm set up", "let's go",
    )),
    Intent("NextPoseIntent", _plain(ev.Next), samples=(
        "next pose", "skip", "skip this pose", "skip this one", "move on", "the next pose", "go to the next pose",
        "skip ahead",
    )),
    Intent("GoBackIntent", _plain(ev.Previous), samples=(
        "go back", "back", "previous pose", "the last pose", "go back a pose", "go back one pose",
        "back to the last pose", "go to the previous pose",
    )),
    Intent("TimeLeftIntent", _plain(ev.TimeLeft), samples=(
        "how much time is left", "how much time do i have left", "how long is left", "how long is left in the class",
        "how many minutes are left", "how much longer", "how much longer is the class", "time left",
        "how far along am i", "when does the class end",
    )),
    Intent("WhatPoseIntent", _plain(ev.WhatPose), samples=(
        "what pose is this", "which pose is this", "what pose am i in", "what's this pose called",
        "what is this pose", "what is this pose called", "name this pose", "where am i", "what are we doing",
    )),
    Intent("WhatPropsIntent", _plain(ev.WhatProps), samples=(
        "what do i need", "what props do i need", "which props do i need", "what equipment do i need",
        "what should i have", "do i need a strap", "do i need blocks", "what props", "props",
    )),
    Intent("ListClassesIntent", _plain(ev.ListClasses), samples=(
        "what classes are there", "what classes do you have", "list the classes", "which classes can i do",
        "what can i practice", "what are my choices", "tell me the classes", "what classes",
    )),
    Intent("AMAZON.PauseIntent", _plain(ev.Pause)),
    Intent("AMAZON.ResumeIntent", _plain(ev.Resume)),
    Intent("AMAZON.NextIntent", _plain(ev.Next)),
    Intent("AMAZON.PreviousIntent", _plain(ev.Previous)),
    Intent("AMAZON.RepeatIntent", _plain(ev.Repeat)),
    Intent("AMAZON.StartOverIntent", _plain(ev.StartOver)),
    # An audio player skill must answer these (Alexa's AudioPlayer contract); a class has one order.
    Intent("AMAZON.LoopOnIntent", _plain(ev.Loop)),
    Intent("AMAZON.LoopOffIntent", _plain(ev.Loop)),
    Intent("AMAZON.ShuffleOnIntent", _plain(ev.Loop)),
    Intent("AMAZON.ShuffleOffIntent", _plain(ev.Loop)),
    Intent("AMAZON.HelpIntent", _plain(ev.Help)),
    Intent("AMAZON.StopIntent", _plain(ev.Stop)),
    Intent("AMAZON.CancelIntent", _plain(ev.Stop)),
    Intent("AMAZON.NavigateHomeIntent", _plain(ev.Stop)),
    Intent("AMAZON.YesIntent", _plain(ev.Yes)),
    Intent("AMAZON.NoIntent", _plain(ev.No)),
    Intent("AMAZON.FallbackIntent", lambda slots: ev.Unknown()),
)
BY_NAME: dict[str, Intent] = {intent.name: intent for intent in INTENTS}


def event_for(name: str, slots: Slots) -> ev.Event:
    """The event an intent request means; an intent this skill does not know is Unknown, never an error."""
    intent = BY_NAME.get(name)
    return intent.event(slots) if intent else ev.Unknown(heard=None)
