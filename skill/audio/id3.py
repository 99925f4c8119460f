"""ID3v2.4 chapters (CHAP and CTOC frames, per the ID3 chapter addendum), so players show where you are.

Written here in a few lines rather than with a tagging library: the one we would use (mutagen) is GPL, and
chapters need only three frame types. The tests read them back with mutagen and ffprobe.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

NO_OFFSET = 0xFFFFFFFF  # chapters are placed by time, not by byte


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


def _syncsafe(n: int) -> bytes:
    """A 28-bit number as ID3v2.4 writes sizes: seven bits a byte."""
    if n >= 1 << 28:
        raise ValueError("an ID3 tag holds less than 256 MiB")
    return bytes(((n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F))


def _frame(frame_id: str, body: bytes) -> bytes:
    return frame_id.encode("ascii") + _syncsafe(len(body)) + b"\x00\x00" + body


def _text(frame_id: str, text: str) -> bytes:
    return _frame(frame_id, b"\x03" + text.encode("utf-8"))  # 3: UTF-8


def tag(title: str, artist: str, chapters: Sequence[Chapter]) -> bytes:
    """An ID3v2.4 tag with the title, artist, a table of contents and one CHAP frame per chapter."""
    ids = [f"ch{k}".encode("ascii") for k in range(len(chapters))]
    frames = [_text("TIT2", title), _text("TPE1", artist)]
    toc = b"toc\x00" + bytes([0x03, len(chapters)]) + b"".join(i + b"\x00" for i in ids)  # top level, ordered
    frames.append(_frame("CTOC", toc + _text("TIT2", "Chapters")))
    for chapter_id, chapter in zip(ids, chapters, strict=True):
        times = b"".join(v.to_bytes(4, "big") for v in (chapter.start_ms, chapter.end_ms, NO_OFFSET, NO_OFFSET))
        frames.append(_frame("CHAP", chapter_id + b"\x00" + times + _text("TIT2", chapter.title)))
    body = b"".join(frames)
    return b"ID3\x04\x00\x00" + _syncsafe(len(body)) + body
