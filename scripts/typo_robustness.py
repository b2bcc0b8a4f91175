#!/usr/bin/env python3
"""How often a misspelling changes talkbot's answer, on questions it answers when spelled right.

    python3 scripts/typo_robustness.py BIN SET.jsonl [SET2.jsonl ...] [--variants N] [--seed S] [-v]

For each `in` case of the sets that BIN answers, N misspelled copies are made (seeded, so two
runs and two binaries see the same copies): one or two words of four letters or more each get
one typo of the kinds people make on a keyboard (two neighbours swapped, a letter left out, a
letter doubled, a neighbouring key hit instead, a vowel dropped). A copy is *kept* when it is
answered with the same first fact as the question spelled right, *refused* when not answered,
and *changed* when answered from another fact. The question sets' own typo cases are a few
dozen; this measures the same tolerance over hundreds of questions without writing them.
"""
import json
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
VOWELS = set("aeiou")


def neighbours(c):
    for row in KEYBOARD:
        i = row.find(c)
        if i >= 0:
            return [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
    return []


def misspell(word, rng):
    kinds = ["swap", "drop", "double", "neighbour"]
    if any(c in VOWELS for c in word[1:]):
        kinds.append("vowel")
    kind = rng.choice(kinds)
    # The first letter is kept: people rarely get it wrong, and every typo corrector leans on it.
    i = rng.randrange(1, len(word))
    if kind == "swap" and i < len(word) - 1 and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "neighbour" and neighbours(word[i]):
        return word[:i] + rng.choice(neighbours(word[i])) + word[i + 1:]
    if kind == "vowel":
        spots = [j for j in range(1, len(word)) if word[j] in VOWELS]
        j = rng.choice(spots)
        return word[:j] + word[j + 1:]
    return word[:i] + word[i + 1:]


def variant(question, rng):
    words = question.split(" ")
    spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha() and w.isascii()]
    if not spots:
        return None
    for i in rng.sample(spots, min(len(spots), rng.choice([1, 1, 2]))):
        words[i] = misspell(words[i].lower(), rng)
    typed = " ".join(words)
    return typed if typed != question else None


def ask(binary, question):
    p = subprocess.run([binary, "ask", "--json", question], capture_output=True, text=True, timeout=30)
    reply = json.loads(p.stdout)
    facts = reply.get("facts") or []
    return facts[0]["id"] if reply.get("answered") and facts else None


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    variants, seed = 2, 7
    for flag in ("--variants", "--seed"):
        if flag in args:
            i = args.index(flag)
            value = int(args[i + 1])
            del args[i:i + 2]
            if flag == "--variants":
                variants = value
            else:
                seed = value
    binary, sets = args[0], args[1:]
    questions = []
    for path in sets:
        for line in open(path, encoding="utf-8"):
            if line.strip():
                case = json.loads(line)
                if case["cat"] == "in":
                    questions.append(case["q"])
    rng = random.Random(seed)
    copies = []
    for q in questions:
        for _ in range(variants):
            typed = variant(q, rng)
            if typed:
                copies.append((q, typed))
    with ThreadPoolExecutor(2) as pool:
        right = dict(zip(questions, pool.map(lambda q: ask(binary, q), questions)))
        copies = [(q, t) for q, t in copies if right[q]]
        got = list(pool.map(lambda c: ask(binary, c[1]), copies))
    kept = refused = changed = 0
    for (q, typed), fact in zip(copies, got):
        if fact == right[q]:
            kept += 1
        elif fact is None:
            refused += 1
            if verbose:
                print(f"REFUSED {typed!r} (spelled right: {q!r})")
        else:
            changed += 1
            if verbose:
                print(f"CHANGED {typed!r}: {fact} instead of {right[q]}")
    n = len(copies)
    print(f"misspelled copies {n}: kept {kept} ({kept / n:.0%}), refused {refused}, changed {changed}")


main()
