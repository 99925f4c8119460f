# Gentle Yoga. `make help` lists the targets; each sets up its own virtual environment first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# One venv, two stamps: `make serve` installs the runtime lock only; the other targets install the dev lock, which
# holds the same pins plus the redis and aws extras and the dev tools (both locks are compiled by `make lock`).
SERVE_STAMP := $(VENV)/.serve-installed
STAMP := $(VENV)/.installed
ARGS ?=
# make test's pytest-xdist workers: one per core (auto); WORKERS=0 runs serially. Order is random (pytest-randomly,
# its seed printed at the top; repeat one with ARGS='-p randomly --randomly-seed=N', turn it off with -p no:randomly).
WORKERS ?= auto
FAST := not (browser or redis or gunicorn or audio or node or slow)

.DEFAULT_GOAL := help
JS_STAMP := tests/js/node_modules/.installed

.PHONY: help venv lock serve test test-fast mutate lint practice check model render phrasings bench profile load fuzz clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  (pass options with ARGS, e.g. make practice ARGS='--class low_back_release --realtime')"

# A venv is sound when its python runs, is new enough, and no install was cut short in it (.installing is left
# behind by a failed one). One that is not is removed and built again, whatever its stamps say.
VENV_SOUND = test ! -e $(VENV)/.installing && $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'
ifneq ($(shell $(VENV_SOUND) >/dev/null 2>&1 && echo sound),sound)
.PHONY: $(SERVE_STAMP) $(STAMP)
endif
# Say which python, which version, and what to install, before making a venv from it.
CHECK_PYTHON = v=$$($(PYTHON) -c 'import sys; print("%d.%d.%d" % tuple(sys.version_info[:3]))' 2>/dev/null); \
	case "$$v" in 3.1[1-9].*|3.[2-9][0-9].*|[4-9].*) ;; \
	"") echo "Gentle Yoga needs Python 3.11 or newer, but there is no working $(PYTHON) here: install Python 3.11 \
	or newer with venv (e.g. apt-get install python3 python3-venv), or name one with make PYTHON=/path/to/python3." >&2; \
	exit 1;; \
	*) echo "Gentle Yoga needs Python 3.11 or newer, but $(PYTHON) ($$(command -v $(PYTHON))) is Python $$v: install \
	Python 3.11 or newer (e.g. apt-get install python3.11 python3.11-venv) and run make PYTHON=python3.11." >&2; \
	exit 1;; esac

# $(call install,LOCK): a sound venv (rebuilt if not), then LOCK installed into it, hash-checked.
define install
	@if [ -e $(VENV) ] && ! { $(VENV_SOUND); } >/dev/null 2>&1; then \
	  echo "$(VENV) is broken (an install was cut short, or its python is missing or too old); building it again."; \
	  rm -rf $(VENV); fi
	@test -x $(BIN)/python || { $(CHECK_PYTHON); $(PYTHON) -m venv $(VENV); }
	@touch $(VENV)/.installing
	@echo "Installing $(1) (pinned, hash-checked) into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(1)
	@rm $(VENV)/.installing
endef

$(SERVE_STAMP): requirements.txt
	$(call install,requirements.txt)
	@touch $@

$(STAMP): requirements.txt requirements-dev.txt
	$(call install,requirements-dev.txt)
	@touch $(SERVE_STAMP) $@

venv: $(STAMP) ## create .venv and install the dev lock (every target but serve does this first)

lock: $(STAMP) ## recompile requirements.txt and requirements-dev.txt from pyproject.toml and requirements-dev.in, with hashes
	$(BIN)/python .ci/lock.py $(ARGS)

$(JS_STAMP): tests/js/package.json tests/js/package-lock.json
	@.ci/system-deps node npm
	@echo "Installing virtual-alexa (pinned in tests/js/package-lock.json) ..."
	@cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

serve: $(SERVE_STAMP) ## run the browser player on http://127.0.0.1:8000/ and the Alexa endpoint at /alexa (ARGS='--port 8080')
	@.ci/system-deps --optional festival
	$(BIN)/python -m skill serve $(ARGS)

test: $(STAMP) $(JS_STAMP) ## run every test (installs redis-server, chromium, festival, ffmpeg and node when missing)
	@.ci/system-deps redis-server chromium festival ffmpeg
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile $(ARGS)

test-fast: $(STAMP) ## the pure core, loader, SSML and model tests in under 30 s: no server, browser, node or audio
	$(BIN)/python -m pytest -q -m "$(FAST)" $(ARGS)

mutate: $(STAMP) ## mutation testing of plan.py, segment.py, state.py and timing.py (mutmut, about 15 minutes); prints the score
	nice $(BIN)/mutmut run --max-children $$(nproc)
	$(BIN)/python tests/mutation_score.py

lint: $(STAMP) ## check the code with ruff and the types with mypy (the tests run both too)
	$(BIN)/ruff check skill tests benchmarks
	$(BIN)/mypy

practice: $(STAMP) ## take a class in the terminal (ARGS='--class ID --realtime --speak --step')
	$(BIN)/python -m skill practice $(ARGS)

check: $(STAMP) ## validate every class and pose drawing, print steps, length and parts, and check the interaction model
	$(BIN)/python -m skill check $(ARGS)
	$(BIN)/python -m skill model --check

render: $(STAMP) ## render a class as one MP3 with chapters (ARGS='low_back_release -o lbr.mp3', or ARGS=--all)
	@.ci/system-deps festival
	$(BIN)/python -m skill render $(ARGS)
phrasings: $(STAMP) $(JS_STAMP) ## match the held-out phrasings against the model (virtual-alexa); print the rate
	$(BIN)/python tests/phrasings/measure.py $(ARGS)

model: $(STAMP) ## regenerate interaction_model/ (five locales and skill.json) from the intents and sequences/
	$(BIN)/python -m skill model $(ARGS)

bench: $(STAMP) ## per-request cost, HTTP throughput, cold start, store writes and audio, each beside its baseline (ARGS=--quick)
	@.ci/system-deps redis-server wrk festival
	$(BIN)/python benchmarks/run.py $(ARGS)

profile: $(STAMP) ## where an in-process request's time goes (pyinstrument)
	$(BIN)/python benchmarks/profile_requests.py $(ARGS)

load: $(STAMP) ## play 200 people through whole classes against gunicorn on SQLite and Redis; nobody may lose their place
	@.ci/system-deps redis-server
	$(BIN)/python benchmarks/load.py $(ARGS)

fuzz: $(STAMP) ## the webhook fuzz and the engine's invariants at ten times their make-test size (about 8 minutes)
	GENTLE_YOGA_FUZZ_SCALE=10 $(BIN)/python -m pytest -q tests/test_fuzz.py tests/test_invariants.py $(ARGS)

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis
	rm -rf tests/js/node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
