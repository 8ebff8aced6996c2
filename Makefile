# Two commands for a newcomer: `make demo` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
XLTOOL := $(BIN)/xltool
OUT    := out

.PHONY: demo test lint templates clean

$(STAMP): pyproject.toml
	@echo "creating $(VENV) and installing xltool with its test extras (log: $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet -e ".[test]" > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

## demo: template → fill → export → validate → consolidate → report on the examples, everything written into out/
demo: $(STAMP)
	rm -rf $(OUT) && mkdir -p $(OUT)/templates $(OUT)/filled $(OUT)/exported $(OUT)/annotated $(OUT)/reports
	$(XLTOOL) template --form department --year 2023 -o $(OUT)/templates/department-national.xlsx
	$(XLTOOL) template --form project --year 2023 -o $(OUT)/templates/project-national.xlsx
	@for f in examples/*.yaml; do \
	  name=$$(basename $$f .yaml); \
	  $(XLTOOL) fill $$f -o $(OUT)/filled/$$name.xlsx || exit $$?; \
	  $(XLTOOL) export $(OUT)/filled/$$name.xlsx -o $(OUT)/exported/$$name.json || exit $$?; \
	done
	@# validate exits 1 because one example keeps deliberate mistakes; 2 (unusable input) would be a failure
	$(XLTOOL) validate $(OUT)/filled --annotate $(OUT)/annotated; test $$? -le 1
	$(XLTOOL) validate $(OUT)/filled --format json > $(OUT)/validation.jsonl; test $$? -le 1
	@# the five district offices into one summary (the project form is a separate kind of submission), and the four
	@# tables (units, indicators, findings, unusable) as CSV for an analyst's pivot tables
	$(XLTOOL) consolidate $(OUT)/filled/donghu.xlsx $(OUT)/filled/xishan.xlsx $(OUT)/filled/nanan.xlsx \
	  $(OUT)/filled/beicheng.xlsx $(OUT)/filled/gaoxin.xlsx -o $(OUT)/summary.xlsx --json $(OUT)/summary.json \
	  --tables $(OUT)/tables; test $$? -le 1
	@# a self-evaluation report per unit (exit 1 where its workbook still has errors), and the office's summary report
	@for f in $(OUT)/filled/*.xlsx; do \
	  $(XLTOOL) report $$f -o $(OUT)/reports/$$(basename $$f .xlsx).docx; test $$? -le 1 || exit 1; \
	done
	$(XLTOOL) report $(OUT)/summary.xlsx -o $(OUT)/reports/summary.docx; test $$? -le 1
	@# the reports checked for self-contradicting figures: the published Chongqing report's duplicated row, 110
	@# weights and wrong total are found (exit 1); the donghu report matches its workbook (exit 0)
	$(XLTOOL) lint-report tests/data/reports/report-chongqing-bishan-2022.txt; test $$? -eq 1
	$(XLTOOL) lint-report $(OUT)/reports/donghu.docx --against $(OUT)/filled/donghu.xlsx
	@# official forms as units hold them: a national .xlsx, a Sichuan .xls with two projects, a Chongqing Word table
	mkdir -p $(OUT)/official
	$(XLTOOL) validate examples/official --annotate $(OUT)/official/annotated; test $$? -le 1
	$(XLTOOL) validate examples/official --format json > $(OUT)/official/validation.jsonl; test $$? -le 1
	$(XLTOOL) import examples/official/sichuan-project.xls -o $(OUT)/official/sichuan-template.xlsx
	@# the collection desk for the five district offices (unit list saved by a Chinese Excel, in GBK); its links in
	@# out/desk/links.csv; `.venv/bin/xltool serve --data out/desk` starts it (office password: the demo file's)
	$(XLTOOL) desk init --data $(OUT)/desk --office 江临市财政局 --year 2023 --form department --form project \
	  --deadline 2024-03-31 --password-file examples/desk/office-password.txt
	$(XLTOOL) desk add-units examples/desk/units.csv --data $(OUT)/desk
	@echo "demo outputs in $(OUT)/:" && find $(OUT) -type f | sort

## lint: ruff (rules and formatting) and mypy over the package, the tests and the benchmarks
lint: $(STAMP)
	$(BIN)/ruff check xltool tests bench
	$(BIN)/ruff format --check xltool tests bench
	$(BIN)/mypy xltool

## test: lint, type-check, the programs some tests drive (tools/system-packages: LibreOffice, poppler, the CJK
## fonts, chromium, installed when it may), and the whole test suite
test: lint
	@tools/system-packages
	$(BIN)/pytest -q

## templates: regenerate the published blank templates in templates/
templates: $(STAMP)
	$(XLTOOL) template --form department -o templates/department-national.xlsx --force
	$(XLTOOL) template --form project -o templates/project-national.xlsx --force

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis
