"""Settings from environment variables, read in this one place, each with a safe default."""
from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from skill.errors import ConfigError
from skill.practice.segment import MODES
from skill.practice.speech import Pace

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent  # the checkout (or the Lambda bundle): sequences/ and data/ sit beside skill/
# An installed wheel carries the classes inside the package (pyproject.toml maps sequences/ to skill/sequences) and
# has no checkout to keep state or write files in: its data dir is the user's, and it writes into the current folder.
INSTALLED = (PACKAGE / "sequences").is_dir()
SEQUENCES = PACKAGE / "sequences" if INSTALLED else ROOT / "sequences"
DATA_DIR = (Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "gentle-yoga" if INSTALLED
            else ROOT / "data")
WORKSPACE = Path() if INSTALLED else ROOT  # where `check` and `model` write by default
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # the same under `serve` and gunicorn

# name: (meaning, default); the README's settings table is checked against this.
SETTINGS = {
    "GENTLE_YOGA_SEQUENCES": ("folder of class files and poses.yaml", str(SEQUENCES)),
    "GENTLE_YOGA_DATA_DIR": ("where state is kept: the SQLite store, the id secret, the terminal's place, the "
                             "rendered audio (audio/) and the classes' parsed values (cache/yaml/, read again while "
                             "the files are unchanged)", str(DATA_DIR)),
    "GENTLE_YOGA_WPM": ("speaking rate used to time speech, words a minute", "140"),
    "GENTLE_YOGA_FLOW_SECONDS": ("flow mode: most seconds of class in one response", "240"),
    "GENTLE_YOGA_FLOW_CHARS": ("flow mode: most SSML characters of steps in one response", "6000"),
    "GENTLE_YOGA_MODE": ("flow (hands-free) or step (one step per response)", "flow"),
    "GENTLE_YOGA_SKILL_ID": ("the skill id requests must carry (amzn1.ask.skill.…); empty accepts any", ""),
    "GENTLE_YOGA_VERIFY": ("check Alexa's request signatures: on, or off for local testing only", "on"),
    "GENTLE_YOGA_STORE": ("where practice state lives: sqlite (a file in the data dir), sqlite:///PATH, "
                          "redis://HOST:PORT/DB, dynamodb://TABLE or memory", "sqlite"),
    "GENTLE_YOGA_KEEP_DAYS": ("days a practice record is kept after its last use; then it is forgotten", "180"),
    "GENTLE_YOGA_ID_SECRET": ("secret for hashing user ids; empty keeps a random one in the data dir", ""),
    "GENTLE_YOGA_CERT_ROOTS": ("PEM file of trusted roots for request signatures; empty uses certifi's", ""),
    "GENTLE_YOGA_VOICE": ("the voice classes are rendered in: local[:ENGINE[:VOICE]] (Festival by default), "
                          "polly:NAME (Amazon Polly, neural) or off", "local"),
    "GENTLE_YOGA_CHIMES": ("a soft chime at the start, at each switch of sides and around the final rest: on or off",
                           "on"),
    "GENTLE_YOGA_PUBLIC_URL": ("the https:// address this app is reached at (or the S3/CDN base of its audio on "
                               "Lambda): Alexa fetches the class's audio and Echo Show screens the pose drawings "
                               "from it; empty serves both to the browser player only", ""),
    "GENTLE_YOGA_PLAYER": ("auto: play the class on a device's audio player when it has one and the audio is "
                           "ready and public; speech: always speak it in SSML", "auto"),
    "GENTLE_YOGA_AUDIO_CACHE": ("where rendered clips are kept: a folder, or s3://BUCKET/PREFIX on Lambda; empty "
                                "is audio/ in the data dir", ""),
}
ON_OFF = ("on", "off")
VERIFY_CHOICES = ("on", "off")
_PUBLIC_URL = re.compile(r"^https://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~/-]*)?$")
MAX_KEEP_DAYS = 3650  # ten years; a record kept longer than that is hardly "idle"


@dataclass(frozen=True)
class Settings:
    sequences: Path
    data_dir: Path
    pace: Pace = field(default_factory=Pace)
    skill_id: str = ""
    verify: bool = True
    store: str = "sqlite"
    id_secret: str = ""
    cert_roots: Path | None = None
    keep_days: int = 180
    voice: str = "off"  # the environment's default is local; a Settings made in code renders nothing unasked
    chimes: bool = True
    public_url: str = ""
    audio_cache: str = ""
    player: str = "auto"

    @property
    def audio_cache_location(self) -> str:
        """GENTLE_YOGA_AUDIO_CACHE, or the data dir's audio/ folder."""
        return self.audio_cache or str(self.data_dir / "audio")

    @property
    def keep_seconds(self) -> int:
        """GENTLE_YOGA_KEEP_DAYS in the seconds the stores count in."""
        return self.keep_days * 24 * 3600

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = _Env(os.environ if environ is None else environ)
        mode = env.choice("GENTLE_YOGA_MODE", MODES, f"one of {', '.join(MODES)}", lower=False)
        pace = Pace(wpm=env.number("GENTLE_YOGA_WPM", 60, 300), chimes=env.get("GENTLE_YOGA_CHIMES").lower() != "off",
                    flow_seconds=env.number("GENTLE_YOGA_FLOW_SECONDS", 30, 600),
                    flow_chars=env.number("GENTLE_YOGA_FLOW_CHARS", 1000, 6500), mode=mode)
        verify = env.choice("GENTLE_YOGA_VERIFY", VERIFY_CHOICES, "on or off")
        skill_id = env.get("GENTLE_YOGA_SKILL_ID")
        if skill_id and not skill_id.startswith("amzn1."):
            raise ConfigError(f"GENTLE_YOGA_SKILL_ID is {skill_id!r}; a skill id looks like amzn1.ask.skill.…")
        roots = env.get("GENTLE_YOGA_CERT_ROOTS")
        keep_days = env.number("GENTLE_YOGA_KEEP_DAYS", 1, MAX_KEEP_DAYS)
        chimes = env.choice("GENTLE_YOGA_CHIMES", ON_OFF, "on or off")
        public_url = env.get("GENTLE_YOGA_PUBLIC_URL").rstrip("/")
        if public_url and not _PUBLIC_URL.match(public_url):
            raise ConfigError(f"GENTLE_YOGA_PUBLIC_URL is {public_url!r}; it should be the https:// address the "
                              "app is reached at, such as https://yoga.example.com (Alexa fetches over https only)")
        player = env.choice("GENTLE_YOGA_PLAYER", ("auto", "speech"), "auto or speech")
        voice = env.get("GENTLE_YOGA_VOICE")
        if voice.split(":", 1)[0].lower() not in ("local", "polly", "off", ""):
            raise ConfigError(f"GENTLE_YOGA_VOICE is {voice!r}; use local, local:ENGINE[:VOICE], polly:NAME or off")
        return cls(sequences=Path(env.get("GENTLE_YOGA_SEQUENCES")), data_dir=Path(env.get("GENTLE_YOGA_DATA_DIR")),
                   pace=pace, skill_id=skill_id, verify=verify == "on", store=env.get("GENTLE_YOGA_STORE"),
                   id_secret=env.get("GENTLE_YOGA_ID_SECRET"), cert_roots=Path(roots) if roots else None,
                   keep_days=keep_days, voice=voice or "off", chimes=chimes == "on", public_url=public_url,
                   audio_cache=env.get("GENTLE_YOGA_AUDIO_CACHE"), player=player)


@dataclass(frozen=True)
class _Env:
    """The environment's settings read with their defaults (SETTINGS), each bad value a ConfigError sentence."""

    environ: Mapping[str, str]

    def get(self, name: str) -> str:
        return self.environ.get(name, SETTINGS[name][1]).strip()

    def number(self, name: str, low: int, high: int) -> int:
        raw = self.get(name)
        if not raw.isdecimal() or not low <= int(raw) <= high:  # isdigit() would pass '²', which int() refuses
            raise ConfigError(f"{name} is {raw!r}; it should be a whole number from {low} to {high}")
        return int(raw)

    def choice(self, name: str, allowed: Collection[str], said: str, lower: bool = True) -> str:
        value = self.get(name).lower() if lower else self.get(name)
        if value not in allowed:
            raise ConfigError(f"{name} is {value!r}; it should be {said}")
        return value
