//! A small fact base the tests write themselves, so they do not depend on the wording of the
//! shipped one (which moderators keep editing): one article, seven facts over four topics
//! (two `/facts` pages), and a paragraph no fact quotes yet, for the refresh tests.

use std::fs;
use std::path::Path;

pub const ARTICLE: &str = "\
Negotiators Meet in Geneva for a Second Round

GENEVA — Delegations from both countries met on Tuesday for a second round of talks on a ceasefire.

The talks were led by a former diplomat named Anna Berg, who chaired every session.

The delegations agreed to exchange two hundred prisoners before the end of the month.

A grain corridor through the Black Sea was discussed but no agreement was reached.

The next round is planned for March in Vienna, according to officials.

Observers said the mood in the room was cautious but constructive.

Energy infrastructure was declared off limits for strikes during the talks.

A retired lighthouse keeper served as interpreter for both delegations.
";

const META: &str = r#"
title = "Negotiators Meet in Geneva for a Second Round"
dateline = "GENEVA"
event_date = "March 4"
publisher = "unknown"
url = "unknown"
byline = "unknown"
"#;

const FACTS: &str = r#"
[[fact]]
id = "talks-leader"
topic = "talks"
statement = "The talks were led by Anna Berg, a former diplomat."
questions = ["Who led the talks?", "Who chaired the sessions?"]
source = "geneva"
quote = "led by a former diplomat named Anna Berg"

[[fact]]
id = "prisoner-exchange"
topic = "prisoners"
statement = "The delegations agreed to exchange two hundred prisoners."
questions = ["Was there a prisoner exchange?", "How many prisoners will be exchanged?"]
source = "geneva"
quote = "agreed to exchange two hundred prisoners"

[[fact]]
id = "grain-corridor"
topic = "trade"
statement = "A Black Sea grain corridor was discussed, without agreement."
questions = ["Was a grain corridor agreed?", "What about grain exports?"]
source = "geneva"
quote = "A grain corridor through the Black Sea was discussed but no agreement was reached"

[[fact]]
id = "next-round"
topic = "talks"
statement = "The next round is planned for March in Vienna."
questions = ["When is the next round?", "Where will they meet next?"]
source = "geneva"
quote = "The next round is planned for March in Vienna"

[[fact]]
id = "mood"
topic = "talks"
statement = "Observers called the mood cautious but constructive."
questions = ["What was the mood in the room?", "How did the talks feel?"]
source = "geneva"
quote = "the mood in the room was cautious but constructive"

[[fact]]
id = "energy-truce"
topic = "energy"
statement = "Energy infrastructure was declared off limits for strikes during the talks."
questions = ["Are energy strikes off limits?", "Is there an energy truce?"]
source = "geneva"
quote = "Energy infrastructure was declared off limits"

[[fact]]
id = "second-round"
topic = "talks"
statement = "The delegations met on a Tuesday in Geneva for a second round of talks."
questions = ["Where did the delegations meet?", "Is this the second round?"]
source = "geneva"
quote = "met on Tuesday for a second round of talks"
"#;

/// The fact the refresh tests add on disk: before a refresh "Who was the interpreter?" is
/// refused, after it is answered with this quote.
pub const NEW_FACT_ID: &str = "interpreter";
pub const NEW_FACT_QUESTION: &str = "Who was the interpreter?";
pub const NEW_FACT_QUOTE: &str = "A retired lighthouse keeper served as interpreter";
const NEW_FACT: &str = r#"
[[fact]]
id = "interpreter"
topic = "talks"
statement = "A retired lighthouse keeper interpreted for both delegations."
questions = ["Who was the interpreter?", "Who translated at the talks?"]
source = "geneva"
quote = "A retired lighthouse keeper served as interpreter"
"#;

/// A fact whose quote is not in the article, on line 2 of `facts/broken.toml`.
const BROKEN_FACT: &str = r#"[[fact]]
id = "made-up"
topic = "talks"
statement = "Something the article never says."
questions = ["Did the article say this?"]
source = "geneva"
quote = "words that appear nowhere in the article"
"#;

pub fn write(dir: &Path) {
    fs::create_dir_all(dir.join("sources")).unwrap();
    fs::create_dir_all(dir.join("facts")).unwrap();
    fs::write(dir.join("sources/geneva.txt"), ARTICLE).unwrap();
    fs::write(dir.join("sources/geneva.toml"), META).unwrap();
    fs::write(dir.join("facts/talks.toml"), FACTS).unwrap();
}

pub fn add_new_fact(dir: &Path) {
    fs::write(dir.join("facts/interpreter.toml"), NEW_FACT).unwrap();
}

pub fn add_broken_fact(dir: &Path) {
    fs::write(dir.join("facts/broken.toml"), BROKEN_FACT).unwrap();
}

/// A fresh temporary fact base; keep the `TempDir` alive as long as the bot runs.
pub fn temp() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path());
    dir
}
