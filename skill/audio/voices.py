"""Voices: text in, 16-bit mono PCM out. Amazon Polly (neural) for production, a local engine everywhere else.

A voice's `key` names everything that changes its sound (engine and its version, voice, rate), so a clip cached
under it is the clip that voice would render again.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from skill.audio.lexicon import for_polly, respell
from skill.errors import AudioError, ConfigError
from skill.practice.ssml import escape

RENDER_TIMEOUT = 60  # seconds one clip may take before the engine is thought stuck


class Voice(Protocol):
    key: str  # part of every clip's cache key
    label: str  # for people: which voice this is
    neural: bool  # sounds better than a browser's own voice

    def pcm(self, text: str) -> tuple[bytes, int]:
        """text spoken: 16-bit mono PCM and its sample rate."""
        ...

    def at_rate(self, rate: float) -> Voice:
        """The same voice, speaking rate times faster (0.8 is slower)."""
        ...


def _wav_pcm(data: bytes, source: str) -> tuple[bytes, int]:
    """PCM and rate from a WAV file's bytes, which must be 16-bit mono."""
    try:
        with wave.open(io.BytesIO(data)) as wav:
            if wav.getsampwidth() != 2 or wav.getnchannels() != 1:
                raise AudioError(f"{source} gave {wav.getnchannels()} channel(s) of {8 * wav.getsampwidth()}-bit "
                                 "audio; expected 16-bit mono")
            return wav.readframes(wav.getnframes()), wav.getframerate()
    except (wave.Error, EOFError) as exc:
        raise AudioError(f"{source} gave audio that is not a WAV file: {exc}") from None


@dataclass(frozen=True)
class Engine:
    """A local speech engine from Debian's packages, run as a command that writes a WAV file."""

    name: str
    program: str
    package: str  # the Debian package that brings it
    voices: tuple[str, ...]  # the first is the default
    neural: bool = False

    def argv(self, voice: str, text: str, out: Path, rate: float) -> list[str]:
        if self.name == "espeak-ng":  # words a minute; 150 is calm for espeak's voices
            return [self.program, "-v", voice, "-s", str(round(150 * rate)), "-w", str(out), "--", text]
        if self.name == "flite":  # a longer stretch is slower speech
            return [self.program, "-voice", voice, "--setf", f"duration_stretch={1.1 / rate:.3f}",
                    "-t", text, "-o", str(out)]
        raise AssertionError(self.name)  # pragma: no cover - every engine in ENGINES has its arguments

    def version(self) -> str:
        flag = "--version" if self.name == "espeak-ng" else "-version"
        try:
            done = subprocess.run([self.program, flag], capture_output=True, text=True, timeout=10, check=False)
        except OSError:
            return "unknown"
        return " ".join((done.stdout or done.stderr).split()[:6]) or "unknown"


ENGINES = {
    "espeak-ng": Engine("espeak-ng", "espeak-ng", "espeak-ng", ("en-us", "en-gb", "en-us+f3")),
    "flite": Engine("flite", "flite", "flite", ("slt", "rms", "awb", "kal")),
}
DEFAULT_ENGINE = "espeak-ng"


@dataclass(frozen=True)
class LocalVoice:
    """A voice from a local engine, rendered through a temporary WAV file."""

    engine: Engine
    voice: str
    rate: float = 1.0
    engine_version: str = "unknown"
    neural: bool = False

    @property
    def key(self) -> str:
        return f"local:{self.engine.name}:{self.voice}:{self.rate:.2f}:{self.engine_version}"

    @property
    def label(self) -> str:
        return f"{self.engine.name} {self.voice} (local, {self.engine_version})"

    def at_rate(self, rate: float) -> LocalVoice:
        return replace(self, rate=rate)

    def pcm(self, text: str) -> tuple[bytes, int]:
        with tempfile.TemporaryDirectory(prefix="gentle-yoga-voice-") as folder:
            out = Path(folder) / "clip.wav"
            argv = self.engine.argv(self.voice, respell(text), out, self.rate)
            try:
                done = subprocess.run(argv, capture_output=True, timeout=RENDER_TIMEOUT, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise AudioError(f"{self.engine.name} could not speak: {exc}") from None
            if done.returncode != 0 or not out.exists():
                why = done.stderr.decode(errors="replace").strip()[:200] or f"exit {done.returncode}"
                raise AudioError(f"{self.engine.name} could not speak: {why}")
            return _wav_pcm(out.read_bytes(), self.engine.name)


POLLY_RATE = 16_000  # Polly's highest PCM rate; LAME takes it up to the product's 24 kHz
POLLY_DEFAULT = "Joanna"
POLLY_PACE = 0.9  # a calm class: Polly's neural voices are brisk at 100 %


@dataclass(frozen=True)
class PollyVoice:
    """An Amazon Polly neural voice: SSML in, PCM out. The client is made on first use (boto3 loads slowly)."""

    voice: str = POLLY_DEFAULT
    rate: float = 1.0
    region: str | None = None
    neural: bool = True
    _client: list[Any] = field(default_factory=list, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"polly:neural:{self.voice}:{self.rate:.2f}:v1"

    @property
    def label(self) -> str:
        return f"Amazon Polly {self.voice} (neural)"

    def at_rate(self, rate: float) -> PollyVoice:
        return replace(self, rate=rate, _client=self._client)

    def ssml(self, text: str) -> str:
        percent = round(POLLY_PACE * self.rate * 100)
        return f'<speak><prosody rate="{percent}%">{for_polly(escape(text))}</prosody></speak>'

    def client(self) -> Any:
        if not self._client:
            import boto3  # only Polly hosts need it

            self._client.append(boto3.client("polly", region_name=self.region))
        return self._client[0]

    def pcm(self, text: str) -> tuple[bytes, int]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self.client().synthesize_speech(
                Engine="neural", OutputFormat="pcm", SampleRate=str(POLLY_RATE), TextType="ssml",
                Text=self.ssml(text), VoiceId=self.voice)
            data = answer["AudioStream"].read()
        except (BotoCoreError, ClientError) as exc:
            raise AudioError(f"Amazon Polly could not speak: {exc}") from None
        return data, POLLY_RATE


OFF = "off"


def from_setting(setting: str) -> tuple[Voice | None, str]:
    """The voice GENTLE_YOGA_VOICE names, or None, with a sentence saying which voice it is or why there is none.

    `off`: no voice. `local` or `local:ENGINE[:VOICE]`: a local engine, when it is installed. `polly:NAME`: an
    Amazon Polly neural voice (its credentials are only tried when the first clip is rendered). ConfigError for
    a setting that names nothing we know.
    """
    kind, _, rest = setting.strip().partition(":")
    kind = kind.lower()
    if kind in ("", OFF):
        return None, "no voice (GENTLE_YOGA_VOICE=off): classes are spoken by Alexa, timed by estimate"
    if kind == "polly":
        voice = PollyVoice(rest or POLLY_DEFAULT)
        return voice, f"{voice.label}; clips are rendered once and cached"
    if kind != "local":
        raise ConfigError(f"GENTLE_YOGA_VOICE is {setting!r}; use polly:NAME, local, local:ENGINE[:VOICE] or off")
    engine_name, _, voice_name = rest.partition(":")
    engine = ENGINES.get(engine_name or DEFAULT_ENGINE)
    if engine is None:
        raise ConfigError(f"GENTLE_YOGA_VOICE names the engine {engine_name!r}; the local engines are "
                          f"{', '.join(ENGINES)}")
    if voice_name and voice_name not in engine.voices:
        raise ConfigError(f"GENTLE_YOGA_VOICE names the voice {voice_name!r}; {engine.name} has "
                          f"{', '.join(engine.voices)}")
    if shutil.which(engine.program) is None:
        return None, (f"no voice: {engine.name} is not installed (apt-get install {engine.package}), so classes "
                      "are spoken by Alexa, timed by estimate")
    local = LocalVoice(engine, voice_name or engine.voices[0], engine_version=engine.version())
    return local, f"{local.label}; clips are rendered once and cached"
