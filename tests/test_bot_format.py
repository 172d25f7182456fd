"""Exact strings of the Telegram messages."""

from datetime import datetime, timezone

from bot import format as fmt
from index.records import IndexStatus, SourceCount
from retrieval.records import Answer, Citation, Hit, Query

UTC = timezone.utc
PASSAGE = ("Officials gave no casualty figures. According to the ministry, Rovno came under Russian control. "
           "The claim could not be verified.")
ROVNO = Citation("kl-1", "Russia claims <two> villages", "https://kl.example/a?x=1&y=2", "Kyiv & Ledger",
                 datetime(2024, 12, 7, 8, 40, tzinfo=UTC))


def hit(rank=1, passage=PASSAGE, citation=ROVNO, also=()):
    start = passage.index("According")
    end = passage.index("control.") + len("control.")
    return Hit(rank, 0.9, rank, citation, passage, passage[start:end], start, end, also)


def answer(*hits, offset=0, question="what was reported about Rovno?"):
    return Answer(Query(question, question, ("rovno",), topic="Rovno"), tuple(hits), 1, offset, False)


def test_an_answer_is_escaped_bold_on_the_sentence_and_cited():
    html, shown = fmt.answer_message(answer(hit()))
    assert shown == 1
    assert html == (
        "<b>1 report on Rovno</b>, best match first\n\n"
        "Officials gave no casualty figures. <b>According to the ministry, Rovno came under Russian control.</b> "
        "The claim could not be verified.\n"
        '<b>[1]</b> <a href="https://kl.example/a?x=1&amp;y=2">Russia claims &lt;two&gt; villages</a> — '
        "Kyiv &amp; Ledger, 7 Dec 2024")


def test_no_url_cites_the_id_and_duplicates_are_listed():
    bare = Citation("seed/kupyansk.txt", "Untitled <draft>", None, None, None)
    other = Citation("pbd-1", "Same story", "https://pbd.example/1", "Pacific Business Daily", None)
    html, _ = fmt.answer_message(answer(hit(citation=bare, also=(other,))))
    assert html.splitlines()[-2:] == [
        "<b>[1]</b> Untitled &lt;draft&gt; — unknown outlet, undated, id <code>seed/kupyansk.txt</code>",
        'Also reported by <a href="https://pbd.example/1">Pacific Business Daily</a>']


def test_a_later_page_says_which_reports_it_shows():
    html, _ = fmt.answer_message(answer(hit(rank=4), hit(rank=5), offset=3))
    assert html.splitlines()[0] == "<b>Reports 4–5 on Rovno</b>, best match first"


def test_markup_in_the_question_is_escaped():
    q = Query("<b>x</b> & `y`", "<b>x</b> & `y`", ("b", "x", "y"), topic="<b>x</b> & `y`")
    empty = Answer(q, (), 1)
    assert fmt.answer_message(empty) == (
        "Nothing in the archive matches <b>&lt;b&gt;x&lt;/b&gt; &amp; `y`</b>. "
        "Try fewer words, another spelling, or a broader topic.", 0)


def test_too_many_long_passages_drop_whole_entries_to_fit_4096():
    long_passage = ("Filler sentence with the letter é and emoji 🙂 in it. " * 12 + "According to the ministry, Rovno "
                    "came under Russian control. " + "Trailing words follow here. " * 12)
    hits = [hit(rank=i, passage=long_passage) for i in range(1, 21)]
    html, shown = fmt.answer_message(answer(*hits))
    assert fmt.utf16_len(html) <= 4096
    assert 1 < shown < 20
    assert html.count("<b>[") == shown and html.count("<b>") == html.count("</b>")
    assert html.splitlines()[0] == f"<b>{shown} reports on Rovno</b>, best match first"


def test_utf16_length_counts_emoji_twice():
    assert fmt.utf16_len("a🙂é") == 4


def test_a_long_article_is_split_between_paragraphs_into_numbered_parts():
    body = "\n\n".join(f"Paragraph {i} " + "word & more " * 60 for i in range(12))
    parts = fmt.article_parts("Title", body, ROVNO)
    assert len(parts) == 3
    assert parts[0].startswith('<b>Title</b>\n<a href="https://kl.example/a?x=1&amp;y=2">')
    assert [p.rsplit("\n", 1)[1] for p in parts] == ["<i>(1/3)</i>", "<i>(2/3)</i>", "<i>(3/3)</i>"]
    assert all(fmt.utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts).count("&amp;") == 12 * 60 + 2  # every & of the body, and two in the citation


def test_a_short_article_is_one_message_without_part_numbers():
    assert fmt.article_parts("T", "One paragraph.", ROVNO) == [
        '<b>T</b>\n<a href="https://kl.example/a?x=1&amp;y=2">Russia claims &lt;two&gt; villages</a> — '
        "Kyiv &amp; Ledger, 7 Dec 2024\n\nOne paragraph."]


def test_inline_snippet():
    assert fmt.inline_snippet(hit()) == (
        "<b>According to the ministry, Rovno came under Russian control.</b>\n— "
        '<a href="https://kl.example/a?x=1&amp;y=2">Russia claims &lt;two&gt; villages</a> — Kyiv &amp; Ledger, 7 Dec 2024')


def test_sources_and_status():
    status = IndexStatus(
        generation=3, articles=37, passages=80, model="m", dimension=384, index_type="IDMap2,Flat", size_bytes=1,
        last_update=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
        sources=(SourceCount("Kyiv Ledger", 4, datetime(2024, 9, 14, tzinfo=UTC), datetime(2025, 1, 12, tzinfo=UTC)),
                 SourceCount("", 1, None, None)),
        first_published=datetime(2024, 9, 14, tzinfo=UTC), last_published=datetime(2025, 1, 12, tzinfo=UTC))
    assert fmt.sources_message(status) == (
        "<b>37 articles from 1 outlets</b>\n• Kyiv Ledger: 4 (14 Sep 2024 – 12 Jan 2025)\n• unknown outlet: 1 (undated)")
    assert fmt.status_message(status) == (
        "<b>Archive status</b>\nArticles: 37\nPassages: 80\nDates: 14 Sep 2024 – 12 Jan 2025\n"
        "Last reindex: 25 Nov 2026 03:00 UTC")
