"""Page-context features for the second stage: what surrounds a paragraph.

A line alone is often ambiguous: ``Subscribe`` is chrome anywhere, but a
strike headline under a ``News Feed`` heading is a teaser, and a sentence cut
at a link is a fragment of its neighbours. The second stage is a logistic
regression over, for each paragraph: the first stage's probabilities for it
and for its neighbours, the page's overall mix, its position, whether the
exact line repeats on the page, section markers seen above it, shape
features of the kind jusText uses (length, stop-word density, capitals,
digits, times and dates, ending punctuation), and for footnote markers and
pieces of sentences the probabilities of the paragraph above that they belong to
(a citation marker takes them as its own, and in the end the paragraph's final
probabilities too: :func:`inherit_citations`).

Everything here is plain NumPy over one page at a time, so the features are
the same in training, in cross-validation and in prediction.
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from . import speedups
from .features import FEATURE_CHARS

# Headings that open a block of other stories or site furniture.
_SECTION_MARKER = re.compile(
    r"^\W*(news feed|latest( news)?|more news|more stories|read (also|more|next)|see also|"
    r"related( stories| articles| topics| news)?|most (read|viewed|popular)|top stories|"
    r"editors'? picks|recommended|trending( now)?|you may also like|more on this( story)?|"
    r"popular|what to read next|in other news|also read|don't miss|watch|video|"
    r"more from|latest videos?|(the )?latest headlines)\b",
    re.IGNORECASE,
)
# Matched against the lower-cased line: re's IGNORECASE matching is twice as slow.
# A time: "\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)", written to start
# with a digit (the "\b" before it becomes a look-behind), which lets re skip to
# digits instead of trying every position: twice as fast, same matches (tested).
_TIME = re.compile(r"\d(?<!\w\d)\d?(?:[:.]\d{2}\b|\s?(?:am|pm|a\.m\.|p\.m\.))")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
_DATE = re.compile(
    rf"\b{_MONTH}[a-z]*\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}[a-z]*\b|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:min|hours?|days?) ago\b"
)
_URL = re.compile(r"https?://|www\.|\]\(")
_WORD = re.compile(r"[^\W\d_]+")
_MARKDOWN_LEAD = re.compile(r"^(\s*[-*+] |\s*\d+\. |#+ |!?\[|\|)")
# A small English stop-word list (nltk's stopwords corpus needs a download).
_STOPWORDS = frozenset(
    """
    a about after against all also an and any are as at be because been before being
    between both but by can could did do does during each for from had has have he her
    here his how i if in into is it its more most no nor not of off on once only or
    other our out over own said same she should so some such than that the their them
    then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your
    """.split()
)

# A piece of a paragraph rather than a paragraph: a footnote marker, a lone
# link text, a tail that starts mid-sentence.
_MARKER_NUMBER = r"([0-9]{1,3}|[ivxlc]{1,8})"  # 12, xli
_FOOTNOTE_MARKER = re.compile(
    rf"^(\[\s*{_MARKER_NUMBER}\s*\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\^?[0-9]{{1,3}})$", re.I
)
_CONTINUATION_START = ",.;:)]”’»"
# A note in a list of notes: "[7] Interfax, ...". A marker after one is in that list.
_NOTE_ENTRY = re.compile(rf"^\[+\s*{_MARKER_NUMBER}\s*\]", re.I)
# How a citation marker opens: a bracket or a superscript digit. A bare number
# ("3") is left out: after a paragraph it is as often a page link as a citation.
_CITATION_OPENERS = "[¹²³⁴⁵⁶⁷⁸⁹⁰"

N_LABELS = 4
_NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
_WINDOW = 3


@lru_cache(maxsize=20_000)  # chrome lines repeat across pages; bounded memory
def line_features(text: str) -> tuple[float, ...]:
    """:func:`shape_features` then :func:`fragment_features` of one paragraph."""
    stats = _line_stats(text[:FEATURE_CHARS])
    return (*shape_features(text, stats), *fragment_features(text, stats[0]))


_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_DIGITS = string.digits.encode()
_ASCII_UPPER = string.ascii_uppercase.encode()


def _char_classes(text: str) -> tuple[int, int, int]:
    """Counts of letters, digits and upper-case letters (``str.isalpha`` etc.).

    Most lines are ASCII: deleting a class with ``bytes.translate`` and
    measuring what is gone counts it in C, several times faster than testing
    each character; other lines take the per-character path. Same counts.
    """
    if text.isascii():
        raw = text.encode()
        size = len(raw)
        return (
            size - len(raw.translate(None, _ASCII_LETTERS)),
            size - len(raw.translate(None, _ASCII_DIGITS)),
            size - len(raw.translate(None, _ASCII_UPPER)),
        )
    return (
        sum(map(str.isalpha, text)),
        sum(map(str.isdigit, text)),
        sum(map(str.isupper, text)),
    )


LineStats = tuple[int, int, int, int, int, int]


def line_stats(text: str) -> LineStats:
    """Counts behind the shape features: words, stop words, capitalised words,
    letters, digits and upper-case letters of ``text``.

    Words are runs of letters (``_WORD``); a stop word is one whose lower case
    is in ``_STOPWORDS``. The C extension computes the same counts in one pass
    (:mod:`strikeclf.speedups`); this is the reference.
    """
    words = _WORD.findall(text)
    return (
        len(words),
        sum(map(_STOPWORDS.__contains__, map(str.lower, words))),
        sum(map(str.isupper, map(itemgetter(0), words))),
        *_char_classes(text),
    )


def _compiled_line_stats(text: str) -> LineStats:
    stats: LineStats = speedups.linestats.line_stats(text, _STOPWORDS)
    return stats


_line_stats = _compiled_line_stats if speedups.available() else line_stats


def shape_features(text: str, stats: LineStats | None = None) -> list[float]:
    """jusText-style features of one paragraph (of its first FEATURE_CHARS characters).

    ``stats``: the paragraph's :func:`line_stats` if the caller has them already.
    """
    n_chars = len(text)
    text = text[:FEATURE_CHARS]
    if stats is None:
        stats = _line_stats(text)
    n_words, n_stop, n_capitalised, letters, digits, upper = stats
    has_digit = digits > 0
    lower = text.lower() if has_digit or "ago" in text else text
    return [
        math.log1p(n_chars),
        math.log1p(n_words),
        n_stop / n_words if n_words else 0.0,
        upper / (letters or 1),
        digits / max(len(text), 1),
        n_capitalised / n_words if n_words else 0.0,
        float(has_digit and bool(_TIME.search(lower))),
        float((has_digit or "ago" in lower) and bool(_DATE.search(lower))),
        float(text.rstrip("\"'”’)»*").endswith((".", "!", "?", "…"))),
        float(text[:1].islower()),
        float(("http" in text or "www." in text or "](" in text) and bool(_URL.search(text))),
        float(bool(_MARKDOWN_LEAD.match(text))),
        float(any(map(text.__contains__, '"“”«»'))),
        float(n_words <= 6 and bool(_SECTION_MARKER.match(text))),
    ]


N_SHAPE = len(shape_features("x"))


def fragment_features(text: str, n_words: int | None = None) -> list[float]:
    """How much a line looks like a piece of a neighbouring paragraph.

    ``n_words``: the paragraph's word count if the caller has it already
    (stripping ``*``, ``_`` and spaces removes no letters, so it is the same).
    """
    stripped = text[:FEATURE_CHARS].strip("*_ ")
    if n_words is None:
        n_words = len(_WORD.findall(stripped))
    return [
        float(_is_marker(stripped)),
        float(n_words <= 3 and not stripped.endswith((".", "!", "?", ":"))),
        float(stripped[:1].islower() or stripped[:1] in _CONTINUATION_START),
    ]


N_FRAGMENT = 3
#: Columns of page_context's layout block (position, repeats, markers above)
#: and of its neighbour-shape block (lengths and sentence edges next door).
N_LAYOUT = 6
N_NEIGHBOUR_SHAPE = 4


def _is_marker(stripped: str) -> bool:
    return bool(_FOOTNOTE_MARKER.match(stripped))


class PageContext(NamedTuple):
    """What the second stage needs to know about one page."""

    #: The context features, one row per paragraph (:func:`page_features`).
    features: np.ndarray
    #: For each paragraph, the paragraph it is a citation marker of, or -1
    #: (:func:`citation_anchors`); :func:`inherit_citations` uses them.
    anchors: list[int]


def page_features(texts: Sequence[str], proba: np.ndarray) -> np.ndarray:
    """Context features for every paragraph of one page, in page order.

    ``proba`` holds the first stage's probabilities for the same paragraphs.
    """
    return page_context(texts, proba).features


def page_context(texts: Sequence[str], proba: np.ndarray) -> PageContext:
    """:func:`page_features` and the citation anchors, which come out of the same pass."""
    n = len(texts)
    if n == 0:
        return PageContext(np.zeros((0, n_features())), [])
    padded = np.vstack([np.zeros((2, N_LABELS)), proba, np.zeros((2, N_LABELS))])
    neighbours = [padded[2 + k : 2 + k + n] for k in _NEIGHBOUR_OFFSETS]
    index = np.arange(n)
    exists = [
        ((index + k >= 0) & (index + k < n)).astype(float)[:, None] for k in _NEIGHBOUR_OFFSETS
    ]
    cumulative = np.vstack([np.zeros((1, N_LABELS)), np.cumsum(proba, axis=0)])
    lo, hi = np.maximum(0, index - _WINDOW), np.minimum(n, index + _WINDOW + 1)
    count = (hi - lo - 1)[:, None]
    window = np.divide(
        cumulative[hi] - cumulative[lo] - proba, count, out=np.zeros((n, N_LABELS)), where=count > 0
    )
    page_mean = np.broadcast_to(proba.mean(axis=0), (n, N_LABELS))

    per_line = np.array([line_features(t) for t in texts])
    shapes, fragments = per_line[:, :N_SHAPE], per_line[:, N_SHAPE:]
    counts = Counter(texts)
    position = np.arange(n, dtype=float)
    # The loops below run over Python lists: indexing NumPy arrays one element at
    # a time costs more than the rest of this function together.
    is_section = shapes[:, -1].tolist()
    seen_marker, lines_since = [0.0] * n, [0] * n
    last = None
    for i in range(n):
        if last is not None:
            seen_marker[i] = 1.0
            lines_since[i] = i - last
        if is_section[i]:
            last = i
    since_marker = np.log1p(np.array(lines_since, dtype=float))
    layout = np.column_stack(
        [
            position / max(n - 1, 1),
            np.log1p(position),
            np.log1p(n - 1 - position),
            np.log1p(np.array([counts[t] - 1 for t in texts], dtype=float)),
            np.array(seen_marker),
            since_marker,
        ]
    )
    neighbour_shape = np.column_stack(
        [
            np.concatenate([[0.0], shapes[:-1, 0]]),  # previous length
            np.concatenate([shapes[1:, 0], [0.0]]),  # next length
            np.concatenate([[1.0], shapes[:-1, 8]]),  # previous ends a sentence
            np.concatenate([shapes[1:, 9], [0.0]]),  # next starts lower-case
        ]
    )
    # A fragment takes its paragraph's label: let fragment-likeness gate the
    # neighbours' probabilities (a linear model cannot form this product itself).
    around = (neighbours[1] + neighbours[2]) / 2  # mean of previous and next
    gated = np.hstack([fragments[:, [k]] * around for k in range(N_FRAGMENT)])
    # A footnote marker between markers belongs to a list of notes, not to a paragraph.
    marker = fragments[:, 0]
    marker_run = np.column_stack(
        [np.concatenate([[0.0], marker[:-1]]), np.concatenate([marker[1:], [0.0]])]
    )
    # An inline marker, or a run of them, follows the paragraph it annotates: give
    # each marker the probabilities of the last paragraph above it that is not one.
    # Likewise a piece of a sentence (a short unfinished line, a line that starts
    # in lower case) continues the last whole paragraph above it.
    # A citation marker (:func:`citation_anchors`) goes further: it takes that
    # paragraph's scores as its own, so the well-learned weights of a paragraph's
    # own scores decide it. (As a separate feature, "marker after an on-topic
    # paragraph" had too few examples per label to learn; bare numbers are mostly
    # pagination.)
    is_marker = marker.tolist()
    is_piece = ((fragments[:, 1] != 0) | (fragments[:, 2] != 0)).tolist()
    marker_source, piece_source = _marker_sources(is_marker), [-1] * n
    last_whole = None
    for i in range(n):
        if is_piece[i]:
            if last_whole is not None:
                piece_source[i] = last_whole
        elif not is_marker[i]:
            last_whole = i
    marker_anchor, piece_anchor = _rows_of(proba, marker_source), _rows_of(proba, piece_source)
    anchors = _citations(texts, marker_source)
    own = np.where((np.array(anchors) >= 0)[:, None], marker_anchor, proba)
    features = np.hstack(
        [
            own,
            *neighbours,
            *exists,
            window,
            page_mean,
            layout,
            shapes,
            neighbour_shape,
            fragments,
            gated,
            marker_run,
            marker_anchor,
            piece_anchor,
        ]
    )
    return PageContext(features, anchors)


def lone_line_features(texts: Sequence[str], proba: np.ndarray) -> np.ndarray:
    """:func:`page_features` of each paragraph as a one-line page, for many at once.

    Row ``i`` equals ``page_features([texts[i]], proba[i:i + 1])[0]`` (a test
    checks): a line alone has no neighbours, no line above to anchor to, no
    repeat and no marker seen, so all that varies is its own probabilities
    (twice: its own and the page's mean) and its shape. Training adds every
    corpus paragraph as such a page (``Settings.context_singletons``); one
    call per paragraph took a fifth of a one-process ``train.py``, all of it
    serial while the worker processes waited.
    """
    n = len(texts)
    if n == 0:
        return np.zeros((0, n_features()))
    per_line = np.array([line_features(t) for t in texts])
    shapes, fragments = per_line[:, :N_SHAPE], per_line[:, N_SHAPE:]
    no_window = np.zeros((n, N_LABELS))  # no other line within reach
    no_neighbour = np.zeros((n, len(_NEIGHBOUR_OFFSETS) * (N_LABELS + 1)))  # scores, "exists"
    # Position 0 of 1, no repeat, no section marker above.
    layout = np.zeros((n, N_LAYOUT))
    # Previous and next length 0, the (missing) previous line ends a sentence,
    # the next does not start in lower case.
    neighbour_shape = np.tile([0.0, 0.0, 1.0, 0.0], (n, 1))
    # Gated neighbours, marker run, marker and piece anchors: all zero alone.
    none_alone = np.zeros((n, N_FRAGMENT * N_LABELS + 2 + 2 * N_LABELS))
    # page_context's column order: own, neighbours and "exists", window, page
    # mean, layout, shapes, neighbour shape, fragments, then the zero blocks.
    return np.hstack(
        [
            proba,
            no_neighbour,
            no_window,
            proba,
            layout,
            shapes,
            neighbour_shape,
            fragments,
            none_alone,
        ]
    )


def citation_anchors(texts: Sequence[str]) -> list[int]:
    """For each line, the paragraph it is a citation marker of, or -1.

    A citation marker ("[12]", "[xli]", "¹²") belongs to the last line above it
    that is not a marker, whatever the length of the run between; markers
    after a note of a list of notes ("[7] Interfax, ...") belong to that list,
    not to a paragraph. (:func:`page_context` computes the same in its pass.)
    """
    is_marker = [_is_marker(t[:FEATURE_CHARS].strip("*_ ")) for t in texts]
    return _citations(texts, _marker_sources(is_marker))


def _marker_sources(is_marker: Sequence[float]) -> list[int]:
    """For each footnote marker, the last line above it that is not one; -1 elsewhere."""
    sources = [-1] * len(is_marker)
    above = -1
    for i in (i for i, flag in enumerate(is_marker) if flag):  # most pages have none
        if i == 0 or not is_marker[i - 1]:
            above = i - 1
        sources[i] = above
    return sources


def _citations(texts: Sequence[str], marker_sources: list[int]) -> list[int]:
    """The marker sources that are citations: a bracket or superscript after no note."""
    return [
        source
        if source >= 0
        and texts[i].lstrip("*_ ")[:1] in _CITATION_OPENERS
        and not _NOTE_ENTRY.match(texts[source].lstrip("*_ "))
        else -1
        for i, source in enumerate(marker_sources)
    ]


def inherit_citations(proba: np.ndarray, anchors: Sequence[int]) -> np.ndarray:
    """Final probabilities with each citation marker given its paragraph's.

    LABELING.md: a fragment takes the label of the paragraph it is a piece of.
    The second stage learns this for most markers from the paragraph's scores,
    but the line after a run of markers (often a section heading) can still
    outvote them; copying the paragraph's final row makes a marker agree with
    its paragraph always, and keeps its probability as honest as the paragraph's.
    ``anchors`` come from :func:`citation_anchors` or :func:`page_context`.
    """
    cited = [(i, anchor) for i, anchor in enumerate(anchors) if anchor >= 0]
    if not cited:
        return proba
    inherited: np.ndarray = proba.copy()
    for i, anchor in cited:
        inherited[i] = inherited[anchor]
    return inherited


def _rows_of(proba: np.ndarray, sources: list[int]) -> np.ndarray:
    """Row ``sources[i]`` of ``proba`` for each i, zeros where it is -1."""
    index = np.array(sources)
    rows = np.zeros_like(proba)
    has = index >= 0
    rows[has] = proba[index[has]]
    return rows


def n_features() -> int:
    return (
        N_LABELS * (2 + len(_NEIGHBOUR_OFFSETS) + 1)
        + len(_NEIGHBOUR_OFFSETS)
        + N_LAYOUT
        + N_SHAPE
        + N_NEIGHBOUR_SHAPE
        + N_FRAGMENT * (1 + N_LABELS)
        + 2
        + 2 * N_LABELS
    )
