# xlkpi — `make demo` and `make test` work on a fresh Debian machine with Python, make and apt.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
OUT    ?= demo-output
export XLWINGS_LICENSE_KEY ?= noncommercial

.PHONY: setup system demo test wheel-test docs bench clean

# LibreOffice (headless recalculation over UNO, PDF), the Thai fonts (TH Sarabun New's
# clone Laksaman) and poppler's pdftoppm/pdfinfo/pdftotext; apt only when something is missing.
APT_PACKAGES := libreoffice-calc-nogui python3-uno fonts-thai-tlwg poppler-utils
system:
	@if ! command -v soffice >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import uno' >/dev/null 2>&1 \
	    || ! fc-list 2>/dev/null | grep -qi laksaman || ! command -v pdftoppm >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: system $(VENV)/.installed

demo: setup
	$(VENV)/bin/xlkpi demo -o $(OUT)

# Derandomized hypothesis ("ci" profile, tests/conftest.py): the same examples on every clone.
# The suite includes tests/test_wheel.py: the wheel installed in a fresh venv outside the checkout.
test: setup
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest -q -n 2 --dist loadgroup

# Only the installed-wheel run (build, fresh venv, demo, score, framework check, audit).
wheel-test: setup
	HYPOTHESIS_PROFILE=ci $(PY) -m pytest -q tests/test_wheel.py

# The documentation's pictures of the printed SAR Card and KPI Template (tests never write docs/).
docs: setup
	$(PY) -m xlkpi.docs_images --output docs

bench: setup
	$(PY) -m xlkpi.bench

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info
