"""Ukrainian words as BM25 reads them (issue 14): which dictionary form of a word is its likeliest, which
question words only frame a headline, and that a question finds an article through any inflection of its
words. Real pymorphy3 dictionaries, real wordfreq lists, real SQLite FTS5 in tmp_path."""

import json

import pytest

from index import lemmas, pipeline
from index.engines.faiss import IndexReader
from index.settings import Settings
from retrieval.query import parse
from retrieval.search import Searcher
from tests.support import HashingEncoder


@pytest.mark.parametrize("word, forms", [
    # the Ukrainian dictionary scores every reading 1.0; the common form comes first, not the dictionary's
    ("Києві", ("київ", "кий")),
    ("три", ("три", "терти")),
    ("війну", ("війна", "війнути")),
    ("роботи", ("робота", "робот")),
    ("грудні", ("грудень", "грудний")),
    ("світу", ("світ", "світа")),
    ("Харкові", ("харків", "харко")),
    ("українська", ("український", "українська", "українськ")),
    # a reading only as a vocative comes last, however common its form ("рівня" is also рівень's genitive)
    ("Рівне", ("рівне", "рівний", "рівня")),
    ("Рівному", ("рівне", "рівний")),
])
def test_the_likeliest_ukrainian_reading_comes_first(word, forms):
    assert lemmas.forms(word, "uk") == forms
    assert lemmas.likeliest(word, "uk") == (forms[0],)


@pytest.mark.parametrize("word, forms", [
    # Russian readings keep pymorphy3's own scores (OpenCorpora's frequencies)
    ("стали", ("стать", "сталь")),
    ("три", ("три", "тереть")),
    ("Киеве", ("киев",)),
])
def test_russian_readings_keep_their_scores(word, forms):
    assert lemmas.forms(word, "ru") == forms


def test_the_lemma_column_holds_the_likeliest_forms_first():
    assert lemmas.column("У Рівному тривають бої", "uk") == "рівне рівний тривати бій бой"
    assert lemmas.column("У Куп'янську", "uk") == "купянську купянськ купянська купянський"


@pytest.mark.parametrize("question, terms", [
    # "Чому" was read as чома (a noun) and "та" (and) was a search term
    ("Чому не вродив «другий хліб»?", ("вродити", "другий", "хліб")),
    ("Альтернатива барам та кафе у Рівному", ("альтернатива", "бар", "кафе", "рівне")),
    ("Що буде з українською землею? Поле варіантів", ("український", "земля", "поле", "варіант")),
    ("«Сонячний» вітамін D. Кому потрібно приймати та за що він відповідає?",
     ("сонячний", "вітамін", "потрібно", "приймати", "відповідати")),
])
def test_ukrainian_headline_terms(question, terms):
    assert parse(question).terms == terms


ARTICLES = [
    ("uk-war", "Третя газова війна з Москвою почалася взимку. Чому зірвався бліцкриг, пояснюють експерти."),
    ("uk-kyiv", "У Києві відкрили новий міст через Дніпро. Роботи тривали три роки."),
    ("uk-rub", "Кий для більярду треба терти крейдою, радить тренер."),
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("ukrainian")
    archive = data_dir / "archive.jsonl"
    archive.write_text("".join(json.dumps({"id": i, "title": t.split(".")[0], "body": t}, ensure_ascii=False) + "\n"
                               for i, t in ARTICLES))
    pipeline.add([archive], Settings(data_dir=data_dir / "index"), encoder=HashingEncoder(), quiet=True)
    return data_dir / "index"


def ask(index_dir, question):
    """BM25 alone: the HashingEncoder's vectors mean nothing, and words are what is tested here."""
    answer = Searcher(IndexReader(index_dir), HashingEncoder()).ask(question, mode="lexical", limit=10)
    return [h.citation.article_id for h in answer.hits]


def test_inflections_find_the_article(index_dir):
    # "три" is три (not терти, the rubbing of the cue) and "роботу" робота (not робот): one reading each
    assert ask(index_dir, "три роки роботу") == ["uk-kyiv"]
    # "чому" frames the question; "війну" is війна, "газову" газовий
    assert ask(index_dir, "Чому газову війну") == ["uk-war"]
    # a name keeps its second reading (the cue, кий, for "Києві"), after the first
    assert ask(index_dir, "у Києві") == ["uk-kyiv", "uk-rub"]
