# Set-up and everyday commands. PYTHON is the interpreter of the environment to use.
PYTHON ?= python3
DATA ?= ../shared/data
CORPUS ?= corpus
SEED ?= 0

.PHONY: install test model corpus eval bench lint clean

install:  ## install detector with its training and test tools into the current environment
	$(PYTHON) -m pip install --upgrade pip
	$(PYTHON) -m pip install ".[test,train]"

test:  ## the test suite (the README's test command; CI runs it)
	$(PYTHON) -m pytest -q

corpus:  ## compose labelled training and held-out pages from $(DATA)
	$(PYTHON) -m detector corpus --data $(DATA) -o $(CORPUS) --seed $(SEED)

model: corpus  ## retrain the shipped default model from the corpus and the fixtures
	$(PYTHON) -m detector train $(CORPUS)/train.jsonl.gz fixtures/labelled/*.jsonl --heldout $(CORPUS)/heldout.jsonl.gz \
		--seed $(SEED) -o models/default.npz

eval:  ## held-out figures of the default model (composed pages, seeds, real HTML pages)
	$(PYTHON) -m detector evaluate $(CORPUS)/heldout.jsonl.gz
	$(PYTHON) bench/eval_real.py --data $(DATA)

bench:  ## speed and memory benchmark on the real pages in $(DATA)/html
	$(PYTHON) bench/bench.py --data $(DATA)

lint:  ## pyflakes over the code, tests and benchmarks; mypy over the package
	$(PYTHON) -m pyflakes detector tests bench
	$(PYTHON) -m mypy detector

clean:
	rm -rf build dist *.egg-info $(CORPUS)
