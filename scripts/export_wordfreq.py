#!/usr/bin/env python3
"""Export wordfreq's English "large" list to lang/wordfreq-en.tsv.

    pip install wordfreq==3.1.1
    python3 scripts/export_wordfreq.py [--top 60000] [--out lang/wordfreq-en.tsv]

wordfreq ships its lists inside the wheel (wordfreq/data/large_en.msgpack.gz), so this runs
offline. The list is a sequence of buckets, one per centibel: bucket i holds the words whose
frequency is 10^(-i/100), i.e. Zipf 9 - i/100. We keep the most frequent words made of ASCII
letters with optional internal apostrophes ("don't"), lowercase, in the list's own order (by
frequency, ties as wordfreq stores them), as `word<TAB>zipf` with two decimals.
Output is deterministic: the same package version gives the same bytes.
"""
import argparse
import re
import sys
from importlib import metadata
from pathlib import Path

import wordfreq

WORD = re.compile(r"^[a-z]+(?:'[a-z]+)*$")
REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=60_000)
    parser.add_argument("--out", type=Path, default=REPO / "lang" / "wordfreq-en.tsv")
    args = parser.parse_args()

    version = metadata.version("wordfreq")
    if version != "3.1.1":
        print(f"warning: wordfreq {version}, the committed file was made with 3.1.1", file=sys.stderr)
    licence = metadata.metadata("wordfreq").get("License", "?")

    rows = []
    seen = set()
    for centibels, bucket in enumerate(wordfreq.get_frequency_list("en", "large")):
        zipf = 9 - centibels / 100
        for word in bucket:
            if WORD.match(word) and word not in seen:
                seen.add(word)
                rows.append((word, zipf))
        if len(rows) >= args.top:
            break
    rows = rows[: args.top]

    # Spot-check against the package's own lookup.
    for word, zipf in rows[:: max(1, len(rows) // 200)]:
        assert abs(wordfreq.zipf_frequency(word, "en", "large") - zipf) < 0.006, word

    header = [
        f"# English word frequencies: the {len(rows)} most frequent words of wordfreq {version}'s",
        "# \"large\" English list (wordfreq/data/large_en.msgpack.gz), letters and internal apostrophes only.",
        "# Format: word<TAB>zipf, zipf = log10(occurrences per billion words), most frequent first.",
        f"# Source: wordfreq {version} by Robyn Speer, https://github.com/rspeer/wordfreq (PyPI: wordfreq).",
        "# Licence: the data is CC-BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/),",
        f"# the wordfreq code {licence}. It includes data from SUBTLEX (Brysbaert et al.), OpenSubtitles,",
        "# Wikipedia, Google Books Ngrams, the Leeds Internet Corpus, ParaCrawl and others: see wordfreq's README.",
        "# This file, as an adaptation of that data, is likewise CC-BY-SA 4.0.",
        "# Regenerate: pip install wordfreq==3.1.1 && python3 scripts/export_wordfreq.py",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(header) + "\n")
        for word, zipf in rows:
            out.write(f"{word}\t{zipf:.2f}\n")
    print(f"wrote {args.out} ({len(rows)} words, {args.out.stat().st_size} bytes, "
          f"zipf {rows[0][1]:.2f} .. {rows[-1][1]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
