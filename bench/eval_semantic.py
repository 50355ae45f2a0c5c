"""How well each retelling feature (lexical and semantic) tells filler from reporting,
on the labelled corpus pages: one AUC per feature over paragraph blocks.

Three comparisons, each "filler scores higher" (an AUC below 0.5 means the feature
is higher on reporting; its distance from 0.5 is what matters to trees):
  - all:       filler vs reporting paragraphs;
  - retelling: filler paragraphs that retell their own post's story (model text the
               corpus builder pairs with the story of the post's reporting, matched by
               8-word shingles of the shared data) vs the post's own
               closing reporting paragraphs (its last CLOSING);
  - other:     filler paragraphs from model text on another topic vs the same closings.
Then the features together: small boosted trees, out of fold, on the lexical retelling
features alone and with the semantic ones (what the second pass can gain from them).
A block whose feature is NaN (no evidence: too short, nothing to compare with) is left
out of that feature's AUC; the coverage column says how many were scored.

    python bench/eval_semantic.py ../main/corpus/heldout.jsonl.gz [--data ../shared/data] [--pages N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from detector.features import RETELLING_FEATURES, SEMANTIC_FEATURES, PageText, block_context_features  # noqa: E402
from detector.features.embeddings import EmbeddingTable  # noqa: E402
from detector.training.corpus.loaders import load_material  # noqa: E402
from detector.training.dataset import read_pages  # noqa: E402
from detector.training.provenance import DEFAULT_DATA_DIR  # noqa: E402
from detector.types import BlockKind, Label  # noqa: E402

FEATURES = RETELLING_FEATURES + SEMANTIC_FEATURES
CLOSING = 3  # a post's closing reporting paragraphs: its last three
SHINGLE = 8
_WORDS = re.compile(r"[a-z0-9]+")


def shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.lower())
    return {tuple(words[i:i + SHINGLE]) for i in range(max(0, len(words) - SHINGLE + 1))}


def source_index(data: Path) -> dict[tuple[str, ...], str]:
    """Shingle -> the story it tells: each story's own text and its same-story model texts
    (as the corpus builder pairs them, `load_material`), under the story's key."""
    index: dict[tuple[str, ...], str] = {}
    for side in load_material(data):
        for story in side.stories:
            for text in (*story.paragraphs, *story.sentences):
                for s in shingles(text):
                    index.setdefault(s, story.key)
            for filler in story.fillers:
                if "~related" not in filler.source:
                    for s in shingles(" ".join(filler.sentences)):
                        index.setdefault(s, story.key)
    return index


def story_of(text: str, index: dict) -> str | None:
    found = [index[s] for s in shingles(text) if s in index]
    return max(set(found), key=found.count) if found else None


def collect(path: Path, index: dict, limit: int | None):
    values, kind, page_of = [], [], []  # per paragraph block: features row; "reporting" / "closing" / "retelling" / "other"
    for number, page in enumerate(read_pages(path)):
        if limit and number >= limit:
            break
        text = PageText(page.blocks)
        features = block_context_features(text)
        labels = np.array([label.value for label in page.labels])
        paragraph = np.array([b.kind is BlockKind.PARAGRAPH for b in page.blocks])
        for rows in text.posts:
            ids = np.arange(rows.start, rows.stop)
            reporting = ids[(labels[rows] == Label.REPORTING.value) & paragraph[rows]]
            filler = ids[(labels[rows] == Label.FILLER.value) & paragraph[rows]]
            closing = set(reporting[-CLOSING:].tolist()) if len(filler) else set()
            own_stories = {story_of(page.blocks[i].text, index) for i in reporting} - {None}
            for i in reporting:
                values.append(features[i])
                kind.append("closing" if i in closing else "reporting")
                page_of.append(number)
            for i in filler:
                story = story_of(page.blocks[i].text, index)
                values.append(features[i])
                kind.append("retelling" if story is not None and story in own_stories else "other")
                page_of.append(number)
    return np.array(values), np.array(kind), np.array(page_of)


def combined_auc(values: np.ndarray, positive: np.ndarray, pages: np.ndarray, columns: list[int]) -> float:
    """Out-of-fold AUC of small boosted trees over some of the features (5 folds by page):
    what the features say together, as the second pass would read them (NaN as missing)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold, cross_val_predict

    trees = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, random_state=0)
    scores = cross_val_predict(trees, values[:, columns], positive, groups=pages, cv=GroupKFold(5),
                               method="predict_proba")[:, 1]
    return float(roc_auc_score(positive, scores))


def auc(values: np.ndarray, positive: np.ndarray) -> tuple[float, int]:
    scored = ~np.isnan(values)
    if len(set(positive[scored])) < 2:
        return float("nan"), int(scored.sum())
    return float(roc_auc_score(positive[scored], values[scored])), int(scored.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=Path, help="a labelled-page file (.jsonl.gz)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--pages-limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--table", type=Path, help="measure another embedding table (.npz) instead of the shipped one")
    parser.add_argument("--wordllama", action="store_true",
                        help="measure wordllama's own 256-dimension embedding instead (needs the embed extra)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.wordllama:
        import detector.features.semantic as semantic
        from detector.training.embeddings import load_wordllama, wordllama_embed

        embedding, tokenizer = load_wordllama()

        class FullModel:
            def embed(self, texts):
                vectors = wordllama_embed(list(texts), embedding, tokenizer)
                return vectors, (np.abs(vectors).sum(axis=1) > 0).astype(np.int64)

        semantic.shipped_table = lambda: FullModel()  # type: ignore[assignment,return-value]
    if args.table:
        import detector.features.semantic as semantic

        table = EmbeddingTable.load(args.table)
        semantic.shipped_table = lambda: table  # type: ignore[assignment]
    values, kind, pages = collect(args.pages, source_index(args.data), args.pages_limit or None)
    filler = np.isin(kind, ("retelling", "other"))
    comparisons = {
        "all": (np.ones(len(kind), dtype=bool), filler),
        "retelling": (np.isin(kind, ("retelling", "closing")), kind == "retelling"),
        "other": (np.isin(kind, ("other", "closing")), kind == "other"),
    }
    counts = {k: int((kind == k).sum()) for k in ("reporting", "closing", "retelling", "other")}
    report: dict = {"pages": str(args.pages), "blocks": counts, "auc": {}}
    for name_number, name in enumerate(FEATURES):
        report["auc"][name] = {}
        for comparison, (rows, positive) in comparisons.items():
            value, scored = auc(values[rows, name_number], positive[rows])
            report["auc"][name][comparison] = {"auc": round(value, 4), "scored": scored, "of": int(rows.sum())}
    lexical = [FEATURES.index(name) for name in RETELLING_FEATURES]
    report["combined_auc"] = {
        comparison: {"lexical": round(combined_auc(values[rows], positive[rows], pages[rows], lexical), 4),
                     "lexical+semantic": round(combined_auc(values[rows], positive[rows], pages[rows],
                                                            list(range(len(FEATURES)))), 4)}
        for comparison, (rows, positive) in comparisons.items()
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.pages}: paragraph blocks {counts}")
    print(f"{'feature':<26}" + "".join(f"{c:>22}" for c in comparisons))
    for name, row in report["auc"].items():
        print(f"{name:<26}" + "".join(f"{row[c]['auc']:>10.3f} ({row[c]['scored']:>5}/{row[c]['of']:>5})"
                                      for c in comparisons))
    print("together (boosted trees, 5 folds by page, out-of-fold AUC):")
    for comparison, row in report["combined_auc"].items():
        print(f"  {comparison:<10} lexical {row['lexical']:.3f} -> lexical+semantic {row['lexical+semantic']:.3f}")


if __name__ == "__main__":
    main()
