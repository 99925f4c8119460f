"""Every intent the skill knows: its name, its slots, its sample utterances, and the event it becomes.

This one table drives both the handlers (an intent request becomes an event) and the generated interaction
model (`python -m skill model`), so an intent cannot have samples without a handler, or a handler without
samples. It imports nothing from ask_sdk: slots arrive as plain `Slot` values. The samples themselves are in samples.py.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from skill.alexa import samples as say
from skill.practice import events as ev

# Slot types. The custom ones take their values from the class files (ClassName, Focus) or model.py (BodyPart).
CLASS_TYPE = "ClassName"
FOCUS_TYPE = "Focus"
BODY_TYPE = "BodyPart"
NUMBER_TYPE = "AMAZON.NUMBER"
DURATION_TYPE = "AMAZON.DURATION"
MAX_MINUTES = ev.MAX_MINUTES  # past this, a length is taken as not said
_ISO_DURATION = re.compile(r"^P(?:(\d{1,3})D)?(?:T(?:(\d{1,4})H)?(?:(\d{1,5})M)?(?:(\d{1,6})S)?)?$")


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "samples", tuple(dict.fromkeys(self.samples)))  # written as variants: once each

    @property
    def builtin(self) -> bool:
        return self.name.startswith("AMAZON.")


def duration_minutes(value: str | None) -> int | None:
    """Whole minutes from an AMAZON.DURATION value as Alexa sends it ("PT20M", "PT1H15M", "PT30M"); None for
    '?', an empty or a malformed value, or one outside 1 to 600 minutes."""
    match = _ISO_DURATION.match((value or "").strip().upper())
    if not match or not any(match.groups()):
        return None
    days, hours, mins, secs = (int(part or 0) for part in match.groups())
    total = round(days * 1440 + hours * 60 + mins + secs / 60)
    return total if ev.MIN_MINUTES <= total <= MAX_MINUTES else None


def minutes(slots: Slots, name: str = "minutes") -> int | None:
    """A whole number of minutes from the AMAZON.NUMBER slot, or else the AMAZON.DURATION one ("length"); None
    when neither is there, '?', or out of reason."""
    raw = (slots.get(name) or Slot()).value
    if raw is None or not raw.strip().isdecimal() or len(raw.strip()) > 4:  # int() refuses 4,300 digits and more
        return duration_minutes((slots.get("length") or Slot()).value)
    value = int(raw)
    return value if ev.MIN_MINUTES <= value <= MAX_MINUTES else None


def _start(slots: Slots) -> ev.Event:
    practice, focus = slots.get("practice") or Slot(), slots.get("focus") or Slot()
    heard = practice.value if practice.value and not practice.id else None
    focus_words = focus.id.replace("_", " ") if focus.id else focus.value  # Focus ids are slugs: low_back
    return ev.Start(practice=practice.id, minutes=minutes(slots), focus=focus_words, heard=heard)


def _body(event: type) -> Callable[[Slots], ev.Event]:
    """An event about a part of the body: its BodyPart id (knees, wrists, …), or the words heard, or none."""
    def make(slots: Slots) -> ev.Event:
        body = slots.get("body") or Slot()
        return event(body=body.id or body.value)
    return make


def _plain(event: type) -> Callable[[Slots], ev.Event]:
    return lambda slots: event()


_CLASS = ("practice", CLASS_TYPE)
_MINUTES = ("minutes", NUMBER_TYPE)
_LENGTH = ("length", DURATION_TYPE)
_FOCUS = ("focus", FOCUS_TYPE)
_BODY = ("body", BODY_TYPE)

INTENTS: tuple[Intent, ...] = (
    Intent("StartClassIntent", _start, slots=(_CLASS, _MINUTES, _LENGTH, _FOCUS), samples=say.START),
    Intent("ShorterIntent", lambda slots: ev.Shorter(minutes=minutes(slots)), slots=(_MINUTES, _LENGTH),
           samples=say.SHORTER),
    Intent("LongerIntent", _plain(ev.Longer), samples=say.LONGER),
    Intent("SlowerIntent", _plain(ev.Slower), samples=say.SLOWER),
    Intent("FasterIntent", _plain(ev.Faster), samples=say.FASTER),
    Intent("NormalPaceIntent", _plain(ev.NormalPace), samples=say.NORMAL_PACE),
    Intent("ContinueIntent", _plain(ev.Resume), samples=say.CONTINUE),
    Intent("NextPoseIntent", _plain(ev.Next), samples=say.NEXT_POSE),
    Intent("GoBackIntent", _plain(ev.Previous), samples=say.GO_BACK),
    Intent("WhatsNextIntent", _plain(ev.WhatsNext), samples=say.WHATS_NEXT),
    Intent("SwitchSidesIntent", _plain(ev.SwitchSides), samples=say.SWITCH_SIDES),
    Intent("TimeLeftIntent", _plain(ev.TimeLeft), samples=say.TIME_LEFT),
    Intent("PosesLeftIntent", _plain(ev.PosesLeft), samples=say.POSES_LEFT),
    Intent("WhatPoseIntent", _plain(ev.WhatPose), samples=say.WHAT_POSE),
    Intent("WhatPropsIntent", _plain(ev.WhatProps), samples=say.WHAT_PROPS),
    Intent("ListClassesIntent", _plain(ev.ListClasses), samples=say.LIST_CLASSES),
    Intent("PracticeCountIntent", _plain(ev.PracticeCount), samples=say.PRACTICE_COUNT),
    Intent("HurtsIntent", _body(ev.Hurts), slots=(_BODY,), samples=say.HURTS),
    Intent("EasierIntent", _plain(ev.Easier), samples=say.EASIER),
    Intent("GoEasyIntent", _body(ev.GoEasy), slots=(_BODY,), samples=say.GO_EASY),
    Intent("AMAZON.PauseIntent", _plain(ev.Pause), samples=say.PAUSE),
    Intent("AMAZON.ResumeIntent", _plain(ev.Resume), samples=say.RESUME),
    Intent("AMAZON.NextIntent", _plain(ev.Next), samples=say.NEXT),
    Intent("AMAZON.PreviousIntent", _plain(ev.Previous), samples=say.PREVIOUS),
    Intent("AMAZON.RepeatIntent", _plain(ev.Repeat), samples=say.REPEAT),
    Intent("AMAZON.StartOverIntent", _plain(ev.StartOver), samples=say.START_OVER),
    # An audio player skill must answer these (Alexa's AudioPlayer contract); a class has one order.
    Intent("AMAZON.LoopOnIntent", _plain(ev.Loop), samples=say.LOOP_ON),
    Intent("AMAZON.LoopOffIntent", _plain(ev.Loop), samples=say.LOOP_OFF),
    Intent("AMAZON.ShuffleOnIntent", _plain(ev.Loop), samples=say.SHUFFLE_ON),
    Intent("AMAZON.ShuffleOffIntent", _plain(ev.Loop), samples=say.SHUFFLE_OFF),
    Intent("AMAZON.HelpIntent", _plain(ev.Help), samples=say.HELP),
    Intent("AMAZON.StopIntent", _plain(ev.Stop), samples=say.STOP),
    Intent("AMAZON.CancelIntent", _plain(ev.Stop)),
    Intent("AMAZON.NavigateHomeIntent", _plain(ev.Stop)),
    Intent("AMAZON.YesIntent", _plain(ev.Yes), samples=say.YES),
    Intent("AMAZON.NoIntent", _plain(ev.No), samples=say.NO),
    Intent("AMAZON.FallbackIntent", lambda slots: ev.Unknown()),
)
BY_NAME: dict[str, Intent] = {intent.name: intent for intent in INTENTS}


def event_for(name: str, slots: Slots) -> ev.Event:
    """The event an intent request means; an intent this skill does not know is Unknown, never an error."""
    intent = BY_NAME.get(name)
    return intent.event(slots) if intent else ev.Unknown(heard=None)
