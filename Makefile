# xlkpi — `make demo` and `make test` work on a fresh Debian machine with Python, make and apt.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
OUT    ?= demo-output
export XLWINGS_LICENSE_KEY ?= noncommercial

.PHONY: setup system demo test bench clean

# LibreOffice (headless recalculation, PDF), the Thai fonts and pdftoppm; apt only when missing.
system:
	@if ! command -v soffice >/dev/null 2>&1 || ! fc-list | grep -qi laksaman || ! command -v pdftoppm >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libreoffice-calc-nogui fonts-thai-tlwg poppler-utils >/dev/null; \
	fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: system $(VENV)/.installed

demo: setup
	$(VENV)/bin/xlkpi demo --out $(OUT)

test: setup
	$(PY) -m pytest -q -n 2 --dist loadgroup

bench: setup
	$(PY) -m xlkpi.bench

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info
