"""Resume another day on every store: a class paused mid-step on the speaker's audio player keeps its offset.

Each store is the real one: a SQLite file, the test run's redis-server, and DynamoDB (moto's `mock_aws`, in
process, as AWS cannot be reached from here). The speaker (tests/device.py) plays the class through the Flask
app from the directives alone and pauses at a random moment; the record the store then holds is read back and
must round-trip exactly, and the skill resumes from it: after a short break at the very millisecond, and a
day later, through a new app on a newly opened store (as after a restart), from the pose's cue.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from alexa import SKILL_ID, START, USER, Reply
from conftest import SEQUENCES
from device import Device

from skill.config import Settings
from skill.practice import playback as pb
from skill.practice.state import Phase, State, from_dict, to_dict
from skill.stores import Store, open_store
from skill.web.app import create_app

pytestmark = [pytest.mark.audio, pytest.mark.redis]

PUBLIC = "https://yoga.example.test"
CLASS = ("low back release", "low_back_release")
DAY = 24 * 3600
SECRET = "5eed" * 16
TABLE = "gentle-yoga-resume"
STORES = ("sqlite", "redis", "dynamodb")

Opener = Callable[[], Store]


@pytest.fixture(params=STORES)
def open_kind(request, tmp_path, monkeypatch) -> Iterator[Opener]:
    """Opens the store of this kind afresh each time it is called (the same data behind it)."""
    if request.param == "dynamodb":
        from moto import mock_aws
        from test_dynamodb import fake_aws_environment

        from skill.stores.dynamodb import create_table

        fake_aws_environment(monkeypatch, tmp_path)
        with mock_aws():
            create_table(TABLE)
            yield lambda: open_store(f"dynamodb://{TABLE}", tmp_path / "data", SECRET)
        return
    spec = f"sqlite:///{tmp_path / 'state.sqlite3'}" if request.param == "sqlite" \
        else request.getfixturevalue("redis_url")
    yield lambda: open_store(spec, tmp_path / "data", SECRET)


@contextmanager
def speaker(open_store_: Opener, rendered, library, tmp_path, now: float) -> Iterator[tuple[Device, Store]]:
    """A speaker on a new app over a newly opened store (a process that has just started), and the store."""
    store = open_store_()
    settings = Settings(sequences=SEQUENCES, data_dir=tmp_path / "data", verify=False, skill_id=SKILL_ID,
                        public_url=PUBLIC)
    rendered.public_url = PUBLIC
    client = create_app(settings, library=library, store=store, audio=rendered).test_client()

    def post(body):
        answer = client.post("/alexa", json=body)
        return Reply(answer.status_code, answer.get_json(silent=True) or {})

    try:
        yield Device(post=post, fetch=lambda path: client.get(path).data, user=USER, now=now,
                     public_url=PUBLIC), store
    finally:
        store.close()


def plays(reply) -> list[dict]:
    return [d["audioItem"]["stream"] for d in reply.response.get("directives", []) if d["type"] == "AudioPlayer.Play"]


def step_of(token: str) -> str:
    return token.rsplit(":", 1)[1]


def pause_mid_step(device: Device, rng: random.Random) -> tuple[str, int]:
    """Start the class, let it play to a random moment at least a second into a step, and say 'Alexa, pause'."""
    device.say("StartClassIntent", practice=CLASS)
    device.run(rng.uniform(100, 1500))
    while (playing := device.playing) is None or step_of(playing.token) in (pb.SETUP, pb.CLOSING) \
            or device.offset_ms() < 1000:
        device.run(rng.uniform(1, 10))
    token, offset = playing.token, device.offset_ms()
    device.say("AMAZON.PauseIntent")
    return token, offset


def loaded(store: Store) -> dict:
    record = store.load(store.user_key(USER))
    assert record, "the store kept no record"
    return record


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_paused_place_round_trips_exactly_and_resumes_at_the_millisecond(open_kind, rendered, library, tmp_path,
                                                                            seed):
    """Paused mid-step: the store holds the step, the offset to the millisecond and the playback, and gives the
    record back exactly (also saved again, under another key); 'Alexa, resume' a minute later plays that step
    from that millisecond."""
    rng = random.Random(seed)
    with speaker(open_kind, rendered, library, tmp_path, START) as (device, store):
        token, offset = pause_mid_step(device, rng)
        record = loaded(store)
        state = from_dict(record)
        assert state.phase is Phase.PAUSED and str(state.position) == step_of(token)
        assert round(state.offset * 1000) == offset and state.offset > 0
        assert f"{state.playback:.3f}" == token.split(":")[3], "the playback the token names is kept"
        assert to_dict(state) == record
        store.save(store.user_key("amzn1.ask.account.ANOTHERPERSON"), record)
        assert store.load(store.user_key("amzn1.ask.account.ANOTHERPERSON")) == record
        device.now += 60
        [stream] = plays(device.say("AMAZON.ResumeIntent"))
        assert step_of(stream["token"]) == step_of(token) and stream["offsetInMilliseconds"] == offset


def test_a_state_with_awkward_numbers_round_trips_through_the_store(open_kind):
    """Offsets and playback times that are not round survive the store's encoding to the millisecond."""
    store = open_kind()
    try:
        state = State(phase=Phase.PAUSED, practice="low_back_release", position=7, paused_at=START + 0.25,
                      playback=START - 1234.567, offset=987.654, left_by="pause")
        store.save(store.user_key(USER), to_dict(state))
        again = from_dict(loaded(store))
        assert again == state
    finally:
        store.close()


def test_a_day_later_a_new_app_on_the_reopened_store_offers_the_pose_and_plays_it_from_its_cue(
        open_kind, rendered, library, tmp_path):
    """Paused, then a day later through a new app on the store opened again: the welcome names the class and the
    pose, and yes plays that step from its beginning (the cue), as the documented rule says for a long break."""
    with speaker(open_kind, rendered, library, tmp_path, START) as (device, _):
        token, offset = pause_mid_step(device, random.Random(9))
        later = device.now + DAY
    practice = library.get(CLASS[1])
    pose = practice.steps[int(step_of(token))].pose.name
    with speaker(open_kind, rendered, library, tmp_path, later) as (device, store):
        assert round(from_dict(loaded(store)).offset * 1000) == offset
        welcome = device.open()
        assert "carry on" in welcome.text and pose in welcome.text and practice.title in welcome.text
        assert not plays(welcome)
        [stream] = plays(device.say("AMAZON.YesIntent"))
        assert step_of(stream["token"]) == step_of(token) and stream["offsetInMilliseconds"] == 0
        assert stream["url"].startswith(f"{PUBLIC}/audio/{CLASS[1]}/")
