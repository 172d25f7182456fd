"""bot.alert_delivery: sending alerts. After each published generation, and at each daily digest time,
every due follow is asked of what is new (`retrieval.alerts.new_reports`) and its chat gets one message.

Messages go out through the Application's bot, so through its rate limiter (`PatientRateLimiter`:
Telegram's flood limits, RetryAfter retried). A chat that blocked the bot (Telegram answers
Forbidden) loses its follows instead of being retried. A follower who is no longer allowed
(bot settings) is skipped: nothing is sent, the follow's cursor moves on, and the follow stays, so
that re-admitting them resumes alerts from then on, not with a backlog.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from telegram import InlineKeyboardMarkup, LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot import i18n
from bot.buttons import AlertMore, Stop, button, results_keyboard
from bot.context import Services, services_of
from bot.feedback_store import Shown
from bot.follow_store import AlertPage, Follow, next_digest
from bot.render import follow_texts, menus, snippets
from retrieval.alerts import new_reports, what_changed
from retrieval.records import Answer, Citation, Disagreement, Hit, Report, Stated, Update
from retrieval.errors import BadQuery

log = logging.getLogger(__name__)

SEND_CONCURRENCY = 8  # messages in flight at once; the rate limiter decides how fast they really go
# A round that has not finished by then gives the lock back, so one stuck search or send cannot hold
# every later generation's alerts (a follow whose round was cut is checked again at the next tick).
ROUND_SECONDS = 120.0


# --- hits kept for "More" ---------------------------------------------------------------------

def _citation_dict(c: Citation) -> dict:
    return {"article_id": c.article_id, "title": c.title, "url": c.url, "source": c.source,
            "published_at": c.published_at.isoformat() if c.published_at else None}


def _citation(d: dict) -> Citation:
    return Citation(d["article_id"], d["title"], d["url"], d["source"],
                    datetime.fromisoformat(d["published_at"]) if d["published_at"] else None)


def hit_dict(hit: Hit, update: Update | None = None) -> dict:
    return {"rank": hit.rank, "score": hit.score, "passage_id": hit.passage_id, "citation": _citation_dict(hit.citation),
            "passage": hit.passage, "highlight_start": hit.highlight_start, "highlight_end": hit.highlight_end,
            "also": [_citation_dict(c) for c in hit.also], "update": _update_dict(update) if update else None}


def _report_dict(r: Report) -> dict:
    return {"citation": _citation_dict(r.citation), "sentence": r.sentence, "passage_id": r.passage_id,
            "language": r.language}


def _report(d: dict) -> Report:
    return Report(_citation(d["citation"]), d["sentence"], d["passage_id"], d["language"])


def _update_dict(u: Update) -> dict:
    return {"passage_id": u.passage_id, "earlier": [_report_dict(r) for r in u.earlier], "new_outlet": u.new_outlet,
            "changed": [{"about": d.about, "values": [{"value": v.value, "reports": [_report_dict(r) for r in v.reports]}
                                                      for v in d.values]} for d in u.changed]}


def update_from_dict(d: dict | None) -> Update | None:
    """What a stored alert's report adds to a story sent before (pages stored before it was kept have none)."""
    if not d:
        return None
    changed = tuple(Disagreement(c["about"], tuple(Stated(v["value"], tuple(map(_report, v["reports"])))
                                                  for v in c["values"])) for c in d["changed"])
    return Update(d["passage_id"], tuple(map(_report, d["earlier"])), changed, d["new_outlet"])


def hit_from_dict(d: dict) -> Hit:
    start, end = d["highlight_start"], d["highlight_end"]
    return Hit(rank=d["rank"], score=d["score"], passage_id=d["passage_id"], citation=_citation(d["citation"]),
               passage=d["passage"], highlight=d["passage"][start:end], highlight_start=start, highlight_end=end,
               also=tuple(_citation(c) for c in d["also"]))


# --- one message ------------------------------------------------------------------------------

def alert_page(services: Services, page: AlertPage, offset: int) -> tuple[str, InlineKeyboardMarkup, list[Hit]]:
    """The message for the reports of a stored alert from `offset` on (the answers' layout: sentence,
    citation, the passage in an expandable quote), its buttons (📋, 📄, More, 🔕 Stop), and the
    reports it shows."""
    hits = [hit_from_dict(d) for d in page.hits]
    updates = {d["passage_id"]: update for d in page.hits if (update := update_from_dict(d.get("update")))}
    window = hits[offset : offset + services.settings.results_per_page]
    html, shown = follow_texts.alert_message(page.topic, window, len(hits), page.daily, updates=updates)
    more = AlertMore(page.id, offset + len(shown)) if offset + len(shown) < len(hits) else None
    markup = results_keyboard(services.state, shown, more, [button(menus.stop_label(), Stop(page.follow_id))])
    return html, markup, shown


# --- delivery ---------------------------------------------------------------------------------

@dataclass
class Delivery:
    """What one round did, for the log and the tests."""

    checked: int = 0
    sent: int = 0
    skipped: int = 0  # followers no longer allowed
    blocked_chats: int = 0
    failed: int = 0


def _check(searcher, question: str, since_gen: int, settings) -> Answer | None:
    try:
        return new_reports(searcher, question, since_gen, settings)
    except BadQuery as error:  # e.g. the outlet it names left the archive
        log.warning("follow %r cannot be checked: %s", question, error)
        return None


def _changes(searcher, question: str, answer: Answer, sent: list[str]) -> dict[int, Update]:
    try:
        return {u.passage_id: u for u in what_changed(searcher, question, answer, sent)}
    except BadQuery as error:  # the follow was checked a moment ago; the archive changed under it
        log.warning("follow %r: what changed could not be read: %s", question, error)
        return {}


async def deliver(application: Application, now: datetime | None = None) -> Delivery:
    """One round: check every due follow, send what is new. Runs one at a time (a lock)."""
    services = services_of(application)
    async with services.delivering:
        try:
            async with asyncio.timeout(ROUND_SECONDS):
                return await _deliver(application, services, now or services.clock())
        except TimeoutError:
            log.error("alerts: the round did not finish in %.0f s; its follows are checked again at the next tick",
                      ROUND_SECONDS)
            return Delivery(failed=1)


async def _deliver(application: Application, services: Services, now: datetime) -> Delivery:
    report = Delivery()
    generation = await asyncio.to_thread(lambda: services.searcher.generation)
    if not generation:
        return report
    due = services.follows.due(now, generation)
    if not due:
        return report
    log.info("alerts: checking %d follows against generation %d", len(due), generation)
    answers: dict[tuple[str, int], Answer | None] = {}
    for follow in due:  # followers of the same question since the same generation share one search
        key = (follow.question, follow.checked_gen)
        if key not in answers:
            answers[key] = await asyncio.to_thread(_check, services.searcher, follow.question, follow.checked_gen,
                                                   services.alert_settings)
    report.checked = len(due)
    gate = asyncio.Semaphore(SEND_CONCURRENCY)
    blocked: set[int] = set()

    async def one(follow: Follow) -> None:
        answer = answers[(follow.question, follow.checked_gen)]
        checked = answer.generation if answer else generation
        next_due = next_digest(now, services.follows.prefs(follow.user_id)) if follow.daily else None
        if not services.settings.allows(follow.user_id, follow.chat_id) or not answer or not answer.hits:
            if answer and answer.hits:
                report.skipped += 1
            services.follows.claim(follow, [], checked, next_due)
            return
        ids = [c.article_id for h in answer.hits for c in (h.citation, *h.also)]
        sent_before = services.follows.sent_before(follow.id)
        fresh = services.follows.claim(follow, ids, checked, next_due)
        hits = [replace(h, rank=i) for i, h in enumerate(
            (h for h in answer.hits if h.citation.article_id in fresh), start=1)]
        if not hits:
            return

        # a report of a story this follower was sent before says what it adds, not the story again
        changes = await asyncio.to_thread(_changes, services.searcher, follow.question, replace(answer, hits=tuple(hits)),
                                          sent_before)
        topic = answer.query.topic or follow.question
        page = services.follows.page(services.follows.save_page(
            follow, topic, [hit_dict(h, changes.get(h.passage_id)) for h in hits]))
        with i18n.speaking(follow.language):  # no update here: the follower's language when they followed
            html, markup, shown = alert_page(services, page, 0)
        async with gate:
            if follow.chat_id in blocked:
                return
            try:
                sent = await application.bot.send_message(
                    follow.chat_id, html, reply_markup=markup,
                    link_preview_options=LinkPreviewOptions(**snippets.preview(shown, services.settings.link_preview)))
                services.feedback.sent(sent.chat_id, sent.message_id,
                                       Shown("alert", page.question, tuple(h.citation.article_id for h in shown)))
                report.sent += 1
            except Forbidden as error:
                blocked.add(follow.chat_id)
                removed = services.follows.remove_chat(follow.chat_id)
                report.blocked_chats += 1
                log.info("chat %s blocked the bot (%s): %d follows removed", follow.chat_id, error, removed)
            except BadRequest as error:  # retrying the same message cannot help; it stays recorded
                report.failed += 1
                log.error("alert for follow #%d could not be sent: %s", follow.id, error)
            except TelegramError as error:  # network trouble the limiter's retries did not cure
                report.failed += 1
                services.follows.release(follow, fresh)
                log.warning("alert for follow #%d not sent (%s); it will be tried again", follow.id, error)

    await asyncio.gather(*(one(f) for f in due))
    log.info("alerts: %d follows checked, %d messages sent, %d skipped, %d chats gone, %d failed",
             report.checked, report.sent, report.skipped, report.blocked_chats, report.failed)
    return report

