# Gentle Yoga. `make help` lists the targets; each sets up its own virtual environment first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=
# make test's pytest-xdist workers: one per core (auto); WORKERS=0 runs serially. Order is random (pytest-randomly,
# its seed printed at the top; repeat one with ARGS='-p randomly --randomly-seed=N', turn it off with -p no:randomly).
WORKERS ?= auto
FAST := not (browser or redis or gunicorn or audio or node or slow)

.DEFAULT_GOAL := help
JS_STAMP := tests/js/node_modules/.installed

.PHONY: help venv serve test test-fast mutate lint practice check model render phrasings bench profile load fuzz clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  (pass options with ARGS, e.g. make practice ARGS='--class low_back_release --realtime')"

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned requirements into $(VENV) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(STAMP) ## create .venv and install the pinned requirements

$(JS_STAMP): tests/js/package.json tests/js/package-lock.json
	@.ci/system-deps node npm
	@echo "Installing virtual-alexa (pinned in tests/js/package-lock.json) ..."
	@cd tests/js && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

serve: $(STAMP) ## run the browser player on http://127.0.0.1:8000/ and the Alexa endpoint at /alexa (ARGS='--port 8080')
	@.ci/system-deps --optional festival
	$(BIN)/python -m skill serve $(ARGS)

test: $(STAMP) $(JS_STAMP) ## run every test (installs redis-server, chromium, festival, ffmpeg and node when missing)
	@.ci/system-deps redis-server chromium festival ffmpeg
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile $(ARGS)

test-fast: $(STAMP) ## the pure core, loader, SSML and model tests in under 30 s: no server, browser, node or audio
	$(BIN)/python -m pytest -q -m "$(FAST)" $(ARGS)

mutate: $(STAMP) ## mutation testing of plan.py, segment.py and state.py (mutmut, about 15 minutes); prints the score
	nice $(BIN)/mutmut run --max-children $$(nproc)
	$(BIN)/python tests/mutation_score.py

lint: $(STAMP) ## check the code with ruff (the tests run it too)
	$(BIN)/ruff check skill tests benchmarks

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
