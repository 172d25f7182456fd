import json
from datetime import datetime, timezone

import pytest

from index.errors import SourceError
from index.records import Article, Problem
from index.sources import MAX_BODY_CHARS, read_path


def split(records):
    records = list(records)
    return [r for r in records if isinstance(r, Article)], [r for r in records if isinstance(r, Problem)]


def test_jsonl_fields_and_bad_lines(tmp_path):
    path = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"url": "https://a.example/1", "id": "a-1", "title": "Rovno", "body": "Rovno fell.",
                    "source": "Kyiv Ledger", "published_at": "2024-12-07T08:40:00Z", "author": "O. P."}),
        '{"id": "broken", "body": ',
        json.dumps({"id": "no-body", "title": "Nothing here"}),
        json.dumps({"id": "empty", "body": "   \n  "}),
        json.dumps({"id": "huge", "body": "x" * (MAX_BODY_CHARS + 1)}),
        json.dumps({"id": "bad-date", "text": "Text field works too.", "date": "the day after the storm"}),
        "[1, 2]",
        "",
        json.dumps({"body": "No id and no url: the content decides."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    articles, problems = split(read_path(path))
    assert [a.article_id for a in articles] == ["a-1", "bad-date", articles[2].article_id]
    first = articles[0]
    assert (first.url, first.title, first.source, first.author, first.body, first.origin) == (
        "https://a.example/1", "Rovno", "Kyiv Ledger", "O. P.", "Rovno fell.", f"{path}:1")
    assert first.published_at == datetime(2024, 12, 7, 8, 40, tzinfo=timezone.utc)
    assert articles[1].published_at is None and articles[1].title == "Text field works too."
    assert len(articles[2].article_id) == 32  # a content hash
    assert [(p.origin, p.skipped) for p in problems] == [
        (f"{path}:2", True), (f"{path}:3", True), (f"{path}:4", True), (f"{path}:5", True),
        (f"{path}:6", False), (f"{path}:7", True)]
    assert problems[1].reason == "no body (expected a 'body' or 'text' field with text)"
    assert problems[2].reason == "empty body"
    assert problems[3].reason == f"body is {MAX_BODY_CHARS + 1:,} characters, over the {MAX_BODY_CHARS:,} limit"
    assert problems[4].reason == "date 'the day after the storm' could not be parsed"
    assert problems[5].reason == "not a JSON object"


def test_csv_with_a_row_without_body(tmp_path):
    path = tmp_path / "wire.csv"
    path.write_text('id,title,body,source,date\n'
                    'c-1,First,"Multi-line\nbody here.",Harbor Tribune,2024-11-02\n'
                    'c-2,Second,,Harbor Tribune,2024-11-03\n'
                    'c-3,Third,Third body.,Harbor Tribune,2024-11-04,extra\n'
                    'c-4,Fourth,Fourth body.,,\n')
    articles, problems = split(read_path(path))
    assert [(a.article_id, a.body, a.source) for a in articles] == [
        ("c-1", "Multi-line body here.", "Harbor Tribune"), ("c-4", "Fourth body.", None)]
    assert [(p.origin, p.reason) for p in problems] == [
        (f"{path}:4", "no body (expected a 'body' or 'text' field with text)"),
        (f"{path}:5", "more values than columns")]


def test_folder_of_documents(tmp_path):
    folder = tmp_path / "archive"
    (folder / "sub").mkdir(parents=True)
    (folder / "plain.txt").write_text("First sentence is the title. Then the rest.\n\n\n\n")
    (folder / "sub" / "note.md").write_text("# Markdown title\n\nBody of the note.\n")
    (folder / "page.html").write_text(
        "<html><head><title>Page</title><meta property='og:site_name' content='Danube Post'></head><body>"
        "<nav>Home | World</nav><article><h1>Barge verdict</h1><p>The court in Vukovar convicted the captain of"
        " the barge after a long trial that drew wide attention along the river.</p><p>He will appeal the"
        " ruling, his lawyer told reporters outside the courthouse on Wednesday.</p></article>"
        "<footer>Copyright</footer></body></html>")
    (folder / "image.txt").write_bytes(b"\x89PNG\x00\x00binary")
    (folder / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (folder / "table.xlsx").write_bytes(b"PK")
    (folder / ".hidden.txt").write_text("ignored")
    articles, problems = split(read_path(folder))
    by_id = {a.article_id: a for a in articles}
    assert sorted(by_id) == sorted([str(folder / "page.html"), str(folder / "plain.txt"), str(folder / "sub" / "note.md")])
    assert by_id[str(folder / "plain.txt")].title == "First sentence is the title."
    assert by_id[str(folder / "plain.txt")].body == "First sentence is the title. Then the rest."
    assert (by_id[str(folder / "sub" / "note.md")].title, by_id[str(folder / "sub" / "note.md")].body) == (
        "Markdown title", "Body of the note.")
    page = by_id[str(folder / "page.html")]
    assert page.source == "Danube Post"
    assert "convicted the captain" in page.body and "Home | World" not in page.body and "Copyright" not in page.body
    assert sorted((p.origin, p.reason) for p in problems) == [
        (str(folder / "image.txt"), "binary file, not text"),
        (str(folder / "latin1.txt"), "not UTF-8 text"),
        (str(folder / "table.xlsx"), "not a supported file type (.csv, .htm, .html, .jsonl, .markdown, .md, .ndjson, .txt)"),
    ]


def test_missing_path_and_unknown_file_type_are_errors_for_the_user(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        list(read_path(tmp_path / "nowhere.jsonl"))
    odd = tmp_path / "sheet.xlsx"
    odd.write_bytes(b"PK")
    with pytest.raises(SourceError, match="is not a supported file"):
        list(read_path(odd))
