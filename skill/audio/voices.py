"""Voices: text in, 16-bit mono PCM out. Amazon Polly (neural) for production, a local engine everywhere else.

A voice's `key` names everything that changes its sound (engine and its version, voice, rate), so a clip cached
under it is the clip that voice would render again.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import wave
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from skill.audio import NO_VOICE, mp3, voice_off
from skill.audio.lexicon import festival_entry, sanskrit_words
from skill.errors import AudioError, ConfigError
from skill.practice.ssml import escape

RENDER_TIMEOUT = 60  # seconds one clip may take before the engine is thought stuck


class Voice(Protocol):
    @property
    def key(self) -> str:
        """Part of every clip's cache key."""
        ...

    @property
    def label(self) -> str:
        """For people: which voice this is."""
        ...

    @property
    def neural(self) -> bool:
        """Whether it sounds better than a browser's own voice."""
        ...

    def render(self, texts: Sequence[str]) -> list[tuple[bytes, int]]:
        """Each text spoken: 16-bit mono PCM and its sample rate, in order."""
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


def plain(text: str) -> str:
    """text in the plain ASCII a local engine reads: typographic quotes and dashes made simple, the rest kept."""
    text = text.translate(_TYPOGRAPHY)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": ", ",
                             "\u2013": ", ", "\u2026": "..."})


def _run(argv: list[str], what: str) -> subprocess.CompletedProcess[bytes]:
    try:
        done = subprocess.run(argv, capture_output=True, timeout=RENDER_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AudioError(f"{what} could not speak: {exc}") from None
    if done.returncode != 0:
        why = done.stderr.decode(errors="replace").strip()[:300] or f"exit {done.returncode}"
        raise AudioError(f"{what} could not speak: {why}")
    return done


def _scheme_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class Engine:
    """A local speech engine from Debian's packages, run as a command that writes WAV files."""

    name: str
    program: str
    packages: str  # the Debian packages that bring it
    voices: tuple[str, ...]  # the first is the default
    license: str

    def batch(self, voice: str, texts: Sequence[str], folder: Path, rate: float) -> list[Path]:
        """Render texts into WAV files in folder, as few processes as the engine allows."""
        outs = [folder / f"{k}.wav" for k in range(len(texts))]
        if self.name == "festival":  # one process for the whole batch: the voice loads once
            script = [FESTIVAL_VOICES[voice], FESTIVAL_RATE.format(rate=FESTIVAL_PACE * rate)]
            script += [festival_entry(w) for w in sorted({w for t in texts for w in sanskrit_words(t)})]
            for text, out in zip(texts, outs, strict=True):
                script.append(f"(utt.save.wave (utt.synth (eval (list 'Utterance 'Text {_scheme_string(text)}))) "
                              f"{_scheme_string(str(out))} 'riff)")
            (folder / "batch.scm").write_text("\n".join(script) + "\n", encoding="ascii")
            _run([self.program, "--batch", str(folder / "batch.scm")], self.name)
            return outs
        for text, out in zip(texts, outs, strict=True):
            if self.name == "flite":  # a longer stretch is slower speech
                _run([self.program, "-voice", voice, "--setf", f"duration_stretch={1.3 / rate:.3f}", "-t", text,
                      "-o", str(out)], self.name)
            else:  # espeak-ng, in words a minute
                _run([self.program, "-v", voice, "-s", str(round(140 * rate)), "-w", str(out), "--", text],
                     self.name)
        return outs

    def version(self) -> str:
        try:
            done = subprocess.run([self.program, "--version"], capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"
        found = re.search(r"\d+(?:\.\d+)+", done.stdout or done.stderr)
        return found.group() if found else "unknown"


FESTIVAL_VOICES = {"slt": "(voice_cmu_us_slt_arctic_hts)", "kal": "(voice_kal_diphone)"}
# hts_engine's speed ratio: 0.8 is about 144 words a minute with slt, a calm teacher's pace.
FESTIVAL_PACE = 0.8
FESTIVAL_RATE = '(set! hts_engine_params (append hts_engine_params (list (list "-r" {rate:.3f}))))'
ENGINES = {
    "festival": Engine("festival", "festival", "festival festvox-us-slt-hts", ("slt", "kal"),
                       "X11-style (Festival, EST); BSD-3 (HTS voice)"),
    "flite": Engine("flite", "flite", "flite", ("slt", "rms", "awb", "kal"), "BSD-style (CMU)"),
    "espeak-ng": Engine("espeak-ng", "espeak-ng", "espeak-ng", ("en-us", "en-gb"), "GPL-3.0 (run as a program)"),
}
DEFAULT_ENGINE = "festival"


@dataclass(frozen=True)
class LocalVoice:
    """A voice from a local engine, rendered through temporary WAV files."""

    engine: Engine
    voice: str
    rate: float = 1.0
    engine_version: str = "unknown"
    neural: bool = False

    @property
    def key(self) -> str:
        return f"local:{self.engine.name}:{self.voice}:{self.rate:.2f}:{self.engine_version}:lexicon-1"

    @property
    def label(self) -> str:
        return f"{self.engine.name} {self.engine_version}, voice {self.voice} (local)"

    def at_rate(self, rate: float) -> LocalVoice:
        return replace(self, rate=rate)

    def render(self, texts: Sequence[str]) -> list[tuple[bytes, int]]:
        if not texts:
            return []
        with tempfile.TemporaryDirectory(prefix="gentle-yoga-voice-") as folder:
            outs = self.engine.batch(self.voice, [plain(t) for t in texts], Path(folder), self.rate)
            missing = [out.name for out in outs if not out.exists()]
            if missing:
                raise AudioError(f"{self.engine.name} wrote no audio for {len(missing)} of {len(outs)} texts")
            return [_wav_pcm(out.read_bytes(), self.engine.name) for out in outs]


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
        return f'<speak><prosody rate="{percent}%">{escape(text)}</prosody></speak>'

    def client(self) -> Any:
        if not self._client:
            try:  # only Polly hosts need it
                import boto3
            except ImportError:
                raise AudioError("Amazon Polly needs the boto3 package: install gentle-yoga[aws]") from None

            self._client.append(boto3.client("polly", region_name=self.region))
        return self._client[0]

    def render(self, texts: Sequence[str]) -> list[tuple[bytes, int]]:
        from botocore.exceptions import BotoCoreError, ClientError

        out = []
        for text in texts:
            try:
                answer = self.client().synthesize_speech(
                    Engine="neural", OutputFormat="pcm", SampleRate=str(POLLY_RATE), TextType="ssml",
                    Text=self.ssml(text), VoiceId=self.voice)
                out.append((answer["AudioStream"].read(), POLLY_RATE))
            except (BotoCoreError, ClientError) as exc:
                raise AudioError(f"Amazon Polly could not speak: {exc}") from None
        return out


def from_setting(setting: str) -> tuple[Voice | None, str]:
    """The voice GENTLE_YOGA_VOICE names, or None, with a sentence saying which voice it is or why there is none.

    `off`: no voice. `local` or `local:ENGINE[:VOICE]`: a local engine, when it is installed. `polly:NAME`: an
    Amazon Polly neural voice (its credentials are only tried when the first clip is rendered). ConfigError for
    a setting that names nothing we know.
    """
    if voice_off(setting):
        return None, NO_VOICE
    kind, _, rest = setting.strip().partition(":")
    kind = kind.lower()
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
    if not mp3.has_encoder():  # a local voice renders here, so it needs the encoder; Lambda's Polly plays from S3
        return None, f"no voice: {mp3.NO_ENCODER}, so classes are spoken by Alexa, timed by estimate"
    if shutil.which(engine.program) is None:
        return None, (f"no voice: {engine.name} is not installed (apt-get install {engine.packages}), so classes "
                      "are spoken by Alexa, timed by estimate")
    local = LocalVoice(engine, voice_name or engine.voices[0], engine_version=engine.version())
    try:
        local.render(["Ready."])
    except AudioError as exc:
        return None, f"no voice: {exc} (apt-get install {engine.packages}); classes are timed by estimate"
    return local, f"{local.label}; clips are rendered once and cached"
