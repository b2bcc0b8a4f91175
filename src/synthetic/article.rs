//! One synthetic article and the facts that quote it. The article is written first, one sentence
//! per fact, so every quote is verbatim by construction; each fact then gets a plain statement
//! and the alternate questions members would type, in their words (surnames, adjectives,
//! initials, the odd misspelling, keyword searches in lower case).

use super::rng::Rng;
use super::words::{Issue, COUNTRIES, ISSUES, MONTHS, TONES, VERDICTS};
use super::world::{Org, Person, World};

pub struct FactDraft {
    pub id: String,
    pub topic: &'static str,
    pub statement: String,
    /// Every alternate question drafted; the generator keeps most and holds one out.
    pub questions: Vec<String>,
    pub quote: String,
}

pub struct Article {
    pub id: String,
    pub title: String,
    pub dateline: String,
    pub event_date: String,
    /// Body paragraphs, the first starting with the dateline.
    pub paragraphs: Vec<String>,
    pub facts: Vec<FactDraft>,
}

/// At most this many facts come from one article.
pub const FACTS_PER_ARTICLE: usize = 20;

/// Everything an article is about: two sides, a venue, a date, two issues and a cast.
struct Story<'w> {
    world: &'w World,
    side_a: usize,
    side_b: usize,
    observers: [usize; 2],
    venue: &'w str,
    next_venue: &'w str,
    date: String,
    issue: &'static Issue,
    second_issue: &'static Issue,
    host: &'w Org,
    funders: [&'w Org; 2],
    leads: [&'w Person; 2],
    advisers: [&'w Person; 2],
    speakers: [&'w Person; 2],
}

/// The sentence a fact quotes, with its statement, questions and topic.
struct Drafted {
    kind: &'static str,
    topic: &'static str,
    sentence: String,
    statement: String,
    questions: Vec<String>,
}

pub fn write_article(world: &World, rng: &mut Rng, number: usize, facts: usize) -> Article {
    let story = Story::draw(world, rng);
    let id = format!("t{number:05}-{}-{}", story.issue.topic, slug(story.venue));
    let mut drafted = Vec::with_capacity(FACTS_PER_ARTICLE);
    for kind in 0..facts.min(FACTS_PER_ARTICLE) {
        drafted.push(story.fact(rng, kind));
    }
    let (a, b) = (country(story.side_a), country(story.side_b));
    let title = format!(
        "{a} and {b} Hold {} Talks in {}",
        capitalized(story.issue.topic),
        story.venue
    );
    let dateline = story.venue.to_uppercase();
    // Two or three sentences to a paragraph; the first opens with the dateline.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = format!("{dateline} —");
    let mut in_paragraph = 0;
    let mut facts_out = Vec::with_capacity(drafted.len());
    for (position, fact) in drafted.into_iter().enumerate() {
        current.push(' ');
        current.push_str(&fact.sentence);
        in_paragraph += 1;
        if in_paragraph >= 2 && (in_paragraph == 3 || rng.chance(50)) {
            paragraphs.push(std::mem::take(&mut current).trim().to_string());
            in_paragraph = 0;
        }
        facts_out.push(FactDraft {
            id: format!("{id}-{:02}-{}", position + 1, fact.kind),
            topic: fact.topic,
            statement: fact.statement,
            questions: fact.questions,
            quote: fact.sentence,
        });
    }
    if !current.trim().is_empty() {
        paragraphs.push(current.trim().to_string());
    }
    Article {
        id,
        title,
        dateline,
        event_date: story.date.clone(),
        paragraphs,
        facts: facts_out,
    }
}

impl<'w> Story<'w> {
    fn draw(world: &'w World, rng: &mut Rng) -> Story<'w> {
        let mut countries: Vec<usize> = Vec::with_capacity(4);
        while countries.len() < 4 {
            let next = rng.below(COUNTRIES.len());
            if !countries.contains(&next) {
                countries.push(next);
            }
        }
        let issue = rng.pick(ISSUES);
        let mut second_issue = rng.pick(ISSUES);
        if std::ptr::eq(issue, second_issue) {
            second_issue =
                &ISSUES[(rng.below(ISSUES.len() - 1) + 1 + issue_index(issue)) % ISSUES.len()];
        }
        let venue = &world.places[rng.below(world.places.len())].name;
        let next_venue = &world.places[rng.below(world.places.len())].name;
        let org = |rng: &mut Rng| &world.orgs[rng.below(world.orgs.len())];
        let (a, b) = (countries[0], countries[1]);
        let [lead_a, adviser_a, speaker_a] = world.officials(rng, a);
        let [lead_b, adviser_b, speaker_b] = world.officials(rng, b);
        Story {
            world,
            side_a: a,
            side_b: b,
            observers: [countries[2], countries[3]],
            venue,
            next_venue,
            date: format!("{} {}", rng.pick(MONTHS), 1 + rng.below(28)),
            issue,
            second_issue,
            host: org(rng),
            funders: [org(rng), org(rng)],
            leads: [lead_a, lead_b],
            advisers: [adviser_a, adviser_b],
            speakers: [speaker_a, speaker_b],
        }
    }

    /// The `kind`th fact of the article; the order mirrors how such a report unfolds.
    fn fact(&self, rng: &mut Rng, kind: usize) -> Drafted {
        match kind {
            0 => self.led(rng, 0),
            1 => self.led(rng, 1),
            2 => self.venue(),
            3 => self.hosted(rng),
            4 => self.tone(rng, 1),
            5 => self.demand(0, self.issue),
            6 => self.rejection(rng, 1, self.issue),
            7 => self.agreement(rng),
            8 => self.pledge(rng, 0, self.issue),
            9 => self.adviser(rng, 0),
            10 => self.next_round(rng),
            11 => self.observers(0),
            12 => self.warning(rng, 0, self.issue),
            13 => self.demand(1, self.second_issue),
            14 => self.rejection(rng, 0, self.second_issue),
            15 => self.tone(rng, 0),
            16 => self.adviser(rng, 1),
            17 => self.pledge(rng, 1, self.second_issue),
            18 => self.warning(rng, 1, self.second_issue),
            _ => self.observers(1),
        }
    }

    fn side(&self, which: usize) -> usize {
        if which == 0 {
            self.side_a
        } else {
            self.side_b
        }
    }

    fn led(&self, rng: &mut Rng, which: usize) -> Drafted {
        let side = self.side(which);
        let (c, adj) = COUNTRIES[side];
        let lead = self.leads[which];
        let full = lead.full_name();
        let who = self.person_ref(rng, lead);
        let v = self.venue;
        Drafted {
            kind: "led",
            topic: "delegations",
            sentence: format!("{c}’s delegation was led by {} {full}.", lead.role),
            statement: format!(
                "{full}, {c}’s {}, led the {adj} delegation at the talks in {v}.",
                lead.role
            ),
            questions: vec![
                format!("Who led the {adj} delegation?"),
                format!("Who headed {c}'s team at the {} talks?", self.issue.topic),
                format!("{} delegation leader", adj.to_lowercase()),
                format!("who was in charge for {c} in {v}"),
                format!("What is {who}'s role?"),
                format!("Who is {who}?"),
                format!("Who negotiated for {c} in {v}?"),
                format!("Who represented {c} at the talks?"),
                format!("{} {}", who.to_lowercase(), lead.role),
                format!("Which {} led {c}'s side?", lead.role),
            ],
        }
    }

    fn venue(&self) -> Drafted {
        let (a, adj_a) = COUNTRIES[self.side_a];
        let (b, adj_b) = COUNTRIES[self.side_b];
        let (v, d, topic) = (self.venue, &self.date, self.issue.topic);
        let subject = self.issue.subject;
        Drafted {
            kind: "venue",
            topic: "meetings",
            sentence: format!("The two delegations met in {v} on {d} to discuss {subject}."),
            statement: format!(
                "The {adj_a} and {adj_b} delegations met in {v} on {d} to discuss {subject}."
            ),
            questions: vec![
                format!("Where did {a} and {b} meet?"),
                format!("Where were the {topic} talks held?"),
                format!("When did the {adj_a} and {adj_b} delegations meet?"),
                format!("date of the {v} talks"),
                format!("{} meeting", v.to_lowercase()),
                format!("What was discussed in {v}?"),
                format!("venue of the talks on {topic}"),
                format!("When were the talks in {v}?"),
                format!("What did {a} and {b} discuss?"),
                format!("Did {a} and {b} hold talks on {topic}?"),
            ],
        }
    }

    fn hosted(&self, rng: &mut Rng) -> Drafted {
        let (a, adj_a) = COUNTRIES[self.side_a];
        let (b, adj_b) = COUNTRIES[self.side_b];
        let (v, host) = (self.venue, &self.host.name);
        let org = org_ref(rng, self.host);
        Drafted {
            kind: "host",
            topic: "meetings",
            sentence: format!("The talks were hosted by the {host}."),
            statement: format!("The {host} hosted the {adj_a}-{adj_b} talks in {v}."),
            questions: vec![
                format!("Who hosted the talks in {v}?"),
                format!("Which organisation hosted the {a} {b} talks?"),
                format!("host of the {} meeting", v.to_lowercase()),
                format!("What role did the {org} play?"),
                format!("Who organised the talks between {a} and {b}?"),
                format!("Was the {org} involved in the {} talks?", self.issue.topic),
                format!("who put on the {v} summit"),
                format!("{} host", org.to_lowercase()),
            ],
        }
    }

    fn tone(&self, rng: &mut Rng, which: usize) -> Drafted {
        let (c, adj) = COUNTRIES[self.side(which)];
        let speaker = self.speakers[which];
        let full = speaker.full_name();
        let who = self.person_ref(rng, speaker);
        let tone = rng.pick(TONES);
        let (v, subject) = (self.venue, self.issue.subject);
        Drafted {
            kind: "tone",
            topic: "meetings",
            sentence: format!(
                "{full} of {c} called the session {tone} but said the question of {subject} remained unresolved."
            ),
            statement: format!(
                "{full}, {c}’s {}, called the session in {v} {tone}, but said the question of {subject} remained unresolved.",
                speaker.role
            ),
            questions: vec![
                format!("How did {who} describe the talks?"),
                format!("What did {who} say about the session?"),
                format!("Was the {v} session {tone}?"),
                format!("{} comments on the talks", who.to_lowercase()),
                format!("Is {subject} still unresolved?"),
                format!("What remains unresolved after the {v} talks?"),
                format!("How did {c} see the meeting?"),
                format!("did the {} side think the talks went well", adj.to_lowercase()),
            ],
        }
    }

    fn demand(&self, which: usize, issue: &Issue) -> Drafted {
        let (c, adj) = COUNTRIES[self.side(which)];
        let demand = issue.demand;
        Drafted {
            kind: "demand",
            topic: issue.topic,
            sentence: format!("{c} insists on {demand} before any agreement is signed."),
            statement: format!(
                "{c} insists on {demand} before any agreement on {} is signed.",
                issue.subject
            ),
            questions: vec![
                format!("What does {c} want?"),
                format!("What are {c}'s conditions?"),
                format!("What is {c} insisting on?"),
                format!("{} demands on {}", adj.to_lowercase(), issue.topic),
                format!("What must happen before {c} signs a deal?"),
                format!("What does {c} require before an agreement?"),
                format!("Does {c} have preconditions on {}?", issue.topic),
                format!("Is {c} asking for {demand}?"),
            ],
        }
    }

    fn rejection(&self, rng: &mut Rng, which: usize, issue: &Issue) -> Drafted {
        let (c, adj) = COUNTRIES[self.side(which)];
        let verdict = rng.pick(VERDICTS);
        let (subject, topic) = (issue.subject, issue.topic);
        Drafted {
            kind: "rejection",
            topic,
            sentence: format!("{c} rejected a proposal on {subject}, calling it {verdict}."),
            statement: format!("{c} rejected a proposal on {subject} as {verdict}."),
            questions: vec![
                format!("Did {c} accept the proposal on {topic}?"),
                format!("What did {c} reject?"),
                format!("Why did {c} turn down the {topic} proposal?"),
                format!("How did {c} respond to the plan on {subject}?"),
                format!("{} rejection {topic}", adj.to_lowercase()),
                format!("What did {c} call the proposal?"),
                format!("Was the {topic} proposal {verdict}?"),
            ],
        }
    }

    fn agreement(&self, rng: &mut Rng) -> Drafted {
        let (a, _) = COUNTRIES[self.side_a];
        let (b, _) = COUNTRIES[self.side_b];
        let deadline = format!("{} {}", rng.pick(MONTHS), 1 + rng.below(28));
        let (v, action, topic) = (self.venue, self.issue.action, self.issue.topic);
        Drafted {
            kind: "agreement",
            topic,
            sentence: format!("Both delegations agreed to {action} by {deadline}."),
            statement: format!(
                "At the talks in {v}, {a} and {b} agreed to {action} by {deadline}."
            ),
            questions: vec![
                format!("What did {a} and {b} agree on?"),
                format!("Was there any agreement in {v}?"),
                format!("What was agreed at the {topic} talks?"),
                format!("When will they {action}?"),
                format!("deadline to {action}"),
                format!("Did the two sides reach a deal in {v}?"),
                format!("Will {a} and {b} {action}?"),
                format!("what came out of the {} talks", v.to_lowercase()),
            ],
        }
    }

    fn pledge(&self, rng: &mut Rng, which: usize, issue: &Issue) -> Drafted {
        let funder = self.funders[which];
        let millions = 5 * (1 + rng.below(60));
        let org = org_ref(rng, funder);
        let (name, action, topic) = (&funder.name, issue.action, issue.topic);
        Drafted {
            kind: "pledge",
            topic,
            sentence: format!("The {name} pledged {millions} million dollars to help {action}."),
            statement: format!("The {name} pledged {millions} million dollars to help {action}."),
            questions: vec![
                format!("How much did the {org} pledge?"),
                format!("Who pledged money to {action}?"),
                format!("{} pledge", org.to_lowercase()),
                format!("What funding was promised for {topic}?"),
                format!("How much money was promised to {action}?"),
                format!("What did the {org} promise?"),
                format!("Is the {org} paying for the {topic} plan?"),
            ],
        }
    }

    fn adviser(&self, rng: &mut Rng, which: usize) -> Drafted {
        let (c, adj) = COUNTRIES[self.side(which)];
        let (adviser, lead) = (self.advisers[which], self.leads[which]);
        let (adviser_full, lead_full) = (adviser.full_name(), lead.full_name());
        let who = self.person_ref(rng, adviser);
        let boss = self.person_ref(rng, lead);
        let v = self.venue;
        Drafted {
            kind: "adviser",
            topic: "delegations",
            sentence: format!("{adviser_full}, an adviser to {lead_full}, joined the {adj} team."),
            statement: format!(
                "{adviser_full} joined {c}’s team in {v} as an adviser to {lead_full}."
            ),
            questions: vec![
                format!("Who is {who}?"),
                format!("Who advised {boss}?"),
                format!("What was {who}'s role?"),
                format!("Who else was on the {adj} team?"),
                format!("{} adviser", boss.to_lowercase()),
                format!("Was {who} at the talks in {v}?"),
                format!("who helped {boss} in {v}"),
            ],
        }
    }

    fn next_round(&self, rng: &mut Rng) -> Drafted {
        let (a, _) = COUNTRIES[self.side_a];
        let (b, _) = COUNTRIES[self.side_b];
        let month = rng.pick(MONTHS);
        let (v, next, topic) = (self.venue, self.next_venue, self.issue.topic);
        Drafted {
            kind: "next-round",
            topic: "meetings",
            sentence: format!("A further round of talks is planned in {next} in {month}."),
            statement: format!(
                "After {v}, a further round of {a}-{b} talks is planned in {next} in {month}."
            ),
            questions: vec![
                format!("When is the next round of {topic} talks?"),
                format!("Where will the next talks between {a} and {b} be held?"),
                format!("Will {a} and {b} meet again?"),
                format!("next round {}", next.to_lowercase()),
                format!("Are more talks planned after {v}?"),
                format!("When do the {a} {b} talks continue?"),
                format!("Is there a follow-up meeting in {next}?"),
            ],
        }
    }

    fn observers(&self, which: usize) -> Drafted {
        let (o, adj) = COUNTRIES[self.observers[which]];
        let (a, _) = COUNTRIES[self.side_a];
        let (b, _) = COUNTRIES[self.side_b];
        let v = self.venue;
        Drafted {
            kind: "observers",
            topic: "meetings",
            sentence: format!("Observers from {o} attended the talks."),
            statement: format!("Observers from {o} attended the {a}-{b} talks in {v}."),
            questions: vec![
                format!("Did {o} attend the talks in {v}?"),
                format!("Who observed the {a} {b} talks?"),
                format!("Were there observers in {v}?"),
                format!("{} observers", adj.to_lowercase()),
                format!("Which countries sent observers to {v}?"),
                format!("What was {o}'s role in the talks between {a} and {b}?"),
                format!("was {o} at the {v} meeting"),
            ],
        }
    }

    fn warning(&self, rng: &mut Rng, which: usize, issue: &Issue) -> Drafted {
        let (c, _) = COUNTRIES[self.side(which)];
        let lead = self.leads[which];
        let full = lead.full_name();
        let who = self.person_ref(rng, lead);
        let demand = issue.demand;
        Drafted {
            kind: "warning",
            topic: issue.topic,
            sentence: format!(
                "{} warned that without {demand} there could be no lasting peace.",
                lead.surname
            ),
            statement: format!(
                "{full} of {c} warned that without {demand} there could be no lasting peace."
            ),
            questions: vec![
                format!("What did {who} warn about?"),
                format!("Is lasting peace possible without {demand}?"),
                format!("{} warning", who.to_lowercase()),
                format!("What did {c}'s {} say about peace?", lead.role),
                format!("What does {who} think is needed for peace?"),
                format!("Did {who} say peace depends on {}?", issue.topic),
                format!("what is {c}'s warning on {}", issue.topic),
            ],
        }
    }

    /// How a member names a person: in full, by surname, now and then misspelled.
    fn person_ref(&self, rng: &mut Rng, person: &Person) -> String {
        if let Some(typo) = self.world.misspellings.get(&person.surname.to_lowercase()) {
            if rng.chance(20) {
                return typo.clone();
            }
        }
        if rng.chance(50) {
            person.full_name()
        } else {
            person.surname.clone()
        }
    }
}

/// An organisation by name, or by its initials when it has them.
fn org_ref(rng: &mut Rng, org: &Org) -> String {
    match &org.acronym {
        Some(acronym) if rng.chance(50) => acronym.clone(),
        _ => org.name.clone(),
    }
}

fn country(index: usize) -> &'static str {
    COUNTRIES[index].0
}

fn issue_index(issue: &Issue) -> usize {
    ISSUES
        .iter()
        .position(|i| std::ptr::eq(i, issue))
        .unwrap_or(0)
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn slug(text: &str) -> String {
    crate::text::fold_words(text).join("-")
}
