"""Read the pages users hand us: files, folders, ``-`` for stdin.

Decoding never fails: UTF-8 (with or without BOM) and UTF-16 with a BOM are
read as such; anything else is decoded as UTF-8 with replacement characters
and a warning, so no paragraph is silently dropped.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

STDIN = "-"


class InputError(OSError):
    """An input cannot be read; the message names it."""


@dataclass
class Page:
    """One input's name as the user gave it, its decoded text and any warnings."""

    name: str
    text: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, name: str, encoding: str | None = None) -> Page:
    """Bytes → text by BOM, ``encoding`` if given, else UTF-8 with replacement."""
    if encoding:
        return Page(name, data.decode(encoding, errors="replace"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Page(name, data.decode("utf-16", errors="replace"))
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (NUL bytes), not page text; skipped")
    try:
        return Page(name, data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        return Page(
            name,
            text,
            [
                f"{name}: not valid UTF-8 (first bad byte at offset {exc.start}); "
                "undecodable bytes replaced with U+FFFD, use --encoding to name the right one"
            ],
        )


def read_page(name: str, encoding: str | None = None) -> Page:
    """Read one input: a path, or ``-`` for standard input."""
    if name == STDIN:
        return decode(sys.stdin.buffer.read(), STDIN, encoding)
    path = Path(name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, expected a file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    return decode(data, name, encoding)


def expand_inputs(names: tuple[str, ...], pattern: str = "*.txt") -> Iterator[str]:
    """Files as given, folders as their files matching ``pattern`` (recursively, sorted)."""
    for name in names:
        path = Path(name)
        if name != STDIN and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob(pattern)) if p.is_file())
        else:
            yield name
