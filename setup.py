"""Build the optional C speed-ups; all other metadata lives in pyproject.toml.

Both extensions are ``optional``: where no C compiler is available the
install still succeeds and strikeclf serves from its pure-Python paths (same
probabilities, slower; see ``strikeclf.speedups``). setuptools' pyproject
``ext-modules`` table is still experimental, hence this file.
"""

from setuptools import Extension, setup

HEADERS = ["src/strikeclf/_charclass.h"]

setup(
    ext_modules=[
        Extension(
            "strikeclf._tfidf",
            sources=["src/strikeclf/_tfidf.c"],
            depends=HEADERS,
            optional=True,
        ),
        Extension(
            "strikeclf._linestats",
            sources=["src/strikeclf/_linestats.c"],
            depends=HEADERS,
            optional=True,
        ),
    ]
)
