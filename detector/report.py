"""A person's view of a cleaned page (`detector inspect`): one line per block with its
label and probability, a rule where a post or its appendix begins."""

from __future__ import annotations

import click

from .types import Label, PageResult, Segment

_LABEL_COLOURS = {
    Label.REPORTING: "green",
    Label.FILLER: "yellow",
    Label.HASHTAG_SPAM: "magenta",
    Label.BOILERPLATE: "blue",
}
_RULE_EXTRA = 30  # a rule is this much wider than the text shown: the columns before it


def format_inspection(result: PageResult, width: int = 90) -> str:
    """One line per block; a rule where a post or its appendix begins."""
    lines = [click.style(result.source, bold=True)]
    previous = None
    for r in result.blocks:
        position = (r.block.post, r.segment)
        if position != previous:
            rule = f"── post {r.block.post} · {r.segment} "
            lines.append(click.style(rule.ljust(width + _RULE_EXTRA, "─"), dim=r.segment is Segment.BODY,
                                     bold=r.segment is Segment.APPENDIX))
            previous = position
        p = r.probabilities[str(r.label)]
        marker = "keep" if r.kept else "drop"
        text = r.block.text.replace("\n", " ")
        text = text if len(text) <= width else text[: width - 1] + "…"
        head = f"{r.block.index:>4} {marker} {str(r.label):<12} {p:4.2f} {str(r.block.kind)[:4]:<4} "
        lines.append(click.style(head, fg=_LABEL_COLOURS[r.label]) + text)
    kept = sum(r.kept for r in result.blocks)
    lines.append(f"{kept} of {len(result.blocks)} blocks kept")
    return "\n".join(lines)
