"""The Lambda entry point: real request envelopes, as dicts, through lambda_handler to DynamoDB and back.

AWS cannot be reached from here, so DynamoDB is moto's `mock_aws` (boto3's real requests, answered in process),
and the handler is called the way the Lambda runtime calls it: the parsed JSON event and a context object.
Between some invocations the built skill is forgotten, as when Alexa's next request reaches a new container,
so the place must come back from the table.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys

import boto3
import pytest
import redis
from alexa import SKILL_ID, START, USER, Reply, envelope, intent, recorded
from moto import mock_aws
from test_dynamodb import fake_aws_environment
from test_stores import hashed

from skill import lambda_function
from skill.cli import main
from skill.config import ROOT
from skill.errors import ConfigError, VerificationError
from skill.practice import ssml
from skill.stores.dynamodb import create_table
from skill.stores.redis import PREFIX

pytestmark = pytest.mark.slow

TABLE = "gentle-yoga-lambda"
SECRET = "0123456789abcdef" * 4
DAY = 24 * 3600
OTHER_SKILL = "amzn1.ask.skill.00000000-1111-2222-3333-444444444444"


class Context:
    """The few fields of the Lambda runtime's context object a handler might read."""

    function_name = "gentle-yoga"
    aws_request_id = "c0ffee00-0000-4000-8000-000000000000"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 7000


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """A Lambda's environment: the table, the id secret and the skill id, and no other Gentle Yoga setting."""
    for name in [n for n in os.environ if n.startswith("GENTLE_YOGA_")]:
        monkeypatch.delenv(name)
    fake_aws_environment(monkeypatch, tmp_path, region="us-east-1")
    monkeypatch.setenv("GENTLE_YOGA_STORE", f"dynamodb://{TABLE}")
    monkeypatch.setenv("GENTLE_YOGA_ID_SECRET", SECRET)
    monkeypatch.setenv("GENTLE_YOGA_SKILL_ID", SKILL_ID)
    monkeypatch.setenv("GENTLE_YOGA_DATA_DIR", str(tmp_path / "read-only-on-lambda"))
    lambda_function.reset()
    with mock_aws():
        create_table(TABLE)
        yield boto3.client("dynamodb")
        lambda_function.reset()


def invoke(event: dict) -> Reply:
    """One invocation, as the runtime makes it; every SSML string in the answer must be valid."""
    reply = Reply(200, lambda_function.lambda_handler(event, Context()))
    for speech in (reply.ssml, reply.reprompt):
        assert not speech or not ssml.problems(speech), ssml.problems(speech)
    return reply


def new_container() -> None:
    """Alexa's next request lands on a fresh container: nothing built before is left."""
    lambda_function.reset()


def items(dynamodb) -> list[dict]:
    return dynamodb.scan(TableName=TABLE)["Items"]


class TestConversation:
    def test_start_pause_and_resume_the_next_day_in_a_new_container(self, environment):
        """Open, start Low Back Release, begin, pause mid-pose; the next day, in a new container and session,
        the welcome names the class and yes carries on with the class where it paused."""
        now = START
        welcome = invoke(envelope("launch", now, new=True, session="a"))
        assert welcome.text.startswith("Welcome to Gentle Yoga") and not welcome.ends
        chosen = invoke(intent("StartClassIntent", now, {"practice": ("low back release", "low_back_release")},
                               session="a"))
        assert "Low Back Release" in chosen.text
        begun = invoke(intent("ContinueIntent", now, session="a"))
        assert "Knees to Chest" in begun.text and not begun.ends
        now += 20
        paused = invoke(intent("AMAZON.PauseIntent", now, session="a"))
        assert paused.ends and "Paused in" in paused.text
        new_container()
        now += DAY
        back = invoke(envelope("launch", now, new=True, session="b"))
        assert "Welcome back" in back.text and "Low Back Release" in back.text and not back.ends
        carry_on = invoke(intent("AMAZON.YesIntent", now, session="b"))
        assert "pick up where you left off" in carry_on.text

    def test_the_item_is_keyed_by_the_hmac_of_the_user_id(self, environment):
        """The one item written has id = HMAC(GENTLE_YOGA_ID_SECRET, user id); the raw id is nowhere in the table."""
        invoke(intent("StartClassIntent", START, {"practice": ("hip release", "hip_release")}, new=True))
        [item] = items(environment)
        assert item["id"]["S"] == hashed(USER, SECRET.encode())
        assert USER not in repr(items(environment)) and USER.split(".")[-1] not in repr(items(environment))

    def test_skill_disabled_deletes_the_item(self, environment):
        """AlexaSkillEvent.SkillDisabled answers with nothing to say and deletes the person's item."""
        invoke(intent("StartClassIntent", START, {"practice": ("hip release", "hip_release")}, new=True))
        assert len(items(environment)) == 1
        new_container()
        reply = invoke(recorded("skill_disabled"))  # the recorded event, for USER and this skill
        assert reply.ssml == "" and items(environment) == []

    def test_the_skill_is_built_once_per_container(self, environment):
        """Invocations in one container share one skill and one store; a new container builds its own."""
        invoke(envelope("launch", START, new=True))
        first = lambda_function.current()
        invoke(envelope("launch", START + 5, new=True))
        assert lambda_function.current() is first
        new_container()
        invoke(envelope("launch", START + 10, new=True))
        assert lambda_function.current() is not first


class TestRefusals:
    def test_a_request_for_another_skill_is_refused_and_stores_nothing(self, environment):
        """With GENTLE_YOGA_SKILL_ID set, another skill's request fails the invocation and writes no item."""
        event = intent("StartClassIntent", START, {"practice": ("hip release", "hip_release")}, new=True,
                       app=OTHER_SKILL)
        with pytest.raises(VerificationError, match="the request is for another skill id"):
            invoke(event)
        assert items(environment) == []

    def test_with_no_skill_id_set_any_skill_is_answered(self, environment, monkeypatch):
        """GENTLE_YOGA_SKILL_ID empty accepts any skill id (with a warning at start), as on the web."""
        monkeypatch.setenv("GENTLE_YOGA_SKILL_ID", "")
        new_container()
        assert invoke(envelope("launch", START, new=True, app=OTHER_SKILL)).text.startswith("Welcome")

    @pytest.mark.parametrize("kind", ["CanFulfillIntentRequest", "Messaging.MessageReceived", None])
    def test_a_request_type_the_skill_does_not_answer_is_refused(self, environment, kind):
        """Request types outside translate.handles fail the invocation before the skill sees them."""
        event = envelope("launch", START, new=True)
        event["request"]["type"] = kind
        with pytest.raises(VerificationError, match="unsupported request type"):
            invoke(event)
        assert items(environment) == []

    def test_an_event_that_is_not_an_envelope_is_refused(self, environment):
        """Something other than an Alexa request (a test event from the console, say) is refused plainly."""
        with pytest.raises(VerificationError, match="not an Alexa request envelope"):
            invoke({"key1": "value1"})


class TestConfiguration:
    def test_a_missing_id_secret_is_a_config_error_naming_it(self, environment, monkeypatch):
        """Without GENTLE_YOGA_ID_SECRET the first invocation fails with a ConfigError that names the setting."""
        monkeypatch.delenv("GENTLE_YOGA_ID_SECRET")
        new_container()
        with pytest.raises(ConfigError, match="GENTLE_YOGA_ID_SECRET must be set on AWS Lambda"):
            invoke(envelope("launch", START, new=True))
        assert items(environment) == []

    @pytest.mark.parametrize("spec", ["sqlite", "memory", "sqlite:///tmp/yoga.sqlite3"])
    def test_a_store_that_dies_with_the_container_is_a_config_error(self, environment, monkeypatch, spec):
        """SQLite and memory do not outlast a Lambda container, so they are refused with a pointer to DynamoDB."""
        monkeypatch.setenv("GENTLE_YOGA_STORE", spec)
        new_container()
        with pytest.raises(ConfigError, match="does not last on AWS Lambda .* use dynamodb://TABLE"):
            invoke(envelope("launch", START, new=True))


# Run in a bare interpreter (-I -S: no site-packages, no PYTHON* variables) with only the bundle on its path, and
# call the handler the way the Lambda runtime finds it: by the module and function named in ask-resources.json.
RUNNER = """
import importlib, json, sys
bundle = sys.argv[1]
sys.path.insert(0, bundle)
module, _, name = sys.argv[2].rpartition(".")
handler = getattr(importlib.import_module(module), name)
replies = [handler(event, None) for event in json.load(sys.stdin)]
outside = sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())} - {""})
outside = [f for f in outside if not f.startswith((bundle, sys.base_prefix))]
print(json.dumps({"replies": replies, "modules": sorted({n.partition(".")[0] for n in sys.modules}),
                  "outside": outside}))
"""


class TestBundle:
    def test_the_lambda_folder_answers_alexa_with_its_own_requirements_alone(self, tmp_path, redis_url):
        """`model --package DIR --lambda` writes a code folder that, with just the packages its requirements.txt
        pins installed into it (their compiled extensions left out, as when built on a Mac for Linux), imports the
        handler named in ask-resources.json and holds a conversation, keeping state in the store it is given (a real
        Redis here), without Flask, gunicorn or cryptography."""
        package = tmp_path / "ask"
        assert main(["--sequences", str(ROOT / "sequences"), "model", "--out", str(tmp_path / "out"),
                     "--package", str(package), "--lambda"]) == 0
        resources = json.loads((package / "ask-resources.json").read_text(encoding="utf-8"))["profiles"]["default"]
        assert resources["code"] == {"default": {"src": "./lambda"}}
        infrastructure = resources["skillInfrastructure"]
        assert infrastructure["type"] == "@ask-cli/lambda-deployer"
        bundle = tmp_path / "bundle"  # what ASK CLI's python-pip build makes: the folder plus pip install -t
        shutil.copytree(package / "lambda", bundle)
        for line in (bundle / "requirements.txt").read_text(encoding="utf-8").splitlines():
            if not line or line.startswith(("#", " ")):  # a pin's hashes are on the indented lines below it
                continue
            name, version = line.split()[0].split("==")
            dist = importlib.metadata.distribution(name)
            assert dist.version == version  # the bundle gets what the tests ran on
            for file in dist.files or ():
                if file.suffix not in (".so", ".pyc") and ".." not in file.parts:
                    (bundle / file).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(dist.locate_file(file), bundle / file)
        now = START
        events = [envelope("launch", now, new=True, session="a"),
                  intent("StartClassIntent", now, {"practice": ("low back release", "low_back_release")},
                         session="a"),
                  intent("ContinueIntent", now, session="a"), intent("AMAZON.PauseIntent", now + 20, session="a")]
        env = {"PATH": os.environ.get("PATH", "/usr/bin"), "HOME": str(tmp_path), "GENTLE_YOGA_STORE": redis_url,
               "GENTLE_YOGA_ID_SECRET": SECRET, "GENTLE_YOGA_SKILL_ID": SKILL_ID}
        result = subprocess.run([sys.executable, "-I", "-S", "-c", RUNNER, str(bundle),
                                 infrastructure["userConfig"]["handler"]], input=json.dumps(events), env=env,
                                cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        ran = json.loads(result.stdout)
        replies = [Reply(200, body) for body in ran["replies"]]
        assert replies[0].text.startswith("Welcome to Gentle Yoga") and "Knees to Chest" in replies[2].text
        assert replies[3].ends and "Paused in" in replies[3].text
        assert ran["outside"] == []  # nothing came from the test's own virtual environment
        assert not set(ran["modules"]) & {"flask", "werkzeug", "gunicorn", "cryptography", "moto"}
        keys = list(redis.Redis.from_url(redis_url).scan_iter("*"))
        assert keys == [f"{PREFIX}{hashed(USER, SECRET.encode())}".encode()]


class TestDeployDoc:
    DOC = (ROOT / "docs" / "deploy-lambda.md").read_text(encoding="utf-8")

    def test_the_deployer_settings_shown_are_the_ones_written(self):
        """docs/deploy-lambda.md shows exactly the code folder and lambda-deployer settings `--lambda` writes."""
        from skill.cli.model import LAMBDA_INFRASTRUCTURE

        shown = re.search(r'```json\n("code".*?)\n```', self.DOC, re.S).group(1)
        assert json.loads("{" + shown + "}") == {"code": {"default": {"src": "./lambda"}},
                                                 "skillInfrastructure": LAMBDA_INFRASTRUCTURE}

    def test_the_iam_policy_allows_exactly_the_calls_the_store_makes(self, environment):
        """The policy in the doc names the DynamoDB actions the store really calls (watched on boto3's own event
        hook while the skill saves, reads and deletes), and no others."""
        policy = json.loads(re.search(r'```json\n(\{\n  "Version".*?)\n```', self.DOC, re.S).group(1))
        [statement] = policy["Statement"]
        called: set[str] = set()
        invoke(envelope("launch", START, new=True))  # builds the skill and its store
        client = lambda_function.current().store.client()
        client.meta.events.register("before-call.dynamodb", lambda model, **_: called.add(model.name))
        invoke(intent("StartClassIntent", START, {"practice": ("hip release", "hip_release")}))
        invoke(envelope("launch", START + 60, new=True))
        invoke(recorded("skill_disabled"))
        assert {f"dynamodb:{name}" for name in called} == set(statement["Action"])
        assert statement["Resource"].endswith(":table/gentle-yoga") and statement["Effect"] == "Allow"
