# The two README commands: `make site` builds the sample site, `make test` runs every test.
# Each bootstraps what it needs: the virtual environment with pinned packages, and for the
# browser tests Debian's Chromium (never a browser downloaded by a test tool), for the serving
# tests Debian's nginx.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT    := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve preview check bench export chromium nginx clean

site: $(STAMP)
	$(BIN)/mkdocs build

test: $(STAMP) chromium nginx
	PYTHONFAULTHANDLER=1 $(BIN)/pytest -n 2 -q  # a crashing worker prints where it was

serve: $(STAMP)
	$(BIN)/mkdocs serve

# For editors of a large site: a saved item shows within seconds (no archive search in it).
preview: $(STAMP)
	$(BIN)/gongkai preview

check: $(STAMP)
	$(BIN)/gongkai check

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The offline, searchable bundle with the open data; `gongkai verify gongkai-export.zip` checks it.
export: $(STAMP)
	$(BIN)/gongkai export -o gongkai-export.zip

$(STAMP): requirements.lock pyproject.toml
	@# Debian's python3 needs python3-venv for `-m venv`; install it when it is missing.
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || ($(APT) update -qq && $(APT) install -y -qq python3-venv)
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-* && touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || ($(APT) update -qq && $(APT) install -y -qq chromium fonts-noto-cjk)

nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || ($(APT) update -qq && $(APT) install -y -qq nginx-light || $(APT) install -y -qq nginx)

clean:
	rm -rf site site.building site.previous .pytest_cache
