"""Exact strings of the Telegram messages (bot.render)."""

import ast
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import bot.handlers
from bot import buttons, i18n
from bot.render import answers, archive, articles, markup, snippets, stories
from bot.state import BotState
from retrieval.records import Answer, Citation, Disagreement, Filters, Hit, Query, Report, Stated, Story
from index.records import IndexStatus, SourceCount
from tests.botapi import parse_html

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


def test_an_answer_leads_with_the_bold_sentence_and_its_citation_the_passage_in_an_expandable_quote():
    html, shown = answers.answer_message(answer(hit()))
    assert shown == [hit()]
    assert html == (
        "<i>1 report on Rovno</i>\n"
        "<b>According to the ministry, Rovno came under Russian control.</b>\n"
        '<b>[1]</b> <a href="https://kl.example/a?x=1&amp;y=2">Kyiv &amp; Ledger</a> · 7 Dec 2024\n'
        "<blockquote expandable><i>Russia claims &lt;two&gt; villages</i>\n"
        "Officials gave no casualty figures. <b>According to the ministry, Rovno came under "
        "Russian control.</b> The claim could not be verified.</blockquote>")
    parse_html(html)  # Telegram's parser takes it


def test_the_copy_button_quote_starts_with_the_sentence_and_ends_with_the_link():
    assert snippets.quote(hit()) == ("“According to the ministry, Rovno came under Russian control.” — "
                                "Kyiv & Ledger, 7 Dec 2024, https://kl.example/a?x=1&y=2")
    long = hit(passage="Officials said. According to the ministry, " + "Rovno and more words " * 40 + "control.")
    quoted = snippets.quote(long)
    assert markup.utf16_len(quoted) <= 256
    assert quoted.startswith("“According to the ministry, Rovno") and quoted.endswith("…” — Kyiv & Ledger, 7 Dec 2024, "
                                                                                      "https://kl.example/a?x=1&y=2")
    no_link = hit(citation=replace(ROVNO, url="javascript:alert(1)"))
    assert snippets.quote(no_link).endswith("— Kyiv & Ledger, 7 Dec 2024, Russia claims <two> villages")
    from_file = hit(citation=replace(ROVNO, url=None, article_id="../shared/data/seed/kupyansk-rovno.txt"))
    assert snippets.quote(from_file).endswith("— Kyiv & Ledger, 7 Dec 2024, Russia claims <two> villages "
                                         "(file kupyansk-rovno.txt)")
    from_record = hit(citation=replace(ROVNO, url=None, source=None, published_at=None, article_id="x1"))
    assert snippets.quote(from_record).endswith("” — unknown outlet, undated, Russia claims <two> villages (id x1)")
    huge_link = hit(citation=replace(ROVNO, url="https://kl.example/" + "a" * 3000))
    assert markup.utf16_len(snippets.quote(huge_link)) <= 256 and snippets.quote(huge_link).endswith("Russia claims <two> villages")


def test_the_link_preview_is_the_first_results_article_or_off():
    assert snippets.preview([hit()], "below") == {"is_disabled": False, "url": "https://kl.example/a?x=1&y=2", "prefer_small_media": True,
                                             "show_above_text": False}
    assert snippets.preview([hit()], "above")["show_above_text"] is True
    assert snippets.preview([hit()], "off") == {"is_disabled": True}
    assert snippets.preview([hit(citation=replace(ROVNO, url=None))], "below") == {"is_disabled": True}
    assert snippets.preview([], "below") == {"is_disabled": True}


def test_a_question_naming_several_outlets_gets_one_section_per_outlet_in_the_order_named():
    def cited(rank, outlet):
        return hit(rank=rank, citation=replace(ROVNO, article_id=f"a{rank}", source=outlet))
    hits = (cited(1, "Harbor Tribune"), cited(2, "Northern Wire"), cited(3, "Kyiv Ledger"))
    named = Filters(outlets=(("Kyiv Ledger",), ("Danube Post",), ("Harbor Tribune",)))
    q = Query("q", "q", ("rovno",), filters=named, topic="Rovno")
    html, shown = answers.answer_message(Answer(q, hits, 1, 0, False))
    assert [h.rank for h in shown] == [3, 1, 2]
    blocks = html.split("\n\n")
    assert blocks[0].startswith("<i>3 reports on Rovno, by outlet as asked</i>\n▸ <b>Kyiv Ledger</b>\n<b>According")
    assert "<b>[3]</b>" in blocks[0]
    assert blocks[1] == "▸ <b>Danube Post</b>: nothing among the best matches."
    assert blocks[2].startswith("▸ <b>Harbor Tribune</b>\n") and "<b>[1]</b>" in blocks[2]
    assert blocks[3].startswith("▸ <b>Other reports</b>\n") and "<b>[2]</b>" in blocks[3]
    # a later page is in the ranking's order again
    later, _ = answers.answer_message(Answer(q, hits, 1, 3, False))
    assert later.startswith("<i>Reports 4–6 on Rovno</i>\n")


def test_stated_filters_that_left_nothing_are_said_first():
    relaxed = Answer(Query("q", "q", ("rovno",), topic="Rovno"), (hit(),), 1, 0, False,
                     relaxed=Filters(sources=("Danube Post",)))
    html, _ = answers.answer_message(relaxed)
    assert html.startswith("Nothing from Danube Post on Rovno; <b>the closest reports</b> without that filter:\n<b>")


def test_no_handler_builds_html():
    """Handlers send what bot.render built: no HTML tags in their string literals, no escaping; nor do
    the modules outside bot.handlers that they share."""
    folder = Path(bot.handlers.__file__).parent
    modules = sorted(folder.glob("*.py"))
    assert {m.stem for m in modules} >= {"access", "asking", "article", "inline", "follows", "feedback", "info",
                                         "error_handler", "language"}
    modules += [folder.parent / f"{name}.py" for name in ("admission", "sending", "reply_votes")]
    for module in modules:
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):  # f-strings' parts too
                assert not re.search(r"</?[a-z]+[ >]|&[a-z]+;", node.value), (module.name, node.value)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert "html" not in names, f"{module.name} escapes text itself"


def test_no_url_cites_the_id_and_duplicates_are_listed():
    bare = Citation("seed/kupyansk.txt", "Untitled <draft>", None, None, None)
    other = Citation("pbd-1", "Same story", "https://pbd.example/1", "Pacific Business Daily", None)
    html, _ = answers.answer_message(answer(hit(citation=bare, also=(other,))))
    assert html.splitlines()[2:5] == [
        "<b>[1]</b> unknown outlet · undated · id <code>seed/kupyansk.txt</code>",
        "<blockquote expandable><i>Untitled &lt;draft&gt;</i>",
        'Also reported by <a href="https://pbd.example/1">Pacific Business Daily</a>']


def test_a_later_page_says_which_reports_it_shows():
    html, _ = answers.answer_message(answer(hit(rank=4), hit(rank=5), offset=3))
    assert html.splitlines()[0] == "<i>Reports 4–5 on Rovno</i>"


def test_markup_in_the_question_is_escaped():
    q = Query("<b>x</b> & `y`", "<b>x</b> & `y`", ("b", "x", "y"), topic="<b>x</b> & `y`")
    empty = Answer(q, (), 1)
    assert answers.answer_message(empty) == (
        "Nothing in the archive matches <b>&lt;b&gt;x&lt;/b&gt; &amp; `y`</b>. "
        "Try fewer words, another spelling, or a broader topic.", [])


def test_too_many_long_passages_drop_whole_entries_to_fit_4096():
    long_passage = ("Filler sentence with the letter é and emoji 🙂 in it. " * 12 + "According to the ministry, Rovno "
                    "came under Russian control. " + "Trailing words follow here. " * 12)
    hits = [hit(rank=i, passage=long_passage) for i in range(1, 21)]
    html, shown = answers.answer_message(answer(*hits))
    assert markup.utf16_len(html) <= 4096
    assert shown == hits[:len(shown)] and 1 < len(shown) < 20
    assert html.count("<b>[") == len(shown) and html.count("<b>") == html.count("</b>")
    assert html.count("<blockquote expandable>") == html.count("</blockquote>") == len(shown)
    assert html.splitlines()[0] == f"<i>{len(shown)} reports on Rovno</i>"
    assert len(parse_html(html)) <= 4096  # whole entries dropped: every tag and &entity; whole


def test_one_huge_passage_alone_is_tightened_never_cut_inside_an_entity():
    huge = "&<> " * 3000 + "According to the ministry, Rovno came under Russian control. " + "<&> " * 3000
    html, shown = answers.answer_message(answer(hit(passage=huge)))
    assert len(shown) == 1 and markup.utf16_len(html) <= 4096
    parse_html(html)
    assert "According to the ministry" in html


def test_utf16_length_counts_emoji_twice():
    assert markup.utf16_len("a🙂é") == 4


def test_a_long_article_is_split_between_paragraphs_into_numbered_parts():
    body = "\n\n".join(f"Paragraph {i} " + "word & more " * 60 for i in range(12))
    parts = articles.article_parts("Title", body, ROVNO)
    assert len(parts) == 3
    assert parts[0].startswith('<b>Title</b>\n<a href="https://kl.example/a?x=1&amp;y=2">')
    assert [p.rsplit("\n", 1)[1] for p in parts] == ["<i>(1/3)</i>", "<i>(2/3)</i>", "<i>(3/3)</i>"]
    assert all(markup.utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts).count("&amp;") == 12 * 60 + 2  # every & of the body, and two in the citation


def test_a_short_article_is_one_message_without_part_numbers():
    assert articles.article_parts("T", "One paragraph.", ROVNO) == [
        '<b>T</b>\n<a href="https://kl.example/a?x=1&amp;y=2">Russia claims &lt;two&gt; villages</a> — '
        "Kyiv &amp; Ledger, 7 Dec 2024\n\nOne paragraph."]


def test_inline_snippet():
    assert snippets.inline_snippet(hit()) == (
        "<b>According to the ministry, Rovno came under Russian control.</b>\n— "
        '<a href="https://kl.example/a?x=1&amp;y=2">Russia claims &lt;two&gt; villages</a> — Kyiv &amp; Ledger, 7 Dec 2024')


def test_sources_and_status():
    status = IndexStatus(
        generation=3, articles=37, passages=80, model="m", dimension=384, index_type="IDMap2,Flat", size_bytes=1,
        last_update=datetime(2026, 11, 25, 3, 0, tzinfo=UTC),
        sources=(SourceCount("Kyiv Ledger", 4, datetime(2024, 9, 14, tzinfo=UTC), datetime(2025, 1, 12, tzinfo=UTC)),
                 SourceCount("", 1, None, None)),
        first_published=datetime(2024, 9, 14, tzinfo=UTC), last_published=datetime(2025, 1, 12, tzinfo=UTC))
    assert archive.sources_message(status) == (
        "<b>37 articles from 1 outlet</b>\n• Kyiv Ledger: 4 (14 Sep 2024 – 12 Jan 2025)\n• unknown outlet: 1 (undated)")
    assert archive.status_message(status) == (
        "<b>Archive status</b>\nArticles: 37\nPassages: 80\nDates: 14 Sep 2024 – 12 Jan 2025\n"
        "Last reindex: 25 Nov 2026 03:00 UTC")


def test_results_follow_each_other_under_their_quotes_and_a_long_sentence_leads_shortened():
    long = hit(rank=2, passage="Officials said. According to the ministry, " + "Rovno and other words " * 10 + "came under Russian control.")
    html, shown = answers.answer_message(answer(hit(), long))
    assert len(shown) == 2
    assert "</blockquote>\n<b>According to the ministry, Rovno and other words" in html  # no empty line between
    lead_2 = html.split("</blockquote>\n")[1].split("\n")[0]
    assert lead_2.endswith("…</b>") and len(parse_html(lead_2)) <= answers.lead_chars(2) == 150  # two results: 150 each
    assert "Rovno and other words " * 10 in html.split("<blockquote expandable>")[2]  # the whole sentence, quoted


def test_an_answers_lead_stays_one_line_on_a_phone_however_long_the_question():
    """The answer replies to the question, which Telegram shows whole above it; the lead echoes its
    topic in at most LEAD_TOPIC_CHARS so that it wraps to no second line at 390 pixels."""
    def asked(topic, *hits, offset=0):
        return Answer(Query(topic, topic, tuple(topic.lower().split()), topic=topic), hits, 1, offset, False)

    three = asked("ECB interest rate decision", hit(), hit(rank=2), hit(rank=3))
    assert answers.answer_message(three)[0].splitlines()[0] == "<i>3 reports on ECB interest rate…</i>"
    more = asked("ministry statements on Rovno and Kupiansk", hit(rank=4), offset=3)
    assert answers.answer_message(more)[0].splitlines()[0] == "<i>Reports 4–4 on ministry statements on…</i>"
    assert answers.answer_message(asked("war in Ukraine", hit()))[0].splitlines()[0] == "<i>1 report on war in Ukraine</i>"


# --- the story (issue 28): built from records, as retrieval.story would give them ----------------------

def report(n, outlet, day, sentence, language="en", url=True):
    c = Citation(f"r{n}", f"Report {n} <title>", f"https://r.example/{n}" if url else None, outlet,
                 datetime(2024, 12, day, 9, tzinfo=UTC) if day else None)
    return Report(c, sentence, 100 + n, language)


LEDGER_7 = report(1, "Kyiv Ledger", 7, "Three people were killed in the strike on Rovno, the governor said.")
WIRE_7 = report(2, "Northern Wire", 7, "5 people were killed & 12 injured, officials said.")
UKR_8 = report(3, "Укрінформ", 8, "Кількість загиблих зросла до семи.", "uk")
LEDGER_8 = report(4, "Kyiv Ledger", 8, "The toll rose to seven.")
KILLED = Disagreement("killed", (Stated("3", (LEDGER_7,)), Stated("5", (WIRE_7,)), Stated("7", (UKR_8, LEDGER_8))))
INJURED = Disagreement("injured", (Stated("12", (WIRE_7,)), Stated("20", (LEDGER_8,))))
DRONES = Disagreement("count:drone", (Stated("40", (LEDGER_7,)), Stated("60", (WIRE_7,))))
STORY = Story((LEDGER_7, WIRE_7, UKR_8, LEDGER_8), (KILLED, INJURED, DRONES))


def storied(*hits, story=STORY, newer=None, topic="Rovno", offset=0):
    return Answer(Query(f"what about {topic}?", topic, (topic.lower(),), topic=topic), hits, 1, offset, False,
                  story=story, newer=newer)


def test_a_newer_report_is_said_in_the_answers_lead_on_one_phone_line():
    three = (hit(), hit(rank=2), hit(rank=3))
    lead_of = lambda a: answers.answer_message(a)[0].splitlines()[0]  # noqa: E731
    # "3 reports on Rovno · newer: Northern Wire, 8 Dec" is 374 px of a 310-px line: the topic goes first
    wire_8 = replace(WIRE_7, citation=replace(WIRE_7.citation, published_at=datetime(2024, 12, 8, tzinfo=UTC)))
    assert lead_of(storied(*three, story=Story((LEDGER_7, wire_8)), newer=wire_8)) == (
        "<i>3 reports · newer: Northern Wire, 8 Dec</i>")
    assert lead_of(storied(hit(), story=Story((LEDGER_7, LEDGER_8)), newer=replace(
        LEDGER_8, citation=replace(LEDGER_8.citation, source="AP")), topic="Lviv")) == (
        "<i>1 report on Lviv · newer: AP, 8 Dec</i>")
    long_outlet = replace(LEDGER_8, citation=replace(LEDGER_8.citation, source="Pacific Business Daily International"))
    assert lead_of(storied(hit(), story=Story((LEDGER_7, long_outlet)), newer=long_outlet)) == (
        "<i>Newer report: Pacific Business…, 8 Dec</i>")
    with i18n.speaking("uk"):
        assert lead_of(storied(*three, story=Story((LEDGER_7, LEDGER_8)), newer=LEDGER_8)) == (
            "<i>Є новіше: Kyiv Ledger, 8 груд.</i>")  # "3 повідомлення · новіше: …" is 45: two lines
    with i18n.speaking("ru"):
        assert lead_of(storied(hit(), story=Story((LEDGER_7, long_outlet)), newer=long_outlet)) == (
            "<i>Есть новее: Pacific Business…, 8 дек.</i>")
    # a later page says which reports it shows, not the story (its first page did)
    assert lead_of(storied(hit(rank=4), newer=LEDGER_8, offset=3)) == "<i>Reports 4–4 on Rovno</i>"


def test_an_answer_shows_at_most_two_disagreements_of_its_story_one_line_each():
    html, shown = answers.answer_message(storied(hit(), newer=LEDGER_8))
    assert shown == [hit()]
    assert html == (
        "<i>1 report · newer: Kyiv Ledger, 8 Dec</i>\n"
        "<i>⚠️ killed: <b>3</b> — Kyiv Ledger, 7 Dec · <b>5</b> — Northern Wire, 7 Dec · <b>7</b> — Укрінформ, 8 Dec +1</i>\n"
        "<i>⚠️ injured: <b>12</b> — Northern Wire, 7 Dec · <b>20</b> — Kyiv Ledger, 8 Dec</i>\n"
        "<b>According to the ministry, Rovno came under Russian control.</b>\n"
        '<b>[1]</b> <a href="https://kl.example/a?x=1&amp;y=2">Kyiv &amp; Ledger</a> · 7 Dec 2024\n'
        "<blockquote expandable><i>Russia claims &lt;two&gt; villages</i>\n"
        "Officials gave no casualty figures. <b>According to the ministry, Rovno came under "
        "Russian control.</b> The claim could not be verified.</blockquote>")
    parse_html(html)
    with i18n.speaking("uk"):
        lines = answers.answer_message(storied(hit(), story=Story(STORY.reports, (DRONES, KILLED))))[0].splitlines()
    assert lines[:3] == ["<i>1 повідомлення: Rovno</i>",
                         "<i>⚠️ drone: <b>40</b> — Kyiv Ledger, 7 груд. · <b>60</b> — Northern Wire, 7 груд.</i>",
                         "<i>⚠️ загинули: <b>3</b> — Kyiv Ledger, 7 груд. · <b>5</b> — Northern Wire, 7 груд. · "
                         "<b>7</b> — Укрінформ, 8 груд. +1</i>"]
    # a line too long for two phone lines leaves out values from its middle, never the first or the latest
    many = Disagreement("price", tuple(Stated(f"${n}.5 billion", (report(n, f"Outlet number {n}", n, "s"),))
                                       for n in range(1, 7)))
    [line] = stories.disagreement_lines(Story(STORY.reports, (many,)))
    assert line == ("<i>⚠️ price: <b>$1.5 billion</b> — Outlet number 1, 1 Dec · … · <b>$6.5 billion</b> — Outlet number 6, "
                    "6 Dec</i>")
    # no story, or one without disagreements: the answer as before
    assert answers.answer_message(storied(hit(), story=Story(STORY.reports)))[0] == answers.answer_message(answer(hit()))[0]


def test_the_story_lists_its_reports_first_to_latest_then_where_they_differ():
    html = stories.story_message(STORY, "en")
    assert html == (
        "<i>🧵 4 reports, first to latest</i>\n"
        '<b>7 Dec 2024</b> · <a href="https://r.example/1">Kyiv Ledger</a> · <i>first</i>\n'
        "<blockquote>Three people were killed in the strike on Rovno, the governor said.</blockquote>\n"
        '<b>7 Dec 2024</b> · <a href="https://r.example/2">Northern Wire</a>\n'
        "<blockquote>5 people were killed &amp; 12 injured, officials said.</blockquote>\n"
        '<b>8 Dec 2024</b> · <a href="https://r.example/3">Укрінформ</a> <i>(in Ukrainian)</i>\n'
        "<blockquote>Кількість загиблих зросла до семи.</blockquote>\n"
        '<b>8 Dec 2024</b> · <a href="https://r.example/4">Kyiv Ledger</a> · <i>latest</i>\n'
        "<blockquote>The toll rose to seven.</blockquote>\n"
        "\n"
        "<b>⚠️ The reports differ</b>\n"
        "killed: <b>3</b> — Kyiv Ledger, 7 Dec · <b>5</b> — Northern Wire, 7 Dec · "
        "<b>7</b> — Укрінформ, 8 Dec; Kyiv Ledger, 8 Dec\n"
        "injured: <b>12</b> — Northern Wire, 7 Dec · <b>20</b> — Kyiv Ledger, 8 Dec\n"
        "drone: <b>40</b> — Kyiv Ledger, 7 Dec · <b>60</b> — Northern Wire, 7 Dec")
    parse_html(html)
    with i18n.speaking("ru"):
        russian = stories.story_message(Story((UKR_8, LEDGER_8), (KILLED,)), "ru").splitlines()
    assert russian == [
        "<i>🧵 2 сообщения, от первого до последнего</i>",
        '<b>8 дек. 2024</b> · <a href="https://r.example/3">Укрінформ</a> <i>(на украинском)</i> · <i>первое</i>',
        "<blockquote>Кількість загиблих зросла до семи.</blockquote>",
        '<b>8 дек. 2024</b> · <a href="https://r.example/4">Kyiv Ledger</a> <i>(на английском)</i> · <i>последнее</i>',
        "<blockquote>The toll rose to seven.</blockquote>",
        "", "<b>⚠️ Сообщения расходятся</b>",
        "погибли: <b>3</b> — Kyiv Ledger, 7 дек. · <b>5</b> — Northern Wire, 7 дек. · "
        "<b>7</b> — Укрінформ, 8 дек.; Kyiv Ledger, 8 дек."]


def test_a_long_story_leaves_out_reports_from_its_middle_never_the_first_or_the_latest():
    many = tuple(report(n, f"Outlet {n}", min(n, 28), f"Sentence {n} " + "word " * 30) for n in range(1, 31))
    undated = report(31, "Outlet 31", None, "An undated report.", url=False)
    html = stories.story_message(Story((*many, undated)))
    lines = html.splitlines()
    assert lines[0] == "<i>🧵 31 reports, first to latest</i>"
    cited = [line for line in lines if "Outlet " in line]
    assert [line.split("Outlet ")[1].split("<")[0].split(" ")[0] for line in cited] == [
        "1", "2", "3", "4", "5", "27", "28", "29", "30", "31"]
    assert cited[0].endswith(" · <i>first</i>") and cited[8].endswith(" · <i>latest</i>")  # the last dated one
    assert cited[9] == "<b>undated</b> · Outlet 31 · id <code>r31</code>"
    assert lines.count("<i>… 21 more</i>") == 1 and lines[11] == "<i>… 21 more</i>"
    # inside Telegram's limit with links of 2,000 characters: two linked reports do not fit, so none is linked
    huge = tuple(replace(r, citation=replace(r.citation, url="https://r.example/" + "x" * 2000)) for r in many)
    tight = stories.story_message(Story(huge, (KILLED,)))
    assert markup.utf16_len(tight) <= 4096 and "<a href" not in tight and tight.count("<i>… 20 more</i>") == 1
    assert tight.endswith("killed: <b>3</b> — Kyiv Ledger, 7 Dec · <b>5</b> — Northern Wire, 7 Dec · "
                          "<b>7</b> — Укрінформ, 8 Dec; Kyiv Ledger, 8 Dec")
    links = tuple(replace(r, citation=replace(r.citation, url="https://r.example/" + "x" * 400)) for r in many)
    linked = stories.story_message(Story(links, (KILLED,)))  # links of 400: fewer reports, each linked
    assert markup.utf16_len(linked) <= 4096 and linked.count("<a href") == 5 and "<i>… 25 more</i>" in linked
    parse_html(tight)
    parse_html(linked)


def test_the_newer_report_alone_is_its_sentence_and_citation():
    assert stories.newer_message(WIRE_7) == (
        "<i>🆕 Newer report</i>\n<b>5 people were killed &amp; 12 injured, officials said.</b>\n"
        '<a href="https://r.example/2">Northern Wire</a> · 7 Dec 2024\n'
        "<blockquote><i>Report 2 &lt;title&gt;</i></blockquote>")
    with i18n.speaking("uk"):
        assert stories.newer_message(LEDGER_8, "uk").splitlines()[:3] == [
            "<i>🆕 Новіше повідомлення</i>", "<b>The toll rose to seven.</b>",
            '<a href="https://r.example/4">Kyiv Ledger</a> · 8 груд. 2024 <i>(англійською)</i>']


def test_story_and_newer_buttons_carry_the_questions_key(tmp_path):
    state = BotState(tmp_path / "bot.sqlite3")
    key = state.remember("what about Rovno?")
    under = buttons.story_buttons(state, storied(hit(), newer=LEDGER_8))
    assert [(b.text, b.callback_data) for b in under] == [("🆕 Newer", f"newer:{key}"), ("🧵 Story", f"story:{key}")]
    assert [buttons.decode(b.callback_data) for b in under] == [buttons.Newer(key), buttons.StoryView(key)]
    assert all(len(b.callback_data.encode()) <= 64 for b in under)
    assert buttons.story_buttons(state, storied(hit(), story=Story((LEDGER_7,)))) == []  # one report: no story
    assert buttons.story_buttons(state, storied(hit(), newer=LEDGER_8, offset=3)) == []  # its first page has them
    assert buttons.decode("story:") is None and buttons.decode("newer:a:b") is None
    keyboard = buttons.results_keyboard(state, [hit()], buttons.More(key, 1), story=under).inline_keyboard
    assert [[b.text for b in row] for row in keyboard] == [["📋 1", "📄 1"], ["🆕 Newer", "🧵 Story", "More ▸"]]


def test_a_day_or_a_name_that_differs_is_labelled_when_or_who_in_the_readers_language():
    moved = Disagreement("when", (Stated("March 30", (LEDGER_7,)), Stated("2 квітня", (WIRE_7,))))
    named = Disagreement("who", (Stated("Islamic Jihad", (LEDGER_7,)), Stated("ХАМАС", (WIRE_7,))))
    assert stories.disagreement_line(moved) == (
        "when: <b>March 30</b> — Kyiv Ledger, 7 Dec · <b>2 квітня</b> — Northern Wire, 7 Dec")
    with i18n.speaking("uk"):
        assert stories.disagreement_line(named) == (
            "хто: <b>Islamic Jihad</b> — Kyiv Ledger, 7 груд. · <b>ХАМАС</b> — Northern Wire, 7 груд.")
    with i18n.speaking("ru"):
        assert [stories.about_words(d.about) for d in (moved, named)] == ["когда", "кто"]
