"""Question -> Query: the words BM25 should look for, and what to embed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone

from index import language as languages, lemmas
from retrieval import filters
from retrieval.errors import EmptyQuery, ReversedPeriod, UnknownOutlet
from retrieval.records import Filters, Query

MAX_QUESTION_CHARS = 1000  # a pasted article is not a question; the model reads 256 tokens anyway

# A word; an apostrophe between Cyrillic letters is inside a Ukrainian word (Куп'янськ, п’ять), while
# English "Russia's" stays two words, as FTS5's tokenizer has them
_WORD = re.compile(r"\w+(?:(?<=[\u0400-\u04ff])['’ʼ](?=[\u0400-\u04ff])\w+)*", re.UNICODE)

# Function words, plus the words journalists wrap around a topic ("what was reported about ...")
# that would otherwise pull every article that says "reported".
STOPWORDS = frozenset("""
a about above after again against all also am an and any anything are as at be because been before being
below between both but by can could did do does doing down during each else ever few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just let me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she should
so some something such than that the their theirs them themselves then there these they this those through
to too under until up very was we were what whatever when where which while who whom whose why will with
would you your yours yourself yourselves s t d ll re ve m
news report reports reported reporting coverage covered say said says tell told know anyone anybody
article articles story stories latest newest recent recently happened happening please show find give
according cover covered publish published publishes publishing write wrote written writes
""".split())

# The same for Ukrainian and Russian, as dictionary forms (index.lemmas): a question word is left out
# when it is one of these as written or in its likeliest reading ("сообщалось" is сообщаться,
# "повідомляли" повідомляти), so "что сообщалось о Ровно?" searches what "what was reported about
# Rovno?" does.
CYRILLIC_STOPWORDS = frozenset(lemmas.canonical(w) for w in """
а але або аж адже б би бо був буде будь було бути в вам вас ваш ви від віт вже все всі весь вся де для до
досі ж же з за зі із й його її їх і їм й коли котрий хто куди ласка лише мене мені ми між мій мої може можна
мо на над навіть нам нас наш не нема немає ні ніж них ну о об однак от по під після поки про проте раз сам
свій себе сказати сказав так також там те тепер то тобто того той тощо ти ту тут у усе увесь чи чий чим
через що щоб щодо який яка яке які як якщо це цей ця ці цього стосовно
та він вона воно вони я чому навіщо звідки скільки такий тому понад ось ще дуже теж саме усі
новина новини новинний відомо відомий повідомляти повідомити повідомлення повідомлятися писати написати
розповідати розповісти говорити сказати казати стаття статті репортаж матеріал висвітлювати публікувати
опублікувати останній свіжий статися ставатися відбуватися відбутися трапитися знайти показати дати
давати будьласка розкажи розказати інформація варто
без более больше был была были было быть в вам вас весь во вот все всё всего вы где да даже для до его ее
её если есть еще ещё же за здесь и из или им их к как какой какая какое какие когда кто ли либо мне может
можно мой мы на над надо наш не него нее неё нет ни них но ну о об обо однако он она они оно от очень по
под после потом почему при про раз с сам свой себя со так также там те тем то того тоже той только тот ты
у уж уже хотя чего чей чем что чтобы чья эта эти это этот я насчет насчёт касательно поводу
новость новости известно известный сообщать сообщить сообщаться сообщение писать написать рассказывать
рассказать говорить сказать статья репортаж материал освещать публиковать опубликовать последний свежий
произойти происходить случиться случаться найти показать дать давать пожалуйста расскажи информация
""".split())


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def is_stopword(word: str, language: str = "") -> bool:
    """Whether a (lower-case) question word only frames the question: an English function word, or a
    Ukrainian or Russian one as written or in its likeliest reading in `language` (both when "")."""
    if not lemmas.is_cyrillic(word):
        return word in STOPWORDS
    return lemmas.canonical(word) in CYRILLIC_STOPWORDS or \
        any(f in CYRILLIC_STOPWORDS for f in lemmas.likeliest(word, language))


def topic_terms(tokens: list[str], language: str = "") -> list[str]:
    """The search terms of a question's words: English words as written (FTS5 stems them); Ukrainian
    and Russian ones as the dictionary form of their likeliest reading (index.lemmas), which the index
    holds beside each passage's words (`readings` are their others); framing words left out."""
    terms: list[str] = []
    for token in tokens:
        if not is_stopword(token, language):
            terms.append(lemmas.forms(token, language)[0] if lemmas.is_cyrillic(token) else token)
    return list(dict.fromkeys(terms))


# A question name's readings searched for, per dictionary: two cover a name read two ways ("Рівному":
# the town рівне or the adjective рівний). Other words are searched by their likeliest reading alone:
# the index has every reading of a passage's words, so that one finds every inflection, while a second
# reading matches the same passages again (FTS5 adds up the terms of an OR), counting the word twice
# against the question's others ("три" as три and терти). On the 433 Brown-UK tuning questions, BM25
# alone (mode "lexical"): two readings of every word Recall@5 0.850, MRR@10 0.775; of names only 0.857,
# 0.785 (bench/multilingual/tune_uk.py; docs/multilingual.md).
QUESTION_FORMS = 2


def readings(question: str, language: str | None = None) -> dict[str, tuple[str, ...]]:
    """A question's Cyrillic terms -> the dictionary forms of the other readings of those written with
    a capital ("Рівному": рівне -> рівний), searched as other spellings of the term (retrieval.variants).
    `language`: the question's, as `parse` read it (`Query.language`); None detects it again."""
    text = normalised(question)
    if language is None:
        language = languages.of_question(text)
    found: dict[str, tuple[str, ...]] = {}
    for written in _WORD.findall(text):
        token = written.lower()
        if lemmas.is_cyrillic(token) and not is_stopword(token, language):
            first, *others = lemmas.forms(token, language, most=QUESTION_FORMS if written[:1].isupper() else 1)
            found[first] = tuple(dict.fromkeys([*found.get(first, ()), *others]))
    return {term: others for term, others in found.items() if others}


def normalised(question: str) -> str:
    """The question's words, single-spaced, at most MAX_QUESTION_CHARS."""
    return " ".join(question.split())[:MAX_QUESTION_CHARS]


def parse(question: str, outlets: Iterable[str] = (), now: datetime | None = None,
          archive_end: datetime | None = None, understand: bool = True) -> Query:
    """The topic words of a question and the filters it sets; raises EmptyQuery when there is
    nothing to search for and BadQuery for a filter that cannot be read. `understand=False` reads
    words only (no dates, outlets, phrases): the baseline of the evaluation."""
    text = normalised(question)
    if not text:
        raise EmptyQuery("The question is empty: ask about a person, a place or an event.")
    if not words(text):
        raise EmptyQuery("The question has no words to search for: ask about a person, a place or an event.")
    language = languages.of_question(text)
    if not understand:
        topic = topic_terms(words(text), language) or words(text)
        return Query(question=question, dense_text=text, terms=tuple(topic), topic=_topic(text, language),
                     language=language)
    now = now or datetime.now(timezone.utc)
    given, rest = filters.explicit(text)
    sources = []
    for name in given["from"]:
        matches = filters.stated_outlets(name, outlets)
        if not matches:
            raise UnknownOutlet(name)
        sources.extend(matches)
    exact = tuple(p.strip() for p in given["exact"] if p.strip())
    quoted, rest = filters.phrases(rest)
    named, rest = filters.outlets(rest, outlets)
    since = filters.explicit_date(given["since"][-1], "since") if given["since"] else None
    until = filters.explicit_date(given["until"][-1], "until") if given["until"] else None
    if until is not None:  # until: is inclusive: up to the end of that day (the last day there is has no end)
        until = until + timedelta(days=1) if until.date() < date.max else None
    if since and until and until <= since:
        raise ReversedPeriod(given["since"][-1], given["until"][-1])
    stated = bool(given["since"] or given["until"])
    if not stated:
        since, until, rest = filters.dates(rest, now, archive_end or now, filters.date_languages(
            language or ("cyrillic" if languages.has_cyrillic(text) else "en")))
    tokens = words(rest) + [w for p in exact for w in words(p)]
    topic = topic_terms(tokens, language)
    found = Filters(sources=tuple(dict.fromkeys(sources)), since=since, until=until, phrases=exact,
                    outlets=named, quoted=quoted, newest_first=filters.mentions_newest(rest), dates_only=stated)
    if not topic and not (found or named or since or until):
        topic = list(dict.fromkeys(tokens)) or words(text)
    dense_text = " ".join([*rest.split(), *exact]) if topic else text
    return Query(question=question, dense_text=dense_text, terms=tuple(topic), filters=found,
                 topic=_topic(" ".join([*rest.split(), *exact]), language) if topic else " ".join(exact + quoted) or text,
                 language=language)


def _topic(text: str, language: str = "") -> str:
    """The question without the words around its topic: "what was reported about Rovno?" -> "Rovno"."""
    spans = [m.span() for m in _WORD.finditer(text) if not is_stopword(m.group().lower(), language)]
    return text[spans[0][0] : spans[-1][1]] if spans else text


def says(text: str, phrases: tuple[str, ...]) -> bool:
    """Whether a text has every phrase word for word (case and spacing aside)."""
    flat = " ".join(text.lower().split())
    return all(" ".join(p.lower().split()) in flat for p in phrases)


def fts_quote(text: str) -> str:
    """A word or phrase as an FTS5 string: nothing in it is read as query syntax."""
    return '"' + text.replace('"', '""') + '"'


def fts_match(terms: tuple[str, ...], phrases: tuple[str, ...] = (),
              variants: Mapping[str, tuple[str, ...]] | None = None, quoted: tuple[str, ...] = ()) -> str | None:
    """An FTS5 query: every required phrase (exact:), and any of the terms, their other spellings or
    the quoted phrases, which rank higher where they appear (all quoted, so nothing is read as syntax)."""
    required = [fts_quote(p) for p in phrases]
    spelled = [v for t in terms for v in (variants or {}).get(t, ())]
    anyof = [fts_quote(t) for t in dict.fromkeys([*quoted, *terms, *spelled])]
    if anyof:
        required.append("(" + " OR ".join(anyof) + ")")
    return " AND ".join(required) or None
