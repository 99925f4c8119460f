"""A soft bell, made in code: decaying partials like a small singing bowl, so no sound file is ever downloaded."""
from __future__ import annotations

import array
import math

from skill.audio.mp3 import RATE

VERSION = "bowl-1"  # part of the chime's cache key: change it when the sound changes
SECONDS = 2.5
# (frequency ratio to the fundamental, relative level, seconds to fall by 1/e): a bowl's inharmonic modes, the
# higher ones quieter and quicker to fade.
PARTIALS = ((1.0, 1.0, 1.0), (2.76, 0.45, 0.6), (5.40, 0.22, 0.35), (8.93, 0.10, 0.2))
FUNDAMENTAL = 528.0  # Hz
BEAT = 1.8  # Hz between the two halves of each partial: the slow shimmer of a real bowl
PEAK = 0.3  # of full scale: a soft bell, well below speech
ATTACK = 0.006  # seconds: struck, not clicked


def bowl(rate: int = RATE, seconds: float = SECONDS) -> bytes:
    """The chime as 16-bit mono PCM at rate."""
    count = int(rate * seconds)
    fade_from = count - int(rate * 0.25)  # the last quarter second fades to true silence
    samples = array.array("h", bytes(2 * count))
    total = sum(level for _, level, _ in PARTIALS)
    for n in range(count):
        t = n / rate
        value = 0.0
        for ratio, level, decay in PARTIALS:
            f = FUNDAMENTAL * ratio
            value += level * math.exp(-t / decay) * 0.5 * (
                math.sin(2 * math.pi * f * t) + math.sin(2 * math.pi * (f + BEAT) * t))
        value *= min(t / ATTACK, 1.0) * PEAK / total
        if n > fade_from:
            value *= (count - n) / (count - fade_from)
        samples[n] = int(max(-1.0, min(1.0, value)) * 32767)
    return samples.tobytes()
