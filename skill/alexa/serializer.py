"""ask-sdk's serializer, reading a request envelope from the JSON the edge has already parsed, timestamps included.

Three pieces of repeated or slow work leave the request path: the envelope was parsed as JSON twice (once by the
edge to check it, again inside ask-sdk's `deserialize`); ask-sdk read every request's timestamp with dateutil's
general parser, a third of the whole read; and it looked up each model class by name with `__import__` on every
request, a quarter of the rest. Alexa's timestamps are ISO 8601, which the standard library reads; any other text
still goes to ask-sdk's own reader, so what is accepted and what it reads as do not change.

The methods reach into ask-sdk's DefaultSerializer by the private names its own code calls (Python spells
`self.__deserialize` inside that class as `self._DefaultSerializer__deserialize`); ask-sdk-core is pinned, and
tests/test_serializer.py compares this reader with ask-sdk's on every recorded envelope.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

_ASK = DefaultSerializer()


class JsonObject(dict):  # type: ignore[type-arg]
    """A JSON object as the device is sent it: made of dicts, lists, text, numbers, booleans and None (no model, no
    date), and never changed once made. The serializer writes it as it is; ask-sdk's own walks every value to copy
    it, which for an Echo Show's document was a third of the whole answer."""


class JsonArray(list):  # type: ignore[type-arg]
    """A JSON array as the device is sent it, on the same terms as JsonObject."""


_AS_IS = (JsonObject, JsonArray)
_PLAIN = (str, int, float, bool)  # as ask-sdk writes them (its PRIMITIVE_TYPES, less bytes, which JSON has not)
_NOT_MODELS = (dict, list, tuple, date, Enum, Decimal, str, bytes, int, float)  # ask-sdk's other cases


# Keyed by a class the skill's own answers are made of (ask-sdk-model's), so bounded by the models there are.
@functools.lru_cache(maxsize=2048)
def _fields(kind: Any) -> tuple[tuple[str, str], ...] | None:
    """A model class's fields as ask-sdk writes them, in its order: each attribute with its JSON key (its
    attribute_map's, or its own name). None for a class that is not a model, or is one of ask-sdk's other cases."""
    types: dict[str, str] | None = getattr(kind, "deserialized_types", None)
    if not isinstance(types, dict) or issubclass(kind, _NOT_MODELS):
        return None
    names: dict[str, str] = getattr(kind, "attribute_map", {})
    return tuple((attr, names.get(attr, attr)) for attr in types)


# Keyed by a class name from ask-sdk-model's own type tables (never text from a request), so it is bounded by the
# models there are, about a thousand; a name that does not resolve raises, and is not kept.
@functools.lru_cache(maxsize=2048)
def _model_class(name: str) -> Any:
    """The ask-sdk-model class a type name names, looked up once per process rather than once per request."""
    return _ASK._DefaultSerializer__load_class_from_name(name)  # type: ignore[attr-defined]


class Serializer(DefaultSerializer):
    """DefaultSerializer, with envelopes read from parsed JSON and ISO 8601 timestamps read by the standard library,
    and JSON data made so written out without a walk."""

    def envelope(self, data: Mapping[str, Any]) -> RequestEnvelope:
        """The request envelope of a body already parsed (and checked) as JSON: ask-sdk's model walk, no second
        parse. SerializationException, as from `deserialize`, for an envelope its models cannot hold."""
        walk = self._DefaultSerializer__deserialize  # type: ignore[attr-defined]
        envelope: RequestEnvelope = walk(data, RequestEnvelope)
        return envelope

    def serialize(self, obj: Any) -> Any:
        """ask-sdk's serialize, to the same JSON data, with its commonest cases first: a model's fields are looked
        up once per model class (_fields), not worked out again for each object; and JSON data made so (JsonObject,
        JsonArray) goes out as it is, uncopied. Anything else is ask-sdk's own case."""
        kind: Any = type(obj)
        if obj is None or kind in _AS_IS or kind in _PLAIN:
            return obj
        if kind is dict:
            return {key: self.serialize(value) for key, value in obj.items()}
        if kind is list:
            return [self.serialize(item) for item in obj]
        fields = _fields(kind)
        if fields is None:
            return super().serialize(obj)
        return {key: self.serialize(value) for attr, key in fields if (value := getattr(obj, attr)) is not None}

    def _DefaultSerializer__deserialize_datetime(self, payload: Any, obj_type: Any) -> Any:
        """A timestamp by datetime.fromisoformat (Alexa's are ISO 8601); any other text as ask-sdk reads it."""
        try:
            parsed = datetime.fromisoformat(payload)
        except (TypeError, ValueError):
            return super()._DefaultSerializer__deserialize_datetime(payload, obj_type)  # type: ignore[misc]
        return parsed.date() if obj_type is date else parsed

    def _DefaultSerializer__load_class_from_name(self, class_name: str) -> Any:
        """ask-sdk's class lookup, once per name (SerializationException, as before, for a name it cannot resolve)."""
        return _model_class(class_name)
