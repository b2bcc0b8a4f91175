#!/usr/bin/env python3
"""Compare talkbot with two rankers that cannot refuse, on eval question sets.

    pip install rank-bm25 numpy tokenizers
    python3 scripts/compare_rankers.py BIN SET.jsonl [SET2.jsonl ...]
        [--knowledge DIR] [--score PATH/score.py] [--model lang/minilm-static]

Rankers, one table row per set and ranker:
  talkbot  `BIN ask --json`, scored by the eval's own score.py (run as it is; its summary line
           is parsed), so in/typo/xl also need the expected terms; confident-wrong from score.py.
  bm25     rank-bm25's BM25Okapi over the fact base, one document per fact: its alternate
           questions and statement, lowercased \\w+ words.
  static   the distilled static model in lang/minilm-static (the int8 table the Rust side ships,
           read with numpy, tokenized with the same tokenizer.json): every alternate question
           and statement is one vector; a fact scores its best cosine.
For bm25 and static an answerable case (in, typo, xl) counts when the top fact's quote lies in one
of the expected paragraphs. They never refuse by themselves, so out/near count the cases whose top
score falls below one threshold: the one that maximises (answerable right and kept + out/near
refused) over all the sets given; the threshold and that total are printed below the table.
A fact's paragraph is the article paragraph (non-empty lines, title = 0, as score.py counts)
holding its quote.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from distill_model import encode_like_rust, read_table  # noqa: E402

CATS = ("in", "typo", "xl", "out", "near")
ANSWERABLE = ("in", "typo", "xl")


def norm(s):
    """score.py's folding, so quotes are found in paragraphs the way it finds them."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = s.replace("\u2014", "-").replace("\u2013", "-")
    return re.sub(r"\s+", " ", s).strip().lower()


def load_facts(knowledge: Path):
    facts = []
    for path in sorted((knowledge / "facts").glob("*.toml")):
        with open(path, "rb") as f:
            for fact in tomllib.load(f).get("fact", []):
                article = knowledge / "sources" / f"{fact['source']}.txt"
                paras = [norm(p) for p in article.read_text(encoding="utf-8").split("\n") if p.strip()]
                quote = norm(fact["quote"])
                para = next((i for i, p in enumerate(paras) if quote in p), None)
                texts = list(fact.get("questions", [])) + [fact["statement"]]
                facts.append({"id": fact["id"], "para": para, "texts": texts, "source": fact["source"]})
    return facts


def load_set(path: Path):
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


def run_talkbot(binary: str, score: Path, qset: Path, article: Path, knowledge: Path):
    env = dict(os.environ, KNOWLEDGE_DIR=str(knowledge))
    p = subprocess.run([sys.executable, str(score), binary, str(qset), str(article)],
                       capture_output=True, text=True, env=env, cwd=REPO, timeout=3600)
    summary = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    got = {k: (int(a), int(b)) for k, a, b in re.findall(r"\b(in|typo|xl|out|near) (\d+)/(\d+)", summary)}
    cw = re.search(r"confident-wrong (\d+)", summary)
    if not got:
        sys.exit(f"score.py printed no summary for {qset}: {p.stdout[-300:]!r} {p.stderr[-300:]!r}")
    return got, int(cw.group(1)) if cw else None


def words(text):
    return re.findall(r"\w+", text.lower())


class Bm25Ranker:
    name = "bm25"

    def __init__(self, facts):
        from rank_bm25 import BM25Okapi
        self.facts = facts
        self.bm25 = BM25Okapi([words(" ".join(f["texts"])) for f in facts])

    def top(self, question):
        scores = self.bm25.get_scores(words(question))
        best = int(np.argmax(scores))
        return best, float(scores[best])


class StaticRanker:
    name = "static"

    def __init__(self, facts, model_dir: Path):
        from tokenizers import Tokenizer
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.table = read_table(model_dir / "embeddings.i8")
        self.max_length = json.loads((model_dir / "config.json").read_text())["max_length"]
        self.owner, vectors = [], []
        for i, fact in enumerate(facts):
            for text in fact["texts"]:
                self.owner.append(i)
                vectors.append(self.encode(text))
        self.vectors = np.stack(vectors)

    def encode(self, text):
        return encode_like_rust(self.tokenizer, self.table, text, self.max_length)

    def top(self, question):
        cosines = self.vectors @ self.encode(question)
        best = int(np.argmax(cosines))
        return self.owner[best], float(cosines[best])


def best_threshold(cases):
    """The threshold on the top score maximising answerable-right-and-kept + out/near-refused."""
    candidates = sorted({s for _, s, _ in cases})
    best_t, best_total = -np.inf, -1
    for t in [-np.inf] + [c + 1e-9 for c in candidates]:
        total = sum((s >= t and ok) if ans else (s < t) for ans, s, ok in cases)
        if total > best_total:
            best_t, best_total = t, total
    return best_t, best_total


def fmt(got, n):
    return f"{got}/{n}" if n else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    parser.add_argument("--score", type=Path, default=REPO.parent / "shared" / "eval" / "score.py")
    parser.add_argument("--model", type=Path, default=REPO / "lang" / "minilm-static")
    args = parser.parse_args()

    facts = load_facts(args.knowledge)
    articles = sorted({f["source"] for f in facts})
    if len(articles) != 1:
        sys.exit(f"score.py scores against one article; the fact base cites {articles}")
    article = args.knowledge / "sources" / f"{articles[0]}.txt"
    rankers = [Bm25Ranker(facts), StaticRanker(facts, args.model)]

    sets = {path: load_set(path) for path in args.sets}
    rows = []  # (set name, ranker name, {cat: (got, n)}, confident-wrong)
    per_ranker = {r.name: [] for r in rankers}  # (set, cat, answerable, score, para_ok)
    for path, cases in sets.items():
        got, cw = run_talkbot(args.binary, args.score, path, article, args.knowledge)
        rows.append((path.name, "talkbot", got, cw))
        for ranker in rankers:
            for case in cases:
                fact, score = ranker.top(case["q"])
                answerable = case["cat"] in ANSWERABLE
                para_ok = answerable and facts[fact]["para"] in case.get("paras", [])
                per_ranker[ranker.name].append((path.name, case["cat"], answerable, score, para_ok))

    thresholds = {}
    for ranker in rankers:
        cases = per_ranker[ranker.name]
        t, total = best_threshold([(a, s, ok) for _, _, a, s, ok in cases])
        kept = sum(ok and s >= t for _, _, a, s, ok in cases if a)
        refused = sum(s < t for _, _, a, s, _ in cases if not a)
        thresholds[ranker.name] = (t, total, len(cases), kept, refused)
        for path in sets:
            got = {}
            for _, cat, a, s, ok in (c for c in cases if c[0] == path.name):
                g, n = got.get(cat, (0, 0))
                got[cat] = (g + (ok if a else s < t), n + 1)
            rows.append((path.name, ranker.name, got, None))

    order = {name: i for i, name in enumerate(p.name for p in sets)}
    rows.sort(key=lambda r: (order[r[0]], ["talkbot", "bm25", "static"].index(r[1])))
    width = max(len(r[0]) for r in rows)
    header = f"{'set':<{width}}  {'ranker':<7} " + " ".join(f"{c:>7}" for c in CATS) + "  confident-wrong"
    print(header)
    for name, ranker, got, cw in rows:
        cells = " ".join(f"{fmt(*got.get(c, (0, 0))):>7}" for c in CATS)
        print(f"{name:<{width}}  {ranker:<7} {cells}  {'-' if cw is None else cw:>15}")
    print()
    print("talkbot: score.py (right paragraph and terms; refusals). bm25/static: right paragraph first;")
    print("out/near refused below the threshold that maximises answerable-kept + refused over all sets:")
    for name, (t, total, n, kept, refused) in thresholds.items():
        print(f"  {name:<7} threshold {t:.4f} on the top score: {total}/{n} "
              f"({kept} answerable right and kept, {refused} out/near refused)")


if __name__ == "__main__":
    main()
