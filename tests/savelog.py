"""Every save a store receives for one person, in the order the store applied them, seen from outside the skill.

The race tests need the order of saves, which no answer shows. SQLite gets a trigger in the test's own database
file that copies each write of the practice table into a log table (SQLite applies writes one at a time, so the
log's order is the order they took effect); Redis is watched with MONITOR, which streams every command in the
order the server ran it. Neither touches the skill's code: the workers under test write as they always do.
"""
from __future__ import annotations

import json
import re
import socket
import sqlite3
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

TRIGGERS = (
    "CREATE TABLE IF NOT EXISTS race_saves (seq INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, "
    "record TEXT NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS race_saves_insert AFTER INSERT ON practice BEGIN "
    "INSERT INTO race_saves (user, record) VALUES (NEW.user, NEW.record); END",
    "CREATE TRIGGER IF NOT EXISTS race_saves_update AFTER UPDATE ON practice BEGIN "
    "INSERT INTO race_saves (user, record) VALUES (NEW.user, NEW.record); END",
)


class SQLiteSaves:
    """Saves of one key in a SQLite store's file, through triggers added to the file the store made."""

    def __init__(self, path: Path, key: str) -> None:
        self.key = key
        self.conn = sqlite3.connect(path, timeout=10, isolation_level=None)
        for statement in TRIGGERS:
            self.conn.execute(statement)
        self.seen = self.conn.execute("SELECT coalesce(max(seq), 0) FROM race_saves").fetchone()[0]

    def since(self) -> list[dict[str, Any]]:
        """The records saved under the key since the last call, oldest first."""
        rows = self.conn.execute("SELECT seq, record FROM race_saves WHERE seq > ? AND user = ? ORDER BY seq",
                                 (self.seen, self.key)).fetchall()
        self.seen = self.conn.execute("SELECT coalesce(max(seq), ?) FROM race_saves", (self.seen,)).fetchone()[0]
        return [json.loads(record) for _, record in rows]

    def close(self) -> None:
        self.conn.close()


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "a": "\a", "b": "\b", '"': '"', "\\": "\\"}


def _unescape(match: re.Match) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) == 3 else _ESCAPES.get(code, code)


def _unquote(text: str) -> str:
    """MONITOR's quoting undone: \\xHH and the C escapes."""
    return re.sub(r"\\(x[0-9a-fA-F]{2}|.)", _unescape, text)


def _command(*parts: str) -> bytes:
    out = [f"*{len(parts)}\r\n".encode()]
    for part in parts:
        data = part.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class RedisSaves:
    """Saves (SET) of one Redis key, from a MONITOR connection; a marker ECHO ends each batch."""

    def __init__(self, url: str, key: str) -> None:
        parts = urlsplit(url)
        self.key = key
        self.address = (parts.hostname or "127.0.0.1", parts.port or 6379)
        self.monitor = socket.create_connection(self.address, timeout=10)
        self.buffer = b""
        self.monitor.sendall(_command("MONITOR"))
        assert self._line() == "+OK"

    def _line(self) -> str:
        while b"\r\n" not in self.buffer:
            chunk = self.monitor.recv(65536)
            if not chunk:
                raise ConnectionError("redis-server closed the MONITOR connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line.decode("latin-1")

    def since(self) -> list[dict[str, Any]]:
        """The records SET under the key since the last call, in the order Redis ran them."""
        marker = f"race-saves-{uuid.uuid4()}"
        with socket.create_connection(self.address, timeout=10) as conn:
            conn.sendall(_command("ECHO", marker))
            conn.recv(1024)
        saves: list = []
        while True:
            args = [_unquote(arg) for arg in _QUOTED.findall(self._line())]
            if args[:2] == ["ECHO", marker]:
                return saves
            if len(args) >= 3 and args[0].upper() == "SET" and args[1] == self.key:
                saves.append(json.loads(args[2]))

    def close(self) -> None:
        self.monitor.close()
