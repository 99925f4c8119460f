"""Records in a DynamoDB table, for AWS Lambda: one item per user, keyed by the HMAC, expiring by DynamoDB's TTL.

Like ask-sdk's DynamoDbAdapter, but keyed by the hashed id (the official adapter keys by the raw user id unless
given a keygen) and keeping the record as one JSON string rather than a map, so floats need no Decimal and a
record reads back exactly as it was saved.
"""
from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skill.errors import StoreUnavailable
from skill.stores.base import DEFAULT_KEEP_SECONDS, Store, decode, encode

TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")  # DynamoDB's own rule for table names
KEY = "id"  # partition key: the HMAC of the user id, in hex
# Short timeouts and few retries: Alexa wants the whole answer within 8 s, and a Lambda is billed while it waits.
CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=2, retries={"max_attempts": 3, "mode": "standard"})


def region() -> str | None:
    """The AWS region from the usual places: AWS_DEFAULT_REGION or the config file (boto3's), else AWS_REGION."""
    return boto3.session.Session().region_name or os.environ.get("AWS_REGION") or None


def new_client(region_name: str | None = None) -> Any:
    return boto3.session.Session().client("dynamodb", region_name=region_name or region(), config=CLIENT_CONFIG)


class DynamoDBStore(Store):
    """Items {id, record, updated, expires} in one table whose partition key is the string `id`.

    `expires` (epoch seconds) is the table's TTL attribute; DynamoDB deletes expired items only eventually, so
    load also treats an item already past it as absent. The boto3 client is made on first use and then reused.
    """

    def __init__(self, table: str, secret: bytes, keep_seconds: float = DEFAULT_KEEP_SECONDS,
                 clock: Callable[[], float] = time.time, region_name: str | None = None) -> None:
        super().__init__(secret)
        if not TABLE_NAME.fullmatch(table):
            raise ValueError(f"{table!r} is not a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)")
        if keep_seconds < 1:
            raise ValueError("keep_seconds must be at least one second")
        self.region = region_name or region()
        if self.region is None:
            raise ValueError("no AWS region is set (AWS_REGION or AWS_DEFAULT_REGION)")
        self.table = table
        self.keep_seconds = keep_seconds
        self.clock = clock
        self._client: Any = None
        self._lock = threading.Lock()

    def client(self) -> Any:
        """The DynamoDB client, made on first use and then reused (boto3 clients are safe to share by threads)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = new_client(self.region)
        return self._client

    @contextmanager
    def _guard(self) -> Iterator[Any]:
        """The client; throttling, a missing table, no network or no credentials as StoreUnavailable.

        Only AWS's error code goes in the message: its text may quote the request, and the request holds the key.
        """
        try:
            yield self.client()
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "an error")
            raise StoreUnavailable(f"{self.describe()} is unavailable ({code})") from error
        except BotoCoreError as error:
            raise StoreUnavailable(f"{self.describe()} is unavailable ({type(error).__name__})") from error

    def load_versioned(self, key: str) -> tuple[dict[str, Any] | None, str | None]:
        with self._guard() as client:
            item = client.get_item(TableName=self.table, Key={KEY: {"S": key}}, ConsistentRead=True).get("Item")
        if item is None:
            return None, None
        expires = item.get("expires", {}).get("N")
        if expires is not None and float(expires) <= self.clock():
            return None, None  # expired, and DynamoDB has not got round to deleting it yet
        text = item.get("record", {}).get("S", "")
        return decode(key, text), text

    def _item(self, key: str, record: dict[str, Any], now: float) -> dict[str, Any]:
        return {KEY: {"S": key}, "record": {"S": encode(record)}, "updated": {"N": f"{now:.3f}"},
                "expires": {"N": str(int(now + self.keep_seconds))}}

    def save(self, key: str, record: dict[str, Any]) -> None:
        item = self._item(key, record, self.clock())
        with self._guard() as client:
            client.put_item(TableName=self.table, Item=item)

    def save_if(self, key: str, record: dict[str, Any], token: str | None) -> bool:
        now = self.clock()
        names = {"#e": "expires"}
        values: dict[str, Any] = {":now": {"N": str(now)}}
        if token is None:  # no item, or one past its expiry, which load treats as gone
            condition = "attribute_not_exists(#k) OR #e <= :now"
            names["#k"] = KEY
        else:
            condition = "#r = :token AND (attribute_not_exists(#e) OR #e > :now)"
            names["#r"] = "record"
            values[":token"] = {"S": token}
        with self._guard() as client:
            try:
                client.put_item(TableName=self.table, Item=self._item(key, record, now), ConditionExpression=condition,
                                ExpressionAttributeNames=names, ExpressionAttributeValues=values)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                    return False
                raise
        return True

    def delete(self, key: str) -> None:
        with self._guard() as client:
            client.delete_item(TableName=self.table, Key={KEY: {"S": key}})

    def describe(self) -> str:
        return f"DynamoDB table {self.table} in {self.region}"


def create_table(name: str, client: Any = None) -> None:
    """Make the table the store expects: key `id` (string), billed per request, TTL on `expires`; wait for it."""
    client = client or new_client()
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": KEY, "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": KEY, "AttributeType": "S"}])
    client.get_waiter("table_exists").wait(TableName=name)
    client.update_time_to_live(TableName=name,
                               TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
