# clickpy -- one command sets up a fresh Debian machine and runs (make run) or tests (make test)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CONFIG ?= configs/forward.click

.PHONY: run test check lint bench build clean system-deps fuzz fuzz-ci soak

# the main job: forward generated traffic through the default configuration,
# printing per-element counts and the achieved rate
run: build
	$(PY) -m clickpy run --stats $(CONFIG) $(ARGS)

test: build
	$(PY) -m pytest -q

check: build
	@for f in configs/*.click; do $(PY) -m clickpy check $$f || exit 1; done

lint: build
	$(VENV)/bin/ruff check clickpy elements tests bench fuzz setup.py
	PATH=$(VENV)/bin:$$PATH cython-lint --max-line-length 100 $$(find clickpy elements -name '*.pyx' -o -name '*.pxd') /dev/null

bench: build
	OPENBLAS_NUM_THREADS=1 $(PY) -m pytest bench --benchmark-enable -q

# AddressSanitizer + UBSan fuzzing (docs/fuzzing.md): the sanitizer build in
# build/asan (the in-place .so files stay as they are), a self-test, then
# mutated packets through every header-parsing element (10^6 each), the
# shipped configurations and mutated configuration texts. FUZZ_ARGS: e.g.
# --seed 7 --packets 1e5 --only ICMP; reproducers go to build/fuzz-failures/
fuzz: $(STAMP)
	$(PY) fuzz/build.py
	$(PY) -m fuzz --selftest
	$(PY) -m fuzz $(FUZZ_ARGS)

# the shorter pass CI runs (.ci/run): 10^5 packets per element, 2,000 texts
fuzz-ci: $(STAMP)
	$(PY) fuzz/build.py
	$(PY) -m fuzz --selftest
	$(PY) -m fuzz --packets 100000 --texts 2000 $(FUZZ_ARGS)

# configs/iprouter.click at full rate for SOAK_MINUTES, RSS sampled every
# second; fails when memory keeps growing after warm-up (bench/soak.py)
SOAK_MINUTES ?= 10
soak: build
	$(PY) bench/soak.py --minutes $(SOAK_MINUTES)

# Debian packages the tests use, installed when missing (needs root): Graphviz
# for `clickpy dot`; iproute2, ping, iperf3 and ethtool for live-traffic tests
# in network namespaces; netbase for /etc/services and /etc/protocols
SYSTEM_DEPS := dot:graphviz ip:iproute2 ping:iputils-ping iperf3:iperf3 ethtool:ethtool \
	tc:iproute2 /etc/protocols:netbase
system-deps:
	@missing=""; for dep in $(SYSTEM_DEPS); do \
	  what=$${dep%%:*}; pkg=$${dep#*:}; \
	  { [ -e "$$what" ] || command -v "$$what" >/dev/null; } || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
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
