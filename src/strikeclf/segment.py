"""Split page text into paragraphs: the one place that defines the unit.

A paragraph is one non-empty line of the page, stripped of surrounding white
space (LABELING.md). Training, prediction and evaluation all call
:func:`split_paragraphs`, so line numbers agree everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

# Line breaks as editors and `wc -l` count them. str.splitlines() would also
# break at \v, \f, \x85 and U+2028, which gives line numbers no other tool shows.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# White space plus the invisible characters scrapers leave around blocks:
# zero-width space/joiners, word joiner, BOM, soft hyphen, direction marks.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
# Every character for which str.isspace() is true, spelled out (computing it costs start-up time).
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_STRIP = _WHITESPACE + _INVISIBLE


class Paragraph(NamedTuple):
    """One paragraph: its 1-based line number in the page and its text."""

    line: int
    text: str


def clean_line(raw: str) -> str:
    """Strip white space and invisible characters from both ends of one line."""
    return raw.strip(_STRIP)


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, terminators removed (a page's line numbering)."""
    return _LINE_BREAK.split(text)


def split_paragraphs(text: str) -> list[Paragraph]:
    """Return the non-empty lines of ``text`` with their 1-based line numbers.

    >>> split_paragraphs("\\ufeffSkip to content\\r\\n\\r\\n  Explosions were heard.\\u00a0\\n")
    [Paragraph(line=1, text='Skip to content'), Paragraph(line=3, text='Explosions were heard.')]
    """
    return list(iter_paragraphs(split_lines(text)))


def iter_paragraphs(lines: Iterable[str], first_line: int = 1) -> Iterator[Paragraph]:
    """Yield paragraphs from raw lines (line breaks already removed or not).

    Used for streaming a file line by line; a trailing ``\\r`` or ``\\n`` on a
    raw line is stripped like any other surrounding white space.
    """
    for number, raw in enumerate(lines, start=first_line):
        text = clean_line(raw)
        if text:
            yield Paragraph(number, text)
