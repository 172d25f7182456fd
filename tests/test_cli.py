"""The `newsdesk` command as a user runs it: exact output, exit codes, no tracebacks."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

NEWSDESK = Path(sys.executable).parent / "newsdesk"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_json_gives_exactly_what_the_input_said(capsys, sample_dir):
    code, out, err = run(capsys, "ask", "--json", "what was reported about Rovno?", "--data-dir", str(sample_dir))
    assert code == 0
    answer = json.loads(out)
    assert answer["query"] == "what was reported about Rovno?"
    assert answer["filters"] == {
        "stated": {"from": [], "since": None, "until": None, "exact": []},
        "inferred": {"outlets": [], "since": None, "until": None, "quoted": [], "order": "relevance"}}
    assert answer["relaxed"] is None
    top = answer["results"][0]
    assert list(top) == ["rank", "score", "article_id", "url", "title", "source", "published_at", "passage",
                         "highlight", "also", "cosine", "mentions_name"]
    assert (top["mentions_name"], answer["names"], answer["closest"]) == (True, ["Rovno"], None)
    assert answer["floor"] == {"cosine": -1.0, "margin": 2.0, "unnamed": -1.0}  # MiniLM has none of its own
    assert {k: top[k] for k in ("rank", "article_id", "url", "title", "source", "published_at", "highlight")} == {
        "rank": 1, "article_id": "kl-2024-1207-rovno",
        "url": "https://kyivledger.example/2024/12/07/russia-claims-kucherkovka-and-rovno",
        "title": "Russia claims two villages in Kharkiv and Donetsk regions", "source": "Kyiv Ledger",
        "published_at": "2024-12-07T08:40:00+00:00",
        "highlight": "According to the Russian Defence Ministry, Rovno, a settlement in the Donetsk region, came under Russian control."}
    assert top["highlight"] in top["passage"]
    assert len(answer["results"]) == 1  # the only article that names Rovno; the rest are below the floor


def test_ask_json_shows_how_the_question_was_read(capsys, sample_dir):
    code, out, _ = run(capsys, "ask", "--json", "what did Kyiv Ledger report last week about Rovno?",
                       "--as-of", "2024-12-10", "--data-dir", str(sample_dir))
    answer = json.loads(out)
    assert answer["filters"] == {
        "stated": {"from": [], "since": None, "until": None, "exact": []},  # what the words imply only ranks
        "inferred": {"outlets": [["Kyiv Ledger"]], "since": "2024-12-02T00:00:00+00:00",
                     "until": "2024-12-09T00:00:00+00:00", "quoted": [], "order": "relevance"}}
    assert [r["article_id"] for r in answer["results"]] == ["kl-2024-1207-rovno"]
    code, out, _ = run(capsys, "ask", "--json", 'from:"Danube Post" since:2024-12-01 until:2024-12-31 Rovno',
                       "--data-dir", str(sample_dir))
    answer = json.loads(out)
    assert answer["relaxed"] == {"from": ["Danube Post"], "since": "2024-12-01T00:00:00+00:00",
                                 "until": "2025-01-01T00:00:00+00:00", "exact": []}
    assert [r["article_id"] for r in answer["results"]] == ["kl-2024-1207-rovno"]
    code, out, _ = run(capsys, "ask", 'from:"Danube Post" since:2024-12-01 until:2024-12-31 Rovno',
                       "--data-dir", str(sample_dir))
    assert " ".join(out.split("\n\n")[0].split()) == "Nothing from Danube Post, since 1 Dec 2024, until 31 Dec 2024 on that; " \
        "the closest reports without that filter:"
    assert run(capsys, "ask", "from:nobody Rovno", "--data-dir", str(sample_dir)) == (
        2, "", "error: The archive has no outlet called 'nobody'.\n")


def test_ask_for_people_marks_the_sentence_and_cites_it(capsys, sample_dir):
    code, out, _ = run(capsys, "ask", "what was reported about Rovno?", "-k", "1", "--data-dir", str(sample_dir))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "1 passage for “what was reported about Rovno?”"
    assert "**According to the Russian Defence Ministry, Rovno, a settlement in the Donetsk region, came under Russian control.**" in lines[2]
    assert lines[3] == ("    Russia claims two villages in Kharkiv and Donetsk regions — Kyiv Ledger — 2024-12-07 — "
                        "https://kyivledger.example/2024/12/07/russia-claims-kucherkovka-and-rovno")


def test_ask_batch_reads_one_question_per_line(capsys, sample_dir, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Rovno\n\nCorallo Star\n"))
    code, out, _ = run(capsys, "ask", "--json", "-", "-k", "1", "--data-dir", str(sample_dir))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["query"] for r in rows] == ["Rovno", "", "Corallo Star"]
    assert [[x["article_id"] for x in r["results"]] for r in rows] == [
        ["kl-2024-1207-rovno"], [], ["ht-2024-0930-corallo-star-aground"]]
    assert rows[1]["error"] == "The question is empty: ask about a person, a place or an event."


def test_empty_question_is_a_one_line_error_with_status_2(capsys, sample_dir):
    assert run(capsys, "ask", "  ", "--data-dir", str(sample_dir)) == (
        2, "", "error: The question is empty: ask about a person, a place or an event.\n")


def test_ask_before_indexing_says_which_command_to_run(capsys, tmp_path):
    assert run(capsys, "ask", "Rovno", "--data-dir", str(tmp_path)) == (
        1, "", f"error: There is no index in {tmp_path} yet: run `newsdesk index add PATH` first.\n")


def test_index_add_reports_bad_records_and_counts(capsys, monkeypatch, tmp_path, model_encoder):
    monkeypatch.setenv("NEWSDESK_MODEL", "all-MiniLM-L6-v2")  # the default, e5, is tested in test_multilingual_model
    # the CPU's default backend is tested in test_scaling; int8's export shows the model cache kept apart
    monkeypatch.setenv("NEWSDESK_BACKEND", "onnx-int8")
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "x1", "title": "T", "body": "A body about the Oskil river."}\n{"id": "x2"\n'
                      '{"id": "x3", "body": "Another body.", "date": "someday"}\n')
    code, out, err = run(capsys, "index", "add", str(source), "--data-dir", str(tmp_path / "d"))
    assert code == 0
    assert err.splitlines() == [
        f"skipped: {source}:2: not valid JSON (JSONDecodeError: Expecting ',' delimiter: line 2 column 1 (char 12))",
        f"warning: {source}:3: date 'someday' could not be parsed (indexed without it)",
    ]
    # each of the two bodies is one sentence, its passage's text
    assert out.startswith("added 2, updated 0, unchanged 0, removed 0, skipped 1; embedded 2 passages and 2 sentences; "
                          "generation 1; ")
    code, out, _ = run(capsys, "index", "status", "--json", "--data-dir", str(tmp_path / "d"))
    status = json.loads(out)
    assert {k: status[k] for k in ("generation", "articles", "passages", "model", "dimension", "index_type",
                                   "backend")} == {
        "generation": 1, "articles": 2, "passages": 2, "model": "sentence-transformers/all-MiniLM-L6-v2",
        "dimension": 384, "index_type": "IDMap2,SQfp16", "backend": "onnx-int8"}
    data = tmp_path / "d"  # the int8 export is kept in the user's model cache, outside the archive
    assert not (data / "models").exists() and status["size_bytes"] == sum(
        p.stat().st_size for p in data.rglob("*") if p.is_file())
    assert Path(status["model_ready"]) == (Path(status["model_cache"]) / "models"
                                           / "sentence-transformers--all-MiniLM-L6-v2-onnx-int8")
    code, out, _ = run(capsys, "index", "status", "--data-dir", str(tmp_path / "d"))
    assert [line.split()[0] for line in out.strip().splitlines()] == [
        "articles", "passages", "outlets", "dates", "model", "backend", "model", "index", "size", "generation",
        "last"]


def test_eval_prints_the_three_modes(capsys, sample_dir, tmp_path):
    qrels = tmp_path / "q.jsonl"
    qrels.write_text("\n".join(json.dumps(q) for q in [
        {"question": "what was reported about Rovno?", "relevant": ["kl-2024-1207-rovno"]},
        {"question": "the cargo ship that ran aground", "relevant": ["ht-2024-0930-corallo-star-aground"]},
        {"question": "ECB rate cut", "relevant": ["nw-2024-1212-ecb-cut",
                                                  "https://pacificbusinessdaily.example/markets/2024/12/12/ecb-lowers-deposit-rate-3-percent"]},
    ]) + "\n")
    code, out, _ = run(capsys, "eval", str(qrels), "--json", "--data-dir", str(sample_dir))
    assert code == 0
    rows = json.loads(out)
    assert [r["mode"] for r in rows] == ["dense", "lexical", "hybrid"]
    hybrid = rows[2]
    assert (hybrid["questions"], hybrid["recall@1"], hybrid["recall@10"], hybrid["mrr@10"]) == (3, 1.0, 1.0, 1.0)


def test_eval_rejects_a_malformed_file_in_one_sentence(capsys, sample_dir, tmp_path):
    qrels = tmp_path / "q.jsonl"
    qrels.write_text('{"question": "x"}\n')
    assert run(capsys, "eval", str(qrels), "--data-dir", str(sample_dir)) == (
        1, "", f"error: {qrels}:1 is not a JSON object with 'question' and 'relevant'.\n")


def test_the_installed_command_runs_without_tracebacks(tmp_path):
    env = {**os.environ, "NEWSDESK_DATA": str(tmp_path)}
    done = subprocess.run([str(NEWSDESK), "ask", "Rovno"], capture_output=True, text=True, env=env, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"error: There is no index in {tmp_path} yet: run `newsdesk index add PATH` first.\n"
    done = subprocess.run([str(NEWSDESK), "index", "add", str(tmp_path / "missing.jsonl")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert (done.returncode, done.stderr) == (1, f"error: {tmp_path / 'missing.jsonl'} does not exist.\n")
    done = subprocess.run([str(NEWSDESK), "ask"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and "Missing argument" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture(autouse=True)
def _restore_torch_threads():
    """`ask` tunes torch for serving (one thread); later tests in this process index with all cores."""
    import torch

    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)
