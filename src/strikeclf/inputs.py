"""Read the pages users hand us: files, folders, ``-`` for stdin, streamed line by line.

Memory stays flat whatever the input's size: bytes are read in chunks and
split at line breaks (``\\r\\n``, ``\\r``, ``\\n``), and each line is decoded
on its own. Decoding never fails and never drops a line:

- a UTF-8 or UTF-16 byte-order mark decides the encoding;
- otherwise ``encoding`` (``--encoding``) if given, else UTF-8;
- bytes that do not decode become U+FFFD, and a warning names the first bad
  byte's offset and suggests ``--encoding``;
- a NUL byte in the first 64 KiB marks a binary file (an image, a PDF), which
  is refused rather than classified as text.
"""

from __future__ import annotations

import codecs
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

STDIN = "-"
CHUNK = 1 << 20
SNIFF = 1 << 16
_BREAK = re.compile(rb"\r\n|\r|\n")
# Encodings whose bytes for "\n" and "\r" never occur inside another character,
# so the byte stream can be split before decoding. Others (UTF-16/32) are read
# through a text wrapper.
_SPLIT_SAFE = {
    "utf-8",
    "utf-8-sig",
    "ascii",
    "latin-1",
    "iso8859-1",
    "cp1251",
    "cp1252",
    "koi8-r",
    "koi8-u",
    "iso8859-5",
    "cp866",
    "mac-cyrillic",
    "iso8859-2",
    "cp1250",
}


class InputError(OSError):
    """An input cannot be read; the message names it."""


class LineSource:
    """The decoded lines of one input; ``warnings`` fills in as they are read."""

    def __init__(self, name: str, stream: BinaryIO, encoding: str | None = None) -> None:
        self.name = name
        self.warnings: list[str] = []
        self._stream = stream
        head = stream.read(SNIFF)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not encoding:
            encoding = "utf-16"
        elif b"\x00" in head and not encoding:
            stream.close()
            raise InputError(f"{name}: binary file (NUL bytes), not page text; skipped")
        self._head = head
        self._explicit = encoding is not None
        self._encoding = codecs.lookup(encoding or "utf-8").name
        if self._encoding == "utf-8" and head.startswith(codecs.BOM_UTF8):
            self._head = head[len(codecs.BOM_UTF8) :]

    def __iter__(self) -> Iterator[str]:
        try:
            if self._encoding in _SPLIT_SAFE:
                yield from self._split_then_decode()
            else:
                text = io.TextIOWrapper(
                    io.BufferedReader(_Prefixed(self._head, self._stream)),
                    encoding=self._encoding,
                    errors="replace",
                    newline=None,
                )
                for line in text:
                    yield line.rstrip("\n")
        finally:
            self._stream.close()

    def _split_then_decode(self) -> Iterator[str]:
        first_bad: int | None = None
        for offset, raw in _byte_lines(self._head, self._stream):
            try:
                yield raw.decode(self._encoding)
            except UnicodeDecodeError as exc:
                if first_bad is None:
                    first_bad = offset + exc.start
                yield raw.decode(self._encoding, errors="replace")
        if first_bad is not None:
            hint = "" if self._explicit else ", use --encoding to name the right one"
            self.warnings.append(
                f"{self.name}: not valid {self._encoding.upper()} "
                f"(first bad byte at offset {first_bad}); "
                f"undecodable bytes replaced with U+FFFD{hint}"
            )


class _Prefixed(io.RawIOBase):
    """A byte stream with the sniffed head put back in front."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._head or self._stream.read(len(buffer))
        self._head = b""
        size = min(len(data), len(buffer))
        buffer[:size] = data[:size]
        if size < len(data):
            self._head = data[size:]
        return size


def _byte_lines(head: bytes, stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """``(byte offset, line)`` for every line, terminators removed; reads in chunks."""
    partial: list[bytes] = []
    line_start = 0
    position = 0  # byte offset of the current chunk's start
    skip_lf = False  # the previous chunk ended in \r: a leading \n belongs to it
    chunk = head or stream.read(CHUNK)
    while chunk:
        if skip_lf and chunk.startswith(b"\n"):
            chunk, position, line_start = chunk[1:], position + 1, line_start + 1
        start = 0
        for match in _BREAK.finditer(chunk):
            partial.append(chunk[start : match.start()])
            yield line_start, b"".join(partial)
            partial = []
            start = match.end()
            line_start = position + start
        partial.append(chunk[start:])
        skip_lf = chunk.endswith(b"\r")
        position += len(chunk)
        chunk = stream.read(CHUNK)
    last = b"".join(partial)
    if last:
        yield line_start, last


def open_input(name: str, encoding: str | None = None) -> LineSource:
    """Open one input for streaming: a path, or ``-`` for standard input."""
    if name == STDIN:
        return LineSource(STDIN, sys.stdin.buffer, encoding)
    path = Path(name)
    try:
        stream = path.open("rb")  # LineSource closes it
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, expected a file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        return LineSource(name, stream, encoding)
    except LookupError:
        stream.close()
        raise InputError(f"{name}: unknown encoding {encoding!r}") from None
    except OSError as exc:
        stream.close()
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def read_text(name: str, encoding: str | None = None) -> str:
    """A whole input decoded as :func:`open_input` decodes it, lines joined by ``\\n``."""
    return "\n".join(open_input(name, encoding))


def expand_inputs(names: tuple[str, ...], pattern: str = "*.txt") -> Iterator[str]:
    """Files as given, folders as their files matching ``pattern`` (recursively, sorted)."""
    for name in names:
        path = Path(name)
        if name != STDIN and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob(pattern)) if p.is_file())
        else:
            yield name
