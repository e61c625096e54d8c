"""Model files from elsewhere: nothing in them runs, every failure is a clear error."""

from __future__ import annotations

import contextlib
import json
import pickle
import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from strikeclf.cli import main
from strikeclf.model import ModelError, file_sha256, load_model


class Payload:
    """Unpickling this creates a marker file: proof that code from the file ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def evil_model(folder, tiny_model_path, suffix):
    """A crafted model whose sidecar matches it, as an attacker would ship it."""
    marker = folder / "PWNED"
    path = folder / f"evil{suffix}"
    if suffix == ".joblib":
        path.write_bytes(pickle.dumps({"paragraph": Payload(marker), "context": None}))
    else:  # an .npz whose "header" is a pickled object array
        with open(path, "wb") as handle:
            np.savez(handle, header=np.array([Payload(marker)], dtype=object))
    meta = json.loads(tiny_model_path.with_suffix(".json").read_text(encoding="utf-8"))
    meta["model_sha256"] = meta["joblib_sha256"] = file_sha256(path)
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return path, marker


@pytest.mark.parametrize("suffix", [".joblib", ".npz"])
def test_load_model_never_runs_the_payload(tmp_path, tiny_model_path, suffix):
    path, marker = evil_model(tmp_path, tiny_model_path, suffix)
    with pytest.raises(ModelError) as err:
        load_model(path)
    assert not marker.exists()
    if suffix == ".joblib":
        assert "refusing to load a pickle" in str(err.value)
    else:
        assert "not a valid strikeclf model" in str(err.value)


@pytest.mark.parametrize("suffix", [".joblib", ".npz"])
def test_cli_never_runs_the_payload(tmp_path, tiny_model_path, suffix):
    path, marker = evil_model(tmp_path, tiny_model_path, suffix)
    result = CliRunner().invoke(main, ["predict", "--model", str(path), "-"], input="Subscribe\n")
    assert result.exit_code == 1
    assert not marker.exists()
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ")


def test_a_pickle_runs_only_with_explicit_trust(tmp_path, tiny_model_path):
    path, marker = evil_model(tmp_path, tiny_model_path, ".joblib")
    with contextlib.suppress(ModelError):
        load_model(path, trust_pickle=True)  # trusted explicitly: the pickle is unpickled
    assert marker.exists()


def test_the_real_joblib_loads_with_trust(tiny_model_path):
    pickled = load_model(tiny_model_path.with_suffix(".joblib"), trust_pickle=True)
    served = load_model(tiny_model_path)
    page = "Skip to content\nDrones struck a depot in Kursk."
    assert pickled.classify_page(page) == served.classify_page(page)


@pytest.mark.parametrize(
    "damage",
    [lambda b: b[: len(b) // 2], lambda b: b"garbage" + b[7:], lambda b: b""],
    ids=["truncated", "corrupted", "empty"],
)
def test_damaged_model_is_a_clear_error(tmp_path, tiny_model_path, damage):
    shutil.copytree(tiny_model_path.parent, tmp_path / "m")
    path = tmp_path / "m" / tiny_model_path.name
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ModelError, match="does not match the SHA-256"):
        load_model(path)
    # and with a sidecar forged to match, the archive itself is refused cleanly
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    meta["model_sha256"] = file_sha256(path)
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="not a valid strikeclf model"):
        load_model(path)


def test_a_model_from_another_feature_set_is_refused_with_advice(tmp_path, tiny_model_path):
    """A model trained by a strikeclf with other page features (an older release)
    would fail deep inside a matrix product; it is refused at load instead."""
    with np.load(tiny_model_path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    for name in ("context_mean", "context_var", "context_scale"):
        arrays[name] = arrays[name][:-4]
    arrays["context_coef"] = arrays["context_coef"][:, :-4]
    path = tmp_path / "older.npz"
    np.savez_compressed(path, **arrays)
    meta = json.loads(tiny_model_path.with_suffix(".json").read_text(encoding="utf-8"))
    meta["model_sha256"] = file_sha256(path)
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match=r"page features.*retrain it with this version"):
        load_model(path)
