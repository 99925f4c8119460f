"""The class on a speaker's audio player through the Lambda handler, its audio served from S3.

AWS cannot be reached from here, so S3 and DynamoDB are moto's `mock_aws` (boto3's real requests, answered in
process). `python -m skill render --upload s3://BUCKET/PREFIX` puts a small class in the bucket (rendered for
real in the local voice, Festival); the Lambda then answers real envelopes (ask-sdk-model shapes, as dicts) with
GENTLE_YOGA_PUBLIC_URL at the bucket's https address. The speaker (tests/device.py) follows the directives alone
and fetches every stream it plays from the bucket, so a Play naming an object that is not there fails the test.
"""
from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from alexa import SKILL_ID, START, USER, Reply
from device import Device
from moto import mock_aws
from test_dynamodb import fake_aws_environment
from test_lambda import Context

from skill import lambda_function
from skill.cli import main
from skill.practice import ssml
from skill.stores.dynamodb import create_table

pytestmark = pytest.mark.audio

BUCKET = "gentle-yoga-audio"
PREFIX = "skill"
PUBLIC = f"https://{BUCKET}.s3.us-east-1.amazonaws.com/{PREFIX}"
TABLE = "gentle-yoga-lambda-audio"
CLASS = ("tiny flow", "tiny")
PLAYER = ("AudioPlayer.", "PlaybackController.")


@pytest.fixture
def aws_lambda(monkeypatch, tmp_path, tiny, sequences_dir):
    """The tiny class uploaded to S3 by `render --upload`, and a Lambda's environment that plays it from there."""
    for name in [n for n in os.environ if n.startswith("GENTLE_YOGA_")]:
        monkeypatch.delenv(name)
    fake_aws_environment(monkeypatch, tmp_path, region="us-east-1")
    monkeypatch.setenv("GENTLE_YOGA_VOICE", "local")
    lambda_function.reset()
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        assert main(["--sequences", str(sequences_dir), "render", "--upload", f"s3://{BUCKET}/{PREFIX}"]) == 0
        create_table(TABLE)
        monkeypatch.setenv("GENTLE_YOGA_SEQUENCES", str(sequences_dir))
        monkeypatch.setenv("GENTLE_YOGA_STORE", f"dynamodb://{TABLE}")
        monkeypatch.setenv("GENTLE_YOGA_ID_SECRET", "0123456789abcdef" * 4)
        monkeypatch.setenv("GENTLE_YOGA_SKILL_ID", SKILL_ID)
        monkeypatch.setenv("GENTLE_YOGA_DATA_DIR", str(tmp_path / "read-only-on-lambda"))
        monkeypatch.setenv("GENTLE_YOGA_AUDIO_CACHE", f"s3://{BUCKET}/{PREFIX}")
        monkeypatch.setenv("GENTLE_YOGA_PUBLIC_URL", PUBLIC)
        yield s3
        lambda_function.reset()


class Exchanges:
    """Every request the speaker sent through lambda_handler, with its answer."""

    def __init__(self) -> None:
        self.seen: list[tuple[dict[str, Any], Reply]] = []

    def post(self, body: dict[str, Any]) -> Reply:
        reply = Reply(200, lambda_function.lambda_handler(body, Context()))
        for speech in (reply.ssml, reply.reprompt):
            assert not speech or not ssml.problems(speech), ssml.problems(speech)
        self.seen.append((body, reply))
        return reply

    def plays(self) -> list[dict[str, Any]]:
        return [d["audioItem"]["stream"] for _, reply in self.seen for d in reply.response.get("directives", [])
                if d["type"] == "AudioPlayer.Play"]


def objects(s3) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def key_of(url: str) -> str:
    assert url.startswith(f"{PUBLIC}/audio/"), url
    return urlsplit(url).path.lstrip("/")


def speaker(s3, exchanges: Exchanges) -> Device:
    """A speaker whose requests go to lambda_handler and whose streams come from the bucket."""
    return Device(post=exchanges.post, user=USER, now=START, public_url=PUBLIC,
                  fetch=lambda path: s3.get_object(Bucket=BUCKET, Key=path.lstrip("/"))["Body"].read())


def step(token: str) -> str:
    return token.rsplit(":", 1)[1]


def test_the_lambda_plays_a_class_from_s3_and_answers_the_player_with_player_directives_only(aws_lambda):
    """Launch and start on a speaker with an audio player, play, shorten (a stream the Lambda publishes), pause
    (the PauseIntent and the device's PlaybackStopped), resume in a new container, and play to the end: every
    Play names an object in the bucket, and answers to the player carry AudioPlayer directives and nothing else."""
    s3 = aws_lambda
    uploaded = objects(s3)
    exchanges = Exchanges()
    device = speaker(s3, exchanges)
    welcome = device.open()
    assert welcome.text and not exchanges.plays(), "a launch speaks; nothing plays until a class is chosen"
    start = device.say("StartClassIntent", practice=CLASS)
    assert "You'll need a mat and a strap" in start.text
    [setup] = exchanges.plays()
    assert step(setup["token"]) == "setup" and start.ends
    device.run(100)
    assert step(device.playing.token) not in ("setup", "closing")

    shorter = device.say("ShorterIntent", minutes="5")
    assert "to go" in shorter.text
    published = {key_of(s["url"]) for s in exchanges.plays()} - uploaded
    assert [k for k in published if "/setup-" not in k], \
        "the shorter class plays a step at a hold that was not uploaded: the Lambda puts it in the bucket"
    assert published <= objects(s3)

    device.run(20)
    token, offset = device.playing.token, device.offset_ms()
    pause = device.say("AMAZON.PauseIntent")
    assert {d["type"] for d in pause.response["directives"]} == {"AudioPlayer.Stop", "AudioPlayer.ClearQueue"}
    stopped = [body for body, _ in exchanges.seen if body["request"]["type"] == "AudioPlayer.PlaybackStopped"]
    assert stopped and stopped[-1]["request"]["offsetInMilliseconds"] == offset

    lambda_function.reset()  # the next request reaches a new container: the place comes from DynamoDB
    device.now += 90
    resume = device.say("AMAZON.ResumeIntent")
    [stream] = [d["audioItem"]["stream"] for d in resume.response["directives"] if d["type"] == "AudioPlayer.Play"]
    assert step(stream["token"]) == step(token) and stream["offsetInMilliseconds"] == offset
    device.run_to_end()
    assert step(device.started[-1]) == "closing"

    kinds = {body["request"]["type"] for body, _ in exchanges.seen}
    assert {"AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackNearlyFinished", "AudioPlayer.PlaybackFinished",
            "AudioPlayer.PlaybackStopped"} <= kinds
    for body, reply in exchanges.seen:
        if body["request"]["type"].startswith(PLAYER):
            assert set(reply.response) <= {"directives", "type"}, (body["request"]["type"], reply.response)
            assert all(d["type"].startswith("AudioPlayer.") for d in reply.response.get("directives", []))
    keys = {key_of(s["url"]) for s in exchanges.plays()}
    assert keys <= objects(s3), keys - objects(s3)
    assert device.utterances == 5


def test_the_buttons_through_the_lambda_get_player_directives_only(aws_lambda):
    """PlaybackController requests (the device's buttons) through lambda_handler: no speech, only AudioPlayer
    directives, and the streams they play are in the bucket."""
    s3 = aws_lambda
    exchanges = Exchanges()
    device = speaker(s3, exchanges)
    device.say("StartClassIntent", practice=CLASS)
    device.run(90)
    for kind in ("PauseCommandIssued", "PlayCommandIssued", "NextCommandIssued", "PreviousCommandIssued"):
        body = device.player_body("PlaybackStarted", "", 0)
        body["request"] = {"type": f"PlaybackController.{kind}", "requestId": f"amzn1.echo-api.request.{kind}",
                           "timestamp": body["request"]["timestamp"], "locale": "en-US"}
        reply = device.send(body)
        assert "outputSpeech" not in reply.response and reply.response.get("directives")
        assert all(d["type"].startswith("AudioPlayer.") for d in reply.response["directives"])
        device.apply(reply)
        device.run(3)
    assert {key_of(s["url"]) for s in exchanges.plays()} <= objects(s3)


def test_without_a_public_url_the_lambda_speaks_the_class(aws_lambda, monkeypatch):
    """With no public base for the audio the Lambda cannot play it, so the class is spoken (SSML), as before."""
    monkeypatch.delenv("GENTLE_YOGA_PUBLIC_URL")
    lambda_function.reset()
    exchanges = Exchanges()
    device = speaker(aws_lambda, exchanges)
    reply = device.say("StartClassIntent", practice=CLASS)
    assert not exchanges.plays() and reply.text and not reply.ends
    assert lambda_function.current().audio is None
