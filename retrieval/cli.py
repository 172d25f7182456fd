"""`newsdesk ask` and `newsdesk eval`: the retrieval commands, as plain functions that the root
command (bot/cli.py, which owns the Typer app) mounts, with the index's commands (`index_app`)."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from index.cli import DataDir
from index.cli import app as index_app  # noqa: F401 (mounted by the root command, bot/cli.py)
from index.normalize import parse_date
from retrieval import floor as floors
from retrieval.errors import BadQuery
from retrieval.evaluate import evaluate, load_qrels
from retrieval.highlight import context
from retrieval.records import Answer, Citation, Disagreement, Hit, Report, Story
from retrieval.search import MODES, Searcher
from index.encoder import serve_queries
from index.settings import Settings
from retrieval.service import open_searcher


def make_searcher(data_dir: Path | None) -> Searcher:
    searcher = open_searcher(Settings.from_env(data_dir=data_dir), check=True)  # "run index add first" before the model loads
    serve_queries()
    return searcher


def citation_dict(c: Citation) -> dict:
    return {"article_id": c.article_id, "url": c.url, "title": c.title, "source": c.source,
            "published_at": c.published_at.isoformat() if c.published_at else None}


def answer_dict(answer: Answer) -> dict:
    return {
        "query": answer.query.question,
        "filters": answer.query.filters.as_dict(),
        # the stated filters that left nothing: the results are the closest reports outside them
        "relaxed": answer.relaxed.as_dict()["stated"] if answer.relaxed else None,
        "spellings": {word: list(found) for word, found in answer.query.variants},
        "results": [result_dict(h) for h in answer.hits],
        # results below the floor are not answers; with none above it, the closest report is offered as such
        "floor": answer.floor.as_dict() if answer.floor else None,
        "closest": result_dict(answer.closest) if answer.closest else None,
        "names": list(floors.written(answer.query)),
        # the first result's story, first report to latest; its newest report when newer than the first
        # result; and what its reports give different values for
        "story": story_list(answer.story) if answer.story else None,
        "newer": report_dict(answer.newer) if answer.newer else None,
        "disagreements": [disagreement_dict(d) for d in answer.story.disagreements] if answer.story else [],
    }


def report_dict(r: Report) -> dict:
    c = r.citation
    return {"outlet": c.source, "date": c.published_at.isoformat() if c.published_at else None, "url": c.url,
            "title": c.title, "article_id": c.article_id, "sentence": r.sentence, "language": r.language}


def story_list(story: Story) -> list[dict]:
    first, latest = story.first, story.latest
    return [{**report_dict(r), "first": r is first, "latest": r is latest and len(story.reports) > 1}
            for r in story.reports]


def disagreement_dict(d: Disagreement) -> dict:
    return {"about": d.about, "values": [{"value": v.value, "reports": [report_dict(r) for r in v.reports]}
                                         for v in d.values]}


def result_dict(h: Hit) -> dict:
    return {"rank": h.rank, "score": h.score, **citation_dict(h.citation), "passage": h.passage,
            "highlight": h.highlight, "also": [citation_dict(c) for c in h.also],
            "cosine": h.cosine, "mentions_name": h.named}


# --- hostile text at the edges: what comes in is made valid, what goes to a terminal is made inert

_LONE_SURROGATE = re.compile(r"[\ud800-\udc7f\udd00-\udfff]")  # not a byte smuggled by surrogateescape
# ESC sequences (CSI "ESC [ ... final", OSC "ESC ] ... BEL|ST", and two-character ones), then any
# other C0/C1 control character or DEL: none of them should reach a terminal from the archive.
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def valid_text(value: str) -> str:
    """`value` as valid Unicode: invalid UTF-8 bytes (which Python hands over as surrogate escapes in
    argv, e.g. `ask $'Rovno \\x80 drone'`) and lone surrogates become U+FFFD."""
    value = _LONE_SURROGATE.sub("\ufffd", value)
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def terminal_safe(value: str) -> str:
    """One line of archive text (a title, an outlet, a URL) for a terminal: escape sequences removed,
    other control characters (newlines and tabs too) made spaces."""
    return _CONTROL.sub(" ", _ESCAPE_SEQUENCE.sub("", valid_text(value)))


def stdin_lines() -> Iterator[str]:
    """Lines of stdin, decoded as UTF-8 with bad bytes replaced: one bad line never ends a batch."""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # a text stream without bytes underneath (a test's StringIO)
        for line in sys.stdin:
            yield valid_text(line.rstrip("\n"))
        return
    for line in raw:
        yield line.decode("utf-8", "replace").removesuffix("\n").removesuffix("\r")


def citation_line(c: Citation) -> str:
    parts = [c.title, c.source or "unknown outlet"]
    if c.published_at:
        parts.append(f"{c.published_at:%Y-%m-%d}")
    parts.append(c.url or c.article_id)
    return terminal_safe(" — ".join(parts))


def print_answer(console: Console, answer: Answer, story: bool = False) -> None:
    asked = escape(terminal_safe(answer.query.question))
    if not answer.hits and answer.closest:
        names = floors.written(answer.query)
        console.print(f"Nothing in the archive answers “{asked}”.")
        console.print(f"Closest report, not about {escape(terminal_safe(' or '.join(names)))}:\n" if names
                      else "Closest report, not an answer to it:\n")
        _print_hit(console, answer.closest, "")
        return
    if not answer.hits:
        console.print("Nothing in the archive matches that question; try fewer or broader words.")
        return
    if answer.relaxed:
        console.print(f"Nothing {escape(terminal_safe(answer.relaxed.describe()))} on that; the closest reports "
                      "without that filter:\n")
    held_back = " (the others ranked are not close enough to answer it)" if answer.held_back else ""
    console.print(f"{len(answer.hits)} passage{'s' if len(answer.hits) > 1 else ''} for “{asked}”{held_back}")
    if answer.newer:
        console.print(f"Newer reports exist: {escape(report_line(answer.newer))}"
                      + ("" if story else " (--story shows the story)"))
    console.print()
    for hit in answer.hits:
        _print_hit(console, hit, f"[{hit.rank}] ")
    if story and answer.story:
        print_story(console, answer.story)


def report_line(r: Report) -> str:
    """Outlet, date: how a report is named in a line."""
    c = r.citation
    return terminal_safe(", ".join([c.source or "unknown outlet", *([f"{c.published_at:%Y-%m-%d}"] if c.published_at else [])]))


def print_story(console: Console, story: Story) -> None:
    """The first result's story, first report to latest, each its answering sentence and citation; then
    the values its reports differ on."""
    console.print(Text(f"The story of [1], {len(story.reports)} report{'s' if len(story.reports) > 1 else ''} "
                       "from the first to the latest:", style="bold" if console.is_terminal else None))
    for r in story.reports:
        mark = "first " if r is story.first else "latest" if r is story.latest else "      "
        console.print(Text(f"  {mark} " + " ".join(terminal_safe(r.sentence).split())), soft_wrap=True)
        console.print(Text("         " + citation_line(r.citation), style="dim"), soft_wrap=True)
    for d in story.disagreements:
        values = " · ".join(f"{terminal_safe(v.value)}: " + "; ".join(report_line(r) for r in v.reports) for v in d.values)
        console.print(Text(f"  Reports differ on {terminal_safe(d.about)}: {values}"), soft_wrap=True)
    console.print()


def _print_hit(console: Console, hit: Hit, label: str) -> None:
    console.print(Text(label).append_text(_marked(hit, bold=console.is_terminal)), soft_wrap=True)
    console.print(Text("    " + citation_line(hit.citation), style="dim"), soft_wrap=True)
    for other in hit.also:
        console.print(Text("    also: " + citation_line(other), style="dim"), soft_wrap=True)
    console.print()


def _marked(hit: Hit, bold: bool) -> Text:
    """The highlight in bold on a terminal, between ** when the output is a file or a pipe."""
    before, sentence, after = (terminal_safe(part) for part in
                               context(hit.passage, hit.highlight_start, hit.highlight_end))
    text = Text(" ".join(before.split()) + (" " if before else ""))
    text.append(sentence if bold else f"**{sentence}**", style="bold" if bold else None)
    text.append((" " if after else "") + " ".join(after.split()))
    return text


def _json_line(value: dict) -> None:
    print(valid_text(json.dumps(value, ensure_ascii=False)), flush=True)


def ask(
    question: Annotated[str, typer.Argument(help='The question, or "-" to read one question per line from stdin.')],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (one object per question).")] = False,
    limit: Annotated[int, typer.Option("--limit", "-k", min=1, max=50, help="How many passages.")] = 5,
    per_article: Annotated[int, typer.Option(min=1, help="Passages allowed from one article.")] = 1,
    mode: Annotated[str, typer.Option(help="hybrid, dense or lexical.")] = "hybrid",
    as_of: Annotated[Optional[str], typer.Option(help='"Now" for relative dates such as "last week".')] = None,
    story: Annotated[bool, typer.Option("--story", help="Show the first result's story, first report to latest.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Answer a question with cited passages. Filters: from:OUTLET since:DATE until:DATE "exact phrase"."""
    if mode not in MODES:
        raise typer.BadParameter(f"use one of {', '.join(MODES)}", param_hint="--mode")
    now = parse_date(as_of) if as_of else None
    if as_of and now is None:
        raise typer.BadParameter(f"{as_of!r} is not a date", param_hint="--as-of")
    searcher = make_searcher(data_dir)
    console = Console(highlight=False)
    if question != "-":
        answer = searcher.ask(valid_text(question), limit=limit, mode=mode, per_article=per_article, as_of=now)
        if as_json:
            _json_line(answer_dict(answer))
        else:
            print_answer(console, answer, story)
        return
    failed = 0
    for number, line in enumerate(stdin_lines(), start=1):
        try:
            answer = searcher.ask(line, limit=limit, mode=mode, per_article=per_article, as_of=now)
        except Exception as error:  # one line's failure is reported with its number; the batch goes on
            if not isinstance(error, BadQuery):
                failed += 1
                print(f"error: stdin line {number}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
            if as_json:
                _json_line({"query": line, "filters": None, "results": [], "error": str(error)})
            elif isinstance(error, BadQuery):
                console.print(f"line {number}: {escape(terminal_safe(str(error)))}\n")
            continue
        if as_json:
            _json_line(answer_dict(answer))
        else:
            print_answer(console, answer, story)
            console.print()
    if failed:  # every other line was answered; the status still says that some were not
        raise typer.Exit(1)


def eval_command(
    qrels: Annotated[list[Path], typer.Argument(
        help="JSONL: one {question, relevant: [ids or URLs]} per line; several files are asked together "
             "(e.g. bench/qrels/reuters.jsonl and a `newsdesk feedback export`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Recall@1/5/10, MRR@10 and nDCG@10 for dense only, BM25 only and hybrid."""
    judgements = [j for path in qrels for j in load_qrels(path)]
    rows = evaluate(make_searcher(data_dir), judgements, ("dense", "lexical", "hybrid"))
    if as_json:
        print(json.dumps([m.as_dict() for m in rows]))
        return
    table = Table(title=f"{len(judgements)} questions from {', '.join(map(str, qrels))}")
    for column in ("mode", "Recall@1", "Recall@5", "Recall@10", "MRR@10", "nDCG@10"):
        table.add_column(column, justify="left" if column == "mode" else "right")
    for m in rows:
        name = {"lexical": "BM25 only", "dense": "dense only"}.get(m.mode, m.mode)
        table.add_row(name, *(f"{m.recall[k]:.3f}" for k in (1, 5, 10)), f"{m.mrr10:.3f}", f"{m.ndcg10:.3f}")
    Console().print(table)


COMMANDS = {"ask": ask, "eval": eval_command}  # name -> command, mounted at the root by bot/cli.py
