"""The Redis store against a real redis-server: records, hashed keys, expiry, races, outages, forks, and the skill."""
from __future__ import annotations

import multiprocessing
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from alexa import START, Speaker, forget, keep, kept, stored
from test_stores import ALICE, BOB, MID_CLASS, SECRET, count_up, envelope, hashed

from skill.errors import StateError, StoreUnavailable
from skill.practice.state import Phase, from_dict, to_dict
from skill.stores import open_store
from skill.stores.redis import PREFIX, RedisStore
from skill.web.app import create_app

pytestmark = pytest.mark.redis

KEEP = 30 * 24 * 3600


@pytest.fixture
def raw(redis_url):
    """A plain client on the same server, to look at what the store wrote."""
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def store(redis_url):
    made = RedisStore(redis_url, SECRET, KEEP)
    yield made
    made.close()


class TestRecords:
    def test_an_unknown_user_has_empty_attributes(self, store):
        """Someone never seen gets {}."""
        assert kept(store, envelope()) == {}

    def test_a_mid_class_state_round_trips(self, store):
        """What is saved is what is read back, and it is still the same practice state."""
        keep(store, envelope(), to_dict(MID_CLASS))
        assert from_dict(kept(store, envelope())) == MID_CLASS

    def test_saving_replaces_and_users_stay_apart(self, store):
        """The latest save wins; deleting one user leaves the other's record alone."""
        keep(store, envelope(ALICE), {"v": 1, "ph": "idle"})
        keep(store, envelope(ALICE), to_dict(MID_CLASS))
        keep(store, envelope(BOB), {"v": 1, "ph": "idle"})
        forget(store, envelope(BOB))
        forget(store, envelope(BOB))  # twice is fine
        assert kept(store, envelope(ALICE)) == to_dict(MID_CLASS)
        assert kept(store, envelope(BOB)) == {}

    def test_the_key_is_the_prefixed_hmac_and_the_raw_id_is_nowhere(self, store, raw):
        """Redis holds gentle-yoga:practice:<HMAC hex> keys only; no key or value holds a raw id or part of one."""
        keep(store, envelope(ALICE), to_dict(MID_CLASS))
        keep(store, envelope(BOB), to_dict(MID_CLASS))
        keys = sorted(raw.scan_iter("*"))
        assert keys == sorted(f"{PREFIX}{hashed(user)}".encode() for user in (ALICE, BOB))
        written = b"".join(key + raw.get(key) for key in keys)
        for user in (ALICE, BOB):
            assert user.encode() not in written and user.split(".")[-1].encode() not in written

    def test_every_save_sets_the_keep_time_as_the_ttl(self, store, raw, redis_url):
        """A saved record expires after keep_seconds, and saving again starts that time afresh."""
        short = RedisStore(redis_url, SECRET, 600)
        key = f"{PREFIX}{hashed(ALICE)}"
        keep(short, envelope(), to_dict(MID_CLASS))
        assert 590 <= raw.ttl(key) <= 600
        raw.expire(key, 5)
        keep(short, envelope(), to_dict(MID_CLASS))
        assert raw.ttl(key) > 5
        keep(store, envelope(), to_dict(MID_CLASS))
        assert KEEP - 10 <= raw.ttl(key) <= KEEP
        short.close()

    @pytest.mark.parametrize("garbage", [b"{not json", b"\xff\xfe\x00", b"[1, 2]", b"42"])
    def test_an_unreadable_value_reads_as_a_damaged_record(self, store, raw, garbage):
        """Garbage SET straight into Redis comes back as a record from_dict refuses, not as a silent fresh start."""
        raw.set(f"{PREFIX}{hashed(ALICE)}", garbage)
        record = kept(store, envelope())
        assert record
        with pytest.raises(StateError, match="version 'unreadable'"):
            from_dict(record)


class TestUrls:
    def test_describe_names_the_server_but_never_the_password(self, redis_server):
        """The start banner's line shows scheme, host, port and database, without user or password."""
        store = RedisStore(f"redis://someone:hunter2@127.0.0.1:{redis_server.port}/3", SECRET, KEEP)
        assert store.describe() == f"Redis at redis://127.0.0.1:{redis_server.port}/3"
        tls = RedisStore("rediss://:hunter2@cache.example.org:6380", SECRET, KEEP)
        assert tls.describe() == "Redis at rediss://cache.example.org:6380/0"
        assert tls._client.connection_pool.connection_class is redis.SSLConnection  # TLS, without connecting here

    def test_a_password_in_the_url_is_used(self, redis_server, redis_url, raw):
        """With requirepass on, a store whose URL carries the password works and one without it is unavailable."""
        raw.config_set("requirepass", "hunter2")
        try:
            good = RedisStore(f"redis://:hunter2@127.0.0.1:{redis_server.port}/0", SECRET, KEEP)
            keep(good, envelope(), to_dict(MID_CLASS))
            assert kept(good, envelope()) == to_dict(MID_CLASS)
            bare = RedisStore(redis_url, SECRET, KEEP)
            with pytest.raises(StoreUnavailable) as caught:
                kept(bare, envelope())
            assert "Redis at redis://127.0.0.1" in str(caught.value) and "hunter2" not in str(caught.value)
            good.close()
            bare.close()
        finally:
            redis.Redis.from_url(f"redis://:hunter2@127.0.0.1:{redis_server.port}/0").config_set("requirepass", "")

    def test_open_store_chooses_redis_by_url(self, redis_url, tmp_path):
        """GENTLE_YOGA_STORE=redis://… opens a RedisStore with the keep time it is given."""
        store = open_store(redis_url, tmp_path, id_secret=SECRET.decode(), keep_seconds=3600)
        assert isinstance(store, RedisStore) and store.keep_seconds == 3600
        assert store.user_key(ALICE) == hashed(ALICE)
        store.close()


class TestRaces:
    def test_racing_saves_for_one_user_leave_one_whole_record_last_write_wins(self, store):
        """8 threads × 50 saves of whole records for one user: what is left is exactly one save's record, and no save
        began after that one finished, so no later write was lost. (Which thread "finished last" cannot be told
        from the threads alone: two saves in flight together may reach the server in either order.)"""
        key = store.user_key(ALICE)
        lock = threading.Lock()
        ticks = iter(range(10**6))
        saves: dict[tuple[int, int], tuple[int, int]] = {}  # (thread, n): (tick it began, tick it finished)

        def record(thread: int, n: int) -> dict:
            return {**to_dict(MID_CLASS), "p": n, "t": thread, "pad": f"{thread}-{n}-" + "x" * 200}

        def work(thread: int) -> None:
            for n in range(50):
                with lock:
                    began = next(ticks)
                store.save(key, record(thread, n))
                with lock:
                    saves[thread, n] = (began, next(ticks))

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(work, range(8)))
        kept = store.load(key)
        assert len(saves) == 400
        thread, n = kept["t"], kept["p"]
        assert kept == record(thread, n)  # whole: exactly one save's record, never a mix
        finished = saves[thread, n][1]
        assert not [s for s, (began, _) in saves.items() if began > finished]  # nothing later overwrote it


class TestSaveIf:
    """save_if is one Lua script on the server: SET only if the key still holds the text read."""

    def test_the_token_read_lets_the_save_through_and_a_stale_one_does_not(self, store, raw):
        """The token just read is kept; after another save it is refused and the other save stands."""
        key = store.user_key(ALICE)
        store.save(key, {"v": 1, "ph": "idle"})
        _, token = store.load_versioned(key)
        assert store.save_if(key, to_dict(MID_CLASS), token) is True and store.load(key) == to_dict(MID_CLASS)
        assert store.save_if(key, {"v": 1, "ph": "idle", "late": True}, token) is False
        assert store.load(key) == to_dict(MID_CLASS)
        assert 0 < raw.ttl(store.key(key)) <= KEEP  # the conditional save sets the keep time as the TTL too

    def test_no_token_makes_a_record_only_where_there_is_none(self, store):
        """Token None: kept for a user with no record, refused for one who has one (which stays)."""
        key = store.user_key(ALICE)
        assert store.save_if(key, {"v": 1, "ph": "idle"}, None) is True
        assert store.save_if(key, to_dict(MID_CLASS), None) is False
        assert store.load(key) == {"v": 1, "ph": "idle"}

    def test_an_empty_value_is_not_mistaken_for_no_record(self, store, raw):
        """A key holding "" exists: no token is refused, and the token "" (what was read) is let through."""
        key = store.user_key(ALICE)
        raw.set(store.key(key), "")
        record, token = store.load_versioned(key)
        assert token == "" and record is not None
        assert store.save_if(key, to_dict(MID_CLASS), None) is False
        assert store.save_if(key, to_dict(MID_CLASS), token) is True and store.load(key) == to_dict(MID_CLASS)

    def test_bytes_that_are_not_utf8_round_trip_as_a_token(self, store, raw):
        """A damaged value's exact bytes are its token, so it can be replaced like any other."""
        key = store.user_key(ALICE)
        raw.set(store.key(key), b"\xff\xfe{")
        _, token = store.load_versioned(key)
        assert store.save_if(key, to_dict(MID_CLASS), token) is True and store.load(key) == to_dict(MID_CLASS)

    def test_an_expired_record_counts_as_none(self, store, raw):
        """Once Redis has expired the key, no token makes a record, and the old token fails."""
        key = store.user_key(ALICE)
        store.save(key, {"v": 1, "ph": "idle"})
        _, token = store.load_versioned(key)
        raw.pexpire(store.key(key), 1)
        for _ in range(1000):  # a millisecond, waited out for real
            if not raw.exists(store.key(key)):
                break
            time.sleep(0.001)
        assert store.save_if(key, to_dict(MID_CLASS), token) is False
        assert store.save_if(key, to_dict(MID_CLASS), None) is True and store.load(key) == to_dict(MID_CLASS)

    def test_the_script_is_loaded_again_after_a_restart(self, redis_server, store):
        """A restarted server has forgotten the script; the next save_if loads it again and works."""
        key = store.user_key(ALICE)
        assert store.save_if(key, {"v": 1, "ph": "idle"}, None) is True
        redis_server.restart()
        assert store.save_if(key, to_dict(MID_CLASS), None) is True  # the server keeps nothing on disk

    def test_threads_counting_up_at_once_lose_no_increment(self, store):
        """8 threads × 40 read-increment-save_if rounds on one counter: it ends at exactly the saves that went
        through, 320, however many conflicts were retried."""
        key = store.user_key("counter")
        saved, _ = count_up(store, key)
        assert saved == 320 and store.load(key)["n"] == saved


class TestOutage:
    def test_a_stopped_server_is_store_unavailable_and_a_restarted_one_works(self, redis_server, store):
        """With redis-server stopped, load, save and delete raise StoreUnavailable naming the server and not the
        user; once it is started again the same store works without being reopened."""
        keep(store, envelope(), to_dict(MID_CLASS))  # a pooled connection that the stop will break
        redis_server.stop()
        try:
            for call in (lambda: kept(store, envelope()),
                         lambda: keep(store, envelope(), to_dict(MID_CLASS)),
                         lambda: forget(store, envelope())):
                with pytest.raises(StoreUnavailable) as caught:
                    call()
                message = str(caught.value)
                assert message.startswith(f"Redis at redis://127.0.0.1:{redis_server.port}/0 is unavailable")
                assert ALICE not in message and hashed(ALICE) not in message
        finally:
            redis_server.start()
        assert kept(store, envelope()) == {}  # the server keeps nothing on disk, so the record went
        keep(store, envelope(), to_dict(MID_CLASS))
        assert kept(store, envelope()) == to_dict(MID_CLASS)


    def test_a_server_that_never_answers_is_store_unavailable(self):
        """A host that accepts the connection and then says nothing (a hung server) gives StoreUnavailable once the
        2 s read timeout and its one retry have passed, instead of holding the request until Alexa gives up."""
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen(8)  # connections complete in the kernel's backlog and are never read
            store = RedisStore(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", SECRET, KEEP)
            with pytest.raises(StoreUnavailable, match=r"is unavailable \(TimeoutError"):
                kept(store, envelope())
            store.close()


def _in_child(store: RedisStore, results) -> None:
    """In a forked worker: save and read back through the store the parent made and used."""
    try:
        store.save(store.user_key(BOB), {"v": 1, "ph": "idle", "from": "child"})
        results.put(store.load(store.user_key(BOB)))
    except Exception as exc:  # reported to the parent, which fails the test with it
        results.put(repr(exc))


class TestFork:
    def test_a_forked_worker_gets_its_own_connections(self, store):
        """As gunicorn forks workers after the app opened the store: the child's saves work, and the parent's
        connection is untouched by the child's use and exit."""
        keep(store, envelope(ALICE), to_dict(MID_CLASS))  # the parent now holds a pooled connection
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        child = context.Process(target=_in_child, args=(store, results))
        child.start()
        got = results.get(timeout=30)
        child.join(timeout=30)
        assert child.exitcode == 0 and got == {"v": 1, "ph": "idle", "from": "child"}
        assert kept(store, envelope(ALICE)) == to_dict(MID_CLASS)
        assert kept(store, envelope(BOB)) == {"v": 1, "ph": "idle", "from": "child"}


class TestSkillOnRedis:
    def test_pause_on_one_host_and_resume_on_another(self, settings, library, redis_url, tmp_path):
        """Two app processes' worth of Flask apps on one Redis (as on two hosts with one GENTLE_YOGA_ID_SECRET):
        start a class on the first, pause, and the next day resume it from the same pose on the second."""
        secret = "s" * 64
        stores = [open_store(redis_url, tmp_path / f"host{n}", id_secret=secret, keep_seconds=KEEP) for n in (1, 2)]
        first, second = (Speaker(create_app(settings, library=library, store=s).test_client()) for s in stores)
        first.open()
        first.say("StartClassIntent", practice=("low back release", "low_back_release"))
        begun = first.say("ContinueIntent")
        assert "Knees to Chest" in begun.text and not begun.ends
        first.wait(20)
        paused = first.say("AMAZON.PauseIntent")
        assert paused.ends and "Paused in" in paused.text
        pose = stored(stores[0]).position
        second.now = first.now + 24 * 3600
        welcome = second.open()
        assert "Welcome back" in welcome.text and "Low Back Release" in welcome.text
        carry_on = second.say("AMAZON.YesIntent")
        assert "pick up where you left off" in carry_on.text
        state = stored(stores[1])
        assert state.phase is Phase.PRACTISING and state.position == pose and state.practice == "low_back_release"
        for store in stores:
            store.close()

    def test_the_stored_item_is_keyed_by_the_hmac(self, settings, library, redis_url, raw, tmp_path):
        """After a request, the one key in Redis is the prefixed HMAC of the speaker's id under the secret."""
        store = open_store(redis_url, tmp_path, id_secret=SECRET.decode())
        speaker = Speaker(create_app(settings, library=library, store=store).test_client(), now=START)
        speaker.open()
        speaker.say("StartClassIntent", practice=("low back release", "low_back_release"))
        assert list(raw.scan_iter("*")) == [f"{PREFIX}{hashed(speaker.user)}".encode()]
        store.close()
