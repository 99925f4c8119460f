"""Amazon Polly and S3, for hosts on AWS.

AWS cannot be reached from here, so both are moto's `mock_aws`, which answers boto3's real requests in process.
moto's Polly returns eight zero bytes for any text (it does not speak), so these tests check what we send and
what we make of the answer; the S3 tests check the objects really written and read back. The local voice that
renders the class for the upload is real (Festival).
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import boto3
import pytest
from moto import mock_aws
from test_dynamodb import fake_aws_environment

from skill.audio import mp3, open_backend
from skill.audio.voices import PollyVoice, from_setting
from skill.cli import main
from skill.errors import AudioError
from skill.practice import ssml

pytestmark = pytest.mark.audio

BUCKET = "gentle-yoga-audio"


@pytest.fixture
def aws(monkeypatch, tmp_path):
    fake_aws_environment(monkeypatch, tmp_path, region="us-east-1")
    with mock_aws():
        yield


class TestPolly:
    def test_it_asks_for_a_neural_voice_with_ssml_and_a_calm_rate(self, aws):
        """The request: neural engine, SSML text (escaped, inside a slower prosody), PCM at 16 kHz, the voice."""
        voice = PollyVoice("Joanna", region="us-east-1")
        sent: list[dict] = []
        voice.client().meta.events.register("before-call.polly.SynthesizeSpeech",
                                             lambda params, **_: sent.append(json.loads(params["body"])))
        [(pcm, rate)] = voice.render(['Knees & hips "soft". Exhale.'])
        [body] = sent
        assert (body["Engine"], body["OutputFormat"], body["SampleRate"]) == ("neural", "pcm", "16000")
        assert (body["TextType"], body["VoiceId"]) == ("ssml", "Joanna")
        assert ssml.problems(body["Text"]) == []
        prosody = ET.fromstring(body["Text"]).find("prosody")
        assert prosody.get("rate") == "90%" and prosody.text == 'Knees & hips "soft". Exhale.'
        assert (pcm, rate) == (bytes(8), 16_000), "moto's stand-in audio, passed on as it came"

    def test_what_polly_returns_is_encoded_like_any_clip(self, aws):
        """PCM at 16 kHz becomes the product's 24 kHz MP3 (LAME resamples): whole frames of our one format."""
        [(pcm, rate)] = PollyVoice("Matthew").render(["Rest."])
        clip = mp3.encode(pcm * 4000, rate)  # moto's eight bytes (four samples), repeated: a second
        assert clip.frames >= 41 and mp3.count_frames(clip.data) == clip.frames

    def test_a_slower_pace_is_a_slower_prosody_and_another_cache_key(self):
        voice = PollyVoice("Joanna")
        slower = voice.at_rate(0.8)
        assert '<prosody rate="72%">' in slower.ssml("Rest.") and slower.key != voice.key

    def test_polly_refusing_is_an_audio_error_in_a_sentence(self, aws):
        """An unknown voice id is refused by the service; the error says Polly could not speak, and why."""
        with pytest.raises(AudioError, match="Amazon Polly could not speak"):
            PollyVoice("NoSuchVoice").render(["Rest."])

    def test_the_setting_names_polly_and_the_voice(self):
        voice, why = from_setting("polly:Ruth")
        assert isinstance(voice, PollyVoice) and voice.voice == "Ruth" and "Amazon Polly Ruth (neural)" in why


class TestS3:
    @pytest.fixture
    def bucket(self, aws):
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        return s3

    def test_clips_kept_in_s3_read_back_and_damage_is_noticed(self, bucket):
        """The S3 clip cache writes whole entries and reads them back; a damaged object is a miss, not a clip."""
        from skill.audio.clips import ClipCache, clip_key

        backend = open_backend(f"s3://{BUCKET}/lambda")
        clip = mp3.Clip.parse(mp3.silence(10))
        ClipCache(backend).get("voice", "Rest.", lambda: clip)
        key = f"lambda/clips/{clip_key('voice', 'Rest.')}.clip"
        assert bucket.head_object(Bucket=BUCKET, Key=key)["ContentLength"] > len(clip.data)
        assert ClipCache(backend).peek("voice", "Rest.") == clip
        bucket.put_object(Bucket=BUCKET, Key=key, Body=b"damaged")
        assert ClipCache(backend).peek("voice", "Rest.") is None

    def test_render_upload_puts_every_stream_of_a_class_in_s3(self, bucket, tiny, sequences_dir, monkeypatch,
                                                              capsys):
        """`render --upload s3://BUCKET/PREFIX` on a small class: every step's stream and the closing are objects
        of audio/mpeg that are whole MP3, with the clips beside them; a second upload renders nothing."""
        monkeypatch.setenv("GENTLE_YOGA_VOICE", "local")
        assert main(["--sequences", str(sequences_dir), "render", "--upload", f"s3://{BUCKET}/skill"]) == 0
        listed = [o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]]
        streams = [k for k in listed if k.startswith("skill/audio/tiny/")]
        practice = tiny.get("tiny")
        assert len(streams) == len(practice.steps) + 1  # every step as written, and the closing
        assert any(k.endswith("/closing.mp3") for k in streams)
        assert any(k.startswith("skill/clips/") for k in listed)
        for key in streams:
            head = bucket.head_object(Bucket=BUCKET, Key=key)
            assert head["ContentType"] == "audio/mpeg" and "immutable" in head["CacheControl"]
            mp3.count_frames(bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        assert "Uploaded" in capsys.readouterr().err
        assert main(["--sequences", str(sequences_dir), "render", "--upload", f"s3://{BUCKET}/skill"]) == 0
        assert "; 0 clips rendered" in capsys.readouterr().err
