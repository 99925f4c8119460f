"""`serve`: run the Alexa endpoint on this machine, on the settings from the environment."""
from __future__ import annotations

import argparse
import dataclasses
import logging
import sys

from skill.config import Settings
from skill.errors import UsageError

PRODUCTION = "gunicorn -c python:skill.web.gunicorn_conf --bind 0.0.0.0:8000 'skill.web.app:create_app()'"


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve", help="run the Alexa skill's HTTPS-ready endpoint (POST /alexa, GET /healthz) on this machine",
        description="Run the Alexa skill's endpoint (POST /alexa, GET /healthz) with the settings from the "
                    "environment.", epilog="For production, run gunicorn on the same app factory: " + PRODUCTION)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0 picks a free one)")
    parser.set_defaults(run=run)


def banner(settings: Settings, store: str, url: str, voice: str = "") -> str:
    verify = "on" if settings.verify else "OFF (local testing only: anyone reaching this server can act as Alexa)"
    skill_id = settings.skill_id or "any (set GENTLE_YOGA_SKILL_ID to accept only your skill's requests)"
    return "\n".join((
        f"Gentle Yoga is listening on {url}/alexa (health check: {url}/healthz)",
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


def run(args: argparse.Namespace, settings: Settings) -> int:
    from werkzeug.serving import make_server  # the web stack loads only for this command

    from skill.web.app import create_app

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port} is not a port; use 0 to 65535")
    if args.sequences:
        settings = dataclasses.replace(settings, sequences=args.sequences)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
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
