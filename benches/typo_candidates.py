#!/usr/bin/env python3
"""How many vocabulary words a misspelled word meets in talkbot's typo index.

src/matcher/typo.rs stores every word of five or more letters under itself and under each of
its one-letter deletions; a misspelled word probes the same keys, and strsim scores only the
words found there. This script rebuilds those keys from a fact base (folding approximated:
lower case, curly apostrophes, possessive 's) and misspells 2,000 of its words (one letter
dropped or two swapped) to count the candidates each meets. The count is what stays flat
while the vocabulary grows; a linear scan would score every word.

Usage: python3 benches/typo_candidates.py knowledge /tmp/kb10k /tmp/kb100k
"""
import glob, re, sys, tomllib, random, statistics, collections
def words(t):
    t=t.lower().replace('\u2019',"'")
    out=[]
    for raw in re.split(r"[^0-9a-z']+", t):
        raw=raw.strip("'")
        if raw.endswith("'s"): raw=raw[:-2]
        raw=raw.replace("'","")
        if raw: out.append(raw)
    return out
def keys(w): return {w} | {w[:i]+w[i+1:] for i in range(len(w))}
for d in sys.argv[1:]:
    vocab=set()
    for f in glob.glob(d+'/facts/*.toml'):
        for fact in tomllib.load(open(f,'rb'))['fact']:
            for t in fact['questions']+[fact['statement'],fact['quote']]:
                vocab.update(words(t))
    al=tomllib.load(open(d+'/aliases.toml','rb'))
    for table in al.values():
        for k,vs in table.items():
            vocab.update(words(k))
            for v in vs: vocab.update(words(v))
    fuzzy=[w for w in vocab if len(w)>=5]
    index=collections.defaultdict(set)
    for w in fuzzy:
        for k in keys(w): index[k].add(w)
    rnd=random.Random(1)
    counts=[]
    for w in rnd.sample(sorted(fuzzy), min(2000, len(fuzzy))):
        i=rnd.randrange(1,len(w)-1)
        typo=w[:i]+w[i+1:] if rnd.random()<0.5 else w[:i-1]+w[i]+w[i-1]+w[i+1:]
        cands=set()
        for k in keys(typo): cands |= index.get(k,set())
        counts.append(len(cands))
    counts.sort()
    print(f"{d}: vocabulary {len(vocab)} words ({len(fuzzy)} of 5+ letters), {sum(len(v) for v in index.values())} keys; candidates per misspelled word: median {statistics.median(counts)}, p99 {counts[int(len(counts)*0.99)]}, max {counts[-1]}")
