/*
 * strikeclf._tfidf: the paragraph stage's TF-IDF scores in C.
 *
 * The pure-Python serving path (serving.py) makes a string object for every
 * word and character n-gram of a paragraph only to look it up in a dict. Here
 * a vocabulary is a hash table of code-point strings, so an n-gram is hashed
 * and compared where it lies in the paragraph, without allocating; the
 * TF-IDF row and its dot product with the coefficients follow in one pass.
 *
 * - TermTable: a TF-IDF vocabulary with its IDF and coefficients. Scores
 *   the char_wb n-grams of texts, or the n-grams of the word tokens a
 *   TokenMap makes of them.
 * - TokenMap: features.word_features as data (features.token_table): which
 *   tokens become what (stems, places), their word classes, and the cue
 *   tokens that classes trigger.
 *
 * Semantics are scikit-learn's (char_wb n-grams of each whitespace-separated
 * word padded with a space on each side; word n-grams joined by one space;
 * sublinear TF, IDF, L2 row norm, linear scores). Only the order of
 * floating-point sums differs. Optional: without it, serving.py does the same
 * in Python; tests compare both, and both with scikit-learn.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "_charclass.h"

/* ---- hashing -------------------------------------------------------------- */

/* FNV-1a over code points, extended one code point at a time... */
#define FNV_START 1469598103934665603ULL

static inline uint64_t
fnv_step(uint64_t h, Py_UCS4 c)
{
    return (h ^ (uint64_t)c) * 1099511628211ULL;
}

/* ...then mixed, because a table index takes the low bits. */
static inline uint64_t
fnv_finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

static uint64_t
hash_codepoints(const Py_UCS4 *s, Py_ssize_t n)
{
    uint64_t h = FNV_START;
    for (Py_ssize_t i = 0; i < n; i++)
        h = fnv_step(h, s[i]);
    return fnv_finish(h);
}

/* ---- Strings: code-point strings back to back, optionally hashed ---------- */

/* A hash and its string's index side by side: one cache line per probe. */
typedef struct {
    uint64_t hash;
    int64_t index; /* -1: empty */
} Slot;

typedef struct {
    Py_ssize_t n;
    Py_UCS4 *chars;      /* every string's code points, back to back */
    Py_ssize_t *offsets; /* string i is chars[offsets[i]:offsets[i + 1]] */
    size_t mask;         /* hash table size - 1 (a power of two); unused if no slots */
    Slot *slots;         /* open addressing, linear probing; NULL: not hashed */
} Strings;

static void
strings_free(Strings *s)
{
    PyMem_Free(s->chars);
    PyMem_Free(s->offsets);
    PyMem_Free(s->slots);
    memset(s, 0, sizeof(*s));
}

/* The index of the string s[:n] whose hash_codepoints() is h, or -1. */
static inline Py_ssize_t
strings_find_hashed(const Strings *t, const Py_UCS4 *s, Py_ssize_t n, uint64_t h)
{
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
        int64_t index = t->slots[i].index;
        if (index < 0)
            return -1;
        if (t->slots[i].hash == h) {
            Py_ssize_t start = t->offsets[index];
            if (t->offsets[index + 1] - start == n &&
                memcmp(t->chars + start, s, (size_t)n * sizeof(Py_UCS4)) == 0)
                return (Py_ssize_t)index;
        }
    }
}

static Py_ssize_t
strings_find(const Strings *t, const Py_UCS4 *s, Py_ssize_t n)
{
    return strings_find_hashed(t, s, n, hash_codepoints(s, n));
}

/* Fill s from a list of str; hash them too if hashed, refusing duplicates. */
static int
strings_build(Strings *s, PyObject *items, int hashed, const char *what)
{
    Py_ssize_t n = PyList_GET_SIZE(items);
    memset(s, 0, sizeof(*s));
    if (n >= INT32_MAX) {
        PyErr_Format(PyExc_ValueError, "too many %s", what);
        return -1;
    }
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        if (!PyUnicode_Check(item)) {
            PyErr_Format(PyExc_TypeError, "%s must be str", what);
            return -1;
        }
        total += PyUnicode_GET_LENGTH(item);
    }
    s->n = n;
    s->chars = PyMem_Malloc((size_t)(total ? total : 1) * sizeof(Py_UCS4));
    s->offsets = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    if (!s->chars || !s->offsets)
        goto no_memory;
    if (hashed) {
        size_t size = 16;
        while (size < (size_t)n * 2)
            size <<= 1;
        s->mask = size - 1;
        s->slots = PyMem_Malloc(size * sizeof(Slot));
        if (!s->slots)
            goto no_memory;
        for (size_t i = 0; i < size; i++)
            s->slots[i].index = -1;
    }
    Py_ssize_t at = 0;
    s->offsets[0] = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        Py_ssize_t length = PyUnicode_GET_LENGTH(item);
        if (length && !PyUnicode_AsUCS4(item, s->chars + at, total - at, 0))
            return -1;
        s->offsets[i + 1] = at + length;
        if (hashed) {
            uint64_t h = hash_codepoints(s->chars + at, length);
            if (strings_find_hashed(s, s->chars + at, length, h) >= 0) {
                PyErr_Format(PyExc_ValueError, "duplicate %s: %R", what, item);
                return -1;
            }
            size_t slot = (size_t)h & s->mask;
            while (s->slots[slot].index >= 0)
                slot = (slot + 1) & s->mask;
            s->slots[slot].index = i;
            s->slots[slot].hash = h;
        }
        at += length;
    }
    return 0;
no_memory:
    PyErr_NoMemory();
    return -1;
}

/* ---- Row: scratch space for scoring one paragraph ------------------------- */

typedef struct {
    int32_t *counts;     /* per term, kept all zero between rows */
    Py_ssize_t *touched; /* the terms the row has */
    double *values;      /* their TF-IDF values */
    Py_ssize_t n_touched, cap_touched;
    Py_UCS4 *buffer; /* the paragraph's text, or its tokens "t0 t1 t2 ... " */
    Py_ssize_t cap_buffer;
    Py_ssize_t *starts; /* token k is buffer[starts[k]:starts[k + 1] - 1] */
    Py_ssize_t cap_starts;
} Row;

static void
row_free(Row *row)
{
    PyMem_Free(row->counts);
    PyMem_Free(row->touched);
    PyMem_Free(row->values);
    PyMem_Free(row->buffer);
    PyMem_Free(row->starts);
    memset(row, 0, sizeof(*row));
}

static int
row_init(Row *row, Py_ssize_t n_terms)
{
    memset(row, 0, sizeof(*row));
    row->counts = PyMem_Calloc((size_t)n_terms + 1, sizeof(int32_t));
    row->cap_touched = 256;
    row->touched = PyMem_Malloc((size_t)row->cap_touched * sizeof(Py_ssize_t));
    row->values = PyMem_Malloc((size_t)row->cap_touched * sizeof(double));
    row->cap_buffer = 1024;
    row->buffer = PyMem_Malloc((size_t)row->cap_buffer * sizeof(Py_UCS4));
    row->cap_starts = 256;
    row->starts = PyMem_Malloc((size_t)row->cap_starts * sizeof(Py_ssize_t));
    if (!row->counts || !row->touched || !row->values || !row->buffer || !row->starts) {
        row_free(row);
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* Zero the counts a row left (after an error mid-row). */
static void
row_reset(Row *row)
{
    for (Py_ssize_t k = 0; k < row->n_touched; k++)
        row->counts[row->touched[k]] = 0;
    row->n_touched = 0;
}

static int
row_reserve(Row *row, Py_ssize_t n)
{
    if (n <= row->cap_buffer)
        return 0;
    Py_UCS4 *grown = PyMem_Realloc(row->buffer, (size_t)n * 2 * sizeof(Py_UCS4));
    if (!grown) {
        PyErr_NoMemory();
        return -1;
    }
    row->buffer = grown;
    row->cap_buffer = n * 2;
    return 0;
}

static int
row_add(Row *row, Py_ssize_t term)
{
    if (row->counts[term]++ > 0)
        return 0;
    if (row->n_touched == row->cap_touched) {
        Py_ssize_t cap = row->cap_touched * 2;
        Py_ssize_t *touched = PyMem_Realloc(row->touched, (size_t)cap * sizeof(Py_ssize_t));
        if (touched)
            row->touched = touched;
        double *values = PyMem_Realloc(row->values, (size_t)cap * sizeof(double));
        if (values)
            row->values = values;
        if (!touched || !values) {
            PyErr_NoMemory();
            return -1;
        }
        row->cap_touched = cap;
    }
    row->touched[row->n_touched++] = term;
    return 0;
}

/* Copy a str's code points into row->buffer at position at; its length, or -1. */
static Py_ssize_t
row_copy(Row *row, PyObject *text, Py_ssize_t at)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "expected str");
        return -1;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (row_reserve(row, at + n + 2) < 0)
        return -1;
    if (n && !PyUnicode_AsUCS4(text, row->buffer + at, row->cap_buffer - at, 0))
        return -1;
    return n;
}

/* Make room for token n_tokens and the start of the next. */
static int
row_reserve_token(Row *row, Py_ssize_t n_tokens)
{
    if (n_tokens + 2 <= row->cap_starts)
        return 0;
    Py_ssize_t cap = (n_tokens + 2) * 2;
    Py_ssize_t *grown = PyMem_Realloc(row->starts, (size_t)cap * sizeof(Py_ssize_t));
    if (!grown) {
        PyErr_NoMemory();
        return -1;
    }
    row->starts = grown;
    row->cap_starts = cap;
    return 0;
}

/* Append a token to the row's "t0 t1 t2 ... " buffer, where an n-gram of tokens
 * is one contiguous run. *n_tokens counts the tokens so far. */
static int
row_push(Row *row, const Py_UCS4 *token, Py_ssize_t n, Py_ssize_t *n_tokens)
{
    if (row_reserve_token(row, *n_tokens) < 0)
        return -1;
    Py_ssize_t at = *n_tokens ? row->starts[*n_tokens] : 0;
    if (row_reserve(row, at + n + 1) < 0)
        return -1;
    memcpy(row->buffer + at, token, (size_t)n * sizeof(Py_UCS4));
    row->buffer[at + n] = ' ';
    row->starts[*n_tokens] = at;
    row->starts[++*n_tokens] = at + n + 1; /* one past the trailing space */
    return 0;
}

/* ---- TokenMap --------------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    Strings keys;    /* tokens that change or belong to a class (hashed) */
    Strings outputs; /* what key i becomes */
    long *bits;      /* key i's classes */
    Strings cues;    /* cue tokens */
    long *needs;     /* the classes cue i needs, all of them */
} TokenMap;

static void
TokenMap_dealloc(TokenMap *self)
{
    strings_free(&self->keys);
    strings_free(&self->outputs);
    strings_free(&self->cues);
    PyMem_Free(self->bits);
    PyMem_Free(self->needs);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Read pairs (str, int) from a list into strings (through a temporary list) and bits. */
static int
read_pairs(PyObject *pairs, Strings *strings, long **bits, int hashed, const char *what)
{
    Py_ssize_t n = PyList_GET_SIZE(pairs);
    PyObject *firsts = PyList_New(n);
    if (!firsts)
        return -1;
    *bits = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(long));
    if (!*bits) {
        Py_DECREF(firsts);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyList_GET_ITEM(pairs, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            Py_DECREF(firsts);
            PyErr_Format(PyExc_TypeError, "%s: expected (str, int) pairs", what);
            return -1;
        }
        (*bits)[i] = PyLong_AsLong(PyTuple_GET_ITEM(pair, 1));
        if ((*bits)[i] == -1 && PyErr_Occurred()) {
            Py_DECREF(firsts);
            return -1;
        }
        PyObject *first = PyTuple_GET_ITEM(pair, 0);
        Py_INCREF(first);
        PyList_SET_ITEM(firsts, i, first);
    }
    int result = strings_build(strings, firsts, hashed, what);
    Py_DECREF(firsts);
    return result;
}

static int
TokenMap_init(TokenMap *self, PyObject *args, PyObject *kwds)
{
    static char *keywords[] = {"token_info", "cues", NULL};
    PyObject *token_info, *cues;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!", keywords, &PyDict_Type, &token_info,
                                     &PyList_Type, &cues))
        return -1;
    if (self->keys.chars) {
        PyErr_SetString(PyExc_RuntimeError, "TokenMap is already initialised");
        return -1;
    }
    PyObject *keys = PyDict_Keys(token_info), *values = PyDict_Values(token_info);
    int result = -1;
    if (keys && values &&
        strings_build(&self->keys, keys, 1, "tokens") == 0 &&
        read_pairs(values, &self->outputs, &self->bits, 0, "token_info values") == 0 &&
        read_pairs(cues, &self->cues, &self->needs, 0, "cues") == 0)
        result = 0;
    Py_XDECREF(keys);
    Py_XDECREF(values);
    return result;
}

/* Tokenise text as features.word_features does, into the row's token buffer:
 * tokens are runs of str.isalnum characters (re's [^\W_]); a token in the map
 * becomes its output and adds its classes; then each cue whose classes all
 * occurred is appended. Returns the number of tokens, or -1. */
static Py_ssize_t
tokenise(const TokenMap *map, Row *row, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "expected str");
        return -1;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), n_tokens = 0, i = 0;
    long present = 0;
    while (i < length) {
        while (i < length && !is_alnum(PyUnicode_READ(kind, data, i)))
            i++;
        if (i == length)
            break;
        /* Write the token where it goes, then replace it if the map has it. */
        if (row_reserve_token(row, n_tokens) < 0)
            return -1;
        Py_ssize_t at = n_tokens ? row->starts[n_tokens] : 0, n = 0;
        for (; i < length; i++, n++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (!is_alnum(c))
                break;
            if (at + n + 1 >= row->cap_buffer && row_reserve(row, at + n + 2) < 0)
                return -1;
            row->buffer[at + n] = c;
        }
        Py_ssize_t key = strings_find(&map->keys, row->buffer + at, n);
        if (key >= 0) {
            present |= map->bits[key];
            Py_ssize_t start = map->outputs.offsets[key];
            n = map->outputs.offsets[key + 1] - start;
            if (row_reserve(row, at + n + 1) < 0)
                return -1;
            memcpy(row->buffer + at, map->outputs.chars + start, (size_t)n * sizeof(Py_UCS4));
        }
        row->buffer[at + n] = ' ';
        row->starts[n_tokens] = at;
        row->starts[++n_tokens] = at + n + 1;
    }
    for (Py_ssize_t k = 0; k < map->cues.n; k++) {
        if ((present & map->needs[k]) != map->needs[k])
            continue;
        Py_ssize_t start = map->cues.offsets[k];
        if (row_push(row, map->cues.chars + start, map->cues.offsets[k + 1] - start, &n_tokens) < 0)
            return -1;
    }
    return n_tokens;
}

PyDoc_STRVAR(TokenMap_tokens_doc,
"tokens(text)\n--\n\n"
"The word tokens of a normalised paragraph, as features.word_features makes them.");

static PyObject *
TokenMap_tokens(TokenMap *self, PyObject *text)
{
    Row row;
    if (row_init(&row, 0) < 0)
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t n_tokens = tokenise(self, &row, text);
    if (n_tokens >= 0 && (result = PyList_New(n_tokens))) {
        for (Py_ssize_t k = 0; k < n_tokens; k++) {
            Py_ssize_t start = row.starts[k], end = row.starts[k + 1] - 1;
            PyObject *token =
                PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, row.buffer + start, end - start);
            if (!token) {
                Py_CLEAR(result);
                break;
            }
            PyList_SET_ITEM(result, k, token);
        }
    }
    row_free(&row);
    return result;
}

static PyMethodDef TokenMap_methods[] = {
    {"tokens", (PyCFunction)TokenMap_tokens, METH_O, TokenMap_tokens_doc},
    {NULL, NULL, 0, NULL},
};

PyDoc_STRVAR(TokenMap_doc,
"TokenMap(token_info, cues)\n--\n\n"
"features.word_features as data (see features.token_table): token_info maps a token\n"
"to (what it becomes, its class bits); cues lists (cue token, class bits it needs).");

static PyTypeObject TokenMapType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "strikeclf._tfidf.TokenMap",
    .tp_basicsize = sizeof(TokenMap),
    .tp_dealloc = (destructor)TokenMap_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = TokenMap_doc,
    .tp_methods = TokenMap_methods,
    .tp_init = (initproc)TokenMap_init,
    .tp_new = PyType_GenericNew,
};

/* ---- TermTable ------------------------------------------------------------ */

/* A short word's char_wb terms, remembered (see add_word_grams). */
#define WORD_CACHE_SLOTS 4096 /* a power of two */
#define WORD_CACHE_CHARS 24   /* padded words up to this long are cached... */
#define WORD_CACHE_TERMS 64   /* ...if they have no more terms than this */

typedef struct {
    uint64_t hash;
    int32_t length; /* of the padded word; 0: an empty entry */
    int32_t n_terms;
    Py_UCS4 word[WORD_CACHE_CHARS];
    int32_t terms[WORD_CACHE_TERMS];
} CachedWord;

typedef struct {
    PyObject_HEAD
    Strings terms;
    Py_ssize_t n_classes;
    int sublinear;
    double *weights;         /* per term: idf, then its n_classes coefficients */
    Row row;                 /* reused by every call: zeroing the counts per call is slow */
    int busy;                /* row in use (by another thread, without the GIL) */
    CachedWord *word_cache;  /* WORD_CACHE_SLOTS entries, made on first use */
    Py_ssize_t cache_low, cache_high; /* the n-gram range the cached terms are for */
} TermTable;

static void
TermTable_dealloc(TermTable *self)
{
    strings_free(&self->terms);
    PyMem_Free(self->weights);
    row_free(&self->row);
    PyMem_Free(self->word_cache);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* The float64 values of a C-contiguous buffer of count values, copied. */
static double *
read_doubles(PyObject *source, Py_ssize_t count, const char *name)
{
    Py_buffer view;
    if (PyObject_GetBuffer(source, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return NULL;
    double *values = NULL;
    if (view.format && strcmp(view.format, "d") == 0 &&
        view.len == count * (Py_ssize_t)sizeof(double)) {
        values = PyMem_Malloc((size_t)(count ? count : 1) * sizeof(double));
        if (values)
            memcpy(values, view.buf, (size_t)count * sizeof(double));
        else
            PyErr_NoMemory();
    }
    else {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd contiguous float64 values", name, count);
    }
    PyBuffer_Release(&view);
    return values;
}

static int
TermTable_init(TermTable *self, PyObject *args, PyObject *kwds)
{
    static char *keywords[] = {"terms", "idf", "coef", "sublinear", NULL};
    PyObject *terms, *idf, *coef;
    int sublinear;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!OOp", keywords, &PyList_Type, &terms, &idf,
                                     &coef, &sublinear))
        return -1;
    if (self->weights) {
        PyErr_SetString(PyExc_RuntimeError, "TermTable is already initialised");
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(terms);
    Py_buffer view;
    if (PyObject_GetBuffer(coef, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_ND) < 0)
        return -1;
    Py_ssize_t n_classes = view.ndim == 2 ? view.shape[1] : -1;
    int shape_ok = view.ndim == 2 && view.shape[0] == n && n_classes >= 1;
    PyBuffer_Release(&view);
    if (!shape_ok) {
        PyErr_SetString(PyExc_ValueError, "coef: expected shape (len(terms), n_classes)");
        return -1;
    }
    double *idf_values = read_doubles(idf, n, "idf");
    double *coef_values = idf_values ? read_doubles(coef, n * n_classes, "coef") : NULL;
    if (coef_values) /* idf and coefficients of a term side by side: one cache line */
        self->weights = PyMem_Malloc((size_t)(n ? n : 1) * (size_t)(n_classes + 1) * sizeof(double));
    if (self->weights) {
        for (Py_ssize_t i = 0; i < n; i++) {
            double *w = self->weights + i * (n_classes + 1);
            w[0] = idf_values[i];
            memcpy(w + 1, coef_values + i * n_classes, (size_t)n_classes * sizeof(double));
        }
    }
    else if (coef_values) {
        PyErr_NoMemory();
    }
    PyMem_Free(idf_values);
    PyMem_Free(coef_values);
    if (!self->weights)
        return -1;
    self->n_classes = n_classes;
    self->sublinear = sublinear;
    if (row_init(&self->row, n) < 0)
        return -1;
    return strings_build(&self->terms, terms, 1, "terms");
}

/* The table's scratch row, or a new one if it is in use. */
static Row *
acquire_row(TermTable *self)
{
    if (!self->busy) {
        self->busy = 1;
        return &self->row;
    }
    Row *row = PyMem_Malloc(sizeof(Row));
    if (!row) {
        PyErr_NoMemory();
        return NULL;
    }
    if (row_init(row, self->terms.n) < 0) {
        PyMem_Free(row);
        return NULL;
    }
    return row;
}

static void
release_row(TermTable *self, Row *row)
{
    row_reset(row);
    if (row == &self->row) {
        self->busy = 0;
        return;
    }
    row_free(row);
    PyMem_Free(row);
}

/* Add the row's linear scores (L2-normalised TF-IDF . coef) to out, and reset it. */
static void
row_finish(const TermTable *t, Row *row, double *out)
{
    Py_ssize_t stride = t->n_classes + 1;
    double sum_squares = 0.0;
    for (Py_ssize_t k = 0; k < row->n_touched; k++) {
        Py_ssize_t term = row->touched[k];
        double count = (double)row->counts[term];
        double tf = t->sublinear ? log(count) + 1.0 : count;
        double value = tf * t->weights[term * stride];
        row->values[k] = value;
        sum_squares += value * value;
    }
    if (sum_squares > 0.0) {
        double norm = sqrt(sum_squares);
        for (Py_ssize_t k = 0; k < row->n_touched; k++) {
            double weight = row->values[k] / norm;
            const double *c = t->weights + row->touched[k] * stride + 1;
            for (Py_ssize_t j = 0; j < t->n_classes; j++)
                out[j] += c[j] * weight;
        }
    }
    row_reset(row);
}

/* Add to row the terms among the char_wb n-grams of one padded word.
 *
 * scikit-learn takes, for n = low..high, every n-gram of the padded word,
 * stopping after the first n >= its length (a short word once, whole): that is
 * the word itself if it is no longer than low, else every substring of
 * low..min(high, length) code points. Taken here by start, so that each
 * start's grams extend one hash. If store is given, the terms found are also
 * written there (up to WORD_CACHE_TERMS; *n_stored = -1 if more). */
static int
word_grams(const TermTable *self, Row *row, const Py_UCS4 *word, Py_ssize_t padded,
           Py_ssize_t low, Py_ssize_t high, int32_t *store, Py_ssize_t *n_stored)
{
    for (Py_ssize_t offset = 0; offset == 0 || offset + low <= padded; offset++) {
        uint64_t h = FNV_START;
        Py_ssize_t n = 0;
        Py_ssize_t shortest = padded <= low ? padded : low;
        for (; n < shortest - 1; n++)
            h = fnv_step(h, word[offset + n]);
        for (; n < high && offset + n < padded; n++) {
            h = fnv_step(h, word[offset + n]);
            if (n + 1 < shortest)
                continue;
            Py_ssize_t term = strings_find_hashed(&self->terms, word + offset, n + 1, fnv_finish(h));
            if (term < 0)
                continue;
            if (row_add(row, term) < 0)
                return -1;
            if (store && *n_stored >= 0) {
                if (*n_stored == WORD_CACHE_TERMS)
                    *n_stored = -1;
                else
                    store[(*n_stored)++] = (int32_t)term;
            }
        }
        if (padded <= low)
            break;
    }
    return 0;
}

/* word_grams through the table's word cache: the terms of a short word are
 * remembered, so a frequent word ("the", "drone") costs one look-up. */
static int
add_word_grams(TermTable *self, Row *row, const Py_UCS4 *word, Py_ssize_t padded,
               Py_ssize_t low, Py_ssize_t high)
{
    /* Only a call holding the table's own row uses the cache (see acquire_row). */
    if (padded > WORD_CACHE_CHARS || row != &self->row)
        return word_grams(self, row, word, padded, low, high, NULL, NULL);
    if (!self->word_cache) {
        self->word_cache = PyMem_Calloc(WORD_CACHE_SLOTS, sizeof(CachedWord));
        if (!self->word_cache) {
            PyErr_NoMemory();
            return -1;
        }
    }
    if (self->cache_low != low || self->cache_high != high) { /* another n-gram range */
        memset(self->word_cache, 0, WORD_CACHE_SLOTS * sizeof(CachedWord));
        self->cache_low = low;
        self->cache_high = high;
    }
    uint64_t h = hash_codepoints(word, padded);
    CachedWord *entry = &self->word_cache[h & (WORD_CACHE_SLOTS - 1)];
    if (entry->length == padded && entry->hash == h &&
        memcmp(entry->word, word, (size_t)padded * sizeof(Py_UCS4)) == 0) {
        for (int32_t k = 0; k < entry->n_terms; k++)
            if (row_add(row, entry->terms[k]) < 0)
                return -1;
        return 0;
    }
    int32_t terms[WORD_CACHE_TERMS];
    Py_ssize_t n_terms = 0;
    if (word_grams(self, row, word, padded, low, high, terms, &n_terms) < 0)
        return -1;
    if (n_terms >= 0) {
        entry->hash = h;
        entry->length = (int32_t)padded;
        entry->n_terms = (int32_t)n_terms;
        memcpy(entry->word, word, (size_t)padded * sizeof(Py_UCS4));
        memcpy(entry->terms, terms, (size_t)n_terms * sizeof(int32_t));
    }
    return 0;
}

/* Add to row the terms among the low..high-grams of the row's n_tokens tokens. */
static int
add_ngrams(const TermTable *self, Row *row, Py_ssize_t n_tokens, Py_ssize_t low, Py_ssize_t high)
{
    for (Py_ssize_t n = low; n <= high; n++) {
        for (Py_ssize_t k = 0; k + n <= n_tokens; k++) {
            Py_ssize_t start = row->starts[k], end = row->starts[k + n] - 1;
            Py_ssize_t term = strings_find(&self->terms, row->buffer + start, end - start);
            if (term >= 0 && row_add(row, term) < 0)
                return -1;
        }
    }
    return 0;
}

/* What one row of a scoring call adds to the row: 0, or -1 with an exception set. */
typedef int (*RowFeatures)(TermTable *self, Row *row, PyObject *item, PyObject *context,
                           Py_ssize_t low, Py_ssize_t high);

static int
char_wb_row(TermTable *self, Row *row, PyObject *text, PyObject *Py_UNUSED(context),
            Py_ssize_t low, Py_ssize_t high)
{
    /* The text goes to buffer[1:], leaving room to pad each word in place. */
    Py_ssize_t length = row_copy(row, text, 1);
    if (length < 0)
        return -1;
    Py_UCS4 *chars = row->buffer + 1;
    Py_ssize_t i = 0;
    while (i < length) {
        while (i < length && Py_UNICODE_ISSPACE(chars[i]))
            i++;
        if (i == length)
            break;
        Py_ssize_t start = i;
        while (i < length && !Py_UNICODE_ISSPACE(chars[i]))
            i++;
        /* Pad the word with spaces where its neighbours are, then put them back. */
        Py_UCS4 before = chars[start - 1], after = chars[i];
        chars[start - 1] = ' ';
        chars[i] = ' ';
        int failed = add_word_grams(self, row, chars + start - 1, i - start + 2, low, high) < 0;
        chars[start - 1] = before;
        chars[i] = after;
        if (failed)
            return -1;
    }
    return 0;
}

static int
word_row(TermTable *self, Row *row, PyObject *text, PyObject *token_map, Py_ssize_t low,
         Py_ssize_t high)
{
    Py_ssize_t n_tokens = tokenise((TokenMap *)token_map, row, text);
    return n_tokens < 0 ? -1 : add_ngrams(self, row, n_tokens, low, high);
}

/* out[i] += the linear scores of items[i]'s TF-IDF row, features by row_features. */
static PyObject *
score_rows(TermTable *self, PyObject *items, PyObject *context, Py_ssize_t low, Py_ssize_t high,
           PyObject *out, RowFeatures row_features)
{
    if (low < 1 || high < low) {
        PyErr_SetString(PyExc_ValueError, "expected 1 <= low <= high");
        return NULL;
    }
    Py_ssize_t n_rows = PyList_GET_SIZE(items);
    Py_buffer view;
    if (PyObject_GetBuffer(out, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0)
        return NULL;
    if (!view.format || strcmp(view.format, "d") != 0 ||
        view.len != n_rows * self->n_classes * (Py_ssize_t)sizeof(double)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError,
                        "out: expected a writable C-contiguous float64 array (rows, n_classes)");
        return NULL;
    }
    Row *row = acquire_row(self);
    int failed = row == NULL;
    for (Py_ssize_t r = 0; r < n_rows && !failed; r++) {
        failed = row_features(self, row, PyList_GET_ITEM(items, r), context, low, high) < 0;
        if (!failed)
            row_finish(self, row, (double *)view.buf + r * self->n_classes);
    }
    if (row)
        release_row(self, row);
    PyBuffer_Release(&view);
    if (failed)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(char_wb_scores_doc,
"char_wb_scores(texts, low, high, out)\n--\n\n"
"Add to out[i] the linear scores of texts[i]'s char_wb low..high-gram TF-IDF row.");

static PyObject *
TermTable_char_wb_scores(TermTable *self, PyObject *args)
{
    PyObject *texts, *out;
    Py_ssize_t low, high;
    if (!PyArg_ParseTuple(args, "O!nnO", &PyList_Type, &texts, &low, &high, &out))
        return NULL;
    return score_rows(self, texts, NULL, low, high, out, char_wb_row);
}

PyDoc_STRVAR(word_scores_doc,
"word_scores(texts, token_map, low, high, out)\n--\n\n"
"Add to out[i] the linear scores of the TF-IDF row of the low..high-grams (joined by\n"
"one space) of texts[i]'s word tokens, as token_map.tokens(text) gives them.");

static PyObject *
TermTable_word_scores(TermTable *self, PyObject *args)
{
    PyObject *texts, *token_map, *out;
    Py_ssize_t low, high;
    if (!PyArg_ParseTuple(args, "O!O!nnO", &PyList_Type, &texts, &TokenMapType, &token_map, &low,
                          &high, &out))
        return NULL;
    return score_rows(self, texts, token_map, low, high, out, word_row);
}

static PyMethodDef TermTable_methods[] = {
    {"char_wb_scores", (PyCFunction)TermTable_char_wb_scores, METH_VARARGS, char_wb_scores_doc},
    {"word_scores", (PyCFunction)TermTable_word_scores, METH_VARARGS, word_scores_doc},
    {NULL, NULL, 0, NULL},
};

static Py_ssize_t
TermTable_length(TermTable *self)
{
    return self->terms.n;
}

static PySequenceMethods TermTable_as_sequence = {
    .sq_length = (lenfunc)TermTable_length,
};

PyDoc_STRVAR(TermTable_doc,
"TermTable(terms, idf, coef, sublinear)\n--\n\n"
"A TF-IDF vocabulary with its IDF and (n_terms, n_classes) coefficients, for scoring.");

static PyTypeObject TermTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "strikeclf._tfidf.TermTable",
    .tp_basicsize = sizeof(TermTable),
    .tp_dealloc = (destructor)TermTable_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = TermTable_doc,
    .tp_methods = TermTable_methods,
    .tp_as_sequence = &TermTable_as_sequence,
    .tp_init = (initproc)TermTable_init,
    .tp_new = PyType_GenericNew,
};

/* ---- module ---------------------------------------------------------------- */

static struct PyModuleDef tfidf_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "strikeclf._tfidf",
    .m_doc = "Optional C speed-ups for strikeclf's TF-IDF scores (see strikeclf.speedups).",
    .m_size = -1,
};

static int
add_type(PyObject *module, PyTypeObject *type, const char *name)
{
    if (PyType_Ready(type) < 0)
        return -1;
    Py_INCREF(type);
    if (PyModule_AddObject(module, name, (PyObject *)type) < 0) {
        Py_DECREF(type);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC
PyInit__tfidf(void)
{
    PyObject *module = PyModule_Create(&tfidf_module);
    if (!module)
        return NULL;
    if (add_type(module, &TermTableType, "TermTable") < 0 ||
        add_type(module, &TokenMapType, "TokenMap") < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
