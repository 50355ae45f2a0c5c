"""Build the shipped word-embedding table (`models/embeddings.npz` and its card) from
wordllama's own files, offline.

    python -m detector.training.embeddings --data ../shared/data -o models/

wordllama (MIT) ships its 256-dimension token embeddings (Llama-2 tokenizer, 32,000
tokens) and the tokenizer file inside its wheel; they are read directly, so nothing is
downloaded (its `WordLlama.load()` may look for the tokenizer in a cache folder and
fetch it). wordllama embeds a text as the mean of its tokens' vectors. The table keeps,
for each word of the shared data's text (lowercased, `TABLE_WORD`, seen at least
`MIN_COUNT` times, the `MAX_WORDS` most frequent), the sum of that word's token vectors,
so a text's vector is the sum of its words' entries and cosine is as wordllama's up to
the punctuation tokens it drops and the words outside the table. The sums are
projected on their leading `DIMS` right singular vectors (uncentred, each word weighted
by the square root of its count: the directions the text actually uses), then each row
is stored as an int8 direction and a float16 length.

Needs the `embed` extra (`pip install ".[embed]"`: wordllama); cleaning never does.
The card records the source file's sha256, the parameters and the fidelity measured
here: the correlation, over pairs of paragraphs of one article, between wordllama's
own cosine and the table's.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from detector.features.embeddings import TABLE_CARD, TABLE_FILE, TABLE_WORD, EmbeddingTable
from detector.files import file_sha256
from detector.training.provenance import DEFAULT_DATA_DIR

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
DIMS = 96
MIN_COUNT = 2
MAX_WORDS = 50_000
FIDELITY_PAIRS = 3_000
SIF = None
DROP_DIRECTIONS = 0


def data_texts(data: Path) -> Iterator[str]:
    """The text of the shared data: news paragraphs, model text, the HTML sets' gold text."""
    for row in _jsonl(data / "news-text" / "bbc-news-2225.jsonl.gz"):
        yield row.get("title", "")
        yield from row["paragraphs"]
    for name in ("detectrl-xsum.jsonl.gz", "seqxgpt-boundary.jsonl.gz"):
        for row in _jsonl(data / "ai-text" / name):
            yield row["text"]
    for row in _jsonl(data / "html" / "wceb2026-articles" / "gold.jsonl.gz"):
        yield row.get("main_content") or ""
    gold = json.loads((data / "html" / "trafilatura-eval-en" / "gold.json").read_text(encoding="utf-8"))
    for page in gold.values():
        yield from page.get("with", [])
        yield from page.get("without", [])


def _jsonl(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def wordllama_files() -> tuple[Path, Path]:
    """The weights and tokenizer files inside the installed wordllama package."""
    import wordllama  # the `embed` extra

    root = Path(wordllama.__file__).parent
    return root / WEIGHTS, root / TOKENIZER


def load_wordllama():
    """(token embeddings float32 (32000, 256), tokenizer), from the package's own files."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    weights, tokenizer_file = wordllama_files()
    embedding = load_file(str(weights))["embedding.weight"].astype(np.float32)
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return embedding, tokenizer


def wordllama_embed(texts: list[str], embedding: np.ndarray, tokenizer) -> np.ndarray:
    """wordllama's own embedding of texts: the mean of their tokens' vectors, unit length."""
    out = np.zeros((len(texts), embedding.shape[1]), dtype=np.float32)
    for number, encoded in enumerate(tokenizer.encode_batch(texts, add_special_tokens=False)):
        if encoded.ids:
            out[number] = embedding[np.asarray(encoded.ids)].mean(axis=0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)


def build(data: Path, dims: int = DIMS, min_count: int = MIN_COUNT, max_words: int = MAX_WORDS,
          sif: float | None = SIF, drop: int = DROP_DIRECTIONS, seed: int = 0) -> tuple[EmbeddingTable, dict]:
    embedding, tokenizer = load_wordllama()
    counts: Counter[str] = Counter()
    texts = [text for text in data_texts(data) if text]
    for text in texts:
        counts.update(TABLE_WORD.findall(text.lower()))
    words = [w for w, c in counts.most_common(max_words) if c >= min_count]
    # each word alone, as wordllama tokenizes a word after a space ("▁word")
    sums = np.zeros((len(words), embedding.shape[1]), dtype=np.float32)
    for number, encoded in enumerate(tokenizer.encode_batch(words, add_special_tokens=False)):
        sums[number] = embedding[np.asarray(encoded.ids)].sum(axis=0)
    weight = np.sqrt(np.array([counts[w] for w in words], dtype=np.float64))[:, None]
    _, _, vt = np.linalg.svd(sums * weight, full_matrices=False)
    projected = sums @ vt[:dims].T
    lengths = np.linalg.norm(projected, axis=1)
    unit = projected / np.maximum(lengths[:, None], 1e-9)
    directions = np.clip(np.round(unit / np.abs(unit).max(axis=1, keepdims=True) * 127), -127, 127).astype(np.int8)
    # fidelity of the distillation itself: the table as wordllama weighs words
    fidelity = measure_fidelity(EmbeddingTable(tuple(words), directions, lengths.astype(np.float16)),
                                data, embedding, tokenizer, seed)
    if drop:
        # the leading directions are what every text shares (function words): a text's
        # similarity to any other sits high without them removed
        projected = sums @ vt[drop:dims + drop].T
        lengths = np.linalg.norm(projected, axis=1)
        unit = projected / np.maximum(lengths[:, None], 1e-9)
        directions = np.clip(np.round(unit / np.abs(unit).max(axis=1, keepdims=True) * 127), -127, 127).astype(np.int8)
    if sif:
        # smooth inverse frequency (Arora et al. 2017): a frequent word weighs less
        share = np.array([counts[w] for w in words], dtype=np.float64) / sum(counts.values())
        lengths = lengths * (sif / (sif + share))
    table = EmbeddingTable(tuple(words), directions, lengths.astype(np.float16))
    weights_file, tokenizer_file = wordllama_files()
    import wordllama

    card = {
        "what": "word vectors distilled from wordllama l2_supercat_256 (sum of each word's token vectors)",
        "source": {"package": "wordllama", "version": getattr(wordllama, "__version__", "unknown"), "license": "MIT",
                   "weights": WEIGHTS, "weights_sha256": file_sha256(weights_file),
                   "tokenizer": TOKENIZER, "tokenizer_sha256": file_sha256(tokenizer_file)},
        "vocabulary": {"from": "../shared/data text (bbc-news, detectrl-xsum, seqxgpt-boundary, HTML gold text)",
                       "words": len(words), "min_count": min_count, "max_words": max_words,
                       "token_coverage": sum(counts[w] for w in words) / sum(counts.values())},
        "dims": dims, "projection": "leading right singular vectors of sqrt(count)-weighted word sums, uncentred",
        "storage": "int8 direction + float16 length per word; words newline-joined UTF-8",
        "weighting": {"sif": sif, "dropped_leading_directions": drop},
        "fidelity": fidelity,
    }
    return table, card


def measure_fidelity(table: EmbeddingTable, data: Path, embedding: np.ndarray, tokenizer, seed: int) -> dict:
    """wordllama's cosine against the table's, over pairs of paragraphs of one BBC article
    (the comparison the features make) and pairs from two articles."""
    rng = random.Random(seed)
    articles = [row["paragraphs"] for row in _jsonl(data / "news-text" / "bbc-news-2225.jsonl.gz")
                if len(row["paragraphs"]) >= 4]
    pairs = []
    for _ in range(FIDELITY_PAIRS):
        article = rng.choice(articles)
        a, b = rng.sample(range(len(article)), 2)
        pairs.append((article[a], article[b]))
    for _ in range(FIDELITY_PAIRS):
        pairs.append((rng.choice(rng.choice(articles)), rng.choice(rng.choice(articles))))
    left, right = [p[0] for p in pairs], [p[1] for p in pairs]
    full = np.sum(wordllama_embed(left, embedding, tokenizer) * wordllama_embed(right, embedding, tokenizer), axis=1)
    ours = np.sum(table.embed(left)[0] * table.embed(right)[0], axis=1)
    same = np.arange(len(pairs)) < FIDELITY_PAIRS
    return {
        "pairs": len(pairs),
        "pearson": float(np.corrcoef(full, ours)[0, 1]),
        "pearson_same_article": float(np.corrcoef(full[same], ours[same])[0, 1]),
        "mean_abs_difference": float(np.abs(full - ours).mean()),
        # does the table still tell a pair from one article from a pair across articles
        "same_vs_other_article_gap": {"wordllama": float(full[same].mean() - full[~same].mean()),
                                      "table": float(ours[same].mean() - ours[~same].mean())},
    }


def save(table: EmbeddingTable, card: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    words = np.frombuffer("\n".join(table.words).encode("utf-8"), dtype=np.uint8)
    # uncompressed: a compressed table is only 8% smaller and takes 40 ms longer to load
    np.savez(out / TABLE_FILE, words=words, directions=table.directions, lengths=table.lengths)
    card["sha256"] = file_sha256(out / TABLE_FILE)
    (out / TABLE_CARD).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("-o", "--out", type=Path, default=Path("models"))
    parser.add_argument("--dims", type=int, default=DIMS)
    parser.add_argument("--max-words", type=int, default=MAX_WORDS)
    parser.add_argument("--min-count", type=int, default=MIN_COUNT)
    parser.add_argument("--sif", type=float, default=SIF, help="smooth inverse frequency weight a (none: as wordllama)")
    parser.add_argument("--drop", type=int, default=DROP_DIRECTIONS, help="leading singular directions left out")
    args = parser.parse_args()
    table, card = build(args.data, args.dims, args.min_count, args.max_words, args.sif, args.drop)
    save(table, card, args.out)
    print(json.dumps({"words": len(table.words), "dims": table.dims, "fidelity": card["fidelity"],
                      "bytes": (args.out / TABLE_FILE).stat().st_size}, indent=2))


if __name__ == "__main__":
    main()
