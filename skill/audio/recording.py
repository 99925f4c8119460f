"""A class as one MP3 file: its chapters' speech assembled end to end, with an ID3 chapter per pose."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from skill.audio import id3
from skill.audio.assemble import concatenate
from skill.audio.clips import atomic_write
from skill.audio.host import AudioHost
from skill.practice.model import Practice
from skill.practice.plan import Plan
from skill.practice.recording import Chapter, chapters
from skill.practice.speech import Pace, Say

ARTIST = "Gentle Yoga"


def timed_chapters(host: AudioHost, practice: Practice, plan: Plan) -> tuple[list[Chapter], Pace]:
    """The recording's chapters, and the pace that times them: the prepared measurements, plus the words only a
    recording says (its opening names the length)."""
    assert host.pace is not None, "prepare the host's audio first"
    return host.audio.retimed(lambda pace: chapters(practice, plan, pace), host.pace,
                              lambda parts: (p.text for chapter in parts for p in chapter.speech if isinstance(p, Say)))


def mp3_bytes(host: AudioHost, practice: Practice, parts: Sequence[Chapter]) -> tuple[bytes, float]:
    """The whole recording, tagged, and its length in seconds (exact: whole frames)."""
    streams = [host.audio.assemble(chapter.speech) for chapter in parts]
    marks, at = [], 0.0
    for chapter, stream in zip(parts, streams, strict=True):
        marks.append(id3.Chapter(chapter.title, round(at * 1000), round((at + stream.seconds) * 1000)))
        at += stream.seconds
    whole = concatenate(streams)
    return id3.tag(practice.title, ARTIST, marks) + whole.data, whole.seconds


def write_mp3(host: AudioHost, practice: Practice, plan: Plan, out: Path) -> float:
    """Write the recording to out atomically (a reader never sees half a file); its length in seconds."""
    data, seconds = mp3_bytes(host, practice, timed_chapters(host, practice, plan)[0])
    atomic_write(out, data)
    return seconds
