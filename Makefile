# Two environments, one Makefile.
#   .venv         Python 3.11: our code (bot/, actions/), from pyproject.toml + uv.lock
#   .venv-engine  Python 3.11: Rasa Open Source 3.6.21 + spaCy, from engine/requirements.lock (hashes)
# Both are built by uv, which is itself installed by pip into .tools/ from a hash-pinned requirement.
# Stamp files record what each environment was built from, so an unchanged checkout does no work.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

UV := .tools/bin/uv
ENGINE := .venv-engine
RASA := $(ENGINE)/bin/rasa
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export UV_NO_PROGRESS := 1
# Rasa's CLI writes its global config (telemetry opt-out included) under the home folder; keep it in the repo's
# data folder so the run never touches the user's settings.
export XDG_CONFIG_HOME ?= $(CURDIR)/var/xdg
# Compiled bytecode (and pytest's rewritten test modules) under var/pycache, written even where the shell sets
# PYTHONDONTWRITEBYTECODE (as this team's machines do, to keep the checkout clean; var/ is git-ignored, so it
# stays clean). Without a cache every run compiles some 2,000 modules again, in each xdist worker: about two
# thirds of the quick lane's collection time.
export PYTHONDONTWRITEBYTECODE :=
export PYTHONPYCACHEPREFIX := $(CURDIR)/var/pycache

.PHONY: help run run-scaled test test-quick deps venv engine system-deps pdf-deps lint bank-check engine-validate engine-model story-tests nlu-test \
	pytest docs-screenshots bench engine-lock audit sbom clean

# `make help` lists every target that has a `## description` after its prerequisites (one line each), in the
# order they appear here; tests/test_make_targets.py checks that every phony target has one.
help: ## list the targets with what each does
	@awk 'BEGIN { FS = ":[^#]*## " } /^[A-Za-z0-9_.\/-]+:[^#]*## / { printf "  make %-17s %s\n", $$1, $$2 }' \
	  $(firstword $(MAKEFILE_LIST))

$(UV): tools/uv-requirements.txt
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check --require-hashes -r tools/uv-requirements.txt
	touch $(UV)

.venv/.stamp: pyproject.toml uv.lock $(UV)
	$(UV) sync --frozen --quiet
	touch $@

$(ENGINE)/.stamp: engine/requirements.lock engine/link_spacy_model.py tools/find-engine-python.sh $(UV)
	@# An environment left on another Python (3.10 before the move to 3.11) is rebuilt, not patched in place.
	@[ ! -e $(ENGINE) ] || $(ENGINE)/bin/python -c 'import sys; raise SystemExit(sys.version_info[:2] != (3, 11))' \
	  || { echo "$(ENGINE) is not on Python 3.11: rebuilding it"; rm -rf $(ENGINE); }
	$(UV) venv --quiet --allow-existing --python "$$(tools/find-engine-python.sh $(UV))" $(ENGINE)
	VIRTUAL_ENV=$(ENGINE) $(UV) pip sync --quiet --require-hashes engine/requirements.lock
	$(ENGINE)/bin/python engine/link_spacy_model.py
	touch $@

deps: .venv/.stamp $(ENGINE)/.stamp ## build both Python environments (.venv and .venv-engine), if their inputs changed

venv: .venv/.stamp ## build only our own environment (.venv, Python 3.11)

engine: $(ENGINE)/.stamp ## build only the engine's environment (.venv-engine, Python 3.11, Rasa 3.6)

# Browser tests drive Debian's Chromium; store tests start a PostgreSQL server (see the script).
system-deps: ## install Chromium, PostgreSQL, Node and Pango/HarfBuzz for the tests (root, or says what)
	@tools/system-deps.sh

pdf-deps: ## install Pango/HarfBuzz, which the PDF exports need (root, or says what to install and stops)
	@tools/system-deps.sh --pdf

# govuk-frontend's built CSS and JS for the pages, from the npm registry, checked against the sha512 pinned
# in the script; git-ignored. Runs again only when the script (and so the pin) changes or the files are gone.
GOVUK_FRONTEND := bot/web/static/govuk/.stamp
$(GOVUK_FRONTEND): tools/fetch_govuk_frontend.py | .venv/.stamp
	.venv/bin/python tools/fetch_govuk_frontend.py

run: deps pdf-deps $(GOVUK_FRONTEND) ## set up (first time), train if needed, and start the whole product on 127.0.0.1
	.venv/bin/bot run

run-scaled: deps pdf-deps $(GOVUK_FRONTEND) ## as run, scaled: PostgreSQL, Redis, two engines, action servers and apps behind HAProxy on :8080
	.venv/bin/bot run --scaled

lint: .venv/.stamp ## ruff check and ruff format --check
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# Warnings about responses "not used in any story" are expected: actions send them. Errors fail the build.
# The question bank's own check (bot/questions/bank_checks.py); `make test` runs it too, through pytest.
bank-check: .venv/.stamp ## check the question bank: show_if order, "Not sure", neutral wording, evidence follow-ups
	.venv/bin/bot questions check

engine-validate: $(ENGINE)/.stamp ## rasa data validate on domain.yml, config.yml and data/
	@mkdir -p var/logs
	@$(RASA) data validate --domain domain.yml --data data --config config.yml > var/logs/validate.log 2>&1 \
	  || { cat var/logs/validate.log; echo "rasa data validate: FAILED"; exit 1; }
	@echo "rasa data validate: ok (full output in var/logs/validate.log)"

engine-model: deps ## train the engine's model if its inputs changed (else reuse it or the cache)
	.venv/bin/python -m bot.runtime.model

story-tests: engine-model ## rasa test core on tests/stories, failing on any prediction error
	.venv/bin/python -m bot.runtime.engine_tests stories

nlu-test: engine-model ## rasa test nlu on the held-out set in tests/nlu (fails below 95% accuracy)
	.venv/bin/python -m bot.runtime.engine_tests nlu

# axe-core for the browser accessibility tests, from package-lock.json (integrity-checked by npm ci).
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# pytest-xdist on both cores; what must share a process (the e2e product, PostgreSQL) is grouped onto one
# worker by `xdist_group` markers (tests/conftest.py). The 15 slowest tests and the counts of engine, app,
# action server, PostgreSQL and Chromium starts are printed at the end.
PYTEST := .venv/bin/python -m pytest -p no:cacheprovider -n 2 --dist loadgroup --durations=15

pytest: deps engine-model system-deps node_modules/.stamp $(GOVUK_FRONTEND) ## the whole pytest suite
	$(PYTEST)

# The role guides' pictures (docs/guide-*.md link docs/images/*.png): the browser tests listed in
# docs/images/screenshots.yaml, run with BOT_DOCS_SCREENSHOTS set, write them there themselves (tests/e2e/browser.py);
# tools/shrink_docs_images.py then cuts each to its `crops:` and makes it small enough to commit.
docs-screenshots: deps engine-model system-deps node_modules/.stamp $(GOVUK_FRONTEND) ## retake the role guides' screenshots into docs/images/
	BOT_DOCS_SCREENSHOTS=docs/images .venv/bin/python -m pytest -p no:cacheprovider -q \
		$$(.venv/bin/python -c 'import yaml; print(" ".join(yaml.safe_load(open("docs/images/screenshots.yaml"))["tests"]))')
	.venv/bin/python tools/shrink_docs_images.py

test: deps lint engine-validate story-tests nlu-test pytest ## set up, then lint, validate, test stories and NLU, and run pytest

# The quick lane for an edit-test loop: lint and every test that needs no engine, browser or PostgreSQL
# (under 2 minutes on 2 cores, against under 12 for everything; property tests try a quarter of their examples,
# the "quick" profile in tests/conftest.py). CI runs `make test`, which runs everything.
# It installs what the machine lacks too (system-deps): some quick tests render PDFs, which need Pango/HarfBuzz.
test-quick: .venv/.stamp system-deps node_modules/.stamp $(GOVUK_FRONTEND) lint ## lint and every test not marked slow (edit-test loop)
	$(PYTEST) -m "not slow" -q --hypothesis-profile=quick

bench: deps engine-model ## benchmarks (bench/), printing figures
	.venv/bin/python bench/turns.py

# Known vulnerabilities in both locks: ours (uv.lock, exported with its hashes) and the engine's. It needs the
# network (PyPI's vulnerability data, or AUDIT_SERVICE=osv), which CI may not have, so `make test` does not run
# it; --strict fails when any package could not be looked up, so an unreachable service is never a clean pass.
# Findings and their triage: docs/security.md.
AUDIT_SERVICE ?= pypi
audit: .venv/.stamp ## pip-audit both locks for known vulnerabilities (needs the network; not in make test)
	@mkdir -p var/audit
	$(UV) export --frozen --format requirements-txt --all-groups --no-emit-project --quiet -o var/audit/bot-requirements.txt
	.venv/bin/pip-audit --strict --disable-pip --require-hashes --progress-spinner off -s $(AUDIT_SERVICE) \
	  -r var/audit/bot-requirements.txt
	.venv/bin/pip-audit --strict --disable-pip --require-hashes --progress-spinner off -s $(AUDIT_SERVICE) \
	  -r engine/requirements.lock

# CycloneDX software bills of materials from the two lock files (no network), checked by the CycloneDX
# library's schema validator (tools/check_sbom.py).
sbom: .venv/.stamp ## write CycloneDX SBOMs of both environments to var/sbom/ and validate them
	@mkdir -p var/sbom
	$(UV) export --frozen --format requirements-txt --all-groups --no-emit-project --quiet -o var/sbom/bot-requirements.txt
	.venv/bin/cyclonedx-py requirements var/sbom/bot-requirements.txt --pyproject pyproject.toml --of JSON \
	  --output-reproducible -o var/sbom/bot.cdx.json
	.venv/bin/cyclonedx-py requirements engine/requirements.lock --of JSON --output-reproducible \
	  -o var/sbom/engine.cdx.json
	.venv/bin/python tools/check_sbom.py var/sbom/bot.cdx.json var/sbom/engine.cdx.json

# Re-resolve the engine lock (needs network to the package index); commit the result.
engine-lock: $(UV) ## re-resolve engine/requirements.lock (needs the package index); commit it
	$(UV) pip compile engine/requirements.in --override engine/overrides.txt --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --generate-hashes --quiet -o engine/requirements.lock

clean: ## remove both environments, uv and trained models (keeps var/ and its database)
	rm -rf .venv $(ENGINE) .tools var/models var/pycache .rasa
