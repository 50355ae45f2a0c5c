# Set-up and everyday commands. PYTHON is the interpreter of the environment to use.
PYTHON ?= python3
DATA ?= ../shared/data
CORPUS ?= corpus
SEED ?= 0
FOLDS ?= 3
# pages of the training side each leave-one-family-out run samples (the same sample for every run)
FAMILY_PAGES ?= 500
FAMILY_FOLDS ?= 2

.PHONY: install test corpus families model eval bench lint clean embeddings

install:  ## install detector with its training and test tools into the current environment
	$(PYTHON) -m pip install --upgrade pip
	$(PYTHON) -m pip install ".[test,train]"

test:  ## the test suite (the README's test command; CI runs it)
	$(PYTHON) -m pytest -q

corpus:  ## compose labelled training and held-out pages from $(DATA)
	$(PYTHON) -m detector corpus --data $(DATA) -o $(CORPUS) --seed $(SEED)

$(CORPUS)/train.jsonl.gz:  # the corpus, composed once when a target needs it
	$(MAKE) corpus PYTHON=$(PYTHON)

embeddings:  ## rebuild the shipped word-embedding table from wordllama (needs the embed extra; offline)
	$(PYTHON) -m detector.training.embeddings --data $(DATA) -o models

families: $(CORPUS)/train.jsonl.gz  ## leave one family out: the recipe trained without each generator and layout family, scored on that family
	$(PYTHON) -m detector families $(CORPUS)/train.jsonl.gz fixtures/labelled/*.jsonl --heldout $(CORPUS)/heldout.jsonl.gz \
		--folds $(FAMILY_FOLDS) --sample $(FAMILY_PAGES) -j 1 --seed $(SEED) -o $(CORPUS)/families.json

model: $(CORPUS)/train.jsonl.gz  ## the shipped default model: every page of the corpus (both sides of the split) and the fixtures
	$(PYTHON) -m detector train $(CORPUS)/train.jsonl.gz $(CORPUS)/heldout.jsonl.gz fixtures/labelled/*.jsonl \
		--folds $(FOLDS) --seed $(SEED) $(if $(wildcard $(CORPUS)/families.json),--families $(CORPUS)/families.json) \
		-o models/default.npz

eval:  ## the default model on the held-out side, its recipe's leave-one-family-out runs, the real HTML pages
	$(PYTHON) -m detector evaluate $(CORPUS)/heldout.jsonl.gz
	$(PYTHON) bench/eval_real.py --data $(DATA)

bench:  ## speed and memory benchmark on the real pages in $(DATA)/html
	$(PYTHON) bench/bench.py --data $(DATA)

lint:  ## pyflakes over the code, tests and benchmarks; mypy over the package
	$(PYTHON) -m pyflakes detector tests bench
	$(PYTHON) -m mypy detector

clean:
	rm -rf build dist *.egg-info $(CORPUS)
