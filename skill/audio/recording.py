"""A class as one MP3 file: its chapters' speech assembled end to end, with an ID3 chapter per pose."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from skill.audio import id3
from skill.audio.assemble import concatenate
from skill.audio.clips import atomic_write
from skill.audio.host import AudioHost
from skill.practice.model import Practice
from skill.practice.recording import Chapter

ARTIST = "Gentle Yoga"


def mp3_bytes(host: AudioHost, practice: Practice, chapters: Sequence[Chapter]) -> tuple[bytes, float]:
    """The whole recording, tagged, and its length in seconds (exact: whole frames)."""
    streams = [host.audio.assemble(chapter.speech) for chapter in chapters]
    marks, at = [], 0
    for chapter, stream in zip(chapters, streams, strict=True):
        marks.append(id3.Chapter(chapter.title, round(at * 1000), round((at + stream.seconds) * 1000)))
        at += stream.seconds
    whole = concatenate(streams)
    return id3.tag(practice.title, ARTIST, marks) + whole.data, whole.seconds


def write_mp3(host: AudioHost, practice: Practice, chapters: Sequence[Chapter], out: Path) -> float:
    """Write the recording to out atomically (a reader never sees half a file); its length in seconds."""
    data, seconds = mp3_bytes(host, practice, chapters)
    atomic_write(out, data)
    return seconds
