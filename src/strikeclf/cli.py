"""Command-line interface: parse, call the library, format, turn errors into messages.

Data goes to stdout, messages to stderr. Exit codes: 0 all inputs processed,
1 some inputs failed (the rest were still processed), 2 usage error.
Heavy imports (scikit-learn, nltk) happen inside commands, so ``--help`` is instant.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .labels import LABELS
from .output import FORMATS, RecordWriter

if TYPE_CHECKING:
    from .model import Model

F = TypeVar("F", bound=Callable[..., Any])


def warn(message: str) -> None:
    click.echo(f"strikeclf: {message}", err=True)


def model_option(command: F) -> F:
    return click.option(
        "--model",
        "model_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="STRIKECLF_MODEL",
        show_envvar=True,
        help="Model file to use instead of the shipped one.",
    )(command)


def output_options(command: F) -> F:
    """The output options every record-printing command shares."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="tsv",
        show_default=True,
        help="tsv: readable table with a header. jsonl: one JSON object per paragraph "
        "(file, line, label, proba, text), the stable machine format.",
    )(command)


def open_model(model_path: Path | None) -> Model:
    from .model import ModelError, load_model

    try:
        return load_model(model_path)
    except ModelError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="strikeclf")
def main() -> None:
    """Tag each paragraph of scraped news pages as event_report, official_claim,
    boilerplate or unrelated."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@model_option
@output_options
@click.option("--encoding", default=None, help="Decode inputs with this codec instead of UTF-8.")
def predict(
    inputs: tuple[str, ...], model_path: Path | None, fmt: str, encoding: str | None
) -> None:
    """Label every non-empty line of each INPUT file ('-' reads standard input).

    \b
    Examples:
      strikeclf predict page.txt
      strikeclf predict --format jsonl pages/*.txt > labels.jsonl
      curl -s URL | html2text | strikeclf predict -
    """
    from .inputs import InputError, expand_inputs, read_page

    model = open_model(model_path)
    writer = RecordWriter(sys.stdout, fmt)
    failed = 0
    for name in expand_inputs(inputs):
        try:
            page = read_page(name, encoding)
        except InputError as exc:
            warn(str(exc))
            failed += 1
            continue
        for message in page.warnings:
            warn(message)
        records = model.classify_page(page.text)
        if not records:
            warn(f"{name}: no paragraphs (empty or blank input)")
        writer.write({"file": name, **r} for r in records)
    writer.close()
    if failed:
        sys.exit(1)


@main.command()
@click.argument("gold_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(gold_dir: Path, model_path: Path | None, as_json: bool) -> None:
    """Score the model on GOLD_DIR: <doc>.txt pages with <doc>.gold.tsv labels.

    Prints the project scorer's figures (macro-F1, accuracy, keep/drop F1,
    content F1, per class) for pages, feeds and all, and the confusion matrix.

    \b
    Example:
      strikeclf evaluate ../shared/dev
    """
    from .evaluation import GoldError, evaluate_folder
    from .metrics import format_report

    model = open_model(model_path)
    try:
        result = evaluate_folder(model, gold_dir)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, indent=1))
        return
    for name in ("pages", "feeds", "all"):
        if name in result:
            click.echo(format_report(result[name], f"[{name}]"))
    figures = result["all"]
    click.echo(f"missing predictions: {figures['missing']}")
    click.echo(f"macro_f1={figures['macro_f1']:.3f} keep_f1={figures['keep_f1']:.3f}")


@main.command()
@model_option
def info(model_path: Path | None) -> None:
    """Print the model card: labels, settings, corpus, versions, figures (JSON).

    \b
    Example:
      strikeclf info | jq .cross_validation.by_page.macro_f1
    """
    model = open_model(model_path)
    click.echo(json.dumps({"path": str(model.path), **model.metadata}, indent=1))


@main.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder holding data/corpus and models/.",
)
@click.option(
    "--corpus",
    "extra_corpus",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Another corpus folder (or .jsonl file) to train on as well; repeatable.",
)
@click.option(
    "--synthetic/--no-synthetic",
    default=True,
    show_default=True,
    help="Include data/corpus/synthetic (the team-written pages).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the model [default: ROOT/models].",
)
@click.option(
    "--dev",
    "dev_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Gold pages to score the final model on and record in the sidecar "
    "[default: ROOT/../shared/dev if it exists]. Measured only, never trained on.",
)
@click.option("--no-dev", is_flag=True, help="Do not score on a dev folder.")
@click.option(
    "--outlet-folds",
    type=click.IntRange(min=2),
    default=5,
    show_default=True,
    help="Folds of the by-outlet cross-validation (outlets are dealt into folds).",
)
def train(
    root: Path,
    extra_corpus: tuple[Path, ...],
    synthetic: bool,
    out_dir: Path | None,
    dev_dir: Path | None,
    no_dev: bool,
    outlet_folds: int,
) -> None:
    """Retrain the model from the labelled corpus (same as `python train.py`).

    Validates every corpus file, reports grouped cross-validation (by page,
    seeds only and whole corpus; by outlet), fits on everything and writes
    models/strikeclf.joblib with its JSON sidecar atomically.

    \b
    Examples:
      python train.py
      strikeclf train --corpus my-labels/ --out my-model/
    """
    from .corpus import CorpusError
    from .training import train as run_training

    seeds = root / "data" / "corpus" / "seeds"
    defaults = [seeds, root / "data" / "corpus" / "synthetic"] if synthetic else [seeds]
    corpus_dirs = [d for d in defaults if d.is_dir()] + list(extra_corpus)
    if not corpus_dirs:
        raise click.ClickException(f"{root / 'data' / 'corpus'}: no corpus folders; use --corpus")
    if dev_dir is None and not no_dev:
        candidate = root.resolve().parent / "shared" / "dev"
        dev_dir = candidate if candidate.is_dir() else None
    try:
        result = run_training(
            corpus_dirs,
            out_dir or root / "models",
            seeds_dir=seeds if seeds.is_dir() else None,
            outlet_folds=outlet_folds,
            dev_dir=None if no_dev else dev_dir,
            log=click.echo,
        )
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
    warn(f"wrote {result.model_path} and its sidecar")


# Labels are part of the help so users can write --keep lists without the docs.
main.help = (main.help or "") + "\n\nLabels: " + ", ".join(LABELS) + "."
