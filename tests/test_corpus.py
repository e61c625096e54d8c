"""Corpus validation: every problem names file:line and the reason."""

import json
from pathlib import Path

import pytest

from strikeclf.corpus import CorpusError, Record, read_corpus

GOOD = {"doc": "p-01", "line": 1, "text": "Skip to content", "label": "boilerplate"}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_records_in_order_with_outlet(tmp_path):
    second = {**GOOD, "line": 3, "text": "Drones hit a depot.", "label": "event_report"}
    write_lines(tmp_path / "a.jsonl", [json.dumps(GOOD), "", json.dumps(second)])
    corpus = read_corpus([tmp_path])
    assert corpus.records == (
        Record("p-01", 1, "Skip to content", "boilerplate"),
        Record("p-01", 3, "Drones hit a depot.", "event_report"),
    )
    assert corpus.outlets == ["p", "p"]
    assert corpus.label_counts()["event_report"] == 1


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"doc": "p", "line": 1, "text": "x"}), "missing key(s) label"),
        (json.dumps({**GOOD, "label": "news"}), "unknown label 'news'"),
        (json.dumps({**GOOD, "line": 0}), "'line' must be a positive integer"),
        (json.dumps({**GOOD, "line": "1"}), "'line' must be a positive integer"),
        (json.dumps({**GOOD, "text": "  "}), "'text' must be a non-empty string"),
        (json.dumps({**GOOD, "doc": ""}), "'doc' must be a non-empty string"),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path, line, reason):
    path = write_lines(tmp_path / "bad.jsonl", [json.dumps(GOOD), line])
    with pytest.raises(CorpusError) as err:
        read_corpus([tmp_path])
    assert str(err.value).startswith(f"{path}:2: ")
    assert reason in str(err.value)


def test_duplicate_doc_line_is_refused(tmp_path):
    write_lines(tmp_path / "a.jsonl", [json.dumps(GOOD)])
    path = write_lines(tmp_path / "b.jsonl", [json.dumps(GOOD)])
    with pytest.raises(
        CorpusError, match=rf"^{path}:1: duplicate record .* \(first at .*a.jsonl:1\)"
    ):
        read_corpus([tmp_path])


def test_empty_corpus_is_refused(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="empty corpus"):
        read_corpus([tmp_path])


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(CorpusError, match="no such corpus file or folder"):
        read_corpus([tmp_path / "nope"])


def test_sha256_ignores_file_layout(tmp_path):
    other = {**GOOD, "doc": "q-01"}
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    write_lines(tmp_path / "one" / "all.jsonl", [json.dumps(GOOD), json.dumps(other)])
    write_lines(tmp_path / "two" / "q.jsonl", [json.dumps(other)])
    write_lines(tmp_path / "two" / "p.jsonl", [json.dumps(GOOD)])
    assert read_corpus([tmp_path / "one"]).sha256() == read_corpus([tmp_path / "two"]).sha256()


def test_shipped_corpus_is_valid_and_covers_every_seed_line():
    repo = Path(__file__).resolve().parents[1]
    corpus = read_corpus([repo / "data" / "corpus"])
    seeds = [r for r in corpus.records if r.doc.startswith("seed-")]
    assert len(seeds) == 195
    for raw in sorted((repo / "data" / "raw" / "seeds").glob("*.txt")):
        doc = "seed-" + raw.name[:3]
        lines = raw.read_text(encoding="utf-8").splitlines()
        expected = [(n, t.strip()) for n, t in enumerate(lines, 1) if t.strip()]
        assert [(r.line, r.text) for r in seeds if r.doc == doc] == expected
