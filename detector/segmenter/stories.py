"""Where a new story starts inside a post: reporting that shares almost no words with
what the post said before it.

Post splitting misses a boundary where the next post has no headline and no separator
before it; an appendix then runs straight into the next story, and the body-then-
appendix reading (`viterbi.trailing_appendix`) would pull that appendix back into the
body. A body's next paragraph after a list or an aside shares the story's words; the
next post's first paragraphs share almost none.
"""

from __future__ import annotations

from collections.abc import Sequence

from detector.features.lexicon import WORD, content_word_list

NEW_STORY_SEEN = 0.15  # at most this share of the words ahead was seen earlier in the post
NEW_STORY_WORDS = 12  # content words ahead, at least, to judge by
LOOK_AHEAD = 2  # blocks read from the candidate on


def new_stories(texts: Sequence[str], candidates: Sequence[int]) -> list[int]:
    """The candidate blocks of a post (ascending) at which another story starts: the
    block and the one after it read as another story than the blocks before them.
    Each block is read once, however many candidates there are."""
    words: dict[int, list[str]] = {}

    def words_of(i: int) -> list[str]:
        if i not in words:
            words[i] = content_word_list(WORD.findall(texts[i].lower()))
        return words[i]

    earlier: set[str] = set()
    read_up_to = 0
    found = []
    for at in candidates:
        for i in range(read_up_to, at):
            earlier.update(words_of(i))
        read_up_to = at
        ahead = [word for i in range(at, min(at + LOOK_AHEAD, len(texts))) for word in words_of(i)]
        if earlier and len(ahead) >= NEW_STORY_WORDS and sum(w in earlier for w in ahead) / len(ahead) <= NEW_STORY_SEEN:
            found.append(at)
    return found
