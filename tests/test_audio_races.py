"""'Alexa, pause' on a speaker that plays the class: the PauseIntent and the device's PlaybackStopped arrive at once.

On a real Echo both come from one utterance: the device stops its audio and reports PlaybackStopped (token and
offset), while Alexa sends the PauseIntent with the same token and offset in its context. They reach the skill
together, through gunicorn on two worker processes (a real SQLite file, a real redis-server), and through one app
on two threads on DynamoDB (moto's `mock_aws`, in process: AWS cannot be reached from here). Whichever lands
first, the place must be kept: paused at the step that played, at the millisecond the device reported, and
"Alexa, resume" must play that step from that millisecond.

The speaker is tests/device.py, driven only by the directives the skill returns, with every stream fetched from
the server to learn its length. Run with -s to see the rounds and how they fell out.
"""
from __future__ import annotations

import http.client
import random
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

import pytest
from alexa import SKILL_ID, START, USER, Reply, intent
from conftest import SEQUENCES
from device import Device
from gunicorn_server import Gunicorn, server_env
from racing import Device as Connection
from racing import pin_apart

from skill.practice.state import Phase, State, from_dict
from skill.stores import open_store

pytestmark = [pytest.mark.audio, pytest.mark.gunicorn, pytest.mark.redis]

PUBLIC = "https://yoga.example.test"
CLASS = ("low back release", "low_back_release")
ROUNDS = 200  # per store, at most
SECONDS = 60  # per store, at most: the rounds stop when it is up
AT_LEAST = 25  # rounds each store must have run for its figures to mean anything
# Alexa's context for the PauseIntent may show the player still playing, or already paused or stopped there.
ACTIVITIES = ("PLAYING", "PAUSED", "STOPPED")
RESUME_WITHIN = 240  # seconds after the pause that the resume is said: a short break, so exactly where it was

Post = Callable[[dict[str, Any]], Reply]


def where(token: str) -> str:
    return token.rsplit(":", 1)[1]


@dataclass
class Tally:
    rounds: int = 0
    first: Counter = field(default_factory=Counter)  # which request's save the other found: pause or stopped
    lost: list[str] = field(default_factory=list)  # rounds whose record was not paused at the reported place
    resumed_elsewhere: list[str] = field(default_factory=list)  # rounds whose resume played another place
    answered_stopped: list[str] = field(default_factory=list)  # rounds whose PlaybackStopped got an answer
    other_process: int = 0
    activities: Counter = field(default_factory=Counter)  # the player's activity the PauseIntents reported

    def summary(self) -> str:
        order = ", ".join(f"{name} first {count}" for name, count in sorted(self.first.items()))
        order += "; the pause's context " + ", ".join(f"{name} {count}" for name, count in
                                                      sorted(self.activities.items()))
        return (f"{self.rounds} rounds ({order}); places lost: {len(self.lost)}, resumed elsewhere: "
                f"{len(self.resumed_elsewhere)}, PlaybackStopped answered: {len(self.answered_stopped)}"
                + (f"; answered by two processes: {self.other_process}" if self.other_process else ""))


class PauseRace:
    """A speaker playing a class, and rounds of 'Alexa, pause' whose two requests race from two connections."""

    def __init__(self, device: Device, post_b: Post, read: Callable[[], dict[str, Any] | None], seed: int = 12):
        self.device, self.post_a, self.post_b, self.read = device, device.post, post_b, read
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.barrier = threading.Barrier(2)
        self.pool = ThreadPoolExecutor(2, thread_name_prefix="pause-race")
        self.sessions = 0

    def close(self) -> None:
        self.pool.shutdown()

    def run(self, before: Callable[[], object] = lambda: None, apart: Callable[[], bool] = lambda: False) -> None:
        """Rounds until ROUNDS have run or SECONDS have passed: before() readies each, apart() says whether two
        processes answered it."""
        stop_at = time.monotonic() + SECONDS
        while self.tally.rounds < ROUNDS and time.monotonic() < stop_at:
            before()
            self.race()
            self.tally.other_process += apart()

    def playing_a_step(self) -> tuple[str, int]:
        """Let the class play on to a random moment at least a second into a step; the token and offset there."""
        device = self.device
        device.run(self.rng.uniform(3, 120))
        while device.playing is None or where(device.playing.token) in ("setup", "closing") \
                or device.offset_ms() < 1000:
            if device.playing is None:  # the class has finished (or never began): start it again
                device.say("StartClassIntent", practice=CLASS)
            device.run(self.rng.uniform(1, 20))
        return device.playing.token, device.offset_ms()

    def bodies(self, token: str, offset: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """What one 'Alexa, pause' sends: the intent (its context at the token and offset, the player playing,
        paused or stopped) and the device's PlaybackStopped (the same token and offset); the device has stopped
        and forgotten its queue."""
        device = self.device
        self.sessions += 1
        activity = self.rng.choice(ACTIVITIES)  # what the intent's context says the player is doing
        self.tally.activities[activity] += 1
        if activity != "PLAYING":
            device.playing, device.activity, device.paused_at = None, activity, (token, offset)
        pause = device.context(intent("AMAZON.PauseIntent", device.now, user=device.user, new=True,
                                      session=f"pause-race-{self.sessions}"))
        device.playing, device.activity, device.paused_at = None, "STOPPED", (token, offset)
        device.queue.clear()
        stopped = device.player_body("PlaybackStopped", token, offset)
        return pause, stopped

    def race(self) -> None:
        token, offset = self.playing_a_step()
        step = int(where(token))
        pause, stopped = self.bodies(token, offset)
        swap = self.rng.random() < 0.5  # which connection (and worker) gets which request

        def go(post: Post, body: dict[str, Any]) -> Reply:
            self.barrier.wait(timeout=30)
            return post(body)

        posts = (self.post_b, self.post_a) if swap else (self.post_a, self.post_b)
        futures = [self.pool.submit(go, posts[0], pause), self.pool.submit(go, posts[1], stopped)]
        paused, reported = (future.result(timeout=60) for future in futures)
        self.tally.rounds += 1
        label = f"round {self.tally.rounds} (step {step}, {offset} ms)"
        assert paused.status == reported.status == 200, (paused, reported)
        if reported.response:  # Alexa takes no answer to PlaybackStopped
            kinds = sorted(d["type"] for d in reported.response.get("directives", []))
            self.tally.answered_stopped.append(f"{label}: {kinds}")
        sent = {d["type"] for d in paused.response.get("directives", [])}
        self.tally.first["pause" if "AudioPlayer.Stop" in sent else "stopped"] += 1
        state = self.stored()
        if state.phase is not Phase.PAUSED or state.position != step or round(state.offset * 1000) != offset:
            self.tally.lost.append(f"{label}: {state.phase.value} at step {state.position}, "
                                   f"{round(state.offset * 1000)} ms")
        self.device.now += self.rng.uniform(2, RESUME_WITHIN)
        plays = [d for d in self.device.say("AMAZON.ResumeIntent").response.get("directives", [])
                 if d["type"] == "AudioPlayer.Play"]
        stream = plays[0]["audioItem"]["stream"] if plays else {}
        if not plays or where(stream["token"]) != str(step) or stream["offsetInMilliseconds"] != offset:
            self.tally.resumed_elsewhere.append(f"{label}: {stream.get('token')} at "
                                                f"{stream.get('offsetInMilliseconds')} ms")

    def stored(self) -> State:
        record = self.read()
        assert record, "the record is gone"
        return from_dict(record)


def fetcher(port: int) -> Callable[[str], bytes]:
    """GET a stream from the server, as the device does to learn its length."""
    def fetch(path: str) -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path)
            answer = conn.getresponse()
            data = answer.read()
            assert answer.status == 200, (path, answer.status)
            return data
        finally:
            conn.close()
    return fetch


def audio_ready(connection: Connection, probe: str) -> bool:
    """Whether the worker holding this connection serves the class's audio yet (it prepares in the background)."""
    assert connection.conn is not None
    connection.conn.request("HEAD", f"/audio/{probe}")
    answer = connection.conn.getresponse()
    answer.read()
    return answer.status == 200


def wait_for_audio(a: Connection, b: Connection, probe: str, timeout: float = 120) -> None:
    """Hold a connection to each worker, and wait until both serve the audio."""
    deadline = time.monotonic() + timeout
    while True:
        pin_apart(a, b)
        if audio_ready(a, probe) and audio_ready(b, probe):
            return
        assert time.monotonic() < deadline, f"the workers' audio was not ready within {timeout} s"
        time.sleep(0.2)


def two_processes(a: Connection, b: Connection) -> bool:
    """Whether two different worker processes hold the two connections."""
    workers = a.worker(), b.worker()
    return None not in workers and workers[0] != workers[1]


def report(where_: str, tally: Tally, record_property) -> None:
    record_property(f"pause races {where_}", tally.summary())
    print(f"\n{where_}: {tally.summary()}")


def check(tally: Tally) -> None:
    assert tally.lost == [], tally.lost[:5]
    assert tally.resumed_elsewhere == [], tally.resumed_elsewhere[:5]
    assert tally.answered_stopped == [], tally.answered_stopped[:5]
    assert tally.rounds >= AT_LEAST, f"only {tally.rounds} rounds ran in {SECONDS} s"


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_pause_and_playback_stopped_across_two_gunicorn_workers_lose_no_place(kind, rendered, library, audio_cache,
                                                                             tmp_path, request, record_property):
    """Through gunicorn with the class's audio, the two requests of every round answered by two worker processes:
    the record is paused at the reported step and millisecond, and the resume plays from there."""
    secret = secrets.token_hex(32)
    spec = f"sqlite:///{tmp_path / 'races.sqlite3'}" if kind == "sqlite" else request.getfixturevalue("redis_url")
    env = server_env(spec, tmp_path / "data", secret, SKILL_ID, workers=2)
    env.update(GENTLE_YOGA_VOICE="local", GENTLE_YOGA_AUDIO_CACHE=str(audio_cache), GENTLE_YOGA_PUBLIC_URL=PUBLIC)
    store = open_store(spec, tmp_path / "data", secret)
    probe = rendered.closing_ref(library.get(CLASS[1])).name  # the same name in every worker: the same cache
    try:
        with Gunicorn(env, tmp_path / "gunicorn") as server, closing(Connection(server)) as a, \
                closing(Connection(server)) as b:
            wait_for_audio(a, b, probe)
            device = Device(post=a.post, fetch=fetcher(server.port), user=USER, now=START, public_url=PUBLIC)
            with closing(PauseRace(device, b.post, lambda: store.load(store.user_key(USER)))) as racer:
                racer.run(before=lambda: pin_apart(a, b), apart=lambda: two_processes(a, b))
            log = server.log_text()
    finally:
        store.close()
    report(f"{kind}, two gunicorn workers", racer.tally, record_property)
    check(racer.tally)
    assert racer.tally.other_process == racer.tally.rounds
    assert "Traceback" not in log and "error answering a request" not in log


def test_pause_and_playback_stopped_on_dynamodb_lose_no_place(rendered, library, tmp_path, monkeypatch,
                                                             record_property):
    """The same race through one app on two threads, on DynamoDB (moto's mock_aws in process, as AWS cannot be
    reached from here): the conditional save makes the later request read again, and no place is lost."""
    from moto import mock_aws
    from test_dynamodb import fake_aws_environment

    from skill.config import Settings
    from skill.stores.dynamodb import DynamoDBStore, create_table
    from skill.web.app import create_app

    fake_aws_environment(monkeypatch, tmp_path)
    with mock_aws():
        create_table("gentle-yoga-races")
        store = DynamoDBStore("gentle-yoga-races", secrets.token_bytes(32))
        settings = Settings(sequences=SEQUENCES,
                            data_dir=tmp_path / "data", verify=False, skill_id=SKILL_ID, public_url=PUBLIC)
        rendered.public_url = PUBLIC
        app = create_app(settings, library=library, store=store, audio=rendered)

        def poster() -> Post:
            client = app.test_client()

            def post(body: dict[str, Any]) -> Reply:
                answer = client.post("/alexa", json=body)
                return Reply(answer.status_code, answer.get_json(silent=True) or {})
            return post

        client = app.test_client()
        device = Device(post=poster(), fetch=lambda path: client.get(path).data, user=USER, now=START,
                        public_url=PUBLIC)
        racer = PauseRace(device, poster(), lambda: store.load(store.user_key(USER)))
        with closing(racer):
            racer.run()
    report("dynamodb (moto), threads in one process", racer.tally, record_property)
    check(racer.tally)
