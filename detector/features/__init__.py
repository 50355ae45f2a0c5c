"""Block features, plain numpy and `re` (the shipped model scores pages without
scikit-learn; the training pipeline wraps these same functions).

    ngrams.py     hashed word (1-2) and character (3-5) n-grams
    lexicon.py    content words and names of a text (cached), stop words, stock commentary
    page.py       a page read once: tokens, and where each word, entity and name occurs
    dense.py      the dense features, a registry of name -> function over the page
    retelling.py  how much of a post from a block on retells what came before
    embeddings.py the shipped word-embedding table (distilled from wordllama), numpy only
    semantic.py   the same question by meaning: a block's cosine to its headline, lead, earlier blocks
    language.py   whether the page is English, which the model reads (else it is passed through)
    context.py    the second pass's table: neighbours' and post's probabilities beside
                  the dense and retelling features
"""

from .context import (
    CONTEXT_FEATURES, SECOND_PASS_DENSE, SECOND_PASS_FEATURES, block_context_features, context_features,
    second_pass_features,
)
from .dense import DENSE_FEATURES, dense_features
from .lexicon import STOCK_COMMENTARY, STOPWORDS
from .page import PageText
from .ngrams import CHAR_BITS, WORD_BITS, count_active, hash_chars, hash_words, normalise, vocabulary_lookup
from .retelling import RETELLING_FEATURES, retelling_features
from .semantic import SEMANTIC_FEATURES, semantic_features

__all__ = [
    "CHAR_BITS",
    "CONTEXT_FEATURES",
    "DENSE_FEATURES",
    "RETELLING_FEATURES",
    "SECOND_PASS_DENSE",
    "SECOND_PASS_FEATURES",
    "SEMANTIC_FEATURES",
    "STOCK_COMMENTARY",
    "STOPWORDS",
    "PageText",
    "WORD_BITS",
    "block_context_features",
    "context_features",
    "count_active",
    "dense_features",
    "hash_chars",
    "hash_words",
    "normalise",
    "retelling_features",
    "second_pass_features",
    "semantic_features",
    "vocabulary_lookup",
]
