"""The audio layer's parts on their own: MP3 frames, silence, the chime, the clip cache, pronunciation, settings.

Audio is encoded by the real LAME (lameenc) and decoded by the real ffmpeg; nothing here is simulated.
"""
from __future__ import annotations

import array
import math
import threading
from pathlib import Path

import pytest
from audiotools import decoded_samples, peak

from skill.audio import chime, mp3
from skill.audio.clips import ClipCache, DiskBackend, clip_key
from skill.audio.lexicon import SANSKRIT, festival_entry, syllables
from skill.audio.voices import from_setting
from skill.config import Settings
from skill.errors import AudioError, ConfigError

pytestmark = pytest.mark.audio


def tone(seconds: float, rate: int = 22_050, hz: float = 440.0) -> bytes:
    count = int(seconds * rate)
    return array.array("h", (int(8000 * math.sin(2 * math.pi * hz * n / rate)) for n in range(count))).tobytes()


@pytest.fixture(scope="module")
def clip() -> mp3.Clip:
    return mp3.encode(tone(1.0), 22_050)


class TestFrames:
    def test_an_encoded_clip_is_whole_frames_that_a_decoder_plays_for_exactly_their_length(self, clip, tmp_path):
        """LAME's output at 22.05 kHz in is 24 kHz, 48 kbps, 144-byte frames; ffmpeg decodes 576 samples a frame."""
        path = tmp_path / "clip.mp3"
        path.write_bytes(clip.data)
        assert len(clip.data) == 144 * clip.frames
        assert 1.0 <= clip.seconds <= 1.2  # one second of tone, plus the encoder's delay and padding
        assert decoded_samples(path) == clip.frames * 576

    def test_silence_is_frames_of_nothing(self, tmp_path):
        """A run of built silent frames decodes to exactly that many samples, every one zero."""
        path = tmp_path / "quiet.mp3"
        path.write_bytes(mp3.silence(125))
        assert decoded_samples(path) == 125 * 576
        assert peak(path) == 0

    def test_clips_and_silence_laid_end_to_end_decode_to_the_sum_of_their_lengths(self, clip, tmp_path):
        """Concatenation is exact: this is what lets a stream's length be known without decoding it."""
        path = tmp_path / "joined.mp3"
        path.write_bytes(clip.data + mp3.silence(40) + clip.data)
        assert mp3.count_frames(path.read_bytes()) == 2 * clip.frames + 40
        assert decoded_samples(path) == (2 * clip.frames + 40) * 576

    @pytest.mark.parametrize("damage", ["cut", "garbage", "empty", "other format"])
    def test_anything_but_whole_frames_of_our_format_is_refused(self, clip, damage):
        """A cut-off clip, stray bytes, nothing at all, or MP3 at another rate is an AudioError, never a clip."""
        if damage == "other format":
            import lameenc

            encoder = lameenc.Encoder()
            encoder.set_bit_rate(128)
            encoder.set_in_sample_rate(44_100)
            encoder.set_channels(1)
            data = bytes(encoder.encode(tone(0.5, 44_100)) + encoder.flush())
        else:
            data = {"cut": clip.data[:-10], "garbage": clip.data + b"\x00junk", "empty": b""}[damage]
        with pytest.raises(AudioError):
            mp3.Clip.parse(data)

    @pytest.mark.parametrize("seconds, frames", [(0, 0), (0.011, 0), (0.013, 1), (1.0, 42), (10.0, 417)])
    def test_a_length_becomes_the_nearest_whole_number_of_24_ms_frames(self, seconds, frames):
        assert mp3.frames_for(seconds) == frames


def goertzel(samples: list[float], rate: int, hz: float) -> float:
    """The strength of one frequency in samples (a plain single-bin DFT)."""
    k = 2 * math.cos(2 * math.pi * hz / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return math.sqrt(max(s1 * s1 + s2 * s2 - k * s1 * s2, 0.0))


@pytest.fixture(scope="module")
def bowl() -> list[int]:
    return list(array.array("h", chime.bowl()))


class TestChime:
    def test_it_is_soft_and_ends_in_true_silence(self, bowl):
        """Its loudest sample stays well below full scale, and its last sample is zero."""
        assert len(bowl) == int(mp3.RATE * chime.SECONDS)
        assert max(abs(s) for s in bowl) <= 0.32 * 32767
        assert bowl[-1] == 0

    def test_it_rings_and_fades_like_a_bowl(self, bowl):
        """Loud at the strike, much quieter a second later: a decaying ring, not a beep."""
        def rms(part: list[int]) -> float:
            return math.sqrt(sum(s * s for s in part) / len(part))

        early, late = bowl[: mp3.RATE // 4], bowl[mp3.RATE: mp3.RATE + mp3.RATE // 4]
        assert rms(late) < rms(early) / 2

    def test_its_fundamental_is_the_strongest_of_its_partials(self, bowl):
        """The 528 Hz tone carries it; the inharmonic partials above are there, and quieter."""
        head = [float(s) for s in bowl[: mp3.RATE // 2]]
        fundamental = goertzel(head, mp3.RATE, 528.0)
        second = goertzel(head, mp3.RATE, 528.0 * 2.76)
        between = goertzel(head, mp3.RATE, 700.0)
        assert fundamental > second > between


class TestClipCache:
    def test_a_clip_is_rendered_once_and_then_read_back(self, clip, tmp_path):
        """A second cache over the same folder (another process, say) reads the clip and renders nothing."""
        first = ClipCache(DiskBackend(tmp_path))
        assert first.get("voice", "Breathe in.", lambda: clip) == clip and first.renders == 1
        second = ClipCache(DiskBackend(tmp_path))
        assert second.get("voice", "Breathe in.", lambda: pytest.fail("rendered again")) == clip
        assert second.renders == 0

    @pytest.mark.parametrize("damage", ["flipped byte", "cut short", "foreign file", "empty file"])
    def test_a_damaged_entry_is_rendered_again_never_served(self, clip, tmp_path, damage):
        """Whatever happened to the file, the clip served is the real one, rendered anew and kept."""
        backend = DiskBackend(tmp_path)
        ClipCache(backend).get("voice", "Breathe out.", lambda: clip)
        path = backend.path(clip_key("voice", "Breathe out."))
        data = path.read_bytes()
        path.write_bytes({"flipped byte": data[:500] + bytes([data[500] ^ 0xFF]) + data[501:],
                          "cut short": data[: len(data) // 2], "foreign file": b"<html>not audio</html>",
                          "empty file": b""}[damage])
        fresh = ClipCache(backend)
        assert fresh.get("voice", "Breathe out.", lambda: clip) == clip
        assert fresh.renders == 1
        assert ClipCache(backend).peek("voice", "Breathe out.") == clip, "the damaged entry was replaced"

    def test_threads_asking_for_one_new_clip_render_it_once(self, clip, tmp_path):
        """Eight requests at once for the same new clip: one render, and all eight get it."""
        cache = ClipCache(DiskBackend(tmp_path))
        got: list[mp3.Clip] = []
        gate = threading.Barrier(8)

        def ask() -> None:
            gate.wait()
            got.append(cache.get("voice", "Rest.", lambda: clip))

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert cache.renders == 1 and got == [clip] * 8

    def test_two_caches_writing_one_clip_at_once_leave_a_whole_entry(self, clip, tmp_path):
        """Two processes' caches racing on one key both write whole files by rename; the entry reads back."""
        caches = [ClipCache(DiskBackend(tmp_path)) for _ in range(2)]
        gate = threading.Barrier(2)

        def write(cache: ClipCache) -> None:
            gate.wait()
            for _ in range(20):
                cache.put("voice", "Soften.", clip)

        threads = [threading.Thread(target=write, args=(c,)) for c in caches]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert ClipCache(DiskBackend(tmp_path)).peek("voice", "Soften.") == clip
        assert not list(tmp_path.rglob("*.part")), "no temporary file is left behind"

    def test_the_key_changes_with_the_text_and_the_voice(self):
        keys = {clip_key(v, t) for v in ("a", "b") for t in ("Rest.", "Rest. ")}
        assert len(keys) == 4


CMU_VOWELS = {"aa", "ae", "ah", "ao", "aw", "ax", "ay", "eh", "er", "ey", "ih", "iy", "ow", "oy", "uh", "uw"}


class TestPronunciation:
    def test_every_sanskrit_word_in_the_catalog_has_syllables_with_one_vowel_and_one_stress(self, library):
        """Each catalog Sanskrit word becomes Festival syllables: one vowel each, exactly one stressed."""
        words = {w for p in library for s in p.steps if s.pose.sanskrit for w in s.pose.sanskrit.split()
                 if SANSKRIT.fullmatch(w)}
        assert len(words) >= 20
        for word in words:
            parts = syllables(word)
            assert sum(stress for _, stress in parts) == 1, word
            for phones, _ in parts:
                assert sum(p in CMU_VOWELS for p in phones) == 1, (word, phones)

    @pytest.mark.parametrize("word, expected", [
        ("Balasana", "(((b aa) 0) ((l aa) 1) ((s ax) 0) ((n ax) 0))"),
        ("Savasana", "(((sh aa) 0) ((v aa) 1) ((s ax) 0) ((n ax) 0))"),
        ("Adho", "(((aa) 1) ((d ow) 0))"),
    ])
    def test_words_are_said_as_a_teacher_says_them(self, word, expected):
        """bah-LAH-suh-nuh, shah-VAH-suh-nuh (not "say-vuh"), AH-doh: worked out by hand."""
        assert festival_entry(word) == f'(lex.add.entry \'("{word.lower()}" nil {expected}))'


class TestSettings:
    @pytest.mark.parametrize("name, value, words", [
        ("GENTLE_YOGA_VOICE", "siri", "polly:NAME"),
        ("GENTLE_YOGA_CHIMES", "loud", "on or off"),
        ("GENTLE_YOGA_PUBLIC_URL", "http://example.com", "https"),
    ])
    def test_a_bad_audio_setting_is_one_clear_sentence(self, name, value, words):
        with pytest.raises(ConfigError, match=words):
            Settings.from_env({name: value})

    @pytest.mark.parametrize("value, words", [("local:say", "the local engines are"),
                                              ("local:festival:ringo", "festival has slt, kal")])
    def test_a_voice_we_do_not_have_is_named_with_the_ones_we_do(self, value, words):
        with pytest.raises(ConfigError, match=words):
            from_setting(value)

    def test_no_engine_installed_means_no_voice_and_says_what_to_install(self, monkeypatch, tmp_path):
        """With festival not on the PATH, there is no voice, and the sentence names the Debian packages."""
        monkeypatch.setenv("PATH", str(tmp_path))
        voice, why = from_setting("local")
        assert voice is None and "apt-get install festival festvox-us-slt-hts" in why

    def test_off_means_no_voice(self):
        assert from_setting("off") == (None, "no voice (GENTLE_YOGA_VOICE=off): classes are spoken by Alexa, "
                                             "timed by estimate")


def test_the_default_setting_is_the_local_voice_and_settings_made_in_code_have_none():
    """GENTLE_YOGA_VOICE defaults to local for people; a Settings built by a test renders nothing unasked."""
    assert Settings.from_env({}).voice == "local"
    assert Settings(sequences=Path("s"), data_dir=Path("d")).voice == "off"
