"""MP3 as the product plays it: one fixed format, frames counted exactly, silence made without an encoder.

Every clip, silence and stream is MPEG-2 Layer III, 24 kHz, mono, 48 kbps constant bit rate. That one format is
taken both by SSML <audio> (48 kbps at 24 kHz) and by Alexa's AudioPlayer (16–384 kbps), and it plays in every
browser. Each frame holds 576 samples, 24 ms, and is 144 bytes long (145 with its padding bit), so a stream's
length is its number of frames times 24 ms: measured from the bytes, never estimated.

Clips are encoded one by one, each starting with an empty bit reservoir, so their frames can be laid end to end.
A silent frame is built here bit by bit (header plus all-zero side information), so any silence is a run of the
same 144 bytes, with no encoder and no reservoir to disturb.
"""
from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass

from skill.errors import AudioError

RATE = 24_000  # samples a second
KBPS = 48
SAMPLES_PER_FRAME = 576  # MPEG-2 Layer III
FRAME_SECONDS = SAMPLES_PER_FRAME / RATE  # 0.024
FRAME_BYTES = 72 * KBPS * 1000 // RATE  # 144; a padded frame has one byte more
MIME = "audio/mpeg"

# The fixed header, big-endian: sync (11 bits), MPEG-2 (10), Layer III (01), no CRC (1), 48 kbps (0110),
# 24 kHz (01), padding (0), private (0), mono (11), mode extension (00), no copyright, original, no emphasis.
_HEADER = 0xFFF3_6000 | (0b01 << 10) | (0b11 << 6) | (1 << 2)  # 0xFFF364C4, as LAME writes it
_PADDING_BIT = 1 << 9
_FIXED_MASK = 0xFFFF_FCC0  # everything but padding, private bit, mode extension, copyright, original, emphasis
_SIDE_INFO_BYTES = 9  # MPEG-2 mono


def silent_frame() -> bytes:
    """One frame of digital silence: header, then side information and main data all zero."""
    return _HEADER.to_bytes(4, "big") + bytes(FRAME_BYTES - 4)


_SILENT = silent_frame()


def silence(frames: int) -> bytes:
    """frames × 24 ms of silence."""
    return _SILENT * max(frames, 0)


def frames_for(seconds: float) -> int:
    """The nearest whole number of frames to seconds."""
    return max(round(seconds / FRAME_SECONDS), 0)


@dataclass(frozen=True)
class Clip:
    """Encoded audio of whole frames in the product's format; its length is exact."""

    data: bytes
    frames: int

    @property
    def seconds(self) -> float:
        return self.frames * FRAME_SECONDS

    @property
    def etag(self) -> str:
        """A strong validator: the same bytes, the same tag."""
        return hashlib.sha256(self.data).hexdigest()[:32]

    @classmethod
    def parse(cls, data: bytes) -> Clip:
        """data as a clip, after checking that it is nothing but whole frames of our format."""
        return cls(data, count_frames(data))


def count_frames(data: bytes) -> int:
    """How many frames data holds; AudioError unless it is whole frames of our one format and nothing else."""
    if not data:
        raise AudioError("no audio: the data is empty")
    at, frames, size = 0, 0, len(data)
    while at < size:
        if at + 4 > size:
            raise AudioError(f"audio cut short: {size - at} stray bytes after frame {frames}")
        header = int.from_bytes(data[at:at + 4], "big")
        if header & _FIXED_MASK != _HEADER & _FIXED_MASK:
            raise AudioError(f"not an MP3 frame of 24 kHz mono 48 kbps at byte {at} (frame {frames})")
        length = FRAME_BYTES + (1 if header & _PADDING_BIT else 0)
        if at + length > size:
            raise AudioError(f"audio cut short: frame {frames} needs {length} bytes, {size - at} are left")
        at += length
        frames += 1
    return frames


NO_ENCODER = "the MP3 encoder is not installed (pip install 'gentle-yoga[audio]', which brings lameenc)"


def has_encoder() -> bool:
    """Whether lameenc, the audio extra, is installed: a host that renders clips needs it."""
    return importlib.util.find_spec("lameenc") is not None


def encode(pcm: bytes, rate: int) -> Clip:
    """16-bit mono PCM at rate, encoded (and resampled by LAME when rate is not 24 kHz) as one clip."""
    try:
        import lameenc  # only rendering needs the encoder: the optional audio extra
    except ModuleNotFoundError:
        raise AudioError(f"cannot encode audio: {NO_ENCODER}") from None

    if not pcm:
        raise AudioError("nothing to encode: the voice gave no audio")
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(KBPS)
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)  # LAME's high-quality setting; a clip is encoded once, ever
    data = bytes(encoder.encode(pcm) + encoder.flush())
    return Clip.parse(data)
