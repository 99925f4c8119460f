"""SSML for Alexa: the one place where speech parts become markup, and where markup is checked."""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from skill.practice.speech import SOUND_SECONDS, Silence, Sound, Speech

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

MAX_BREAK = 10.0  # Alexa's longest single <break>
MAX_CHARS = 8000  # Alexa's limit on outputSpeech SSML
MAX_AUDIO = 5  # Alexa plays at most this many <audio> in one response
# Sounds from the Alexa Skills Kit Sound Library: played by Alexa with no hosting.
SOUNDS = {"chime": "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_03"}
# Alexa's supported SSML tags (DESIGN.md §5); amazon:* tags are checked by their local name.
SUPPORTED_TAGS = frozenset(
    {"speak", "p", "s", "break", "prosody", "emphasis", "say-as", "sub", "phoneme", "lang", "audio", "voice", "w"}
)
SUPPORTED_AMAZON_TAGS = frozenset({"effect", "domain", "emotion"})
_AMAZON_NS = "amazon"
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}
_BREAK_TIME = re.compile(r"^(\d+(?:\.\d+)?)(ms|s)$")
# Characters XML 1.0 cannot hold at all, escaped or not: most controls, lone surrogates, U+FFFE and U+FFFF. (Named
# as what is refused, not as the complement of what XML allows, which takes far longer to compile at start-up.)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@lru_cache(maxsize=8192)  # the same cues come round again and again
def escape(text: str) -> str:
    """Text made safe to place inside SSML; characters no XML document may contain are left out."""
    text = _NOT_XML.sub("", text)
    for char, entity in _ESCAPES.items():  # "&" first, so no entity is escaped twice
        text = text.replace(char, entity)
    return text


@lru_cache(maxsize=4096)
def breaks(seconds: float) -> str:
    """A silence as consecutive <break>s of at most 10 s each."""
    millis = int(round(seconds * 1000))
    if millis <= 0:
        return ""
    count = math.ceil(millis / (MAX_BREAK * 1000))
    out = []
    for i in range(count):
        chunk = min(int(MAX_BREAK * 1000), millis - i * int(MAX_BREAK * 1000))
        out.append(f'<break time="{chunk // 1000}s"/>' if chunk % 1000 == 0 else f'<break time="{chunk}ms"/>')
    return "".join(out)


def rate_percent(rate: float) -> str:
    """A speaking pace as prosody's rate: 0.9 -> "90%"."""
    return f"{round(rate * 100)}%"


def render(parts: Speech, rate: float = 1.0) -> str:
    """Speech parts as one <speak> document, at the person's pace (a prosody rate) when it is not the usual."""
    body: list[str] = []
    pending_silence = 0.0
    sounds = 0
    for part in parts:
        if isinstance(part, Silence):
            pending_silence += part.seconds
            continue
        if isinstance(part, Sound) and sounds >= MAX_AUDIO:
            pending_silence += SOUND_SECONDS  # past Alexa's five sounds in a response, a sound is timed as silence
            continue
        if pending_silence:  # (no silence at all is no break)
            body.append(breaks(pending_silence))
            pending_silence = 0.0
        if isinstance(part, Sound):
            sounds += 1
            body.append(f'<audio src="{SOUNDS[part.name]}"/>')
        else:
            body.append(f"<s>{escape(part.text)}</s>")
    if pending_silence:
        body.append(breaks(pending_silence))
    if rate != 1.0 and any(body):
        return f'<speak><prosody rate="{rate_percent(rate)}">{"".join(body)}</prosody></speak>'
    return f"<speak>{''.join(body)}</speak>"


def _break_seconds(value: str) -> float | None:
    match = _BREAK_TIME.match(value.strip())
    if not match:
        return None
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number


def problems(ssml: str) -> list[str]:
    """Everything that would make Alexa reject or mangle this SSML; empty when it is fine."""
    found: list[str] = []
    if len(ssml) >= MAX_CHARS:
        found.append(f"{len(ssml)} characters; Alexa takes fewer than {MAX_CHARS}")
    if bad := _NOT_XML.search(ssml):
        return found + [f"character {bad.group()!r} cannot appear in XML"]
    import xml.etree.ElementTree as ET  # only the checks need a parser; answering never does

    # ElementTree rejects undeclared prefixes, so declare amazon: for the parse only.
    parseable = ssml.replace("<speak>", f'<speak xmlns:amazon="{_AMAZON_NS}">', 1)
    try:
        root = ET.fromstring(parseable)
    except ET.ParseError as exc:
        return found + [f"not well-formed XML: {exc}"]
    if root.tag != "speak":
        found.append(f"root element is <{root.tag}>, not <speak>")
    if (count := sum(1 for _ in root.iter("audio"))) > MAX_AUDIO:
        found.append(f"{count} <audio> tags; Alexa plays at most {MAX_AUDIO} in a response")
    for element in root.iter():
        found += _element_problems(element)
    return found


def _element_problems(element: ET.Element) -> list[str]:
    """What Alexa would reject in one element: a tag it does not support, an audio source it cannot play, or a
    break that is not a duration or is longer than it allows."""
    found: list[str] = []
    tag = element.tag
    if tag == "audio" and not (element.get("src") or "").startswith(("https://", "soundbank://")):
        found.append(f"<audio> src {element.get('src')!r} is neither https nor the sound library")
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        if namespace != _AMAZON_NS or local not in SUPPORTED_AMAZON_TAGS:
            found.append(f"unsupported tag <{local}>")
    elif tag not in SUPPORTED_TAGS:
        found.append(f"unsupported tag <{tag}>")
    if tag == "break":
        time = element.get("time")
        value = _break_seconds(time) if time is not None else None
        if time is not None and value is None:
            found.append(f'break time "{time}" is not a duration')
        elif value is not None and value > MAX_BREAK:
            found.append(f"break of {value:g} s is longer than {MAX_BREAK:g} s")
    return found
