"""The one request loop both surfaces use (skill.stores.turn): read, answer, save only over the record read."""
from __future__ import annotations

from typing import Any

import pytest

from skill.errors import StoreUnavailable
from skill.stores.base import SAVE_ATTEMPTS
from skill.stores.memory import MemoryStore
from skill.stores.turn import Read, read, take_turn

KEY = "k"


class Faulty(MemoryStore):
    """A memory store that can fail its reads or writes, or have another request save before each save_if."""

    def __init__(self, *, reads_fail: bool = False, writes_fail: bool = False, rival_saves: int = 0) -> None:
        super().__init__(b"secret")
        self.reads_fail, self.writes_fail, self.rival_saves = reads_fail, writes_fail, rival_saves
        self.calls: list[str] = []

    def load_versioned(self, key: str) -> tuple[dict[str, Any] | None, str | None]:
        self.calls.append("read")
        if self.reads_fail:
            raise StoreUnavailable("the test store is unavailable")
        return super().load_versioned(key)

    def save_if(self, key: str, record: dict[str, Any], token: str | None) -> bool:
        self.calls.append("save_if")
        if self.writes_fail:
            raise StoreUnavailable("the test store is unavailable")
        if self.rival_saves:
            self.rival_saves -= 1
            super().save(key, {"n": 100 + self.rival_saves})  # another request got there first
        return super().save_if(key, record, token)

    def save(self, key: str, record: dict[str, Any]) -> None:
        self.calls.append("save")
        if self.writes_fail:
            raise StoreUnavailable("the test store is unavailable")
        super().save(key, record)


def count_up(got: Read) -> tuple[int, dict[str, Any] | None]:
    """An answer that keeps one more than it read (0 from nothing, or from a store it cannot read)."""
    n = (got.record or {"n": -1})["n"] + 1
    return n, {"n": n}


class TestTakeTurn:
    def test_an_answer_is_saved_over_the_record_it_read(self):
        """One read, one compare-and-set save, and the record holds the answer's."""
        store = Faulty()
        store.save(KEY, {"n": 4})
        store.calls.clear()
        turn = take_turn(store, KEY, count_up)
        assert (turn.answer, turn.saved, store.calls) == (5, True, ["read", "save_if"]) and store.load(KEY) == {"n": 5}

    def test_nothing_to_keep_saves_nothing(self):
        """An answer that gives no record (nothing changed) is not saved at all."""
        store = Faulty()
        turn = take_turn(store, KEY, lambda got: ("same", None))
        assert (turn.answer, turn.saved, store.calls) == ("same", True, ["read"]) and store.load(KEY) is None

    def test_a_conflict_reads_and_answers_again(self):
        """Another request saving first makes this one answer again from what that one kept."""
        store = Faulty(rival_saves=1)
        turn = take_turn(store, KEY, count_up)
        assert store.calls == ["read", "save_if", "read", "save_if"]
        assert (turn.answer, turn.saved, store.load(KEY)) == (101, True, {"n": 101})

    def test_conflicts_on_every_try_end_in_saving_over(self):
        """After SAVE_ATTEMPTS conflicts the last answer is saved whatever is kept: here the rivals keep 102, 101
        and 100 in turn, the answers are 0, 103 and 102, and 102 is saved over the rival's 100."""
        assert SAVE_ATTEMPTS == 3
        store = Faulty(rival_saves=SAVE_ATTEMPTS)
        turn = take_turn(store, KEY, count_up)
        assert store.calls == ["read", "save_if"] * SAVE_ATTEMPTS + ["save"]
        assert (turn.answer, turn.saved, store.load(KEY)) == (102, True, {"n": 102})

    def test_a_store_that_cannot_be_read_answers_from_nothing_and_saves_over(self):
        """With no read there is no token: the answer is made with unreachable set and saved plainly."""
        store = Faulty(reads_fail=True)
        seen: list[Read] = []
        turn = take_turn(store, KEY, lambda got: (seen.append(got), {"n": 0}))
        assert seen == [Read(unreachable=True)] and turn.saved and store.calls == ["read", "save"]

    @pytest.mark.parametrize("reads_fail", [False, True])
    def test_a_store_that_cannot_be_written_keeps_the_answer(self, reads_fail):
        """A failed save never raises: the answer stands, and saved is False."""
        store = Faulty(reads_fail=reads_fail, writes_fail=True)
        turn = take_turn(store, KEY, count_up)
        assert (turn.answer, turn.saved) == (0, False)

    def test_read_reports_an_unreachable_store_instead_of_raising(self):
        """read gives Read(unreachable=True) for a store that cannot answer, and the record and token otherwise."""
        assert read(Faulty(reads_fail=True), KEY) == Read(unreachable=True)
        store = Faulty()
        store.save(KEY, {"n": 1})
        assert read(store, KEY) == Read({"n": 1}, '{"n":1}')
