"""Command-line interface: parse, call the library, format, turn errors into messages.

Data goes to stdout, messages to stderr. Exit codes: 0 every input processed,
1 some inputs failed (the rest were still processed), 2 usage error.
Heavy imports (scikit-learn, nltk) happen inside commands, so ``--help`` is instant.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .labels import KEEP, LABELS
from .output import FORMATS, RecordWriter

if TYPE_CHECKING:
    from .batch import PageResult
    from .model import Model

F = TypeVar("F", bound=Callable[..., Any])


def warn(message: str) -> None:
    click.echo(f"strikeclf: {message}", err=True)


def _compose(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(command: F) -> F:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


def _remember_trust(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    ctx.meta["strikeclf.trust_model"] = value


model_option = _compose(
    click.option(
        "--model",
        "model_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="STRIKECLF_MODEL",
        show_envvar=True,
        help="Model file (.npz) to use instead of the shipped one.",
    ),
    click.option(
        "--trust-model",
        is_flag=True,
        expose_value=False,
        callback=_remember_trust,
        help="Allow a .joblib (pickle) model: loading a pickle runs code from the file, "
        "so only for files you made yourself.",
    ),
)

#: Options every command that reads pages shares.
input_options = _compose(
    click.argument("inputs", nargs=-1, required=True),
    click.option(
        "--glob",
        "pattern",
        default="*.txt",
        show_default=True,
        help="Files to take from folders given as inputs (searched recursively).",
    ),
    click.option("--encoding", default=None, help="Decode inputs with this codec, not UTF-8."),
    click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=-1),
        default=1,
        show_default=True,
        help="Files processed in parallel (-1: one per core). Output stays in input order.",
    ),
    model_option,
)

#: Options every command that prints paragraph records shares.
output_options = _compose(
    click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="tsv",
        show_default=True,
        help="tsv: readable table. jsonl: one JSON object per paragraph (the stable "
        "machine format). json: one array. csv: table with every label's probability.",
    ),
    click.option(
        "--min-proba",
        type=click.FloatRange(0, 1),
        default=None,
        help="Flag paragraphs whose label has a lower probability with uncertain=true "
        "(the label itself is kept).",
    ),
)


def open_model(model_path: Path | None) -> Model:
    from .model import ModelError, load_model

    trust = bool(click.get_current_context().meta.get("strikeclf.trust_model"))
    try:
        return load_model(model_path, trust_pickle=trust)
    except ModelError as exc:
        raise click.ClickException(str(exc)) from None


def run_pages(
    inputs: tuple[str, ...],
    pattern: str,
    encoding: str | None,
    jobs: int,
    model: Model,
    failures: list[str],
) -> Iterator[PageResult]:
    """Classify every input, report failures and notes on stderr, yield the good ones.

    Each failed input is appended to ``failures`` (for the exit code). A
    progress bar appears on stderr for several files when stderr is a terminal.
    The caller consumes each result's records before asking for the next;
    the input's warnings (known only once it has been read) follow on stderr.
    """
    from .batch import classify_inputs
    from .inputs import expand_inputs

    names: list[str] = []
    for name in inputs:
        expanded = list(expand_inputs((name,), pattern))
        if not expanded:
            warn(f"{name}: folder has no files matching {pattern!r}")
            failures.append(name)
        names.extend(expanded)
    results = classify_inputs(model, names, encoding, jobs)
    if len(names) > 1 and sys.stderr.isatty():
        results = _with_progress(results, len(names))
    for result in results:
        if result.error:
            warn(result.error)
            failures.append(result.name)
            continue
        counted = _Counted(result.records)
        result.records = counted
        yield result
        for message in result.warnings:
            warn(message)
        if counted.count == 0:
            warn(f"{result.name}: no paragraphs (empty or blank input)")


class _Counted:
    """An iterable of records that counts what passed through it."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self._records = records
        self.count = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for record in self._records:
            self.count += 1
            yield record


def _with_progress(results: Iterator[PageResult], total: int) -> Iterator[PageResult]:
    with click.progressbar(results, length=total, file=sys.stderr, label="pages") as bar:
        yield from bar


def _label_set(value: str | None) -> frozenset[str] | None:
    if value is None:
        return None
    labels = frozenset(v.strip() for v in value.split(",") if v.strip())
    unknown = labels - set(LABELS)
    if unknown or not labels:
        raise click.BadParameter(
            f"{', '.join(sorted(unknown)) or '(empty)'}: expected a comma-separated subset of "
            + ", ".join(LABELS)
        )
    return labels


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="strikeclf")
def main() -> None:
    """Tag each paragraph of scraped news pages as event_report, official_claim,
    boilerplate or unrelated.

    \b
    Shell completion (bash; zsh and fish likewise):
      eval "$(_STRIKECLF_COMPLETE=bash_source strikeclf)"
    """


@main.command()
@input_options
@output_options
def predict(
    inputs: tuple[str, ...],
    pattern: str,
    encoding: str | None,
    jobs: int,
    model_path: Path | None,
    fmt: str,
    min_proba: float | None,
) -> None:
    """Label every non-empty line of each INPUT: files, folders, '-' for stdin.

    \b
    Examples:
      strikeclf predict page.txt
      strikeclf predict --format jsonl pages/ > labels.jsonl
      strikeclf predict --jobs 2 --glob '*.md' scraped/ | head
      curl -s URL | html2text | strikeclf predict -
    """
    from .batch import mark_uncertain

    model = open_model(model_path)
    writer = RecordWriter(sys.stdout, fmt, uncertain=min_proba is not None)
    failures: list[str] = []
    for result in run_pages(inputs, pattern, encoding, jobs, model, failures):
        records = result.records
        writer.write(mark_uncertain(records, min_proba) if min_proba is not None else records)
        sys.stdout.flush()
    writer.close()
    if failures:
        sys.exit(1)


@main.command()
@input_options
@click.option(
    "--keep",
    default=None,
    help=f"Labels to keep, comma-separated [default: {','.join(sorted(KEEP))}].",
)
@click.option("--drop", default=None, help="Labels to drop instead (keep everything else).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "jsonl")),
    default="text",
    show_default=True,
    help="text: kept paragraphs, one per line. jsonl: kept records with file, line, label, proba.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write one cleaned file per input here (same name) instead of to stdout.",
)
def clean(
    inputs: tuple[str, ...],
    pattern: str,
    encoding: str | None,
    jobs: int,
    model_path: Path | None,
    keep: str | None,
    drop: str | None,
    fmt: str,
    out_dir: Path | None,
) -> None:
    """Print only the on-topic paragraphs of each INPUT (the cleaning step).

    \b
    Examples:
      strikeclf clean page.txt
      strikeclf clean --keep event_report page.txt
      strikeclf clean --drop boilerplate --format jsonl pages/
      strikeclf clean --out-dir cleaned/ pages/
    """
    from .files import write_atomically
    from .inputs import STDIN

    if keep is not None and drop is not None:
        raise click.UsageError("--keep and --drop are alternatives; give one")
    dropped = _label_set(drop)
    kept = _label_set(keep) or (frozenset(LABELS) - dropped if dropped is not None else KEEP)
    model = open_model(model_path)
    failures: list[str] = []
    for result in run_pages(inputs, pattern, encoding, jobs, model, failures):
        records = [r for r in result.records if r["label"] in kept]
        if fmt == "text":
            body = "".join(r["text"] + "\n" for r in records)
        else:
            body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        if out_dir is None:
            sys.stdout.write(body)
            continue
        name = "stdin.txt" if result.name == STDIN else Path(result.name).name
        suffix = ".jsonl" if fmt == "jsonl" else ""
        write_atomically(out_dir / (name + suffix), body)
    sys.stdout.flush()
    if failures:
        sys.exit(1)


@main.command()
@input_options
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Corpus file to write (JSONL); written whole or not at all.",
)
def annotate(
    inputs: tuple[str, ...],
    pattern: str,
    encoding: str | None,
    jobs: int,
    model_path: Path | None,
    out_file: Path,
) -> None:
    """Pre-label pages as corpus records for correction, least confident first.

    Writes {"doc", "line", "text", "label", "proba"} records (LABELING.md's
    corpus format plus the probabilities). Correct the labels, put the file in
    a folder and retrain with `python train.py --corpus FOLDER`.

    \b
    Example:
      strikeclf annotate my-site/*.txt --out my-labels/batch-01.jsonl
    """
    from .files import write_atomically
    from .inputs import STDIN

    model = open_model(model_path)
    records = []
    failures: list[str] = []
    for result in run_pages(inputs, pattern, encoding, jobs, model, failures):
        doc = "stdin" if result.name == STDIN else Path(result.name).stem
        for r in result.records:
            records.append(
                {
                    "doc": doc,
                    "line": r["line"],
                    "text": r["text"],
                    "label": r["label"],
                    "proba": r["proba"],
                }
            )
    records.sort(key=lambda r: r["proba"][r["label"]])
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    write_atomically(out_file, body)
    warn(f"wrote {len(records)} records to {out_file}, least confident first")
    if failures:
        sys.exit(1)


@main.command(name="dask")
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--glob", "pattern", default="*.txt", show_default=True, help="Files to take from folders."
)
@click.option(
    "--scheduler",
    default=None,
    help="Address of a running dask.distributed scheduler (tcp://host:8786). "
    "Default: start a LocalCluster.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes of the LocalCluster (ignored with --scheduler).",
)
@click.option("--pages-per-partition", type=click.IntRange(min=1), default=200, show_default=True)
@model_option
@output_options
def dask_command(
    inputs: tuple[str, ...],
    pattern: str,
    scheduler: str | None,
    workers: int,
    pages_per_partition: int,
    model_path: Path | None,
    fmt: str,
    min_proba: float | None,
) -> None:
    """Label pages on a Dask cluster; output as `strikeclf predict` gives it.

    INPUTS are files and folders (not stdin); every worker must see them at
    the same paths. Needs the 'dask' extra: pip install 'strikeclf[dask]'.

    \b
    Examples:
      strikeclf dask pages/ --workers 2 --format jsonl > labels.jsonl
      strikeclf dask /shared/pages --scheduler tcp://10.0.0.5:8786
    """
    try:
        from dask.distributed import Client, LocalCluster

        from .dask import frame_records, partitions
    except ImportError:
        raise click.ClickException("needs dask: pip install 'strikeclf[dask]'") from None
    from .batch import mark_uncertain
    from .inputs import STDIN, expand_inputs

    if STDIN in inputs:
        raise click.UsageError("the dask command reads files and folders, not stdin")
    model = open_model(model_path)  # fail early, here, on a bad model
    paths = list(expand_inputs(inputs, pattern))
    missing = [p for p in paths if not Path(p).is_file()]
    for name in missing:
        warn(f"{name}: no such file")
    paths = [p for p in paths if p not in missing]
    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1)
    writer = RecordWriter(sys.stdout, fmt, uncertain=min_proba is not None)
    with Client(scheduler or cluster) as client:
        model_file = str(model.path) if model.path else None
        futures = client.compute(partitions(paths, pages_per_partition, model_file))
        for future in futures:  # in input order, while later partitions still run
            records = frame_records(future.result())
            writer.write(mark_uncertain(records, min_proba) if min_proba is not None else records)
    if cluster is not None:
        cluster.close()
    writer.close()
    if missing:
        sys.exit(1)


@main.command()
@click.argument("gold_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@model_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw the confusion matrix and a reliability diagram to this PNG "
    "(needs the 'plot' extra: matplotlib).",
)
def evaluate(gold_dir: Path, model_path: Path | None, as_json: bool, plot: Path | None) -> None:
    """Score the model on GOLD_DIR: <doc>.txt pages with <doc>.gold.tsv labels.

    Prints the project scorer's figures (macro-F1, accuracy, keep/drop F1,
    content F1, per class), expected calibration error, for pages, feeds and
    all, and the confusion matrix.

    \b
    Examples:
      strikeclf evaluate ../shared/dev
      strikeclf evaluate --json --plot dev.png ../shared/dev
    """
    from .evaluation import GoldError, evaluate_folder, predictions_against_gold
    from .metrics import format_report

    if plot is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise click.ClickException(
                "--plot needs matplotlib: pip install 'strikeclf[plot]'"
            ) from None
    model = open_model(model_path)
    try:
        result = evaluate_folder(model, gold_dir)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, indent=1))
    else:
        for name in ("pages", "feeds", "all"):
            if name in result:
                click.echo(format_report(result[name], f"[{name}]"))
        figures = result["all"]
        click.echo(f"missing predictions: {figures['missing']}")
        click.echo(f"macro_f1={figures['macro_f1']:.3f} keep_f1={figures['keep_f1']:.3f}")
    if plot is not None:
        from .plots import plot_evaluation

        plot_evaluation(predictions_against_gold(model, gold_dir), plot)
        warn(f"wrote {plot}")


@main.command()
@model_option
def info(model_path: Path | None) -> None:
    """Print the model card: labels, settings, corpus, versions, figures (JSON).

    \b
    Example:
      strikeclf info | jq .cross_validation.by_outlet.macro_f1
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
@click.option(
    "--search",
    "search_grid",
    is_flag=True,
    help="First choose settings by a small grid search (by-outlet cross-validation); "
    "every grid point's figures go into the sidecar. Takes several minutes.",
)
@click.option(
    "--jobs",
    "-j",
    type=int,
    default=-1,
    show_default=True,
    help="Fits run in parallel processes (-1: one per core). Every fit uses one BLAS "
    "thread, so the model and figures are the same whatever this is.",
)
def train(
    root: Path,
    extra_corpus: tuple[Path, ...],
    synthetic: bool,
    out_dir: Path | None,
    dev_dir: Path | None,
    no_dev: bool,
    outlet_folds: int,
    search_grid: bool,
    jobs: int,
) -> None:
    """Retrain the model from the labelled corpus (same as `python train.py`).

    Validates every corpus file, reports grouped cross-validation (seeds by
    page; whole corpus by outlet), fits on everything and writes
    models/strikeclf.npz (served), strikeclf.joblib and the JSON sidecar
    atomically.

    \b
    Examples:
      python train.py
      strikeclf train --corpus my-labels/ --out my-model/
    """
    from .corpus import CorpusError
    from .training import train as run_training

    seeds = root / "data" / "corpus" / "seeds"
    synthetic_dir = root / "data" / "corpus" / "synthetic"
    defaults = [seeds, synthetic_dir] if synthetic else [seeds]
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
            synthetic_dirs=[synthetic_dir] if synthetic and synthetic_dir.is_dir() else [],
            outlet_folds=outlet_folds,
            jobs=jobs,
            dev_dir=None if no_dev else dev_dir,
            search_grid=search_grid,
            log=click.echo,
        )
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
    warn(f"wrote {result.model_path} and its sidecar")


# Labels are part of the help so users can write --keep lists without the docs.
main.help = (main.help or "") + "\n\nLabels: " + ", ".join(LABELS) + "."
