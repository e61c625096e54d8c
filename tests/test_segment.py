"""Unit tests: one paragraph per non-empty line, line numbers kept."""

from strikeclf.segment import Paragraph, clean_line, iter_paragraphs, split_paragraphs


def test_one_paragraph_per_non_empty_line_with_line_numbers():
    text = "Skip to content\n\nExplosions were heard.\nSubscribe\n"
    assert split_paragraphs(text) == [
        Paragraph(1, "Skip to content"),
        Paragraph(3, "Explosions were heard."),
        Paragraph(4, "Subscribe"),
    ]


def test_crlf_and_lone_cr_are_line_breaks():
    assert split_paragraphs("a\r\nb\rc\n\rd") == [
        Paragraph(1, "a"),
        Paragraph(2, "b"),
        Paragraph(3, "c"),
        Paragraph(5, "d"),
    ]


def test_bom_tabs_nbsp_and_zero_width_are_stripped_at_the_ends():
    text = "\ufeffFirst\n\t \u00a0Second\u200b \n\u200b\u200c\n\u2060\t"
    assert split_paragraphs(text) == [Paragraph(1, "First"), Paragraph(2, "Second")]


def test_inner_text_is_kept_exactly():
    line = "Governor  said\u00a0\u201cno casualties\u201d\tlater"
    assert split_paragraphs(line) == [Paragraph(1, line)]


def test_form_feed_and_unicode_line_separator_do_not_split_lines():
    # Only \n, \r\n and \r break lines, as in editors and `wc -l`.
    assert split_paragraphs("a\x0cb\u2028c\nd") == [
        Paragraph(1, "a\x0cb\u2028c"),
        Paragraph(2, "d"),
    ]


def test_empty_and_blank_inputs_give_no_paragraphs():
    assert split_paragraphs("") == []
    assert split_paragraphs("\n \n\t\r\n\u00a0") == []


def test_iter_paragraphs_matches_split_on_file_lines():
    lines = ["Alpha\n", "\n", "  Beta  \r\n"]
    assert list(iter_paragraphs(lines)) == [Paragraph(1, "Alpha"), Paragraph(3, "Beta")]
    assert list(iter_paragraphs(["x"], first_line=41)) == [Paragraph(41, "x")]


def test_clean_line():
    assert clean_line(" \u200b text \u00a0") == "text"
