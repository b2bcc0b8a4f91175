#!/usr/bin/env python3
"""Export wordfreq's English, Ukrainian and Russian lists to lang/wordfreq-{en,uk,ru}.tsv.

    pip install wordfreq==3.1.1
    python3 scripts/export_wordfreq.py                 # English, 60,000 words
    python3 scripts/export_wordfreq.py --lang uk --top 30000
    python3 scripts/export_wordfreq.py --lang ru --top 30000

Ukrainian and Russian words are folded as the bot folds them (lower case, й→и, ї→і, ё→е), so
that a question's untranslated word is looked up as it was typed; two words that fold alike keep
the first (the more frequent).

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

WORD = {
    "en": re.compile(r"^[a-z]+(?:'[a-z]+)*$"),
    "uk": re.compile(r"^[а-щьюяєіїґ]+$"),
    "ru": re.compile(r"^[а-яё]+$"),
}
NAME = {"en": "English", "uk": "Ukrainian", "ru": "Russian"}
CYRILLIC_FOLD = str.maketrans({"й": "и", "ї": "і", "ё": "е"})
REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", choices=sorted(WORD), default="en")
    parser.add_argument("--top", type=int, default=60_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    lang = args.lang
    out_path = args.out or REPO / "lang" / f"wordfreq-{lang}.tsv"

    version = metadata.version("wordfreq")
    if version != "3.1.1":
        print(f"warning: wordfreq {version}, the committed file was made with 3.1.1", file=sys.stderr)
    licence = metadata.metadata("wordfreq").get("License", "?")

    rows = []
    seen = set()
    for centibels, bucket in enumerate(wordfreq.get_frequency_list(lang, "large")):
        zipf = 9 - centibels / 100
        for word in bucket:
            if not WORD[lang].match(word):
                continue
            folded = word if lang == "en" else word.translate(CYRILLIC_FOLD)
            if folded not in seen:
                seen.add(folded)
                rows.append((folded, zipf))
        if len(rows) >= args.top:
            break
    rows = rows[: args.top]

    # Spot-check against the package's own lookup (folded Cyrillic words may not be its own).
    if lang == "en":
        for word, zipf in rows[:: max(1, len(rows) // 200)]:
            assert abs(wordfreq.zipf_frequency(word, "en", "large") - zipf) < 0.006, word

    header = [
        f"# {NAME[lang]} word frequencies: the {len(rows)} most frequent words of wordfreq {version}'s",
        f"# \"large\" {NAME[lang]} list (wordfreq/data/large_{lang}.msgpack.gz), letters only"
        + (" and internal apostrophes." if lang == "en" else ", folded (й→и, ї→і, ё→е)."),
        "# Format: word<TAB>zipf, zipf = log10(occurrences per billion words), most frequent first.",
        f"# Source: wordfreq {version} by Robyn Speer, https://github.com/rspeer/wordfreq (PyPI: wordfreq).",
        "# Licence: the data is CC-BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/),",
        f"# the wordfreq code {licence}. It includes data from SUBTLEX (Brysbaert et al.), OpenSubtitles,",
        "# Wikipedia, Google Books Ngrams, the Leeds Internet Corpus, ParaCrawl and others: see wordfreq's README.",
        "# This file, as an adaptation of that data, is likewise CC-BY-SA 4.0.",
        "# Regenerate: pip install wordfreq==3.1.1 && python3 scripts/export_wordfreq.py"
        + ("" if lang == "en" else f" --lang {lang} --top {args.top}"),
    ]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(header) + "\n")
        for word, zipf in rows:
            out.write(f"{word}\t{zipf:.2f}\n")
    print(f"wrote {out_path} ({len(rows)} words, {out_path.stat().st_size} bytes, "
          f"zipf {rows[0][1]:.2f} .. {rows[-1][1]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
