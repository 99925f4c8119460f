"""`serve`: run the Alexa endpoint on this machine, on the settings from the environment."""
from __future__ import annotations

import argparse
import dataclasses
import errno
import logging
import socket
import sys

from skill.config import LOG_FORMAT, Settings
from skill.errors import UsageError

PRODUCTION = "gunicorn -c python:skill.web.gunicorn_conf --bind 0.0.0.0:8000 'skill.web.app:create_app()'"


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve", help="run the skill's web app on this machine: the Alexa endpoint and the browser player",
        description="Run the skill's web app over plain HTTP with the settings from the environment: the Alexa "
                    "endpoint (POST /alexa), the browser practice player (GET /) and a health check "
                    "(GET /healthz); Alexa needs HTTPS, so put it behind a reverse proxy or an HTTPS tunnel.",
        epilog="For production, run gunicorn on the same app factory: " + PRODUCTION)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    parser.set_defaults(run=run)


def banner(settings: Settings, store: str, url: str, voice: str = "") -> str:
    verify = "on" if settings.verify else "OFF (local testing only: anyone reaching this server can act as Alexa)"
    skill_id = settings.skill_id or "any (set GENTLE_YOGA_SKILL_ID to accept only your skill's requests)"
    return "\n".join((
        f"Gentle Yoga is listening on {url}/",
        f"  practise in a browser: {url}/",
        f"  Alexa endpoint:        {url}/alexa (health check: {url}/healthz)",
        f"  state:        {store}",
        f"  verification: {verify}",
        f"  skill id:     {skill_id}",
        f"  pace:         {settings.pace.mode} mode, {settings.pace.wpm} words a minute",
        f"  voice:        {voice or 'none'}",
        "To point a skill at it: Alexa calls HTTPS on port 443 only, so put this behind your reverse proxy or an",
        "HTTPS tunnel, then in the developer console set Endpoint > HTTPS to https://YOUR-HOST/alexa.",
        f"Production: {PRODUCTION}",
        "Press Ctrl+C to stop.",
    ))


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not listen there, in a sentence with what to do (werkzeug would exit with its own)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    family, kind, _, _, address = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"port {port} on {host} is already in use (is another `make serve` running?). Stop that "
                        f"program, or choose another port: make serve ARGS='--port 8080' "
                        f"(python -m skill serve --port 8080)")
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def run(args: argparse.Namespace, settings: Settings) -> int:
    from werkzeug.serving import make_server  # the web stack loads only for this command

    from skill.web.app import create_app

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port; use 0 to 65535")
    if args.sequences:
        settings = dataclasses.replace(settings, sequences=args.sequences)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    app = create_app(settings)
    busy = _cannot_listen(args.host, args.port)
    if busy:
        raise UsageError(busy)
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    store = app.extensions["gentle_yoga.store"].describe()
    audio = app.extensions["gentle_yoga.audio"]
    voice = app.extensions["gentle_yoga.voice"]
    if audio is not None and not audio.wait(2):  # a warm cache is ready at once; a cold one renders meanwhile
        voice += " (rendering the classes in the background, once; until then Alexa's own voice speaks)"
    print(banner(settings, store, f"http://{args.host}:{server.server_port}", voice), flush=True)
    server.serve_forever()  # werkzeug's returns on Ctrl+C, and closes the socket
    print("\nStopped.", file=sys.stderr)
    return 0
