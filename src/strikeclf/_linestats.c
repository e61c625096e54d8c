/*
 * strikeclf._linestats: the counts behind the context stage's shape features.
 *
 * context.line_stats counts a paragraph's words (runs of [^\W\d_]), stop words,
 * capitalised words, letters, digits and upper-case letters with a regex and
 * four passes in Python. This does the same in one pass over the code points.
 * Optional: without it, context.py counts in Python (tests compare the two).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#include "_charclass.h"

/* A letter of context.py's _WORD pattern, [^\W\d_]: a word character (re's \w)
 * that is not a decimal digit (re's \d) and not an underscore. */
static inline int
is_word_letter(Py_UCS4 c)
{
    return is_alnum(c) && !is_decimal(c);
}

/* The last stop-word set seen, its words packed into integers (byte i = letter
 * i; ASCII words of up to 8 letters) in a small hash set, so that a word is
 * looked up without making a string. Built again when another set is passed. */
#define PACKED_SLOTS 1024 /* a power of two, at least twice the set */
static PyObject *packed_source = NULL; /* a strong reference: its address stays its own */
static uint64_t packed_words[PACKED_SLOTS];
static int packed_complete; /* every word of the set is packed, so a miss is final */

static int
pack_ascii(const char *letters, Py_ssize_t n, uint64_t *packed)
{
    if (n < 1 || n > 8)
        return 0;
    uint64_t value = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)letters[i];
        if (c == 0 || c >= 128)
            return 0;
        value |= (uint64_t)c << (8 * i);
    }
    *packed = value;
    return 1;
}

static size_t
packed_slot(uint64_t value)
{
    return (size_t)((value * 0x9e3779b97f4a7c15ULL) >> 54) & (PACKED_SLOTS - 1);
}

static int
packed_contains(uint64_t value)
{
    for (size_t i = packed_slot(value);; i = (i + 1) & (PACKED_SLOTS - 1)) {
        if (packed_words[i] == value)
            return 1;
        if (packed_words[i] == 0)
            return 0;
    }
}

static int
pack_stopwords(PyObject *stopwords)
{
    memset(packed_words, 0, sizeof(packed_words));
    Py_INCREF(stopwords);
    Py_XSETREF(packed_source, stopwords);
    packed_complete = PySet_GET_SIZE(stopwords) <= PACKED_SLOTS / 2;
    PyObject *iterator = PyObject_GetIter(stopwords), *word;
    if (!iterator)
        goto fail;
    while (packed_complete && (word = PyIter_Next(iterator))) {
        Py_ssize_t n;
        uint64_t value;
        const char *utf8 = PyUnicode_Check(word) ? PyUnicode_AsUTF8AndSize(word, &n) : NULL;
        if (utf8 && pack_ascii(utf8, n, &value)) {
            size_t i = packed_slot(value);
            while (packed_words[i] != 0 && packed_words[i] != value)
                i = (i + 1) & (PACKED_SLOTS - 1);
            packed_words[i] = value;
        }
        else {
            packed_complete = 0; /* such a set is looked up with Python strings */
        }
        Py_DECREF(word);
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred())
        goto fail;
    return 0;
fail:
    Py_CLEAR(packed_source);
    return -1;
}

/* Whether text[start:end] lower-cased is in stopwords (str.lower, then `in`). */
static int
is_stopword(PyObject *text, Py_ssize_t start, Py_ssize_t end, PyObject *stopwords)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = end - start;
    char ascii[8];
    int all_ascii = 1;
    for (Py_ssize_t i = 0; i < n && all_ascii; i++)
        all_ascii = PyUnicode_READ(kind, data, start + i) < 128;
    if (all_ascii && packed_complete) {
        uint64_t value;
        if (n > 8) /* lower-casing ASCII keeps the length */
            return 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            char c = (char)PyUnicode_READ(kind, data, start + i);
            ascii[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        return pack_ascii(ascii, n, &value) && packed_contains(value);
    }
    /* Otherwise, as Python does it: str.lower handles every script. */
    PyObject *piece = PyUnicode_Substring(text, start, end);
    if (!piece)
        return -1;
    PyObject *word = PyObject_CallMethod(piece, "lower", NULL);
    Py_DECREF(piece);
    if (!word)
        return -1;
    int found = PySet_Contains(stopwords, word);
    Py_DECREF(word);
    return found;
}

PyDoc_STRVAR(line_stats_doc,
"line_stats(text, stopwords)\n--\n\n"
"(words, stop words, capitalised words, letters, digits, upper-case letters) of text,\n"
"as context.line_stats counts them: words are runs of [^\\W\\d_], a stop word is one\n"
"whose str.lower() is in the frozenset stopwords, a capitalised word starts with an\n"
"upper-case letter, letters/digits/upper-case are str.isalpha/isdigit/isupper.");

static PyObject *
line_stats(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *text, *stopwords;
    if (!PyArg_ParseTuple(args, "UO!", &text, &PyFrozenSet_Type, &stopwords))
        return NULL;
    if (stopwords != packed_source && pack_stopwords(stopwords) < 0)
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Py_ssize_t words = 0, stop = 0, capitalised = 0, letters = 0, digits = 0, upper = 0;
    Py_ssize_t start = -1; /* of the word being read, or -1 */
    for (Py_ssize_t i = 0; i <= length; i++) {
        int in_word = 0;
        if (i < length) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            letters += is_alpha(c);
            digits += is_digit(c);
            upper += is_upper(c);
            in_word = is_word_letter(c);
            if (in_word && start < 0) {
                start = i;
                words++;
                capitalised += is_upper(c);
            }
        }
        if (!in_word && start >= 0) {
            int found = is_stopword(text, start, i, stopwords);
            if (found < 0)
                return NULL;
            stop += found;
            start = -1;
        }
    }
    return Py_BuildValue("nnnnnn", words, stop, capitalised, letters, digits, upper);
}

static PyMethodDef methods[] = {
    {"line_stats", line_stats, METH_VARARGS, line_stats_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef linestats_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "strikeclf._linestats",
    .m_doc = "Optional C speed-up for context.line_stats (see strikeclf.speedups).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__linestats(void)
{
    return PyModule_Create(&linestats_module);
}
