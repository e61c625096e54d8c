/*
 * str.isalpha, isdecimal, isdigit, isupper and isalnum of one code point, for
 * strikeclf's C extensions. The ASCII answers are inline: CPython's own
 * Py_UNICODE_IS* macros call a function for every character, and most text
 * strikeclf reads is ASCII. Other code points get CPython's answer, so the
 * results are Python's exactly.
 */
#ifndef STRIKECLF_CHARCLASS_H
#define STRIKECLF_CHARCLASS_H

#include <Python.h>

static inline int
is_alpha(Py_UCS4 c)
{
    return c < 128 ? ((c | 32) - 'a') < 26u : Py_UNICODE_ISALPHA(c) != 0;
}

static inline int
is_decimal(Py_UCS4 c)
{
    return c < 128 ? (c - '0') < 10u : Py_UNICODE_ISDECIMAL(c) != 0;
}

static inline int
is_digit(Py_UCS4 c)
{
    return c < 128 ? (c - '0') < 10u : Py_UNICODE_ISDIGIT(c) != 0;
}

static inline int
is_upper(Py_UCS4 c)
{
    return c < 128 ? (c - 'A') < 26u : Py_UNICODE_ISUPPER(c) != 0;
}

/* re's \w without the underscore, which is exactly str.isalnum. */
static inline int
is_alnum(Py_UCS4 c)
{
    return c < 128 ? is_alpha(c) || is_decimal(c) : Py_UNICODE_ISALNUM(c) != 0;
}

#endif
