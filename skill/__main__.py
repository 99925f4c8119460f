from importlib.util import find_spec

try:
    # PyYAML is imported only when a class file is parsed, so look for it here, without importing it.
    if find_spec("yaml") is None:
        raise ModuleNotFoundError("No module named 'yaml'", name="yaml")
    from skill.cli import main
except ModuleNotFoundError as missing:  # run by a Python without the requirements: say what to run instead
    raise SystemExit(f"gentle-yoga: this Python ({missing.name!r} is missing) does not have the skill's requirements. "
                     "Run it from the project's virtual environment: make venv, then .venv/bin/python -m skill "
                     "(or make serve, make practice, make check).") from None

raise SystemExit(main())
