//! The cast of a synthetic base: officials, towns and organisations, drawn once from the seed and
//! reused across articles, as the same people turn up round after round in real coverage. The
//! cast also decides the aliases, which must obey the loader's rules (one meaning per variant,
//! no canonical word used as a variant), so every name handed out is recorded in one register.

use std::collections::{BTreeMap, BTreeSet};

use super::rng::Rng;
use super::words::{
    COUNTRIES, GIVEN_NAMES, NAME_ENDS, NAME_MIDDLES, NAME_STARTS, ORG_BODIES, ORG_FIELDS,
    ORG_REGIONS, PLACE_ENDS, PLACE_PREFIXES, ROLES,
};
use crate::text::fold_words;

pub struct Person {
    pub given: &'static str,
    pub surname: String,
    pub role: &'static str,
}

impl Person {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given, self.surname)
    }
}

pub struct Place {
    pub name: String,
}

pub struct Org {
    pub name: String,
    /// Set when the initials are free: "Baltic Energy Council" is then also "BEC".
    pub acronym: Option<String>,
}

pub struct World {
    pub people: Vec<Person>,
    /// People of each country, by index into [`COUNTRIES`].
    pub people_by_country: Vec<Vec<usize>>,
    pub places: Vec<Place>,
    pub orgs: Vec<Org>,
    /// Alias groups, canonical → variants, all folded, in a fixed order.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// For a name that has a misspelling among its aliases: that misspelling, so that
    /// questions can use it as members would.
    pub misspellings: BTreeMap<String, String>,
}

/// Words the aliases may never use as a new variant: every name handed out, and the fixed
/// synonyms of [`super::SYNONYMS`].
#[derive(Default)]
struct Register {
    taken: BTreeSet<String>,
}

impl Register {
    fn take(&mut self, word: &str) -> bool {
        self.taken.insert(word.to_lowercase())
    }

    fn is_taken(&self, word: &str) -> bool {
        self.taken.contains(word)
    }
}

impl World {
    /// A cast sized for `facts` facts: about one official per eight facts, one town per twenty,
    /// one organisation per fifty (capped by the combinations the word lists allow).
    pub fn new(seed: u64, facts: usize) -> World {
        let mut rng = Rng::stream(seed, 1);
        let mut register = Register::default();
        for (country, adjective) in COUNTRIES {
            register.take(country);
            register.take(adjective);
        }
        for given in GIVEN_NAMES {
            register.take(given);
        }
        for (canonical, variants) in super::SYNONYMS {
            register.take(canonical);
            for variant in *variants {
                register.take(variant);
            }
        }
        let people_count = facts / 8 + 4 * COUNTRIES.len();
        let mut people = Vec::with_capacity(people_count);
        let mut people_by_country = vec![Vec::new(); COUNTRIES.len()];
        for i in 0..people_count {
            // Every country gets the three officials an article needs before any gets more.
            let country = if i < 4 * COUNTRIES.len() {
                i % COUNTRIES.len()
            } else {
                rng.below(COUNTRIES.len())
            };
            people_by_country[country].push(people.len());
            people.push(Person {
                given: GIVEN_NAMES[rng.below(GIVEN_NAMES.len())],
                surname: surname(&mut rng),
                role: ROLES[rng.below(ROLES.len())],
            });
        }
        let place_count = facts / 20 + 8;
        let mut places = Vec::with_capacity(place_count);
        let mut place_names = BTreeSet::new();
        for _ in 0..place_count * 4 {
            if places.len() == place_count {
                break;
            }
            let name = place_name(&mut rng);
            if place_names.insert(name.clone()) {
                places.push(Place { name });
            }
        }
        let org_count =
            (facts / 50 + 4).min(ORG_REGIONS.len() * ORG_FIELDS.len() * ORG_BODIES.len());
        let mut orgs = Vec::with_capacity(org_count);
        let mut org_names = BTreeSet::new();
        for _ in 0..org_count * 4 {
            if orgs.len() == org_count {
                break;
            }
            let name = format!(
                "{} {} {}",
                rng.pick(ORG_REGIONS),
                rng.pick(ORG_FIELDS),
                rng.pick(ORG_BODIES)
            );
            if org_names.insert(name.clone()) {
                orgs.push(Org {
                    name,
                    acronym: None,
                });
            }
        }
        for person in &people {
            register.take(&person.surname);
        }
        for place in &places {
            register.take(&place.name);
        }
        let mut world = World {
            people,
            people_by_country,
            places,
            orgs,
            aliases: BTreeMap::new(),
            misspellings: BTreeMap::new(),
        };
        world.make_aliases(&mut rng, &mut register);
        world
    }

    /// Aliases as moderators write them: country adjectives, full names for surnames, a common
    /// misspelling for about a third of the names, initials for organisations.
    fn make_aliases(&mut self, rng: &mut Rng, register: &mut Register) {
        let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (country, adjective) in COUNTRIES {
            aliases.insert(folded(country), vec![folded(adjective)]);
        }
        for person in &self.people {
            let surname = folded(&person.surname);
            let variants = aliases.entry(surname.clone()).or_default();
            let full = folded(&person.full_name());
            if !variants.contains(&full) {
                variants.push(full);
            }
        }
        let names: Vec<String> = self
            .people
            .iter()
            .map(|p| folded(&p.surname))
            .chain(self.places.iter().map(|p| folded(&p.name)))
            .collect();
        for name in names {
            if name.contains(' ')
                || name.len() < 6
                || self.misspellings.contains_key(&name)
                || !rng.chance(33)
            {
                continue;
            }
            let typo = misspell(rng, &name);
            if typo != name && register.take(&typo) {
                aliases.entry(name.clone()).or_default().push(typo.clone());
                self.misspellings.insert(name, typo);
            }
        }
        for org in &mut self.orgs {
            let initials: String = org
                .name
                .split(' ')
                .filter_map(|w| w.chars().next())
                .collect::<String>()
                .to_lowercase();
            if !register.is_taken(&initials) && register.take(&initials) {
                aliases.insert(initials.clone(), vec![folded(&org.name)]);
                org.acronym = Some(initials.to_uppercase());
            }
        }
        self.aliases = aliases;
    }

    /// Three different officials of `country`, drawn at random: a lead, an adviser, a speaker.
    pub fn officials(&self, rng: &mut Rng, country: usize) -> [&Person; 3] {
        let candidates = &self.people_by_country[country];
        let first = rng.below(candidates.len());
        let second = (first + 1 + rng.below(candidates.len() - 1)) % candidates.len();
        let mut third = rng.below(candidates.len());
        while third == first || third == second {
            third = (third + 1) % candidates.len();
        }
        [first, second, third].map(|i| &self.people[candidates[i]])
    }
}

fn folded(text: &str) -> String {
    fold_words(text).join(" ")
}

fn surname(rng: &mut Rng) -> String {
    let middle = if rng.chance(40) {
        *rng.pick(NAME_MIDDLES)
    } else {
        ""
    };
    format!("{}{}{}", rng.pick(NAME_STARTS), middle, rng.pick(NAME_ENDS))
}

fn place_name(rng: &mut Rng) -> String {
    let middle = if rng.chance(50) {
        *rng.pick(NAME_MIDDLES)
    } else {
        ""
    };
    let stem = format!(
        "{}{}{}",
        rng.pick(NAME_STARTS),
        middle,
        rng.pick(PLACE_ENDS)
    );
    if rng.chance(15) {
        format!("{} {}", rng.pick(PLACE_PREFIXES), stem)
    } else {
        stem
    }
}

/// One typo of the kinds people make: two neighbouring letters swapped, one dropped, or one
/// doubled. The first letter is kept, as it almost always is.
pub fn misspell(rng: &mut Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_string();
    }
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 => chars.swap(at, at + 1),
        1 => {
            chars.remove(at);
        }
        _ => chars.insert(at, chars[at]),
    }
    chars.into_iter().collect()
}
