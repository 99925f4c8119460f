"""Every class rendered in the real local voice (Festival), assembled, decoded by ffmpeg and read by tag readers.

The `rendered` fixture renders every clip the classes can say once per run; these tests check that the engine's
timeline is the audio's own, that the cache works, and that a class becomes a whole MP3 with chapters.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from audiotools import decoded_seconds, probe

from skill.audio.assemble import Audio, class_texts
from skill.audio.clips import ClipCache, DiskBackend, clip_key
from skill.audio.recording import mp3_bytes, timed_chapters
from skill.config import ROOT
from skill.practice import cues
from skill.practice.plan import Plan, active, announces, for_minutes, remaining_seconds
from skill.practice.speech import Say, seconds
from skill.practice.timing import timing

pytestmark = [pytest.mark.audio, pytest.mark.slow]


def plans(practice, pace):
    return {"as written": Plan.full(practice), "twenty minutes or less": for_minutes(practice, 20, pace)}


class TestZeroDrift:
    def test_every_step_stream_is_as_long_as_the_engine_plans_it_within_50_ms(self, rendered, library):
        """For every class, as written and shortened, each step's assembled stream lasts what the engine's timeline
        says (its measured speech plus exact silences), to within 50 ms; in practice to within half a frame."""
        pace = rendered.pace
        worst = 0.0
        for practice in library:
            for name, plan in plans(practice, pace).items():
                for index in active(practice, plan):
                    stream = rendered.stream(rendered.step_ref(practice, plan, index).name)
                    planned = timing(practice, plan, pace).seconds(index)
                    worst = max(worst, abs(stream.seconds - planned))
                    assert stream.seconds == pytest.approx(planned, abs=0.05), (practice.id, name, index)
        assert worst <= 0.0121, "silences are placed by the timeline, so drift never passes half a 24 ms frame"

    @pytest.mark.parametrize("practice_id", ["low_back_release", "bedtime_wind_down"])
    def test_a_whole_rendered_class_decodes_to_its_planned_length_within_a_second(self, rendered, library,
                                                                               practice_id, tmp_path):
        """The MP3 of a whole class, decoded by ffmpeg, is as long as the plan: its opening and gathering time,
        then the engine's remaining time for every step and the closing words."""
        practice = library.get(practice_id)
        plan = Plan.full(practice)
        parts, pace = timed_chapters(rendered, practice, plan)
        data, length = mp3_bytes(rendered, practice, parts)
        path = tmp_path / "class.mp3"
        path.write_bytes(data)
        opening = seconds(parts[0].speech, pace)
        closing_words = seconds(parts[-1].speech, pace)
        steps = remaining_seconds(practice, plan, 0, pace) - timing(practice, practice.written, pace).closing
        planned = opening + steps + closing_words
        assert decoded_seconds(path) == pytest.approx(planned, abs=1.0)
        assert decoded_seconds(path) == pytest.approx(length, abs=0.001), "frames counted = samples decoded"

    def test_the_engine_times_speech_as_measured_not_by_the_words_a_minute_estimate(self, rendered, library):
        """With audio, a cue's time is its clip's length (whole frames), not its word count at 140 a minute."""
        practice = library.get("low_back_release")
        cue = practice.steps[2].cue
        measured = rendered.pace.measured.seconds[cue]
        assert measured == pytest.approx(round(measured / 0.024) * 0.024)
        assert seconds((Say(cue),), rendered.pace) == measured
        assert seconds((Say(cue),), rendered.base) != measured


class TestCache:
    def test_a_second_render_of_every_class_calls_the_voice_zero_times(self, rendered, library, audio_cache):
        """A new cache over the same folder prepares every class and assembles every stream with no render."""
        warm = Audio(rendered.audio.voice, ClipCache(DiskBackend(audio_cache / "clips")))
        warm.prepare(library, rendered.base)
        for practice in library:
            plan = Plan.full(practice)
            for index in active(practice, plan):
                warm.assemble(cues.step_speech(practice.steps[index], plan.holds[index],
                                               announces(practice, plan, index), rendered.pace))
        assert warm.cache.renders == 0

    def test_a_corrupt_clip_on_disk_is_rendered_again_and_the_class_still_plays(self, rendered, library,
                                                                               audio_cache, tmp_path):
        """Damage one clip's file: the next cache notices, renders that one clip again, and its length is whole.
        (The damage is done to a copy in a cache of the test's own: other tests, and other xdist workers, read the
        shared one at the same time.)"""
        text = class_texts(library.get("hip_release"), rendered.base)[3]
        key = clip_key(rendered.audio.voice.key, text)
        backend = DiskBackend(tmp_path / "clips")
        path = backend.path(key)
        path.parent.mkdir(parents=True)
        good = DiskBackend(audio_cache / "clips").path(key).read_bytes()
        path.write_bytes(good[: len(good) - 77])
        fresh = Audio(rendered.audio.voice, ClipCache(backend))
        clip = fresh.clip(text)
        assert fresh.cache.renders == 1
        assert clip.seconds == rendered.pace.measured.seconds[text], "the same voice renders the same length"
        assert path.read_bytes() != good[: len(good) - 77]


@pytest.fixture(scope="module")
def whole(rendered, library, tmp_path_factory) -> Path:
    """Low Back Release as one tagged MP3."""
    practice = library.get("low_back_release")
    data, _ = mp3_bytes(rendered, practice, timed_chapters(rendered, practice, Plan.full(practice))[0])
    path = tmp_path_factory.mktemp("mp3") / "low_back_release.mp3"
    path.write_bytes(data)
    return path


class TestChapters:
    def test_a_real_tag_reader_finds_a_chapter_per_pose_in_english_and_sanskrit(self, whole, library):
        """mutagen reads the CTOC and CHAP frames: welcome, each pose (with its Sanskrit name), the closing."""
        from mutagen.id3 import ID3

        tags = ID3(whole)
        toc = tags.getall("CTOC")[0]
        chaps = {frame.element_id: frame for frame in tags.getall("CHAP")}
        titles = [chaps[i].sub_frames["TIT2"].text[0] for i in toc.child_element_ids]
        assert titles[0] == "Welcome" and titles[-1] == "Closing"
        assert "Knees to Chest (Apanasana)" in titles
        assert "Reclined Hand to Big Toe (Supta Padangusthasana), right side" in titles
        assert "Reclined Hand to Big Toe (Supta Padangusthasana), left side" in titles
        assert tags["TIT2"].text[0] == "Low Back Release"
        times = [(chaps[i].start_time, chaps[i].end_time) for i in toc.child_element_ids]
        assert times[0][0] == 0 and all(a[1] == b[0] for a, b in zip(times, times[1:], strict=False))

    def test_ffprobe_sees_the_same_chapters_and_a_stream_alexa_and_browsers_play(self, whole):
        """24 kHz mono MP3 at 48 kbps, and chapters that end where the audio ends."""
        info = probe(whole)
        [stream] = info["streams"]
        assert (stream["codec_name"], stream["sample_rate"], stream["channels"]) == ("mp3", "24000", 1)
        assert int(stream["bit_rate"]) == 48_000
        assert len(info["chapters"]) > 20
        assert float(info["chapters"][-1]["end_time"]) == pytest.approx(decoded_seconds(whole), abs=0.01)


def render(*args: str, cache: Path, voice: str = "local") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GENTLE_YOGA_AUDIO_CACHE": str(cache), "GENTLE_YOGA_VOICE": voice}
    return subprocess.run([sys.executable, "-m", "skill", "render", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


class TestRenderCommand:
    def test_it_writes_a_shortened_class_with_progress_and_a_summary(self, rendered, audio_cache, tmp_path):
        """`render hip_release --minutes 12 -o FILE` writes about 12 minutes of MP3 from the warm cache."""
        out = tmp_path / "hips.mp3"
        done = render("hip_release", "--minutes", "12", "-o", str(out), cache=audio_cache)
        assert done.returncode == 0, done.stderr
        assert "Rendering" in done.stderr and f"Wrote {out}" in done.stderr
        assert decoded_seconds(out) == pytest.approx(12 * 60, abs=0.1 * 12 * 60)

    @pytest.mark.parametrize("args, words", [
        (["no_such_class", "-o", "x.mp3"], "there is no class 'no_such_class'"),
        (["hip_release", "--minutes", "0", "-o", "x.mp3"], "--minutes 0 is out of range"),
        (["hip_release", "-o", "/proc/nowhere/x.mp3"], "cannot write into /proc/nowhere"),
        (["hip_release"], "say where to write the MP3"),
        (["--upload", "ftp://bucket"], "not an S3 address"),
    ])
    def test_bad_input_is_one_sentence_and_exit_2(self, args, words, tmp_path):
        done = render(*args, cache=tmp_path)
        assert done.returncode == 2 and words in done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1

    def test_no_voice_is_one_sentence_and_exit_2(self, tmp_path):
        done = render("hip_release", "-o", str(tmp_path / "x.mp3"), cache=tmp_path, voice="off")
        assert done.returncode == 2 and "there is no voice to render with" in done.stderr


PREPARE = """
import sys
from pathlib import Path
from skill.audio.assemble import Audio
from skill.audio.clips import ClipCache, DiskBackend
from skill.audio.voices import from_setting
from skill.classes import load_library
from skill.practice.speech import Pace
voice, _ = from_setting("local")
audio = Audio(voice, ClipCache(DiskBackend(Path(sys.argv[1]))))
audio.prepare(load_library(Path(sys.argv[2])), Pace())
print(audio.cache.renders)
"""


def test_processes_starting_together_render_the_library_once_between_them(tiny, sequences_dir, tmp_path):
    """Two processes (gunicorn's workers, say) preparing one cold cache at once: one renders every clip and the
    chime, the other waits for it and renders none."""
    from skill.audio.assemble import class_texts
    from skill.practice.speech import Pace

    cache = tmp_path / "clips"
    runs = [subprocess.Popen([sys.executable, "-c", PREPARE, str(cache), str(sequences_dir)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True) for _ in range(2)]
    renders = sorted(int(run.communicate(timeout=300)[0].strip()) for run in runs)
    assert renders == [0, len(set(class_texts(tiny.get("tiny"), Pace()))) + 1]
