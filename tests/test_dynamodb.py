"""The DynamoDB store: items keyed by the HMAC, records as JSON text, expiry by TTL, and outages named plainly.

AWS cannot be reached from here, so DynamoDB is moto's `mock_aws`, which answers boto3's real requests in
process with DynamoDB's own behaviour (key schema, conditional errors, missing tables, TTL settings). It does not
delete expired items, and neither does DynamoDB promptly, which is why the store checks `expires` itself.
The outage test is real: boto3 talks to a loopback port where nothing listens.
"""
from __future__ import annotations

import json

import boto3
import pytest
from alexa import forget, keep, kept
from moto import mock_aws
from servers import free_port
from test_stores import ALICE, BOB, MID_CLASS, SECRET, Clock, envelope, hashed

from skill.errors import ConfigError, StateError, StoreUnavailable
from skill.practice.state import from_dict, to_dict
from skill.stores import open_store
from skill.stores.base import encode
from skill.stores.dynamodb import DynamoDBStore, create_table

pytestmark = pytest.mark.slow

TABLE = "gentle-yoga-test"
KEEP = 30 * 24 * 3600


def fake_aws_environment(monkeypatch, tmp_path, region: str | None = "eu-west-1") -> None:
    """Credentials and region for moto, and none of the machine's own AWS settings."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_REGION",
                 "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    if region:
        monkeypatch.setenv("AWS_DEFAULT_REGION", region)


@pytest.fixture
def aws(monkeypatch, tmp_path):
    fake_aws_environment(monkeypatch, tmp_path)
    with mock_aws():
        yield boto3.client("dynamodb")


@pytest.fixture
def table(aws) -> str:
    create_table(TABLE)
    return TABLE


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(table, clock):
    made = DynamoDBStore(table, SECRET, KEEP, clock)
    yield made
    made.close()


def items(aws) -> list[dict]:
    return aws.scan(TableName=TABLE)["Items"]


class TestTable:
    def test_create_table_makes_the_key_billing_and_ttl_the_store_expects(self, aws, table):
        """Partition key `id` (string), on-demand billing, and TTL enabled on `expires`."""
        described = aws.describe_table(TableName=table)["Table"]
        assert described["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
        assert described["AttributeDefinitions"] == [{"AttributeName": "id", "AttributeType": "S"}]
        assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        ttl = aws.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


class TestRecords:
    def test_an_unknown_user_has_empty_attributes(self, store):
        """Someone never seen gets {}."""
        assert kept(store, envelope()) == {}

    def test_a_mid_class_state_round_trips_exactly(self, store):
        """Floats and all come back as they went in (a DynamoDB map would have turned them into Decimals)."""
        keep(store, envelope(), to_dict(MID_CLASS))
        assert kept(store, envelope()) == to_dict(MID_CLASS)
        assert from_dict(kept(store, envelope())) == MID_CLASS

    def test_saving_replaces_and_delete_forgets_one_user_only(self, store, aws):
        """The latest save wins; deleting Bob (twice) leaves Alice's item alone."""
        keep(store, envelope(ALICE), {"v": 1, "ph": "idle"})
        keep(store, envelope(ALICE), to_dict(MID_CLASS))
        keep(store, envelope(BOB), to_dict(MID_CLASS))
        forget(store, envelope(BOB))
        forget(store, envelope(BOB))
        assert kept(store, envelope(ALICE)) == to_dict(MID_CLASS)
        assert kept(store, envelope(BOB)) == {} and len(items(aws)) == 1

    def test_the_item_is_keyed_by_the_hmac_and_holds_no_raw_id(self, store, aws, clock):
        """One item per user: id = HMAC hex, record = the JSON text, updated = now, expires = now + keep."""
        keep(store, envelope(ALICE), to_dict(MID_CLASS))
        keep(store, envelope(BOB), to_dict(MID_CLASS))
        [item] = [i for i in items(aws) if i["id"]["S"] == hashed(ALICE)]
        assert item == {"id": {"S": hashed(ALICE)}, "record": {"S": encode(to_dict(MID_CLASS))},
                        "updated": {"N": f"{clock.now:.3f}"}, "expires": {"N": str(int(clock.now + KEEP))}}
        written = json.dumps(items(aws))
        for user in (ALICE, BOB):
            assert user not in written and user.split(".")[-1] not in written

    @pytest.mark.parametrize("garbage", ["{not json", "[1, 2]", "", "42"])
    def test_an_unreadable_record_reads_as_a_damaged_one(self, store, aws, garbage):
        """An item whose record is not a JSON object comes back as a record from_dict refuses."""
        aws.put_item(TableName=TABLE, Item={"id": {"S": hashed(ALICE)}, "record": {"S": garbage},
                                            "updated": {"N": "1"}, "expires": {"N": "9999999999"}})
        record = kept(store, envelope())
        assert record
        with pytest.raises(StateError, match="version 'unreadable'"):
            from_dict(record)


class TestExpiry:
    def test_an_item_past_expires_is_ignored_before_dynamodb_deletes_it(self, store, aws, clock):
        """TTL deletion is lazy: an expired item still in the table loads as no record."""
        keep(store, envelope(), to_dict(MID_CLASS))
        clock.now += KEEP - 1
        assert kept(store, envelope()) == to_dict(MID_CLASS)
        clock.now += 1
        assert kept(store, envelope()) == {} and len(items(aws)) == 1

    def test_saving_again_moves_expires_on(self, store, aws, clock):
        """Each save sets expires to keep seconds from then."""
        keep(store, envelope(), to_dict(MID_CLASS))
        clock.now += 20 * 24 * 3600
        keep(store, envelope(), to_dict(MID_CLASS))
        clock.now += 20 * 24 * 3600
        assert kept(store, envelope()) == to_dict(MID_CLASS)
        assert items(aws)[0]["expires"]["N"] == str(int(clock.now - 20 * 24 * 3600 + KEEP))


class TestSaveIf:
    """save_if is one conditional PutItem: kept only if the item still holds the text read."""

    def test_the_token_read_lets_the_save_through_and_a_stale_one_does_not(self, store):
        """The token just read is kept; after another save it is refused and the other save stands."""
        key = store.user_key(ALICE)
        store.save(key, {"v": 1, "ph": "idle"})
        record, token = store.load_versioned(key)
        assert record == {"v": 1, "ph": "idle"} and json.loads(token) == record
        assert store.save_if(key, to_dict(MID_CLASS), token) is True and store.load(key) == to_dict(MID_CLASS)
        assert store.save_if(key, {"v": 1, "ph": "idle", "late": True}, token) is False
        assert store.load(key) == to_dict(MID_CLASS)

    def test_no_token_makes_a_record_only_where_there_is_none(self, store):
        """Token None: kept for a user with no item, refused for one who has one (which stays)."""
        key = store.user_key(ALICE)
        assert store.load_versioned(key) == (None, None)
        assert store.save_if(key, {"v": 1, "ph": "idle"}, None) is True
        assert store.save_if(key, to_dict(MID_CLASS), None) is False
        assert store.load(key) == {"v": 1, "ph": "idle"}

    def test_an_item_past_expires_counts_as_none(self, store, aws, clock):
        """An item DynamoDB has not yet deleted but is past `expires`: no token writes over it, its old token fails."""
        key = store.user_key(ALICE)
        store.save(key, {"v": 1, "ph": "idle"})
        _, token = store.load_versioned(key)
        clock.now += KEEP + 1
        assert len(items(aws)) == 1  # still there, as in DynamoDB before its TTL sweep
        assert store.save_if(key, to_dict(MID_CLASS), token) is False
        assert store.save_if(key, to_dict(MID_CLASS), None) is True and store.load(key) == to_dict(MID_CLASS)

    def test_a_missing_table_is_still_store_unavailable(self, aws):
        """Only a failed condition is a conflict; any other refusal is an outage, as for save."""
        store = DynamoDBStore("no-such-table", SECRET, KEEP)
        with pytest.raises(StoreUnavailable):
            store.save_if(store.user_key(ALICE), {"v": 1}, None)


class TestClient:
    def test_the_client_is_made_on_first_use_and_reused(self, store):
        """Opening the store makes no client; the first call makes one, and later calls use it again."""
        assert store._client is None
        kept(store, envelope())
        made = store._client
        keep(store, envelope(), to_dict(MID_CLASS))
        assert made is not None and store._client is made and store.client() is made

    def test_describe_names_the_table_and_region(self, store):
        """The start banner's line says which table, where."""
        assert store.describe() == f"DynamoDB table {TABLE} in eu-west-1"


class TestUnavailable:
    def test_a_missing_table_is_store_unavailable(self, aws):
        """A table that does not exist gives StoreUnavailable naming the table and AWS's error code, not the user."""
        store = DynamoDBStore("no-such-table", SECRET, KEEP)
        for call in (lambda: kept(store, envelope()), lambda: keep(store, envelope(), {}),
                     lambda: forget(store, envelope())):
            with pytest.raises(StoreUnavailable) as caught:
                call()
            message = str(caught.value)
            assert message == "DynamoDB table no-such-table in eu-west-1 is unavailable (ResourceNotFoundException)"

    def test_no_network_is_store_unavailable(self, monkeypatch, tmp_path):
        """With DynamoDB unreachable (a loopback port where nothing listens), calls fail as StoreUnavailable."""
        fake_aws_environment(monkeypatch, tmp_path)
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
        store = DynamoDBStore(TABLE, SECRET, KEEP)
        with pytest.raises(StoreUnavailable, match=r"is unavailable \(EndpointConnectionError\)") as caught:
            keep(store, envelope(), to_dict(MID_CLASS))
        assert ALICE not in str(caught.value) and hashed(ALICE) not in str(caught.value)


class TestOpenStore:
    def test_a_dynamodb_url_opens_the_table(self, table, tmp_path):
        """GENTLE_YOGA_STORE=dynamodb://TABLE opens a DynamoDBStore with the keep time given, writing no file."""
        store = open_store(f"dynamodb://{table}", tmp_path / "data", id_secret=SECRET.decode(), keep_seconds=3600)
        assert isinstance(store, DynamoDBStore) and store.table == table and store.keep_seconds == 3600
        keep(store, envelope(), to_dict(MID_CLASS))
        assert kept(store, envelope()) == to_dict(MID_CLASS) and not (tmp_path / "data").exists()

    def test_aws_region_alone_is_enough(self, monkeypatch, tmp_path):
        """AWS_REGION (what Lambda sets) is used when AWS_DEFAULT_REGION is not."""
        fake_aws_environment(monkeypatch, tmp_path, region=None)
        monkeypatch.setenv("AWS_REGION", "ap-southeast-2")
        assert open_store(f"dynamodb://{TABLE}", tmp_path, id_secret="x").region == "ap-southeast-2"

    def test_no_region_is_a_clear_error(self, monkeypatch, tmp_path):
        """Without any AWS region set, opening the store says which settings to set."""
        fake_aws_environment(monkeypatch, tmp_path, region=None)
        with pytest.raises(ConfigError, match="no AWS region is set: set AWS_REGION or AWS_DEFAULT_REGION"):
            open_store(f"dynamodb://{TABLE}", tmp_path, id_secret="x")
