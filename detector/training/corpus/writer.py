"""What a layout writes with: the output so far and the parts it came from, in order."""

from __future__ import annotations

import html

from detector.types import Label

from .plan import Part, Role


class Writer:
    """Collects a page's markup or text and every part written into it, in document order
    (alignment needs both)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.parts: list[Part] = []

    def raw(self, markup: str) -> None:
        """Markup or layout text that carries no words of its own."""
        self.out.append(markup)

    def part(self, part: Part, template: str = "{}", escape: bool = True) -> None:
        self.parts.append(part)
        self.out.append(template.format(html.escape(part.text) if escape else part.text))

    def written_as(self, part: Part, text: str) -> None:
        """A part written in a form of the layout's own ("  • Title", "1. tag", wrapped lines)."""
        self.parts.append(part)
        self.out.append(text)

    def text(self) -> str:
        return "".join(self.out)


def site_chrome(text: str) -> Part:
    """A line of the site around the content: its name, a menu entry, a footer line."""
    return Part(text, Label.BOILERPLATE, Role.CHROME)
