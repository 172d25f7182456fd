import json
import re

import blingfire
import pytest

from index.chunking import chunk, sentence_spans
from tests.support import REUTERS

BODY = ("Kucherkovka was taken on the morning of December 7. Rovno followed later that day. "
        "Officials praised the units.\n\nA second paragraph “with quotes” and Belousov’s words. It ends here.")


def test_sentences_and_paragraphs_have_exact_offsets_even_after_non_ascii_text():
    spans = sentence_spans(BODY)
    assert [BODY[s:e] for s, e in spans] == [
        "Kucherkovka was taken on the morning of December 7.",
        "Rovno followed later that day.",
        "Officials praised the units.",
        "A second paragraph “with quotes” and Belousov’s words.",
        "It ends here.",
    ]


def test_a_short_body_is_one_passage_covering_it_all():
    passages = chunk(BODY, max_chars=1000)
    assert len(passages) == 1
    assert (passages[0].start, passages[0].end, passages[0].text) == (0, len(BODY), BODY)


def test_passages_fit_the_limit_break_on_sentences_and_overlap_by_one_sentence():
    passages = chunk(BODY, max_chars=100, overlap_sentences=1)
    assert [p.text for p in passages] == [
        "Kucherkovka was taken on the morning of December 7. Rovno followed later that day.",
        "Rovno followed later that day. Officials praised the units.",
        "Officials praised the units.\n\nA second paragraph “with quotes” and Belousov’s words. It ends here.",
    ]
    assert all(BODY[p.start:p.end] == p.text and len(p.text) <= 100 for p in passages)
    assert [p.seq for p in passages] == [0, 1, 2]


def test_a_sentence_longer_than_the_limit_is_cut_at_words():
    body = " ".join(f"w{i:03d}" for i in range(100)) + "."
    passages = chunk(body, max_chars=200)
    assert all(len(p.text) <= 200 for p in passages)
    assert " ".join(p.text for p in passages) == body
    assert passages[0].text.endswith("w039")


def _blingfire_spans(text: str) -> list[tuple[int, int]]:
    """The spans as blingfire's own offsets call gives them (what sentence_spans read before it located
    the plain call's sentences instead)."""
    spans = []
    for paragraph in re.finditer(r"[^\n]+", text):
        spans.extend((paragraph.start() + s, paragraph.start() + e)
                     for s, e in blingfire.text_to_sentences_and_offsets(paragraph.group())[1] if e > s)
    return spans


@pytest.mark.parametrize("text", [
    BODY, "Ціни на нафту зросли в понеділок. Нафта подешевшала? Так — на 5%.\nЦены на нефть выросли. «Газпром» "
    "заявил: «нет»! Emoji 😀 end… Next.", "Café au lait. Naïve résumé… Über alles! 東京で会議。次の文。",
    "A line.\n      \nAfter a blank line.", "Zero-width spaces.\n\n\u200b\u200b\u200b\n\nIowa has two cases.",
    "U.S. officials said Mr. Smith left at 5 p.m. Friday. He did.", "", "   ", "a"])
def test_sentence_spans_are_blingfires_own_offsets(text):
    assert sentence_spans(text) == _blingfire_spans(text)


def test_sentence_spans_are_blingfires_own_offsets_on_reuters_articles():
    if not REUTERS.exists():
        pytest.skip(f"the Reuters archive is not at {REUTERS} (../shared/data is absent)")
    bodies = [json.loads(line)["body"] for line in REUTERS.read_text().splitlines()[:3000]]
    assert [b for b in bodies if sentence_spans(b) != _blingfire_spans(b)] == []
