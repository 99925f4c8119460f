"""Typed words to events, for practising without a device: the terminal's stand-in for Alexa's language model."""
from __future__ import annotations

import re

from skill.practice import events as ev
from skill.practice.model import Library, Practice

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_FILLER = re.compile(r"^(?:alexa,?\s+)?(?:(?:ask|tell)\s+gentle\s+yoga\s+(?:to\s+)?)?(?:please\s+)?(?:can you\s+)?")
_MINUTES = re.compile(r"\b(\d{1,4})\s*(?:-\s*)?(?:minutes?|mins?|m)\b")  # longer numbers: never a length
_PHRASES: tuple[tuple[tuple[str, ...], type], ...] = (
    (("what's next", "what is next", "what comes next", "next pose is", "coming up", "after this"), ev.WhatsNext),
    (("how many poses", "poses left", "more poses"), ev.PosesLeft),
    (("this week", "how many classes", "how often"), ev.PracticeCount),
    (("slow down", "slower", "too fast"), ev.Slower),
    (("speed up", "faster", "too slow"), ev.Faster),
    (("normal pace", "normal speed", "usual pace", "back to normal"), ev.NormalPace),
    (("longer", "more time in"), ev.Longer),
    (("go easy", "be gentle", "no kneeling", "bad knees", "careful with"), ev.GoEasy),
    (("hurts", "hurt", "pain", "ouch", "too much"), ev.Hurts),
    (("easier", "gentler", "modification", "modify"), ev.Easier),
    (("switch sides", "other side", "change sides", "swap sides"), ev.SwitchSides),
    (("start over", "restart", "from the beginning", "begin again", "from the top"), ev.StartOver),
    (("how much time", "time left", "how long", "how many minutes"), ev.TimeLeft),
    (("what pose", "which pose", "what is this", "what's this", "where am i", "pose name"), ev.WhatPose),
    (("what do i need", "props", "equipment", "what will i need", "need for"), ev.WhatProps),
    (("what classes", "which classes", "list", "classes", "what can i do", "options"), ev.ListClasses),
    (("i'm back", "i am back"), ev.Resume),  # before Previous, whose "back" would otherwise take it
    (("go back", "previous", "back", "last pose", "before"), ev.Previous),
    (("repeat", "again", "say that", "what was that", "pardon"), ev.Repeat),
    (("pause", "wait", "hold on", "one moment", "break"), ev.Pause),
    (("resume", "continue", "keep going", "carry on", "go on", "unpause", "ready"), ev.Resume),
    (("next", "skip", "move on", "forward"), ev.Next),
    (("help", "what can i say", "how does this work"), ev.Help),
    (("stop", "quit", "exit", "cancel", "bye", "goodbye", "done for now", "that's enough"), ev.Stop),
    (("open", "launch", "hello", "hi"), ev.Launch),
)
_START = re.compile(
    r"^(?:start|begin|do|play|practise|practice|let's do|let's start|i want|i'd like|give me)\b\s*(.*)$")
_YES = {"yes", "yeah", "yep", "sure", "ok", "okay", "please", "let's go", "yes please", "go ahead", "sounds good"}
_BODY = {"knee": "knees", "kneel": "knees", "kneeling": "knees", "wrist": "wrists", "hand": "wrists",
         "back": "back", "neck": "neck", "shoulder": "shoulders", "hip": "hips", "ankle": "ankles"}
_NO = {"no", "nope", "not now", "no thanks", "no thank you"}


def _hyphenated(word: str) -> int | None:
    """'twenty-five' -> 25; None for anything else."""
    tens, _, unit = word.partition("-")
    if tens in _TENS and unit in _UNITS and unit not in ("a", "an") and _UNITS[unit] < 10:
        return _TENS[tens] + _UNITS[unit]
    return None


def numbers_to_digits(text: str) -> str:
    """'twenty five minutes' -> '25 minutes', so lengths can be read one way."""
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _TENS:
            value = _TENS[word]
            following = words[i + 1] if i + 1 < len(words) else ""
            if following in _UNITS and _UNITS[following] < 10 and following not in ("a", "an"):
                value += _UNITS[following]
                i += 1
            out.append(str(value))
        elif word in _UNITS and word not in ("a", "an"):
            out.append(str(_UNITS[word]))
        elif _hyphenated(word) is not None:
            out.append(str(_hyphenated(word)))
        else:
            out.append(word)
        i += 1
    return " ".join(out)


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^\w\s'-]", " ", text)
    text = " ".join(text.split())
    return numbers_to_digits(_FILLER.sub("", text))


def _names(practice: Practice) -> list[str]:
    names = (practice.title, practice.id.replace("_", " "), *practice.aliases)
    return [key for key in (_normalise(name).replace("-", " ") for name in names) if key]


def find_class(text: str, library: Library) -> Practice | None:
    """The class whose id, title or alias the words contain (the longest name wins)."""
    best: tuple[int, Practice] | None = None
    for practice in library:
        for key in _names(practice):
            if re.search(rf"\b{re.escape(key)}\b", text.replace("-", " ")) and (best is None or len(key) > best[0]):
                best = (len(key), practice)
    return best[1] if best else None


def _without_class(text: str, practice: Practice | None) -> str:
    """The words with the class's names taken out, so "low back release" or "before bed" is not "back"."""
    text = text.replace("-", " ")
    for key in sorted(_names(practice), key=len, reverse=True) if practice else ():
        text = re.sub(rf"\b{re.escape(key)}\b", " ", text)
    return " ".join(text.split())


def _start(text: str, rest: str, library: Library) -> ev.Event:
    minutes = _MINUTES.search(text)
    focus_match = re.search(r"\bfor (?:my |the |a |some )?([a-z' ]+?)(?:\s+(?:please|today|now))?$", rest)
    # a class named before "for ..." wins; a name inside "for my hips" is a focus, not a choice of class
    practice = find_class(rest[: focus_match.start()] if focus_match else rest, library)
    focus = focus_match.group(1).strip() if focus_match and not practice else None
    if practice is None and focus is None and minutes is None:
        leftover = re.sub(r"\b(a|an|the|class|practice|session|yoga|some|my)\b", " ", rest).strip()
        if leftover:
            return ev.Start(heard=leftover)
    return ev.Start(practice=practice.id if practice else None, minutes=int(minutes.group(1)) if minutes else None,
                    focus=focus)


def _body(said: str) -> str | None:
    """The part of the body named ("my knee hurts" -> knees), if any."""
    for word in re.findall(r"[a-z]+", said):
        part = _BODY.get(word.rstrip("s")) or _BODY.get(word)
        if part:
            return part
    return None


def understand(text: str, library: Library) -> ev.Event:
    """The event typed words ask for; Unknown(heard) when nothing fits."""
    said = _normalise(text)
    if not said:
        return ev.Unknown(heard=text.strip())
    if said in _YES:
        return ev.Yes()
    if said in _NO:
        return ev.No()
    minutes = _MINUTES.search(said)
    if re.search(r"\b(shorter|shorten|less time|quicker|trim|cut)\b", said) or (
        minutes and re.search(r"\b(make it|make this|only have|have only|just|change to|down to)\b", said)
    ):
        return ev.Shorter(minutes=int(minutes.group(1)) if minutes else None)
    start = _START.match(said)
    if start and not re.match(r"^(?:start over|begin again)", said):
        return _start(said, start.group(1), library)
    practice = find_class(said, library)
    asked = _without_class(said, practice)
    for phrases, event in _PHRASES:
        if any(re.search(rf"\b{re.escape(p)}\b", asked) for p in phrases):
            return event(body=_body(said)) if event in (ev.Hurts, ev.GoEasy) else event()
    if practice is not None or minutes:
        return _start(said, said, library)
    return ev.Unknown(heard=text.strip())
