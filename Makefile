# The first two targets are the README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DJANGO := $(PY) -m klachtenregister

.PHONY: run serve test letters lint typecheck format bench bench-scale lock clean

# Production is the settings' default (issue 16 §1); the developer's own commands ask for the
# development settings: DEBUG on, an insecure key, localhost only, plain HTTP.
run test letters lint typecheck bench bench-scale: export KLACHTENREGISTER_ENV = development

run: $(INSTALLED)  ## set up, load the demo (users printed) and start on http://127.0.0.1:8000
	$(DJANGO) migrate --noinput
	$(DJANGO) load_regulations
	$(DJANGO) load_demo
# The demo mail server and the worker run in the background, the web server in front;
# stopping the web server (Ctrl+C) stops the other two.
	$(DJANGO) run_demo_mailbox & M=$$!; $(DJANGO) run_worker & W=$$!; trap 'kill $$M $$W' EXIT INT TERM; $(DJANGO) runserver 127.0.0.1:8000

# Production: gunicorn with WEB_CONCURRENCY workers (default 3) on BIND (default 127.0.0.1:8000),
# behind a proxy that ends TLS. Needs the production environment (docs/operations.md); the
# worker (`python -m klachtenregister run_worker`) runs beside it, migrations before it.
BIND ?= 127.0.0.1:8000
serve: $(INSTALLED)  ## production web server (gunicorn); see docs/operations.md
	$(DJANGO) check --deploy --fail-level WARNING
	$(DJANGO) collectstatic --noinput
	$(VENV)/bin/gunicorn klachtenregister.config.wsgi --bind $(BIND) \
		--workers $${WEB_CONCURRENCY:-3} --access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

test: $(INSTALLED)  ## the whole suite; PostgreSQL when DATABASE_URL points to one, else SQLite
	$(PY) -m pytest

# Every letter of the seed stories (tests/correspondence/test_seed_letters.py), per addressee, as
# the PDFs the organisations send: var/letters/<organisation>/, to read before changing a wording.
# The stories run as tests (the database of DATABASE_URL, as `make test`), which also check them.
LETTERS_DIR ?= var/letters
letters: $(INSTALLED)  ## every letter of one full story per seed, per addressee, as PDFs in var/letters/
	rm -rf $(LETTERS_DIR)
	KLACHTENREGISTER_LETTERS_DIR=$(abspath $(LETTERS_DIR)) $(PY) -m pytest -q tests/correspondence/test_seed_letters.py
	@echo "Letters written to $(LETTERS_DIR)/"

lint: $(INSTALLED)  ## ruff (lint and format) and the type check
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(MAKE) --no-print-directory typecheck

# mypy, settings in pyproject.toml: the pure core with --strict; then the whole package (the
# Django shell in mypy's default mode) against mypy-baseline.txt, which only shrinks.
typecheck: $(INSTALLED)
	$(PY) scripts/typecheck.py

format: $(INSTALLED)
	$(VENV)/bin/ruff format src tests bench scripts
	$(VENV)/bin/ruff check --fix src tests bench scripts

# The Klachten page, the watch list, the yearly report and the dashboard at national scale need
# PostgreSQL (each makes its own scratch database, filled by bench/scale.py);
# BENCH_COMPLAINTS sets how many complaints (default 1,000,000).
bench: $(INSTALLED)
	$(PY) bench/working_days.py
	$(PY) bench/lifecycle.py
	@case "$$DATABASE_URL" in \
	  postgres://*|postgresql://*|pgsql://*|postgis://*) \
	    $(PY) bench/complaint_list.py && $(PY) bench/reports.py ;; \
	  *) echo "bench/complaint_list.py and bench/reports.py skipped: they need DATABASE_URL=postgres://..." ;; \
	esac

# Issue 17 at national scale: one register of N complaints (default 1,000,000) generated once by
# bench/scale.py into BENCH_DATABASE (next to DATABASE_URL's, which must be PostgreSQL), then
# every bench measures it with --reuse: the Klachten page and the watch list, the report and the
# dashboard, the worker's periodic jobs, and last the intake through gunicorn (it adds complaints)
# and its scale-out. The register is kept for another run; drop it with dropdb.
N ?= 1000000
BENCH_DATABASE ?= klachtenregister_bench_scale
bench-scale: $(INSTALLED)  ## every bench on one generated register of N complaints (PostgreSQL)
	$(PY) bench/scale.py --complaints $(N) --database $(BENCH_DATABASE) --keep
	$(PY) bench/complaint_list.py --reuse --database $(BENCH_DATABASE)
	$(PY) bench/reports.py --reuse --database $(BENCH_DATABASE)
	$(PY) bench/worker.py --reuse --database $(BENCH_DATABASE)
	$(PY) bench/intake.py --reuse --database $(BENCH_DATABASE)
	$(PY) bench/intake.py --reuse --database $(BENCH_DATABASE) --processes
	@echo "Register kept in $(BENCH_DATABASE); remove it with: dropdb $(BENCH_DATABASE)"

# The versions CI tested: the lock file, with hashes; the project itself on top, without deps.
$(INSTALLED): pyproject.toml requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
# pip before 23.3 refuses a hashed lock whose packages ask for extras (weasyprint wants
# fonttools[woff]); a new venv may come with such a pip, and the lock then installs its own.
	$(PY) -m pip install --quiet --upgrade "pip>=25"
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# Regenerate the lock files after a change of pyproject.toml's dependencies. The local pip
# configuration is ignored so no mirror of this machine ends up in them.
PIP_COMPILE := PIP_CONFIG_FILE=/dev/null $(VENV)/bin/pip-compile --quiet --generate-hashes \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(INSTALLED)
	$(PIP_COMPILE) -o requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --extra demo -o requirements-dev.txt pyproject.toml

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .hypothesis
