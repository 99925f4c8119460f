"""Privacy (issue #6, part 5): ids hashed wherever they are kept or logged, and logs free of bodies and speech.

A whole class is practised over HTTP on a real SQLite file with every logger at DEBUG, through faults and
refusals; then the logs and the database's bytes are searched for anything personal in the clear.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import sqlite3

import pytest
from alexa import USER, Speaker

from skill.stores import open_store
from skill.web.app import create_app

SESSION_MARK = "amzn1.echo-api.session."


@pytest.fixture
def practised(tmp_path, settings, library, caplog):
    """A class practised start to finish, with a pause, a session timeout, an unreadable record and refusals."""
    caplog.set_level(logging.DEBUG)  # every logger, ours and the libraries', at its most talkative
    path = tmp_path / "private.sqlite3"
    store = open_store(f"sqlite://{path}", tmp_path, "privacy-secret")
    app = create_app(dataclasses.replace(settings, verify=False), library=library, store=store)
    speaker = Speaker(app.test_client())
    store.save(store.user_key(USER), {"v": 1})
    with sqlite3.connect(path) as conn:  # damaged behind the store's back: logged by hashed key only
        conn.execute("UPDATE practice SET record = 'not json at all'")
    assert speaker.open().text.startswith("I couldn't read where you were")
    speaker.say("StartClassIntent", practice=("low back release", "low_back_release"))
    reply = speaker.say("ContinueIntent")
    speaker.wait(60)
    speaker.say("AMAZON.PauseIntent")
    speaker.wait(3600)
    speaker.say("AMAZON.ResumeIntent")
    speaker.walk_away()
    reply = speaker.say("ContinueIntent")
    for _ in range(40):  # a whole class is 13 segments in flow mode
        if reply.ends:
            break
        speaker.listen(reply)
        reply = speaker.say("ContinueIntent")
    assert library.get("low_back_release").closing in reply.text
    speaker.post(b'{"not": "alexa", "userId": "' + USER.encode() + b'"}')  # refused: the body is not logged
    store.close()
    return speaker, path, caplog.text


def test_logs_carry_no_ids_bodies_or_speech(practised):
    speaker, _, logs = practised
    assert len(speaker.replies) > 10 and logs, "the class ran and something was logged"
    assert USER not in logs and USER.split(".")[-1][:24] not in logs
    assert SESSION_MARK not in logs and '"request"' not in logs and "<speak>" not in logs
    sentences = {s.strip() for reply in speaker.replies for s in re.split(r"(?<=[.!?])\s", reply.text)}
    spoken = [s for s in sentences if len(s) > 24]  # long enough to be the skill's own words, not a log phrase
    assert spoken and not [s for s in spoken if s in logs]


def test_the_logged_record_key_is_the_hash(practised, tmp_path):
    _, _, logs = practised
    store = open_store("memory", tmp_path, "privacy-secret")
    assert "is unreadable" in logs and store.user_key(USER) in logs


def test_the_database_holds_no_id_in_the_clear(practised):
    _, path, _ = practised
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert raw and USER.encode() not in raw and SESSION_MARK.encode() not in raw
