"""GET /audio/…: streams as an Echo or a browser fetches them, through the real Flask app and the rendered audio."""
from __future__ import annotations

import re

import pytest
from conftest import SEQUENCES

from skill.practice.plan import Plan
from skill.web.app import create_app

pytestmark = pytest.mark.audio


@pytest.fixture(scope="module")
def audio_client(rendered, library, tmp_path_factory):
    from alexa import SKILL_ID

    from skill.config import Settings
    from skill.stores.memory import MemoryStore

    settings = Settings(sequences=SEQUENCES, data_dir=tmp_path_factory.mktemp("data"), verify=False,
                        skill_id=SKILL_ID)
    return create_app(settings, library=library, store=MemoryStore(), audio=rendered).test_client()


@pytest.fixture(scope="module")
def name(rendered, library) -> str:
    """A real stream's name: the lunge on the right side of Low Back Release, as written."""
    practice = library.get("low_back_release")
    index = next(s.index for s in practice.steps if s.pose.id == "low_lunge")
    return rendered.step_ref(practice, Plan.full(practice), index).name


@pytest.fixture(scope="module")
def whole(audio_client, name) -> bytes:
    answer = audio_client.get(f"/audio/{name}")
    assert answer.status_code == 200
    return answer.data


class TestServing:
    def test_a_stream_is_mp3_with_a_strong_etag_and_a_long_life(self, audio_client, name, whole, rendered):
        """audio/mpeg, its whole length, byte ranges offered, a strong ETag, and cached for a year."""
        answer = audio_client.get(f"/audio/{name}")
        assert answer.mimetype == "audio/mpeg" and answer.headers["Accept-Ranges"] == "bytes"
        assert int(answer.headers["Content-Length"]) == len(whole) == len(rendered.stream(name).data)
        assert re.fullmatch(r'"[0-9a-f]{32}"', answer.headers["ETag"]), "a strong ETag, not W/"
        assert "max-age=31536000" in answer.headers["Cache-Control"]

    def test_the_first_bytes(self, audio_client, name, whole):
        answer = audio_client.get(f"/audio/{name}", headers={"Range": "bytes=0-143"})
        assert answer.status_code == 206 and answer.data == whole[:144]
        assert answer.headers["Content-Range"] == f"bytes 0-143/{len(whole)}"

    def test_bytes_from_the_middle(self, audio_client, name, whole):
        """A device seeking to the middle of a hold gets exactly those bytes."""
        middle = len(whole) // 2
        answer = audio_client.get(f"/audio/{name}", headers={"Range": f"bytes={middle}-{middle + 999}"})
        assert answer.status_code == 206 and answer.data == whole[middle:middle + 1000]

    def test_an_open_range_runs_to_the_end(self, audio_client, name, whole):
        answer = audio_client.get(f"/audio/{name}", headers={"Range": f"bytes={len(whole) - 100}-"})
        assert answer.status_code == 206 and answer.data == whole[-100:]

    def test_a_range_past_the_end_is_416_with_the_length(self, audio_client, name, whole):
        answer = audio_client.get(f"/audio/{name}", headers={"Range": f"bytes={len(whole) + 10}-"})
        assert answer.status_code == 416
        assert answer.headers["Content-Range"] == f"bytes */{len(whole)}"

    def test_if_none_match_with_the_etag_is_304(self, audio_client, name):
        etag = audio_client.get(f"/audio/{name}").headers["ETag"]
        answer = audio_client.get(f"/audio/{name}", headers={"If-None-Match": etag})
        assert answer.status_code == 304 and answer.data == b""

    def test_the_same_name_always_has_the_same_bytes(self, audio_client, name, whole, rendered):
        """Assembled again from the cache (not remembered), the stream is byte for byte the same."""
        rendered._streams.clear()
        assert audio_client.get(f"/audio/{name}").data == whole


class TestRefused:
    @pytest.mark.parametrize("path", [
        "/audio/../sequences/poses.yaml",
        "/audio/%2e%2e/%2e%2e/etc/passwd",
        "/audio//etc/passwd",
        "/audio/low_back_release/0000000000000000/3-30-n.mp3",  # a stale or forged tag
        "/audio/no_such_class/0123456789abcdef/1-30-n.mp3",
        "/audio/low_back_release/{tag}/999-30-n.mp3",  # no such step
        "/audio/low_back_release/{tag}/3-99999-n.mp3",  # a hold out of all reason
        "/audio/low_back_release/{tag}/3-30-x.mp3",
        "/audio/low_back_release/{tag}/3-30-n.wav",
        "/audio/low_back_release/{tag}/setup-999.mp3",
        "/audio/low_back_release/{tag}/3-30-n.mp3/../../x",
        "/audio/",
    ])
    def test_anything_but_a_real_stream_name_is_404_json(self, audio_client, name, path):
        tag = name.split("/")[1]
        answer = audio_client.get(path.format(tag=tag))
        assert answer.status_code == 404 and answer.is_json
        assert set(answer.get_json()) == {"error"}

    def test_names_carry_nothing_about_a_person(self, name):
        """A stream's name is the class, a hash of the class and voice, the step, the hold and whether the pose
        is named: the same for everyone."""
        assert re.fullmatch(r"[a-z_]+/[0-9a-f]{16}/\d+-\d+-[nq]\.mp3", name)

    def test_with_no_audio_every_name_is_unknown(self, app, name):
        """A host with no voice serves no audio at all."""
        answer = app.test_client().get(f"/audio/{name}")
        assert answer.status_code == 404 and answer.get_json() == {"error": "no such audio"}
