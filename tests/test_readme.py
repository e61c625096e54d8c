"""The README's Python example runs as written against the shipped model."""

from __future__ import annotations

import os
import re

import pytest

from .conftest import REPO, SHIPPED_MODEL


@pytest.mark.shipped
@pytest.mark.skipif(not SHIPPED_MODEL.exists(), reason="no shipped model in models/")
def test_readme_python_example_runs(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "README has no python example"
    cwd = os.getcwd()
    os.chdir(REPO)  # the example opens a seed page by relative path
    try:
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "boilerplate" in out
