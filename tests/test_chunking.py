from index.chunking import chunk, sentence_spans

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
