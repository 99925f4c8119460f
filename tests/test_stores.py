"""Per-user stores: records round-trip, users stay apart, raw ids never reach storage, and SQLite is shared safely."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sqlite3
import stat
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alexa import forget, keep, kept
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.config import ROOT, Settings
from skill.errors import ConfigError, NoUserId, StateError, StoreUnavailable
from skill.practice.plan import Plan
from skill.practice.state import Phase, State, from_dict, to_dict
from skill.stores import DEFAULT_SQLITE, MemoryStore, SQLiteStore, open_store, redact
from skill.stores.base import DEFAULT_KEEP_SECONDS, SECRET_FILE

DAY = 24 * 3600
SECRET = b"a test secret that is long enough to be a real one"
SKILL = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
ALICE = "amzn1.ask.account.ALICEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
BOB = "amzn1.ask.account.BOBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
# Mid-class, shortened, with history: the largest kind of record a person has.
MID_CLASS = State(phase=Phase.PRACTISING, practice="hip_release", position=4, segment=(4, 5, 6),
                  marks=(0.0, 42.5, 88.0, 131.25), sent_at=1_700_000_000.5, plan=Plan((60, 45, 30, 60, 45, 30, 120),
                                                                                       frozenset({2})),
                  mode="flow", history=(("morning_wake_up", 1_699_990_000),))


def envelope(user: str | None = ALICE, *, in_context: bool = True, in_session: bool = True) -> RequestEnvelope:
    """A real request envelope, deserialised the way ask-sdk reads what Alexa sends."""
    system = {"application": {"applicationId": SKILL}, "apiEndpoint": "https://api.amazonalexa.com",
              "device": {"deviceId": "amzn1.ask.device.TEST", "supportedInterfaces": {}}}
    if in_context:
        system["user"] = {"userId": user}
    body = {"version": "1.0", "context": {"System": system},
            "request": {"type": "IntentRequest", "requestId": "amzn1.echo-api.request.1", "locale": "en-US",
                        "timestamp": "2025-01-01T07:00:00Z",
                        "intent": {"name": "AMAZON.PauseIntent", "confirmationStatus": "NONE"}}}
    if in_session:
        body["session"] = {"new": False, "sessionId": "amzn1.echo-api.session.1",
                           "application": {"applicationId": SKILL}, "user": {"userId": user}}
    return DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)


def hashed(user: str, secret: bytes = SECRET) -> str:
    return hmac.new(secret, user.encode(), hashlib.sha256).hexdigest()


def stored_bytes(path: Path) -> bytes:
    """Everything SQLite has written for a database: the file and its write-ahead log."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / DEFAULT_SQLITE


@pytest.fixture
def sqlite_store(db: Path):
    store = SQLiteStore(db, SECRET)
    yield store
    store.close()


@pytest.fixture(params=["memory", "sqlite"])
def store(request, db: Path):
    """Each kind of store; SQLite on a real file."""
    made = MemoryStore(SECRET) if request.param == "memory" else SQLiteStore(db, SECRET)
    yield made
    made.close()


class TestRecords:
    def test_an_unknown_user_has_empty_attributes(self, store):
        """Someone never seen gets {}, which is what AttributesManager expects."""
        assert kept(store, envelope()) == {}

    def test_a_mid_class_state_round_trips(self, store):
        """What is saved is what is read back, and it is still the same practice state."""
        keep(store, envelope(), to_dict(MID_CLASS))
        assert kept(store, envelope()) == to_dict(MID_CLASS)
        assert from_dict(kept(store, envelope())) == MID_CLASS

    def test_saving_again_replaces_the_record(self, store):
        """The latest save wins; there is one record per user."""
        keep(store, envelope(), {"v": 1, "ph": "idle"})
        keep(store, envelope(), to_dict(MID_CLASS))
        assert kept(store, envelope()) == to_dict(MID_CLASS) and store.count() == 1

    def test_delete_forgets_the_user(self, store):
        """After delete (as on SkillDisabled) the user is unknown again; deleting twice is fine."""
        keep(store, envelope(), to_dict(MID_CLASS))
        forget(store, envelope())
        forget(store, envelope())
        assert kept(store, envelope()) == {} and store.count() == 0

    def test_users_are_kept_apart(self, store):
        """One user's save or delete never touches another's record."""
        keep(store, envelope(ALICE), to_dict(MID_CLASS))
        keep(store, envelope(BOB), {"v": 1, "ph": "idle"})
        forget(store, envelope(BOB))
        assert kept(store, envelope(ALICE)) == to_dict(MID_CLASS)
        assert kept(store, envelope(BOB)) == {}

    def test_changing_what_was_read_changes_nothing_stored(self, store):
        """A caller mutating the returned dict (or the one it saved) does not alter the record."""
        record = to_dict(MID_CLASS)
        keep(store, envelope(), record)
        record["ph"] = "finished"
        kept(store, envelope())["sg"].append(99)
        assert kept(store, envelope()) == to_dict(MID_CLASS)


class TestOptionalBackends:
    """redis and boto3 are extras: a host using another store needs neither installed."""

    def test_a_sqlite_host_runs_with_neither_package(self, tmp_path):
        """With redis, boto3 and botocore unimportable, the web app starts on SQLite and keeps a record."""
        code = ("import sys\n"
                "for name in ('redis', 'boto3', 'botocore'): sys.modules[name] = None\n"
                "from pathlib import Path\n"
                "from skill.stores import open_store\n"
                "import skill.web.app, skill.stores.memory, skill.stores.sqlite\n"
                "store = open_store('sqlite', Path(sys.argv[1]), 'secret')\n"
                "store.save('k', {'v': 1})\n"
                "print(store.load('k'))\n")
        ran = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                             timeout=60)
        assert (ran.returncode, ran.stdout, ran.stderr) == (0, "{'v': 1}\n", "")

    @pytest.mark.parametrize(("spec", "package", "extra"), [
        ("redis://:pw@localhost:6379/0", "redis", "redis"),
        ("dynamodb://practice", "boto3", "aws"),
    ])
    def test_a_store_without_its_package_says_what_to_install(self, tmp_path, monkeypatch, spec, package, extra):
        """GENTLE_YOGA_STORE naming Redis or DynamoDB on a host without the package: one sentence naming the extra."""
        monkeypatch.setitem(sys.modules, package, None)  # what an uninstalled package looks like to import
        monkeypatch.delitem(sys.modules, f"skill.stores.{spec.partition(':')[0]}", raising=False)
        with pytest.raises(ConfigError) as caught:
            open_store(spec, tmp_path)
        assert str(caught.value) == (f"GENTLE_YOGA_STORE is {redact(spec)!r}, which needs the {package} package: "
                                     f"install gentle-yoga[{extra}]")
        assert "pw" not in str(caught.value)


class TestUserIds:
    def test_the_session_user_is_used_when_context_has_none(self, store):
        """An envelope with the user only in session finds the same record."""
        keep(store, envelope(), to_dict(MID_CLASS))
        assert kept(store, envelope(in_context=False)) == to_dict(MID_CLASS)

    @pytest.mark.parametrize("kind", ["no user anywhere", "empty user id"])
    def test_an_envelope_without_a_user_id_is_refused(self, store, kind):
        """With no user id there is no one to keep state for: NoUserId, for read, save and delete alike."""
        bare = envelope(in_context=False, in_session=False) if kind == "no user anywhere" else envelope("")
        for call in (lambda: kept(store, bare), lambda: keep(store, bare, {}),
                     lambda: forget(store, bare)):
            with pytest.raises(NoUserId, match="the request carries no user id"):
                call()
        assert store.count() == 0

    def test_the_key_is_the_hmac_of_the_user_id(self, sqlite_store, db):
        """Records are keyed by HMAC-SHA256(secret, user id) in hex, nothing else."""
        keep(sqlite_store, envelope(), to_dict(MID_CLASS))
        with sqlite3.connect(db) as conn:
            users = [row[0] for row in conn.execute("SELECT user FROM practice")]
        conn.close()
        assert users == [hashed(ALICE)] == [sqlite_store.user_key(ALICE)]

    def test_the_raw_user_id_never_reaches_the_file(self, sqlite_store, db):
        """Neither the database file nor its write-ahead log holds the raw id, before or after a checkpoint."""
        keep(sqlite_store, envelope(ALICE), to_dict(MID_CLASS))
        keep(sqlite_store, envelope(BOB), to_dict(MID_CLASS))
        written = stored_bytes(db)
        assert hashed(ALICE).encode() in written  # the check looks in the right place
        sqlite_store.close()
        written += stored_bytes(db)
        for user in (ALICE, BOB):
            assert user.encode() not in written and user.split(".")[-1].encode() not in written

    def test_the_same_secret_finds_the_record_after_a_restart(self, db):
        """A new store on the same file with the same secret reads what the old one saved."""
        first = SQLiteStore(db, SECRET)
        keep(first, envelope(), to_dict(MID_CLASS))
        first.close()
        second = SQLiteStore(db, SECRET)
        assert kept(second, envelope()) == to_dict(MID_CLASS)
        second.close()

    def test_a_different_secret_does_not(self, db):
        """With another secret the same user maps to another key, so the record is not found."""
        first = SQLiteStore(db, SECRET)
        keep(first, envelope(), to_dict(MID_CLASS))
        first.close()
        other = SQLiteStore(db, b"some other secret entirely")
        assert kept(other, envelope()) == {} and other.count() == 1
        other.close()


class TestSecretFile:
    def test_it_is_made_once_private_and_reused(self, tmp_path):
        """The first open makes a 0600 random secret; the next open reuses it and so finds the record."""
        first = open_store("sqlite", tmp_path)
        path = tmp_path / SECRET_FILE
        made = path.read_bytes()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(made.strip()) == 64
        keep(first, envelope(), to_dict(MID_CLASS))
        first.close()
        second = open_store("sqlite", tmp_path)
        assert path.read_bytes() == made and kept(second, envelope()) == to_dict(MID_CLASS)
        second.close()

    def test_a_configured_secret_is_used_and_no_file_made(self, tmp_path):
        """GENTLE_YOGA_ID_SECRET hashes ids itself, and nothing is written next to the database for it."""
        store = open_store("sqlite", tmp_path, id_secret=SECRET.decode())
        assert store.user_key(ALICE) == hashed(ALICE) and not (tmp_path / SECRET_FILE).exists()
        store.close()

    def test_the_kept_secret_can_be_moved_into_the_setting(self, tmp_path):
        """The file's text, given as GENTLE_YOGA_ID_SECRET, hashes ids the same way."""
        unrelated = open_store("memory", tmp_path)
        from_file = open_store("sqlite", tmp_path)
        from_setting = open_store("sqlite", tmp_path / "elsewhere",
                                  id_secret=(tmp_path / SECRET_FILE).read_text().strip())
        assert from_file.user_key(ALICE) == from_setting.user_key(ALICE) != unrelated.user_key(ALICE)
        for store in (unrelated, from_file, from_setting):
            store.close()

    def test_stores_opened_together_on_a_fresh_dir_agree(self, tmp_path):
        """Several workers starting at once end up with one secret, so they hash ids alike."""
        data_dir = tmp_path / "fresh"
        barrier = threading.Barrier(8)

        def start(_: int) -> str:
            barrier.wait()
            store = open_store("sqlite", data_dir)
            store.close()
            return store.user_key(ALICE)

        with ThreadPoolExecutor(8) as pool:
            keys = set(pool.map(start, range(8)))
        assert len(keys) == 1 and keys == {hashed(ALICE, (data_dir / SECRET_FILE).read_text().strip().encode())}

    def test_a_truncated_secret_file_is_a_clear_error(self, tmp_path):
        """A secret file that is empty (a crash while writing it) names itself rather than hashing with nothing."""
        (tmp_path / SECRET_FILE).write_text("")
        with pytest.raises(ConfigError, match=f"{SECRET_FILE} is too short"):
            open_store("sqlite", tmp_path)


class TestSQLiteFile:
    def test_wal_mode_and_the_busy_timeout_are_set(self, sqlite_store, db):
        """The store's connections wait 5 s for a busy file, and the file itself is in WAL mode."""
        conn = sqlite_store.connection()
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        plain = sqlite3.connect(db)
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        plain.close()

    @pytest.mark.parametrize("garbage", ["{not json", "[1, 2, 3]", "\"a string\"", "42", b"\xff\xfe\x00\x9c{",
                                         b"\x00" * 16], ids=["broken JSON", "a list", "a string", "a number",
                                                              "bytes that are not UTF-8", "zero bytes"])
    def test_a_corrupt_record_reads_as_a_damaged_one(self, sqlite_store, db, caplog, garbage):
        """Garbage written into the file by sqlite3 itself comes back as a record from_dict refuses (so the person
        hears they lost their place, as for any damaged record), with a warning naming only the hashed key."""
        keep(sqlite_store, envelope(), to_dict(MID_CLASS))
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE practice SET record = ?", (garbage,))
        conn.close()
        with caplog.at_level(logging.WARNING, logger="gentle_yoga.store"):
            record = kept(sqlite_store, envelope())
        assert record and record != to_dict(MID_CLASS)
        with pytest.raises(StateError, match="version 'unreadable'"):
            from_dict(record)
        [message] = [r.getMessage() for r in caplog.records if r.name == "gentle_yoga.store"]
        shown = garbage if isinstance(garbage, str) else garbage.decode("latin-1")
        assert hashed(ALICE) in message and ALICE not in message and shown not in message

    def test_a_locked_file_is_store_unavailable(self, sqlite_store, db):
        """Another process holding the write lock past the busy timeout makes save raise StoreUnavailable, naming
        the file and SQLite's reason but not the user; reads still work (WAL), and saves do once the lock goes."""
        keep(sqlite_store, envelope(), to_dict(MID_CLASS))
        sqlite_store.connection().execute("PRAGMA busy_timeout=50")  # this test's own wait, not the 5 s default
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreUnavailable) as caught:
                keep(sqlite_store, envelope(), {"v": 1, "ph": "idle"})
            assert kept(sqlite_store, envelope()) == to_dict(MID_CLASS)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        message = str(caught.value)
        assert str(db) in message and "locked" in message and ALICE not in message and hashed(ALICE) not in message
        keep(sqlite_store, envelope(), {"v": 1, "ph": "idle"})
        assert kept(sqlite_store, envelope()) == {"v": 1, "ph": "idle"}

    @pytest.mark.slow
    def test_a_record_survives_a_process_restart(self, db):
        """One process saves and exits; another, started later, reads the record back."""
        code = ("import json, sys; from pathlib import Path; from skill.stores import SQLiteStore\n"
                "store = SQLiteStore(Path(sys.argv[1]), sys.argv[2].encode())\n"
                "if sys.argv[3] == 'save': store.save(store.user_key(sys.argv[4]), json.loads(sys.argv[5]))\n"
                "else: print(json.dumps(store.load(store.user_key(sys.argv[4]))))\n"
                "store.close()\n")
        run = [sys.executable, "-c", code, str(db), SECRET.decode()]
        subprocess.run([*run, "save", ALICE, json.dumps(to_dict(MID_CLASS))], cwd=ROOT, check=True, timeout=60)
        read = subprocess.run([*run, "load", ALICE], cwd=ROOT, check=True, timeout=60, capture_output=True, text=True)
        assert json.loads(read.stdout) == to_dict(MID_CLASS)

    @pytest.mark.slow
    def test_worker_processes_share_the_file(self, sqlite_store):
        """Four processes saving at once, each for its own users and for one shared user, lose nothing."""
        code = ("import sys; from pathlib import Path; from skill.stores import SQLiteStore\n"
                "store = SQLiteStore(Path(sys.argv[1]), sys.argv[2].encode())\n"
                "for n in range(50):\n"
                "    store.save(store.user_key(f'p{sys.argv[3]}-{n}'), {'v': 1, 'n': n, 'w': sys.argv[3]})\n"
                "    store.save(store.user_key('shared'), {'v': 1, 'n': n, 'w': sys.argv[3]})\n"
                "store.close()\n")
        workers = [subprocess.Popen([sys.executable, "-c", code, str(sqlite_store.path), SECRET.decode(), str(w)],
                                    cwd=ROOT) for w in range(4)]
        assert [worker.wait(timeout=120) for worker in workers] == [0] * 4
        assert sqlite_store.count() == 4 * 50 + 1
        assert sqlite_store.load(sqlite_store.user_key("p3-49")) == {"v": 1, "n": 49, "w": "3"}
        assert sqlite_store.load(sqlite_store.user_key("shared"))["n"] == 49


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


KEEP = 30 * DAY


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "sqlite"])
def clocked(request, db: Path, clock: Clock):
    """Each kind of store that keeps its own times, keeping records for 30 days by the test's clock."""
    made = (MemoryStore(SECRET, KEEP, clock) if request.param == "memory" else SQLiteStore(db, SECRET, KEEP, clock))
    yield made
    made.close()


class TestIdleExpiry:
    def test_a_record_used_within_the_keep_time_stays(self, clocked, clock):
        """A record saved 30 days less a second ago still loads."""
        keep(clocked, envelope(), to_dict(MID_CLASS))
        clock.now += KEEP - 1
        assert kept(clocked, envelope()) == to_dict(MID_CLASS)

    def test_a_record_idle_longer_is_absent_and_deleted(self, clocked, clock):
        """A record not saved for more than the keep time loads as no record, and is gone from the store."""
        keep(clocked, envelope(ALICE), to_dict(MID_CLASS))
        keep(clocked, envelope(BOB), to_dict(MID_CLASS))
        clock.now += KEEP + 1
        assert clocked.load(clocked.user_key(ALICE)) is None and kept(clocked, envelope(ALICE)) == {}
        assert clocked.count() == 1  # Alice's went when it was read; Bob's waits for a sweep

    def test_saving_again_starts_the_keep_time_afresh(self, clocked, clock):
        """Each save renews the record: saved on day 0 and day 29, it is still there on day 31."""
        keep(clocked, envelope(), {"v": 1, "ph": "idle"})
        clock.now += 29 * DAY
        keep(clocked, envelope(), to_dict(MID_CLASS))
        clock.now += 2 * DAY
        assert kept(clocked, envelope()) == to_dict(MID_CLASS)

    def test_purge_deletes_only_idle_records(self, clocked, clock):
        """purge() removes every record idle past the keep time, and no other, and says how many."""
        keep(clocked, envelope(ALICE), to_dict(MID_CLASS))
        clock.now += 20 * DAY
        keep(clocked, envelope(BOB), to_dict(MID_CLASS))
        clock.now += 20 * DAY
        assert clocked.purge() == 1 and clocked.count() == 1
        assert kept(clocked, envelope(BOB)) == to_dict(MID_CLASS)

    def test_a_sweep_runs_every_thousand_saves(self, clocked, clock):
        """Idle records go after the 1000th save in the process, without anyone reading them."""
        keep(clocked, envelope(ALICE), to_dict(MID_CLASS))
        clock.now += KEEP + 1
        for n in range(998):
            clocked.save(clocked.user_key("busy"), {"v": 1, "ph": "idle", "n": n})
        assert clocked.count() == 2  # 999 saves so far: Alice's idle record is still there
        clocked.save(clocked.user_key("busy"), {"v": 1, "ph": "idle", "n": 998})
        assert clocked.count() == 1 and clocked.load(clocked.user_key("busy"))["n"] == 998

    def test_sqlite_sweeps_when_it_opens(self, db, clock):
        """Records that went idle while no process was running are gone as soon as a store opens the file."""
        first = SQLiteStore(db, SECRET, KEEP, clock)
        keep(first, envelope(ALICE), to_dict(MID_CLASS))
        clock.now += 10 * DAY
        keep(first, envelope(BOB), to_dict(MID_CLASS))
        first.close()
        clock.now += 25 * DAY
        second = SQLiteStore(db, SECRET, KEEP, clock)
        with sqlite3.connect(db) as conn:
            users = [row[0] for row in conn.execute("SELECT user FROM practice")]
        conn.close()
        second.close()
        assert users == [hashed(BOB)]

    @pytest.mark.parametrize("keep", [0, -1])
    def test_the_keep_time_must_be_positive(self, db, keep):
        """A store refuses to keep records for no time at all."""
        for make in (lambda: MemoryStore(SECRET, keep), lambda: SQLiteStore(db, SECRET, keep)):
            with pytest.raises(ValueError, match="keep_seconds must be positive"):
                make()

    def test_open_store_passes_the_keep_time_on(self, tmp_path):
        """open_store gives the store the keep time it was handed (GENTLE_YOGA_KEEP_DAYS in seconds)."""
        for spec in ("sqlite", "memory"):
            store = open_store(spec, tmp_path, keep_seconds=KEEP)
            assert store.keep_seconds == KEEP
            store.close()


class TestKeepSetting:
    def test_the_default_is_180_days(self):
        """With GENTLE_YOGA_KEEP_DAYS unset, records are kept 180 days after their last use."""
        settings = Settings.from_env({})
        assert settings.keep_days == 180 and settings.keep_seconds == 180 * DAY == DEFAULT_KEEP_SECONDS

    def test_a_number_of_days_is_read(self):
        """GENTLE_YOGA_KEEP_DAYS=30 keeps records 30 days."""
        assert Settings.from_env({"GENTLE_YOGA_KEEP_DAYS": " 30 "}).keep_seconds == 30 * DAY

    @pytest.mark.parametrize("value", ["0", "-5", "1.5", "a week", "", "3651", "²"])
    def test_anything_but_a_positive_whole_number_is_a_clear_error(self, value):
        """A value that is not a whole number of days from 1 to 3650 names the setting and what it should be."""
        with pytest.raises(ConfigError) as caught:
            Settings.from_env({"GENTLE_YOGA_KEEP_DAYS": value})
        assert str(caught.value) == (f"GENTLE_YOGA_KEEP_DAYS is {value.strip()!r}; "
                                     "it should be a whole number from 1 to 3650")

    def test_the_web_app_opens_its_store_with_it(self, tmp_path, library):
        """create_app opens the configured store with the setting's keep time."""
        from skill.web.app import create_app

        settings = Settings(sequences=ROOT / "sequences", data_dir=tmp_path, verify=False, keep_days=7)
        app = create_app(settings, library=library)
        store = app.extensions["gentle_yoga.store"]
        assert isinstance(store, SQLiteStore) and store.keep_seconds == 7 * DAY
        store.close()


class TestConcurrency:
    def test_threads_saving_at_once_lose_nothing(self, store):
        """8 threads × 50 saves, to their own users and to one shared user: every record is whole, none missing."""
        def work(thread: int) -> None:
            for n in range(50):
                record = {**to_dict(MID_CLASS), "p": n, "t": thread}
                store.save(store.user_key(f"user-{thread}-{n}"), record)
                store.save(store.user_key("shared"), record)
                assert store.load(store.user_key(f"user-{thread}-{n}")) == record

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(work, range(8)))
        assert store.count() == 8 * 50 + 1
        for thread in range(8):
            assert store.load(store.user_key(f"user-{thread}-49")) == {**to_dict(MID_CLASS), "p": 49, "t": thread}
        shared = store.load(store.user_key("shared"))
        assert shared["p"] == 49 and shared["t"] in range(8)


def count_up(store, key: str, threads: int = 8, each: int = 40) -> tuple[int, int]:
    """threads × each increments of one counter, each read with load_versioned and kept with save_if, tried again
    on a conflict; the successful saves and the conflicts."""
    tally = {"saved": 0, "conflicts": 0}
    lock = threading.Lock()

    def work(_: int) -> None:
        for _ in range(each):
            while True:
                record, token = store.load_versioned(key)
                if store.save_if(key, {"v": 1, "n": (record or {"n": 0})["n"] + 1}, token):
                    break
                with lock:
                    tally["conflicts"] += 1
            with lock:
                tally["saved"] += 1

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, range(threads)))
    return tally["saved"], tally["conflicts"]


class TestSaveIf:
    """save_if keeps a record only if the store still holds the text load_versioned read (compare-and-set)."""

    def test_the_token_is_the_text_kept_and_none_when_there_is_none(self, store):
        """No record: (None, None); a record: the record as load gives it, and its exact stored text."""
        key = store.user_key(ALICE)
        assert store.load_versioned(key) == (None, None)
        store.save(key, to_dict(MID_CLASS))
        record, token = store.load_versioned(key)
        assert record == store.load(key) == to_dict(MID_CLASS) and json.loads(token) == to_dict(MID_CLASS)

    def test_the_token_read_lets_the_save_through(self, store):
        """A save with the token just read is kept, and the token moves on with it."""
        key = store.user_key(ALICE)
        store.save(key, {"v": 1, "ph": "idle"})
        _, token = store.load_versioned(key)
        assert store.save_if(key, to_dict(MID_CLASS), token) is True
        record, after = store.load_versioned(key)
        assert record == to_dict(MID_CLASS) and after != token

    def test_a_stale_token_is_refused_and_changes_nothing(self, store):
        """Another save between the read and this one: False, and the other save stands."""
        key = store.user_key(ALICE)
        store.save(key, {"v": 1, "ph": "idle"})
        _, token = store.load_versioned(key)
        store.save(key, {"v": 1, "ph": "idle", "other": True})
        assert store.save_if(key, to_dict(MID_CLASS), token) is False
        assert store.load(key) == {"v": 1, "ph": "idle", "other": True}

    def test_no_token_makes_a_record_only_where_there_is_none(self, store):
        """Token None: kept for a user with no record, refused for one who has one (which stays)."""
        key = store.user_key(ALICE)
        assert store.save_if(key, {"v": 1, "ph": "idle"}, None) is True
        assert store.save_if(key, to_dict(MID_CLASS), None) is False
        assert store.load(key) == {"v": 1, "ph": "idle"}

    def test_a_deleted_record_refuses_its_old_token(self, store):
        """A record deleted since the read is a change too: the old token no longer matches."""
        key = store.user_key(ALICE)
        store.save(key, {"v": 1, "ph": "idle"})
        _, token = store.load_versioned(key)
        store.delete(key)
        assert store.save_if(key, to_dict(MID_CLASS), token) is False and store.load(key) is None

    def test_an_expired_record_counts_as_none(self, clocked, clock):
        """A record idle past the keep time is absent: no token makes a record over it, and its old token fails."""
        key = clocked.user_key(ALICE)
        clocked.save(key, {"v": 1, "ph": "idle"})
        _, token = clocked.load_versioned(key)
        clock.now += KEEP + 1
        assert clocked.save_if(key, to_dict(MID_CLASS), token) is False
        assert clocked.save_if(key, to_dict(MID_CLASS), None) is True
        assert clocked.load(key) == to_dict(MID_CLASS)

    def test_threads_counting_up_at_once_lose_no_increment(self, store):
        """8 threads × 40 read-increment-save_if rounds on one counter: it ends at exactly the saves that went
        through, 320, however many conflicts were retried."""
        key = store.user_key("counter")
        saved, _ = count_up(store, key)
        assert saved == 320 and store.load(key)["n"] == saved


class TestOpenStore:
    def test_sqlite_means_a_file_in_the_data_dir(self, tmp_path):
        """The plain spec makes the data dir if needed and keeps gentle-yoga.sqlite3 in it."""
        data_dir = tmp_path / "new" / "data"
        store = open_store("sqlite", data_dir)
        assert isinstance(store, SQLiteStore) and store.path == data_dir / DEFAULT_SQLITE
        assert store.path.exists() and store.describe() == f"SQLite at {data_dir / DEFAULT_SQLITE}"
        store.close()

    def test_a_sqlite_url_names_the_file(self, tmp_path):
        """sqlite:///ABSOLUTE/PATH puts the file there; the id secret still lives in the data dir."""
        path = tmp_path / "elsewhere.sqlite3"
        store = open_store(f"sqlite://{path}", tmp_path / "data")
        assert isinstance(store, SQLiteStore) and store.path == path and path.exists()
        assert (tmp_path / "data" / SECRET_FILE).exists()
        store.close()

    def test_memory_touches_no_disk(self, tmp_path):
        """memory keeps records in the process, and writes nothing."""
        store = open_store("memory", tmp_path / "data")
        assert isinstance(store, MemoryStore) and "memory" in store.describe()
        assert not (tmp_path / "data").exists()

    @pytest.mark.parametrize("spec", ["", "postgres://u@h/db", "sqlite://", "sqlite:///", "sqlite:relative.sqlite3",
                                      "sqlite:///data/", "SQLite", "memory://x", "Redis://localhost",
                                      "DynamoDB://table"])
    def test_anything_else_is_a_clear_error(self, tmp_path, spec):
        """A spec no opener accepts names the setting and every accepted form."""
        with pytest.raises(ConfigError) as caught:
            open_store(spec, tmp_path)
        assert str(caught.value) == (f"GENTLE_YOGA_STORE is {spec!r}; it should be sqlite, sqlite:///ABSOLUTE/PATH"
                                     ".sqlite3, redis://[:PASSWORD@]HOST:PORT/DB (or rediss://), dynamodb://TABLE "
                                     "or memory")

    @pytest.mark.parametrize("spec, reason", [
        ("redis://", "names no host"), ("redis://:hunter2@", "names no host"), ("redis:localhost", "names no host"),
        ("redis://:hunter2@localhost:99999/0", "not a number from 0 to 65535"),
        ("rediss://u:hunter2@localhost:6379/zero", "the database, after the last /, is a number"),
    ])
    def test_a_bad_redis_url_is_a_clear_error_without_its_password(self, tmp_path, spec, reason):
        """A Redis URL that cannot be used says why, shows the URL with *** for the password, and makes no data dir."""
        with pytest.raises(ConfigError) as caught:
            open_store(spec, tmp_path / "data", id_secret="")
        message = str(caught.value)
        assert reason in message and "hunter2" not in message and "GENTLE_YOGA_STORE" in message
        assert ("***" in message) == ("hunter2" in spec) and not (tmp_path / "data").exists()

    @pytest.mark.parametrize("spec", ["dynamodb", "dynamodb://", "dynamodb://ab", "dynamodb://has space",
                                      "dynamodb://a/b"])
    def test_a_bad_table_name_is_a_clear_error(self, tmp_path, spec):
        """dynamodb:// needs a table name DynamoDB accepts; the error says what one looks like."""
        with pytest.raises(ConfigError, match="a DynamoDB table is named dynamodb://TABLE"):
            open_store(spec, tmp_path)

    def test_an_unopenable_file_fails_at_start(self, tmp_path):
        """A file in a folder that does not exist fails when the store opens, naming the file."""
        path = tmp_path / "missing" / "x.sqlite3"
        with pytest.raises(ConfigError, match=f"SQLite file {path}, which cannot be opened"):
            open_store(f"sqlite://{path}", tmp_path)
