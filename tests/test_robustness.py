"""Bad and strange input: a defined outcome for each, never a traceback, nothing lost."""

from __future__ import annotations

import codecs
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strikeclf.cli import main
from strikeclf.files import write_atomically
from strikeclf.labels import LABELS

TEXT = "Drones struck a depot in Kursk.\nGovernor said two were hurt.\n"


def run(args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def predict_jsonl(path, model_path, *extra):
    result = run(["predict", "--format", "jsonl", "--model", model_path, *extra, path])
    return result, [json.loads(line) for line in result.stdout.splitlines()]


# --- property: any text gives one valid record per non-empty line, in order ------


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=400))
def test_any_unicode_text_gives_one_record_per_non_empty_line(tiny_model, text):
    records = tiny_model.classify_page(text)
    from strikeclf.segment import split_paragraphs

    expected = split_paragraphs(text)
    assert [(r["line"], r["text"]) for r in records] == [(p.line, p.text) for p in expected]
    for r in records:
        assert r["label"] in LABELS
        assert math.isclose(sum(r["proba"].values()), 1.0, abs_tol=1e-9)
        assert r["label"] == max(r["proba"], key=r["proba"].get)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(min_size=1, max_size=80), max_size=30))
def test_predict_proba_on_any_paragraph_list(tiny_model, paragraphs):
    proba = tiny_model.predict_proba(paragraphs)
    assert proba.shape == (len(paragraphs), len(LABELS))
    if paragraphs:
        assert abs(proba.sum(axis=1) - 1).max() < 1e-9


# --- empty and blank inputs --------------------------------------------------------


@pytest.mark.parametrize("content", ["", "   \t ", "\n\n\n", "\r\n \r\n\u00a0\n\u200b\n"])
def test_empty_and_blank_files_give_no_records_exit_0_and_a_note(
    tmp_path, tiny_model_path, content
):
    page = tmp_path / "blank.txt"
    page.write_text(content, encoding="utf-8")
    result, records = predict_jsonl(page, tiny_model_path)
    assert result.exit_code == 0
    assert records == []
    assert result.stderr == f"strikeclf: {page}: no paragraphs (empty or blank input)\n"


# --- unreadable inputs among good ones ------------------------------------------------


def test_binary_missing_and_unreadable_inputs_are_reported_the_rest_processed(
    tmp_path, tiny_model_path, monkeypatch
):
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    image = tmp_path / "photo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    locked = tmp_path / "locked.txt"
    locked.write_text(TEXT, encoding="utf-8")
    real_open = Path.open

    def path_open(self, *args, **kwargs):
        if self.name == "locked.txt":  # tests may run as root, where chmod 000 still reads
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", path_open)
    inputs = [image, tmp_path / "missing.txt", good, locked]
    result = run(["predict", "--format", "jsonl", "--model", tiny_model_path, *inputs])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"strikeclf: {image}: binary file (NUL bytes), not page text; skipped",
        f"strikeclf: {tmp_path / 'missing.txt'}: no such file",
        f"strikeclf: {locked}: permission denied",
    ]
    assert {json.loads(line)["file"] for line in result.stdout.splitlines()} == {str(good)}


# --- encodings and line endings -------------------------------------------------------


def test_invalid_utf8_is_decoded_with_replacement_and_a_warning(tmp_path, tiny_model_path):
    page = tmp_path / "bad.txt"
    page.write_bytes(b"Drones hit Kursk \xff\xfe depot.\nSecond line\n")
    result, records = predict_jsonl(page, tiny_model_path)
    assert result.exit_code == 0
    assert [r["line"] for r in records] == [1, 2]
    assert records[0]["text"] == "Drones hit Kursk \ufffd\ufffd depot."
    assert "not valid UTF-8 (first bad byte at offset 17)" in result.stderr
    assert "use --encoding" in result.stderr


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8-sig", codecs.BOM_UTF8 + "Взрыв в Курске\nSubscribe\n".encode()),
        ("utf-16", "Взрыв в Курске\nSubscribe\n".encode("utf-16")),
        ("utf-16-be-bom", codecs.BOM_UTF16_BE + "Взрыв в Курске\nSubscribe\n".encode("utf-16-be")),
    ],
)
def test_boms_are_honoured(tmp_path, tiny_model_path, encoding, data):
    page = tmp_path / f"{encoding}.txt"
    page.write_bytes(data)
    result, records = predict_jsonl(page, tiny_model_path)
    assert result.exit_code == 0 and result.stderr == ""
    assert [r["text"] for r in records] == ["Взрыв в Курске", "Subscribe"]


@pytest.mark.parametrize(
    ("codec", "text"), [("cp1251", "Взрыв в Курске"), ("latin-1", "Café à Genève")]
)
def test_legacy_encodings_with_encoding_option(tmp_path, tiny_model_path, codec, text):
    page = tmp_path / "legacy.txt"
    page.write_bytes((text + "\n").encode(codec))
    warned, _ = predict_jsonl(page, tiny_model_path)
    assert "not valid UTF-8" in warned.stderr  # without the option: decoded, with a warning
    result, records = predict_jsonl(page, tiny_model_path, "--encoding", codec)
    assert result.exit_code == 0 and result.stderr == ""
    assert records[0]["text"] == text


def test_crlf_lone_cr_and_control_characters(tmp_path, tiny_model_path):
    page = tmp_path / "endings.txt"
    page.write_bytes(b"one\r\ntwo\rthree\n\x07bell\x1b[0m text\n")
    result, records = predict_jsonl(page, tiny_model_path)
    assert result.exit_code == 0
    assert [(r["line"], r["text"]) for r in records] == [
        (1, "one"),
        (2, "two"),
        (3, "three"),
        (4, "\x07bell\x1b[0m text"),
    ]


def test_lookalikes_zero_width_nbsp_and_rtl_marks_keep_text_and_lines(tiny_model):
    page = "\u0421easefire talks\n\u200b\u200bSubscribe\u00a0\n\u200fمرحبا\u200e Moscow\n"
    records = tiny_model.classify_page(page)
    assert [(r["line"], r["text"]) for r in records] == [
        (1, "\u0421easefire talks"),
        (2, "Subscribe"),
        (3, "مرحبا\u200e Moscow"),
    ]


# --- size extremes ----------------------------------------------------------------------


def test_a_huge_single_line_is_one_record_with_its_text_intact(tiny_model):
    line = "drone " * 1_000_000  # 6 MB, one paragraph, no line break
    records = tiny_model.classify_page(line)
    assert len(records) == 1
    assert records[0]["text"] == line.strip()


def test_a_very_long_word(tiny_model):
    records = tiny_model.classify_page("x" * 2_000_000 + "\nSubscribe")
    assert [r["line"] for r in records] == [1, 2]


def test_many_one_character_lines(tiny_model):
    text = "a\n" * 200_000
    records = tiny_model.classify_page(text)
    assert len(records) == 200_000
    assert records[-1]["line"] == 200_000


# --- pipes, interrupts, partial files ------------------------------------------------


def test_closed_pipe_exits_quietly(tmp_path, tiny_model_path):
    page = tmp_path / "big.txt"
    page.write_text(TEXT * 5000, encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "strikeclf",
        "predict",
        "--model",
        str(tiny_model_path),
        str(page),
    ]
    producer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert producer.stdout is not None
    producer.stdout.readline()
    producer.stdout.close()  # what `| head -1` does
    _, stderr = producer.communicate(timeout=120)
    assert b"Traceback" not in stderr
    assert b"BrokenPipe" not in stderr


def test_interrupted_write_leaves_previous_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("previous\n", encoding="utf-8")

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_text", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "new content\n")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
