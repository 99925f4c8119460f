"""The class as audio: how fast each local voice renders, how fast a class assembles, its size, and how soon a
speaker hears the first byte after "start", each beside a baseline measured in the same run.

Run with `python benchmarks/audio.py --texts 30`. Rendering starts from an empty cache (cold); assembly and the
first byte use a warm one (the cache the render filled). The baselines: real time for rendering (1× is as slow
as speaking), joining the very same bytes for assembly, 48 kbps for size, and a plain spoken answer for the
first byte.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import common
from alexa import SKILL_ID, USER, envelope, intent
from request import LIBRARY

from skill.audio import mp3
from skill.audio.assemble import Audio, class_texts
from skill.audio.clips import ClipCache, DiskBackend
from skill.audio.host import AudioHost
from skill.audio.voices import from_setting
from skill.config import Settings
from skill.practice import cues
from skill.practice.model import Practice
from skill.practice.plan import Plan, active, announces, for_minutes
from skill.practice.speech import Pace
from skill.stores.memory import MemoryStore
from skill.web.app import create_app

CLASS = "low_back_release"
PUBLIC = "https://yoga.example.test"


def render_speed(setting: str, texts: list[str], folder: Path) -> list[str] | None:
    voice, why = from_setting(setting)
    if voice is None:
        common.progress(f"  {setting}: {why}")
        return None
    audio = Audio(voice, ClipCache(DiskBackend(folder / setting.replace(":", "-"))))
    began = time.perf_counter()
    clips = audio.clips(texts)
    wall = time.perf_counter() - began
    spoken = sum(c.seconds for c in clips.values())
    return [voice.label, str(len(texts)), f"{spoken:.1f}", f"{wall:.2f}", f"{spoken / wall:.1f}×", "1.0×"]


def low_back_release() -> Practice:
    practice = LIBRARY.get(CLASS)
    assert practice is not None, f"{CLASS} is one of the classes in sequences/"
    return practice


def assembly(host: AudioHost, plan: Plan, label: str, rounds: int) -> list[str]:
    practice, pace = low_back_release(), host.pace
    assert pace is not None
    parts = [cues.step_speech(practice.steps[i], plan.holds[i], announces(practice, plan, i), pace)
             for i in active(practice, plan)]
    ours, raw = [], []
    for _ in range(rounds):
        began = time.perf_counter()
        streams = [host.audio.assemble(p) for p in parts]
        ours.append(time.perf_counter() - began)
        chunks = [s.data for s in streams]
        began = time.perf_counter()
        b"".join(chunks)
        raw.append(time.perf_counter() - began)
    seconds = sum(s.seconds for s in streams)
    size = sum(len(s.data) for s in streams)
    return [label, str(len(parts)), f"{seconds / 60:.1f}", f"{common.median(ours) * 1000:.1f}",
            f"{common.median(raw) * 1000:.2f}", f"{size / (seconds / 60):,.0f}", f"{mp3.KBPS * 1000 / 8 * 60:,.0f}"]


def first_byte(host: AudioHost, rounds: int, data: Path) -> list[list[str]]:
    """POST 'start low back release' from a speaker with an audio player, then GET the first 4 KB of the stream
    its Play directive names; beside it, a plain launch answered in speech."""
    settings = Settings(sequences=common.ROOT / "sequences", data_dir=data, verify=False, skill_id=SKILL_ID,
                        public_url=PUBLIC)
    client = create_app(settings, library=LIBRARY, store=MemoryStore(), audio=host).test_client()
    now = time.time()
    practice = low_back_release()
    first_step = "/audio/" + host.step_ref(practice, Plan.full(practice), 0).name
    start, step, launch = [], [], []
    for k in range(rounds):
        body = intent("StartClassIntent", now, {"practice": ("low back release", CLASS)},
                      user=f"{USER}{k}", new=True)
        body["context"]["System"]["device"]["supportedInterfaces"]["AudioPlayer"] = {}
        began = time.perf_counter()
        answer = client.post("/alexa", data=json.dumps(body), content_type="application/json").get_json()
        [play] = [d for d in answer["response"]["directives"] if d["type"] == "AudioPlayer.Play"]
        path = play["audioItem"]["stream"]["url"].removeprefix(PUBLIC)
        got = client.get(path, headers={"Range": "bytes=0-4095"})
        start.append(time.perf_counter() - began)
        assert got.status_code == 206 and len(got.data) == 4096
        host._streams.clear()  # the first step's stream, assembled afresh as a device would first ask for it
        began = time.perf_counter()
        got = client.get(first_step, headers={"Range": "bytes=0-4095"})
        step.append(time.perf_counter() - began)
        assert got.status_code == 206
        body = envelope("launch", now, user=f"{USER}{k}", new=True)
        began = time.perf_counter()
        client.post("/alexa", data=json.dumps(body), content_type="application/json")
        launch.append(time.perf_counter() - began)
    return [["start → first audio byte (the setting-up quiet)", f"{common.median(start) * 1000:.1f}",
             f"{common.percentile(start, 0.99) * 1000:.1f}", "≤ 1000"],
            ["first step's stream, assembled on request", f"{common.median(step) * 1000:.1f}",
             f"{common.percentile(step, 0.99) * 1000:.1f}", "≤ 1000"],
            ["launch, answered in speech (baseline)", f"{common.median(launch) * 1000:.1f}",
             f"{common.percentile(launch, 0.99) * 1000:.1f}", ""]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure rendering, assembly, size and time to the first byte "
                                                 "of the classes' audio, each beside its baseline.")
    parser.add_argument("--texts", type=int, default=30, help="texts each voice renders cold (default 30)")
    parser.add_argument("--rounds", type=int, default=20, help="rounds for assembly and first byte (default 20)")
    args = parser.parse_args(argv)
    texts = class_texts(low_back_release(), Pace())[: args.texts]
    with tempfile.TemporaryDirectory(prefix="gentle-yoga-bench-") as folder:
        root = Path(folder)
        common.progress(f"rendering {len(texts)} texts cold with each local voice")
        rows = [row for s in ("local:festival", "local:flite", "local:espeak-ng")
                if (row := render_speed(s, texts, root)) is not None]
        print("Rendering, cold cache (speed as a multiple of real time; the baseline 1.0× is as slow as speech)")
        print(common.table(["voice", "texts", "audio s", "wall s", "speed", "baseline"], rows))
        voice, _ = from_setting("local")
        if voice is None:
            print("(no local voice: assembly and first byte need one)")
            return 0
        host = AudioHost(Audio(voice, ClipCache(DiskBackend(root / "host"))), LIBRARY, Pace(), PUBLIC)
        common.progress("preparing every class in the local voice (cold, once)")
        host.prepare()
        practice = low_back_release()
        assert host.pace is not None, "prepare() measured the voice"
        full, twenty = Plan.full(practice), for_minutes(practice, 20, host.pace)
        print("\nAssembling every step stream of Low Back Release from a warm cache (median of "
              f"{args.rounds}; baseline: joining the same bytes)")
        print(common.table(["plan", "streams", "minutes", "ms", "join ms", "bytes/min", "48 kbps"],
                           [assembly(host, full, "as written", args.rounds),
                            assembly(host, twenty, "twenty minutes", args.rounds)]))
        print(f"\nFrom 'start' to the first audio byte served, warm cache, in process (median and p99 of "
              f"{args.rounds}, ms)")
        print(common.table(["request", "median", "p99", "goal"], first_byte(host, args.rounds, root / "data")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
