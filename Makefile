# `make check` is what CI runs (.ci/run). Every target works from a fresh clone after `uv sync`.
UV ?= uv
PG_URL ?= postgres://pasar:pasar@127.0.0.1:5432/pasar
export UV_PYTHON_DOWNLOADS := never

.PHONY: check static lint typecheck migrations-check layers test test-sqlite test-postgres test-clock fmt run messages bench

# Everything at once, each target's output printed whole when it ends (--output-sync): the test runs wait on
# browsers, subprocesses and PostgreSQL's commits, so two cores stay busy only when the runs overlap (run one
# after the other they left a third of the CPU idle). Each run has its own test databases: SQLite files under
# its own pytest temporary directory, PostgreSQL databases named after the xdist worker.
check:
	$(MAKE) -j4 --output-sync=target static test-sqlite test-postgres test-clock

static: lint typecheck migrations-check layers

lint:
	$(UV) run ruff check .
	$(UV) run ruff format --check .

typecheck:
	$(UV) run mypy pasar bench

migrations-check:
	PASAR_DATA_DIR=$$(mktemp -d) $(UV) run pasar makemigrations --check --dry-run

layers:
	$(UV) run lint-imports

# The README's test command, on both cores (pytest-xdist); pytest exits 5 when it collected nothing,
# which is a failure here too.
PYTEST_WORKERS ?= 2
test test-sqlite:
	$(UV) run pytest -n $(PYTEST_WORKERS) --dist loadgroup

# PostgreSQL runs every test but the browser ones: those drive pages, not the database's guarantees, and
# they already ran on SQLite (half of CI's time went into running them twice).
test-postgres:
	DATABASE_URL=$(PG_URL) $(UV) run pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not browser"

# Tests marked `clock` read the time of day: run them again just after midnight and just before it (WIB),
# whatever hour CI happens to run at.
test-clock:
	PASAR_TEST_NOW=2026-12-02T00:30:00+07:00 $(UV) run pytest -n $(PYTEST_WORKERS) -m clock
	PASAR_TEST_NOW=2026-12-02T23:50:00+07:00 $(UV) run pytest -n $(PYTEST_WORKERS) -m clock

fmt:
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

run:
	$(UV) run pasar demo

# Extract UI strings into pasar/locale/{id,en}; translate the new msgids in the id .po (by hand, or with
# scripts/fill_translations.py), then run this again to compile. test_i18n.py fails on anything missing.
messages:
	cd pasar && $(UV) run django-admin makemessages -l id -l en --no-obsolete --no-location --no-wrap \
		--ignore "*/tests/*" --ignore "testing/*" && $(UV) run django-admin compilemessages

bench:
	$(UV) run python -m bench.run
