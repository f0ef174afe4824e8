# The two commands: `make run` (site + task cluster with demo content)
# and `make test` (the whole suite). Both set up .venv from requirements.lock.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test setup lint lock messages bench bench-pages bench-desk bench-reports audit clean

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

setup: $(STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py setup_demo_accounts

run: setup
	$(PY) scripts/run_dev.py --port $(PORT)

test: $(STAMP)
	$(PY) scripts/ensure_browser.py
	$(PY) -m pytest $(PYTEST_ARGS)

# The four checks CI runs before the suite (and .pre-commit-config.yaml runs on commit).
lint: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

messages: $(STAMP)
	$(PY) manage.py makemessages -l th -l en --ignore=.venv --ignore=static_collected --ignore=tests --ignore=scripts
	$(PY) scripts/po_fill.py

lock: $(STAMP)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile requirements.in -p 3.11 -o requirements.lock

# Known vulnerabilities in the pinned dependencies (pip-audit over requirements.lock);
# fails, and says so, when the vulnerability data cannot be reached.
audit: $(STAMP)
	$(PY) scripts/audit.py

# Benchmarks at full size. `make bench` prints one table of every figure on SQLite and on
# PostgreSQL + Redis (wrk is installed from Debian's packages if missing); the suite runs each
# part at a tiny size. BENCH_ARGS passes options, e.g. `make bench BENCH_ARGS="--tiny"` or
# `make bench-desk BENCH_ARGS="--tickets 20000"` for one part alone.
bench: $(STAMP)
	$(PY) scripts/bench.py $(BENCH_ARGS)

bench-pages: $(STAMP)
	$(PY) scripts/bench_pages.py $(BENCH_ARGS)

bench-desk: $(STAMP)
	$(PY) scripts/bench_desk.py $(BENCH_ARGS)

bench-reports: $(STAMP)
	$(PY) scripts/bench_reports.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3* media static_collected
