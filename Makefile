# One command to run the app, one to test it; both work on a fresh machine (Debian, Python 3.11+).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# As root (CI, a fresh container) apt-get runs as is; otherwise through sudo.
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench clean system-deps

run: $(VENV)/.runtime
	$(PY) -m streamlit run serve.py

test: $(VENV)/.dev system-deps
	$(VENV)/bin/ruff check .
	DTI_REQUIRE_POSTGRES=1 $(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

bench: $(VENV)/.dev
	$(PY) bench/engine.py
	$(PY) bench/uncertainty.py
	$(PY) bench/storage.py
	$(PY) bench/ui.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# Debian's chromium (driven by Playwright for the browser tests; never a downloaded browser),
# PostgreSQL (the storage tests start their own server on loopback) and nginx (deploy/cluster.py and the
# scale-out tests run it unprivileged in front of several app processes).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -d /usr/lib/postgresql ] || [ ! -x /usr/bin/pdftotext ] || [ ! -x /usr/sbin/nginx ]; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver postgresql poppler-utils nginx >/dev/null; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
