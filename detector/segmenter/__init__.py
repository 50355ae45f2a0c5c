"""The segmenter: decode each post as a whole, then decide whether it has an appendix.

Per-block probabilities come from the classifier, which already sees novelty
against earlier blocks, position in the post and its neighbours. Here:

1. Viterbi over the four labels, with transitions learned from labelled pages,
   places tags, hashtag lines and chrome (tags and hashtags close a post)
   (`viterbi.py`).
2. The post's content (what is not tags or chrome) is cut into sections where an
   appendix visibly ends (tags or chrome after filler, an aside after a link line,
   another story after filler: `stories.py`); each section becomes a body followed
   by an appendix: only filler after its last reporting block stays filler (`viterbi.py`).
3. A learned gate decides whether that appendix exists at all (`gate.py`).
4. Every block gets its label, segment and the reason it was dropped (`decode.py`).
"""

from .decode import Segmenter, decode_labels, decode_post, label_blocks, pass_through
from .gate import APPENDIX_FEATURES, AppendixGate, appendix_features, gate_path
from .viterbi import propose, trailing_appendix, viterbi

__all__ = [
    "APPENDIX_FEATURES",
    "AppendixGate",
    "Segmenter",
    "appendix_features",
    "decode_labels",
    "decode_post",
    "gate_path",
    "label_blocks",
    "pass_through",
    "propose",
    "trailing_appendix",
    "viterbi",
]
