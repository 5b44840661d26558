# clickpy -- one command sets up a fresh Debian machine and runs (make run) or tests (make test)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CONFIG ?= configs/forward.click

.PHONY: run test check lint bench build clean system-deps

# the main job: forward generated traffic through the default configuration,
# printing per-element counts and the achieved rate
run: build
	$(PY) -m clickpy run --stats $(CONFIG) $(ARGS)

test: build
	$(PY) -m pytest -q

check: build
	@for f in configs/*.click; do $(PY) -m clickpy check $$f || exit 1; done

lint: build
	$(VENV)/bin/ruff check clickpy elements tests bench setup.py
	PATH=$(VENV)/bin:$$PATH cython-lint --max-line-length 100 $$(find clickpy elements -name '*.pyx' -o -name '*.pxd') /dev/null

bench: build
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest bench --benchmark-enable -q

# Debian packages the tests use (Graphviz for `clickpy dot`); needs root
system-deps:
	@if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  command -v dot >/dev/null || { apt-get update -qq && apt-get install -y -qq graphviz >/dev/null; }; \
	fi

# compiles in place, incrementally: only what changed since the last build
build: system-deps $(STAMP)
	$(PY) setup.py -q build_ext --inplace
	$(PY) -m clickpy.graph.elemmap elements

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel Cython
	CLICKPY_NO_EXTENSIONS=1 $(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf build $(VENV) *.egg-info
	find clickpy elements -name '*.so' -o -name '*.c' -o -name '*.html' | xargs rm -f
