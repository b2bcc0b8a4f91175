#!/usr/bin/env bash
# Are two builds' answers byte-identical? `talkbot chat --json` of each, compared with cmp:
#   - every question of tests/eval/*.jsonl (field "q") on the shipped base (knowledge/);
#   - with a synthetic base DIR (`talkbot gen-kb --facts 10000 DIR`): the second question of every
#     20th fact, the same with its fourth character dropped (a typo), and the first 100 eval
#     questions.
#
#     scripts/same_answers.sh BEFORE AFTER [DIR]      # BEFORE, AFTER: two talkbot binaries
set -euo pipefail
before=$1 after=$2 synthetic=${3:-}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$repo" "$synthetic" "$work" <<'PY'
import glob, json, sys, tomllib
repo, synthetic, work = sys.argv[1:]
eval_questions = []
for path in sorted(glob.glob(f"{repo}/tests/eval/*.jsonl")):
    for line in open(path, encoding="utf-8"):
        if line.strip():
            eval_questions.append(" ".join(json.loads(line)["q"].split()))
open(f"{work}/shipped.txt", "w").write("\n".join(eval_questions) + "\n")
if synthetic:
    questions = []
    facts = [f for path in sorted(glob.glob(f"{synthetic}/facts/*.toml"))
             for f in tomllib.load(open(path, "rb")).get("fact", [])]
    for fact in facts[::20]:
        q = fact["questions"][1 % len(fact["questions"])]
        questions += [q, q[:3] + q[4:]]
    questions += eval_questions[:100]
    open(f"{work}/synthetic.txt", "w").write("\n".join(questions) + "\n")
PY

compare() {
  local dir=$1 questions=$2 name=$3
  "$before" --knowledge "$dir" chat --json <"$questions" >"$work/$name.before"
  "$after" --knowledge "$dir" chat --json <"$questions" >"$work/$name.after"
  if cmp -s "$work/$name.before" "$work/$name.after"; then
    echo "$name: $(wc -l <"$questions") questions, byte-identical"
  else
    echo "$name: answers differ"
    diff <(head -c 2000 "$work/$name.before") <(head -c 2000 "$work/$name.after") || true
    return 1
  fi
}
compare "$repo/knowledge" "$work/shipped.txt" shipped
if [ -n "$synthetic" ]; then compare "$synthetic" "$work/synthetic.txt" synthetic; fi
