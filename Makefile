# The two commands the README promises: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint render check clean bench image-test

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@$(PYTHON) -m venv $(VENV) || { echo "Cannot create $(VENV): on Debian, 'sudo apt install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

demo: $(STAMP)
	$(BIN)/kiosk demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench

# The SD card image booted in QEMU (arm64): deploy/image/boottest/README.md.  As root;
# ~40 min the first time, ~20 min with the Raspberry Pi OS stand-in cached.
image-test: $(STAMP)
	$(BIN)/python deploy/image/boottest/boottest.py

render: $(STAMP)
	$(BIN)/kiosk render --out storyboard --all-sizes

check: lint test

clean:
	rm -rf $(VENV) storyboard .pytest_cache .ruff_cache
