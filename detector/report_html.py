"""A person's view of cleaned pages as one self-contained HTML file (`detector inspect --html`).

Every block in page order, coloured by label, with its probabilities, a heading where
a post or its appendix begins, and the reason each dropped block was dropped. The
file needs nothing else: the CSS is inline, there are no scripts, images, fonts or
links, and a Content-Security-Policy forbids the browser to fetch anything, so a
hostile page's text cannot make the report phone home. Every piece of page text is
HTML-escaped. It reads on a phone (viewport meta, one column that wraps) and prints
(@media print: no shadows, blocks kept whole across pages, colours kept).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape

from .types import LABELS, BlockResult, Label, PageResult, Segment

__all__ = ["CONTENT_SECURITY_POLICY", "render_html"]

# Nothing may be fetched; only the inline <style> and style attributes apply.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"

# The terminal report's colours (report.py), darkened enough for text on white.
_COLOURS = {
    Label.REPORTING: ("#1e7b34", "#eef8f0"),
    Label.FILLER: ("#9a6700", "#fff8e6"),
    Label.HASHTAG_SPAM: ("#a2207f", "#fcedf7"),
    Label.BOILERPLATE: ("#2557a7", "#edf3fc"),
}

_LABEL_CSS = "\n".join(
    f".l-{label.value} {{ --ink: {ink}; --wash: {wash}; }}" for label, (ink, wash) in _COLOURS.items()
)

_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1d1d1f; background: #f6f6f4; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.25rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; padding-bottom: .25rem; border-bottom: 2px solid #1d1d1f; }
h3 { font-size: .85rem; font-weight: 600; text-transform: uppercase; letter-spacing: .04em;
     margin: 1rem 0 .5rem; color: #555; }
h3.appendix { color: #8a1c1c; border-top: 2px dashed #8a1c1c; padding-top: .5rem; }
.summary { margin: 0 0 .5rem; color: #444; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem; list-style: none; padding: 0; margin: 0 0 1rem; }
.legend li { border-left: .5rem solid var(--ink); background: var(--wash); padding: .1rem .5rem; font-size: .85rem; }
.block { border-left: .4rem solid var(--ink); background: var(--wash); margin: 0 0 .5rem;
         padding: .5rem .75rem; border-radius: 0 .3rem .3rem 0; box-shadow: 0 1px 2px rgba(0, 0, 0, .08); }
.block.dropped .text { color: #555; }
.meta { display: flex; flex-wrap: wrap; gap: .2rem .6rem; align-items: baseline; font-size: .8rem; color: #444; }
.meta .label { color: var(--ink); font-weight: 700; }
.meta .verdict { font-weight: 700; text-transform: uppercase; letter-spacing: .05em; }
.dropped .verdict { color: #8a1c1c; }
.bar { flex: 1 1 4rem; max-width: 8rem; height: .4rem; background: #0001; border-radius: .2rem; }
.bar span { display: block; height: 100%; background: var(--ink); border-radius: .2rem; }
.text { margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.kind-heading .text { font-weight: 700; font-size: 1.1rem; }
.kind-list_item .text::before { content: "• "; }
.kind-quote .text { font-style: italic; }
.probs { margin: 0; font-size: .75rem; color: #555; font-variant-numeric: tabular-nums; }
.reason { margin: .25rem 0 0; font-size: .85rem; color: #8a1c1c; }
@media (max-width: 36rem) {
  body { font-size: 15px; }
  main { padding: .5rem; }
  .block { padding: .4rem .5rem; }
}
@media print {
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .block { box-shadow: none; break-inside: avoid; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  .legend li, .bar span { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  h2, h3 { break-after: avoid; }
}
"""


def render_html(results: Sequence[PageResult], title: str | None = None) -> str:
    """One HTML document showing every block of every page, in order."""
    title = title or (results[0].source if len(results) == 1 else f"{len(results)} pages")
    body = "\n".join(_page(result) for result in results)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>detector inspect: {escape(title)}</title>
<style>{_CSS}{_LABEL_CSS}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def _page(result: PageResult) -> str:
    counts = Counter(r.label for r in result.blocks)
    kept = sum(r.kept for r in result.blocks)
    posts = len({r.block.post for r in result.blocks})
    legend = "".join(f'<li class="l-{label.value}">{label.value} {counts[label]}</li>' for label in LABELS)
    parts = [
        '<section class="page">',
        f"<header><h1>{escape(result.source)}</h1>",
        f'<p class="summary">{kept} of {len(result.blocks)} blocks kept, {posts} post{"s" if posts != 1 else ""}</p>',
        f'<ul class="legend">{legend}</ul></header>',
    ]
    for post, post_blocks in itertools.groupby(result.blocks, key=lambda r: r.block.post):
        parts.append(f'<section class="post"><h2>post {post}</h2>')
        for segment, blocks in itertools.groupby(post_blocks, key=lambda r: r.segment):
            parts.append(_segment(segment, list(blocks)))
        parts.append("</section>")
    if not result.blocks:
        parts.append('<p class="summary">No main text was found on this page.</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _segment(segment: Segment, blocks: list[BlockResult]) -> str:
    first = blocks[0].block.index
    if segment is Segment.APPENDIX:
        heading = f'<h3 class="appendix">appendix, from block {first}: appended after the story</h3>'
    else:
        heading = f'<h3 class="body">body, from block {first}</h3>'
    return "\n".join(itertools.chain([f'<div class="segment {segment.value}">', heading], map(_block, blocks), ["</div>"]))


def _block(r: BlockResult) -> str:
    p = r.probabilities[r.label.value]
    verdict = "kept" if r.kept else "dropped"
    classes = f"block l-{r.label.value} kind-{r.block.kind.value} {verdict}"
    reason = "" if r.reason is None else f'\n<p class="reason"><b>why dropped:</b> {escape(r.reason)}</p>'
    return (
        f'<div class="{classes}" data-block="{r.block.index}" data-label="{r.label.value}">\n'
        f'<div class="meta"><span class="index">#{r.block.index}</span>'
        f'<span class="verdict">{"keep" if r.kept else "drop"}</span>'
        f'<span class="label">{r.label.value}</span><span class="p">p={p:.2f}</span>'
        f'<span class="bar" title="p={p:.2f}"><span style="width: {p * 100:.0f}%"></span></span>'
        f'<span class="kind">{r.block.kind.value}</span></div>\n'
        f'<p class="text">{escape(r.block.text)}</p>\n'
        f'<p class="probs">{_probabilities(r.probabilities.items())}</p>{reason}\n'
        "</div>"
    )


def _probabilities(items: Iterable[tuple[str, float]]) -> str:
    return " · ".join(f"{escape(label)} {p:.2f}" for label, p in items)
