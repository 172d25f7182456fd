"""Retrieval with the real packaged model over the bundled sample archive."""

import pytest

from index import pipeline
from index.engines.faiss import IndexReader
from index.settings import Settings
from retrieval import reading
from retrieval.errors import EmptyQuery
from retrieval.fusion import linear, rrf
from retrieval.highlight import context, dense_best, keys, lexical_scores
from retrieval.plan import bm25_terms
from retrieval.search import Searcher

ROVNO_SENTENCE = ("According to the Russian Defence Ministry, Rovno, a settlement in the Donetsk region, "
                  "came under Russian control.")
SEED_ROVNO_SENTENCE = ("This development was swiftly followed by the announcement that the settlement of Rovno "
                       "in the Donetsk People’s Republic had come under Russian control.")


@pytest.fixture(scope="module")
def searcher(sample_dir, model_encoder):
    return Searcher(IndexReader(sample_dir), model_encoder)


def test_rovno_question_finds_the_rovno_sentence_first(searcher):
    answer = searcher.ask("what was reported about Rovno?")
    top = answer.hits[0]
    assert (top.rank, top.citation.article_id, top.citation.source) == (1, "kl-2024-1207-rovno", "Kyiv Ledger")
    assert top.citation.url == "https://kyivledger.example/2024/12/07/russia-claims-kucherkovka-and-rovno"
    assert top.highlight == ROVNO_SENTENCE
    assert top.passage[top.highlight_start:top.highlight_end] == ROVNO_SENTENCE
    assert answer.query.terms == ("rovno",)


def test_the_seed_article_answers_the_rovno_question(tmp_path, model_encoder, needs_seed):
    pipeline.add([needs_seed], Settings(data_dir=tmp_path), encoder=model_encoder, quiet=True)
    top = Searcher(IndexReader(tmp_path), model_encoder).ask("what was reported about Rovno?").hits[0]
    assert top.citation.article_id == str(needs_seed)
    assert top.highlight == SEED_ROVNO_SENTENCE


def test_a_name_the_model_never_saw_is_found_by_bm25(searcher):
    answer = searcher.ask("Kucherkovka")
    assert answer.hits[0].citation.article_id == "kl-2024-1207-rovno"
    assert "Kucherkovka" in answer.hits[0].highlight


def test_a_question_in_other_words_is_found_by_meaning(searcher):
    answer = searcher.ask("which freighter got stuck near the coast?", mode="dense")
    assert answer.hits[0].citation.article_id == "ht-2024-0930-corallo-star-aground"


def test_identical_wire_passages_are_shown_once_with_the_other_outlet(searcher):
    answer = searcher.ask("ECB deposit rate cut to 3%")
    ecb = [h for h in answer.hits if h.citation.article_id.endswith("ecb-cut")]
    assert len(ecb) == 1
    ids = {ecb[0].citation.article_id, *(c.article_id for c in ecb[0].also)}
    assert ids == {"nw-2024-1212-ecb-cut", "pbd-2024-1212-ecb-cut"}


def test_one_passage_per_article_unless_asked(searcher):
    one = searcher.ask("Zipwell drivers court ruling", limit=10)
    ids = [h.citation.article_id for h in one.hits]
    assert len(ids) == len(set(ids))
    two = searcher.ask("Zipwell drivers court ruling", limit=10, per_article=2)
    assert max(map([h.citation.article_id for h in two.hits].count, set(ids))) == 2


def test_pages_follow_each_other_without_repeats(searcher):
    first = searcher.ask("war in Ukraine", limit=3)
    second = searcher.ask("war in Ukraine", limit=3, offset=3)
    assert first.has_more
    assert [h.rank for h in second.hits] == [4, 5, 6]
    assert not {h.passage_id for h in first.hits} & {h.passage_id for h in second.hits}


@pytest.mark.parametrize("question, message", [
    ("   ", "The question is empty"), ("🙂🙂", "no words to search for")])
def test_questions_with_nothing_to_search_for(searcher, question, message):
    with pytest.raises(EmptyQuery, match=message):
        searcher.ask(question)


def test_reciprocal_rank_fusion_values():
    assert rrf([(1, 0.9), (2, 0.8)], [(2, 7.0), (3, 5.0)], dense_weight=0.5, k=60) == [
        (2, 0.5 / 62 + 0.5 / 61), (1, 0.5 / 61), (3, 0.5 / 62)]


def test_linear_fusion_values():
    assert linear([(1, 0.9), (2, 0.5)], [(2, 10.0), (3, 5.0)], dense_weight=0.25) == [
        (2, 0.75), (1, 0.25)] + [(3, 0.0)]


def test_context_keeps_whole_neighbouring_sentences_within_the_budget():
    text = "One short. Two is the highlight here. Three follows it. Four is far away and long enough."
    start = text.index("Two")
    end = start + len("Two is the highlight here.")
    assert context(text, start, end, budget=60) == ("One short. ", "Two is the highlight here.", " Three follows it.…")
    assert context(text, start, end, budget=10) == ("…", "Two is the highlight here.", "…")


def test_an_outlet_named_in_the_question_ranks_first_without_excluding_the_rest(searcher):
    answer = searcher.ask("what did Danube Post report about floods and storms?", limit=10)
    assert (answer.query.filters.outlets, answer.query.filters.sources) == ((("Danube Post",),), ())
    assert [(h.citation.article_id, h.citation.source) for h in answer.hits] == [
        ("dp-2024-0916-storm-boris-floods", "Danube Post"), ("ht-2025-0107-port-ellery-storm", "Harbor Tribune"),
        ("kl-2024-1207-rovno", "Kyiv Ledger")]


def test_outlets_compared_in_a_question_each_lead_with_their_best_report(searcher):
    answer = searcher.ask("Did Pacific Business Daily and Lakeshore Courier report on interest rates?", limit=3)
    assert [h.citation.article_id for h in answer.hits] == [
        "pbd-2024-1212-ecb-cut", "lc-2025-0109-heat-pumps", "pbd-2024-1107-fed-cut"]
    alone = searcher.ask("Did they report on interest rates?", limit=5)  # the Lakeshore report is fourth
    assert [h.citation.source for h in alone.hits].index("Lakeshore Courier") == 3


def test_a_date_in_the_question_puts_that_day_first(searcher):
    answer = searcher.ask("what was reported on December 12, 2024?", limit=10)
    assert answer.relaxed is None and answer.query.filters.period[0].date().isoformat() == "2024-12-12"
    # the ECB wire story, once, with the other outlet that ran it; other days after it
    assert {answer.hits[0].citation.article_id, *(c.article_id for c in answer.hits[0].also)} == {
        "nw-2024-1212-ecb-cut", "pbd-2024-1212-ecb-cut"}
    assert all(h.citation.published_at.date().isoformat() != "2024-12-12" for h in answer.hits[1:])


def test_stated_filters_and_exact_phrases_filter(searcher):
    answer = searcher.ask('from:"Kyiv Ledger" since:2024-12-01 Kupiansk', limit=10)
    assert sorted(h.citation.article_id for h in answer.hits) == ["kl-2024-1207-rovno", "kl-2025-0112-kupiansk-oskil"]
    assert answer.relaxed is None
    exact = searcher.ask('exact:"deposit rate"', limit=10)  # one story, two outlets
    assert [(h.citation.article_id, [c.article_id for c in h.also]) for h in exact.hits] == [
        ("pbd-2024-1212-ecb-cut", ["nw-2024-1212-ecb-cut"])]
    quoted = searcher.ask('"deposit rate"', limit=10)  # quoted: first, and the closest reports after it
    assert quoted.hits[0].citation.article_id == "pbd-2024-1212-ecb-cut" and len(quoted.hits) > 1
    assert "deposit rate" not in quoted.hits[1].passage.lower()


def test_quoted_words_the_archive_does_not_have_verbatim_still_answer(searcher):
    """People quote paraphrases: the quote ranks passages that have it, it never empties the answer."""
    answer = searcher.ask('Did the Kyiv Ledger report that "Russian troops seized the village of Rovno"?')
    assert answer.query.filters.quoted == ("Russian troops seized the village of Rovno",)
    assert answer.hits[0].citation.article_id == "kl-2024-1207-rovno" and answer.relaxed is None


def test_a_stated_filter_that_leaves_nothing_gives_the_closest_reports_and_says_so(searcher):
    answer = searcher.ask('from:"Danube Post" Rovno', limit=5)
    assert answer.relaxed.sources == ("Danube Post",)
    assert [h.citation.article_id for h in answer.hits] == ["kl-2024-1207-rovno"]
    later = searcher.ask("since:2030-01-01 Rovno", limit=5)
    assert (later.relaxed.since.year, later.hits[0].citation.article_id) == (2030, "kl-2024-1207-rovno")


def test_latest_orders_by_date(searcher):
    answer = searcher.ask("latest on the war in Ukraine", limit=5)
    dates = [h.citation.published_at for h in answer.hits]
    assert answer.query.filters.newest_first and dates == sorted(dates, reverse=True) and len(dates) == 5


@pytest.mark.parametrize("question, article, sentence", [
    ("who claimed the Marlow General ransomware attack?", "lc-2024-1014-hospital-ransomware",
     "A criminal group that calls itself GreyMoth claimed responsibility on a leak site on Monday afternoon "
     "and said it had copied patient data."),
    ("how much did Halvard Freight raise in its IPO?", "pbd-2024-1030-halvard-ipo",
     "Halvard sold 29 million shares at $22 each, raising about $640 million."),
    ("what will Halvard do with the IPO proceeds?", "pbd-2024-1030-halvard-ipo",
     "Chief executive Ingrid Solberg said most of the proceeds would go towards paying down debt and converting "
     "part of the company's fleet of 2,300 trucks to battery-electric models over the next five years."),
])
def test_the_highlight_answers_the_question_not_the_lead(searcher, question, article, sentence):
    """Words only, each of these bolds the lead sentence, which names the topic (bench/highlight_eval.py)."""
    hit = next(h for h in searcher.ask(question).hits if h.citation.article_id == article)
    assert hit.highlight == sentence


def test_bm25_leaves_out_words_most_passages_have_while_rarer_ones_remain():
    # stems' document frequencies, as the index reports them; "mln" is in 37 of 100 passages
    frequencies = {"mln": 37, "dlr": 35, "jordan": 3, "barter": 1}
    assert bm25_terms(("jordan", "barter", "mln", "dlrs"), frequencies, 20) == ("jordan", "barter")
    assert bm25_terms(("mln", "dlrs"), frequencies, 20) == ("mln", "dlrs")  # nothing rarer: all stay
    assert bm25_terms(("jordan", "mln", "unknown"), frequencies, 20) == ("jordan", "unknown")
    assert bm25_terms(("jordan", "mln"), frequencies, 100) == ("jordan", "mln")


def test_bm25_reads_the_rarest_words_within_its_postings_budget():
    frequencies = {"pact": 12, "trade": 30, "sudan": 2, "jordan": 3}
    words = ("jordan", "sudan", "trade", "pact")
    # rarest first: sudan 2, jordan 3 (5), pact 12 (17), trade 30 (47)
    assert bm25_terms(words, frequencies, 100, budget=20) == ("jordan", "sudan", "pact")
    assert bm25_terms(words, frequencies, 100, budget=47) == words
    assert bm25_terms(words, frequencies, 100, budget=1) == ("sudan",)  # the rarest always stays
    assert bm25_terms(words, frequencies, 20, budget=20) == ("jordan", "sudan", "pact")  # trade: too common


def test_passages_sharing_no_word_get_their_closest_sentence_from_one_model_call(model_encoder):
    texts = ["Shares closed lower on Friday. The river burst its banks after days of rain.",
             "Heavy rain flooded the valley road. Talks on the budget resumed in the capital."]
    calls = []

    def encode(sentences, batch_size):
        calls.append((len(sentences), batch_size))
        return model_encoder.encode(sentences, batch_size)

    question = model_encoder.encode_queries(["flooding after heavy rain"])[0]
    assert dense_best(texts, question, encode) == [(31, 76), (0, 35)]
    assert calls == [(4, 8)]  # the four sentences of both passages together


def test_ask_reads_and_encodes_the_question_as_its_plan_does(sample_dir, model_encoder):
    """ask encodes the question's embedded text while it reads the archive's spellings and runs BM25:
    the same reading and the same one vector as the plan of the question."""
    question = 'from:"Kyiv Ledger" since:2024-12-01 Kupiansk'
    searcher = Searcher(IndexReader(sample_dir), model_encoder)
    answer = searcher.ask(question, limit=10)
    plan = searcher.plan(question)
    assert answer.query == plan.query
    assert plan.query.dense_text == "Kupiansk"
    assert list(searcher._vectors) == [(model_encoder.name, "Kupiansk")]


def test_a_cyrillic_word_is_read_only_when_the_weights_could_meet_it():
    text = "Цены на нефть выросли в понедельник. Oil prices rose in London."
    assert lexical_scores(text, {"oil": 1.0}) == [(0, 36, 0), (37, 63, 1.0)]
    assert lexical_scores(text, {"нефть": 1.0}) == [(0, 36, 1.0), (37, 63, 0)]
    assert keys(text, cyrillic=False) == {"in", "london", "oil", "price", "rose"}
    assert {"нефть", "цена", "понедельник"} <= keys(text)


def test_a_question_that_looks_unfiltered_is_encoded_before_it_is_read_and_again_if_it_names_an_outlet(
        sample_dir, model_encoder):
    """The early encoding is a guess at the embedded text: right for most questions (one vector), wrong
    for an outlet named in plain words (a second vector, of the text the plan embeds)."""
    searcher = Searcher(IndexReader(sample_dir), model_encoder)
    plain, named = "what was reported about Rovno?", "what did the Kyiv Ledger report about Kupiansk"
    assert searcher.ask(plain, limit=3).query == searcher.plan(plain).query
    assert list(searcher._vectors) == [(model_encoder.name, plain)]
    answer = searcher.ask(named, limit=3)
    plan = searcher.plan(named)
    assert answer.query == plan.query and plan.query.dense_text != named
    assert list(searcher._vectors)[1:] == [(model_encoder.name, named), (model_encoder.name, plan.query.dense_text)]
    # the wrong guess's vector is not the one searched: with another question's vector in its place, the
    # answer is the same
    misled = Searcher(IndexReader(sample_dir), model_encoder)
    misled._vectors[(model_encoder.name, named)] = model_encoder.encode_queries(["grain harvest in Canada"])[0]
    assert [(h.citation.article_id, h.score) for h in misled.ask(named, limit=3).hits] == [
        (h.citation.article_id, h.score) for h in answer.hits]
    assert reading.unread_embedding("what happened on 7 December") is None
    assert reading.unread_embedding('"Rovno" shelling') is None
