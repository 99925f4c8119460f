try:
    from skill.cli import main
except ModuleNotFoundError as missing:  # run by a Python without the requirements: say what to run instead
    raise SystemExit(f"gentle-yoga: this Python ({missing.name!r} is missing) does not have the skill's requirements. "
                     "Run it from the project's virtual environment: make venv, then .venv/bin/python -m skill "
                     "(or make serve, make practice, make check).") from None

raise SystemExit(main())
