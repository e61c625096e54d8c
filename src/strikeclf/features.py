"""Text normalisation and word tokenisation for the TF-IDF features.

Pages from outlets the model never saw differ in surface form: curly vs
straight quotes, dates and times, a Cyrillic ``С`` typed into an English word,
zero-width spaces inside words. Normalising these away lets n-grams learnt on
one site fire on another. The functions here are module-level so that a
fitted pipeline pickles and clones cleanly.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from .gazetteer import RU_PLACE, RUSSIAN_HELD, UA_PLACE, UKRAINIAN_HELD

# Cyrillic and Greek letters that look like Latin ones. Only swapped inside a
# word that also has Latin letters: a real Russian word stays Russian.
_LOOKALIKES = str.maketrans(
    "АВЕКМНОРСТХаеорсухіјѕӏԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρτυχ",
    "ABEKMHOPCTXaeopcyxijsldqwABEZHIKMNOPTYXoikvptux",
)
#: Characters of a paragraph that feed the features. A scraped "paragraph"
#: can be a 50 MB line; its first few thousand characters say what it is, and
#: reading the rest would cost time and memory for nothing.
FEATURE_CHARS = 5000

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"), None)
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[A-Za-z]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z]")
_DIGIT = re.compile(r"\d")
_TOKEN = re.compile(r"[^\W_]+")


def _fix_mixed_script(match: re.Match[str]) -> str:
    word = match.group(0)
    if _LATIN.search(word) and _NON_LATIN_LETTER.search(word):
        return word.translate(_LOOKALIKES)
    return word


def normalise(text: str) -> str:
    """Canonical form of a paragraph for feature extraction.

    HTML character references decoded (RSS descriptions arrive with
    ``&#039;`` and ``&amp;`` left in), NFKC (full-width letters, ligatures,
    non-breaking spaces), invisible characters removed, look-alike letters
    in mixed-script words mapped to Latin, lower case, every digit mapped to
    ``0`` (dates and times generalise). Only the first :data:`FEATURE_CHARS`
    characters are kept.

    >>> normalise("Сeasefire at 8:42\u00a0PM")
    'ceasefire at 0:00 pm'
    """
    text = text[:FEATURE_CHARS]
    if "&" in text:
        text = decode_entities(text)
    # Most lines are ASCII, or ASCII with typographic punctuation: NFKC leaves
    # them as they are and they hold no invisible, look-alike or non-ASCII digit
    # character, so lower case and ASCII digits are all there is to do. (Digit
    # bytes never occur inside a multi-byte UTF-8 character.)
    if text.isascii() or not _BEYOND_TYPOGRAPHIC.search(text):
        return text.lower().encode().translate(_ASCII_DIGITS_TO_ZERO).decode()
    return _normalise_unicode(text)


_ASCII_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
#: Punctuation and symbols that NFKC and lower case leave unchanged (a test checks).
TYPOGRAPHIC = "‘’‚“”„‹›«»–—―•·‣′°§¶†‡©®€£¥₹←→↑↓▲▼►◄■□●○★☆♡✓✔×÷±"
_BEYOND_TYPOGRAPHIC = re.compile(f"[^\x00-\x7f{TYPOGRAPHIC}]")


def decode_entities(text: str) -> str:
    """HTML character references decoded, twice-escaped ones too (``&amp;#039;`` → ``'``).

    At most three passes: scrapers escape twice at worst, and a bound keeps a
    hostile ``&amp;amp;amp;...`` line cheap.

    >>> print(decode_entities("Russia&#039;s &quot;special operation&quot; &amp;amp; more"))
    Russia's "special operation" & more
    """
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _normalise_unicode(text: str) -> str:
    """:func:`normalise`'s every step after decoding entities (what the fast path must equal)."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    if _NON_LATIN_LETTER.search(text):  # most English text has no letter to map
        text = _WORD.sub(_fix_mixed_script, text)
    return _DIGIT.sub("0", text.lower())


def normalise_all(texts: Iterable[str]) -> list[str]:
    """:func:`normalise` over a batch (the pipeline's first step)."""
    return [normalise(t) for t in texts]


def snowball_stems(tokens: Iterable[str]) -> dict[str, str]:
    """Snowball (Porter2) stems of ``tokens``, only where the stem differs.

    Used when fitting: the table is stored in the model, so predicting needs
    neither nltk (over a second to import) nor its data. The English Snowball
    stemmer needs no data download.
    """
    from nltk.stem.snowball import SnowballStemmer

    stemmer = SnowballStemmer("english", ignore_stopwords=False)
    table = {}
    # Sorted, so the table (and the model files) do not depend on PYTHONHASHSEED.
    for token in sorted(set(tokens)):
        stem = stemmer.stem(token)
        if stem != token:
            table[token] = stem
    return table


# Each known place → the token for its side of the front (Russian-held wins a tie).
_PLACES = {**dict.fromkeys(UKRAINIAN_HELD, UA_PLACE), **dict.fromkeys(RUSSIAN_HELD, RU_PLACE)}


def raw_tokens(text: str) -> list[str]:
    """Word tokens of a normalised paragraph, known places replaced by their side."""
    return [_PLACES.get(t, t) for t in _TOKEN.findall(text)]


# Word classes whose co-occurrence decides a label but which a linear model over
# single n-grams cannot combine: "governor" and "said" anywhere in a paragraph
# make an official claim; "drones" and a Russian town make a strike on Russia.
_ATTRIBUTION = frozenset(
    """said says say saying claimed claims claim alleged alleges according wrote writes
    stated told reported announced confirmed confirms denied denies accused blamed
    added insisted warned posted""".split()
)
_OFFICIAL = frozenset(
    """governor governors mayor ministry minister ministers spokesperson spokesman
    spokeswoman president kremlin staff military army navy sbu hur gur fsb defence
    defense authorities officials official commander administration government head
    chief agency legion corps rosaviatsia emergencies intelligence prosecutors
    peskov zakharova zelensky zelenskyy putin gladkov bogomaz""".split()
)
_MEDIA = frozenset(
    """media outlet outlets channel channels residents witnesses eyewitnesses footage
    video videos images imagery satellite bloggers milbloggers milblogger locals
    firms astra baza shot mash analysts""".split()
)
_STRIKE = frozenset(
    """drone drones uav uavs missile missiles strike strikes struck attack attacks
    attacked explosion explosions blast blasts fire fires blaze sabotage shelling
    shelled debris intercepted downed hit hits raid raids bombing arson""".split()
)


_RUSSIA = frozenset({RU_PLACE, "russia", "russian"})
_UKRAINE = frozenset({UA_PLACE, "ukraine", "ukrainian"})

#: Each cue token, and the word classes that must all occur in a paragraph for it.
CUE_RULES: tuple[tuple[str, tuple[frozenset[str], ...]], ...] = (
    ("__official_said__", (_ATTRIBUTION, _OFFICIAL)),
    ("__media_said__", (_ATTRIBUTION, _MEDIA)),
    ("__strike_ru__", (_STRIKE, _RUSSIA)),
    ("__strike_ua__", (_STRIKE, _UKRAINE)),
)


def cue_tokens(tokens: list[str]) -> list[str]:
    """Marker tokens for word-class co-occurrences in one paragraph (:data:`CUE_RULES`).

    >>> cue_tokens(["the", "governor", "said", "drones", "hit", "__ru_place__"])
    ['__official_said__', '__strike_ru__']
    """
    present = set(tokens)
    return [
        cue for cue, classes in CUE_RULES if all(not present.isdisjoint(words) for words in classes)
    ]


def word_features(text: str, stems: dict[str, str]) -> list[str]:
    """Word tokens of a normalised paragraph as the word TF-IDF sees them.

    Places become ``__ru_place__`` / ``__ua_place__`` (see gazetteer), other
    tokens their stem from ``stems`` (a token missing from the table stays as
    it is), then :func:`cue_tokens` are appended. ``claimed``, ``claims`` and
    ``claiming`` all become ``claim``: the verbs of attribution are what
    separates an official claim from a report.

    >>> stems = snowball_stems(["claimed", "drones", "attacked", "sites", "fires"])
    >>> word_features("governor claimed drones attacked 00 sites", stems)
    ['governor', 'claim', 'drone', 'attack', '00', 'site', '__official_said__']
    >>> word_features("fires in kstovo, not kyiv", stems)
    ['fire', 'in', '__ru_place__', 'not', '__ua_place__', '__strike_ru__', '__strike_ua__']
    """
    return token_features(raw_tokens(text), stems)


def token_features(tokens: list[str], stems: dict[str, str]) -> list[str]:
    """:func:`word_features` of a paragraph already cut by :func:`raw_tokens`."""
    return [stems.get(t, t) for t in tokens] + cue_tokens(tokens)


TokenInfo = dict[str, tuple[str, int]]


def token_table(stems: dict[str, str]) -> tuple[TokenInfo, list[tuple[str, int]]]:
    """:func:`word_features` as data, for the C extension's ``word_scores``.

    Returns ``token_info``: every token that word_features changes or that
    belongs to a cue class → (what it becomes, bit mask of its classes), and
    ``cues``: each cue token with the mask of the classes it needs. A token
    not in ``token_info`` stays as it is and belongs to no class. Tests check
    the extension's tokens equal :func:`word_features` on the whole corpus.
    """
    classes = list(dict.fromkeys(words for _, needed in CUE_RULES for words in needed))
    bits = {words: 1 << i for i, words in enumerate(classes)}
    info: TokenInfo = {}
    for token in set(stems).union(_PLACES, *classes):
        placed = _PLACES.get(token, token)
        mask = sum(bit for words, bit in bits.items() if placed in words)
        info[token] = (stems.get(placed, placed), mask)
    cues = [(cue, sum(bits[words] for words in needed)) for cue, needed in CUE_RULES]
    return info, cues
