"""Streaming: line splitting across chunks, and block-wise classification."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from strikeclf import inputs
from strikeclf.inputs import _byte_lines, open_input
from strikeclf.model import BLOCK

BREAKS = re.compile(rb"\r\n|\r|\n")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([b"a", b"bc", b"\r", b"\n", b"\r\n", b" ", b"\xd0\x96"]), max_size=40),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=0, max_value=6),
)
def test_byte_lines_match_a_whole_split_whatever_the_chunking(pieces, chunk, head_size):
    data = b"".join(pieces)
    original = inputs.CHUNK
    inputs.CHUNK = chunk
    try:
        got = list(_byte_lines(data[:head_size], io.BytesIO(data[head_size:])))
    finally:
        inputs.CHUNK = original
    expected = BREAKS.split(data)
    if expected and expected[-1] == b"":
        expected.pop()
    assert [line for _, line in got] == expected
    # offsets point at each line's first byte
    for offset, line in got:
        assert data[offset : offset + len(line)] == line


def test_streamed_file_equals_whole_page_equals_pieces(tmp_path, tiny_model):
    lines = []
    for i in range(2 * BLOCK + 700):
        lines.append(["Subscribe", f"Drones hit depot {i} in Kursk.", "", "Read more"][i % 4])
    text = "\n".join(lines) + "\n"
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    streamed = list(tiny_model.classify_lines(open_input(str(path))))
    assert streamed == tiny_model.classify_page(text)
    # the same file cut into pieces at block boundaries gives the same records
    pieces, current, count = [], [], 0
    for line in lines:
        current.append(line)
        count += bool(line.strip())
        if count == BLOCK:
            pieces.append(current)
            current, count = [], 0
    pieces.append(current)
    from_pieces, offset = [], 0
    for piece in pieces:
        for r in tiny_model.classify_page("\n".join(piece)):
            from_pieces.append({**r, "line": r["line"] + offset})
        offset += len(piece)
    assert from_pieces == streamed
