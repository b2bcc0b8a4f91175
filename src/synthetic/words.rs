//! The raw material of synthetic fact bases: given names, name syllables, countries, roles,
//! organisations and the issues peace talks are about. Names are built from syllables so that
//! the vocabulary keeps growing with the base, as it does when moderators add real articles
//! (every round of talks brings new officials, towns and agencies).

pub const GIVEN_NAMES: &[&str] = &[
    "Adam",
    "Adrian",
    "Agnes",
    "Alexei",
    "Alina",
    "Amir",
    "Ana",
    "Andrei",
    "Anna",
    "Anton",
    "Arman",
    "Beata",
    "Bogdan",
    "Boris",
    "Carmen",
    "Carlos",
    "Catherine",
    "Chen",
    "Clara",
    "Daniel",
    "Daria",
    "David",
    "Dmitri",
    "Elena",
    "Emil",
    "Erik",
    "Esra",
    "Fatima",
    "Felix",
    "Georg",
    "Hana",
    "Hassan",
    "Helena",
    "Igor",
    "Ilona",
    "Irina",
    "Ivan",
    "Jakub",
    "James",
    "Jan",
    "Julia",
    "Kamal",
    "Karin",
    "Katarina",
    "Kenji",
    "Laila",
    "Lars",
    "Lea",
    "Leon",
    "Lucia",
    "Maria",
    "Marek",
    "Marta",
    "Mehmet",
    "Mikhail",
    "Milan",
    "Mira",
    "Nadia",
    "Nikolai",
    "Nina",
    "Olga",
    "Omar",
    "Oskar",
    "Pavel",
    "Petra",
    "Rafael",
    "Rania",
    "Roman",
    "Ruth",
    "Samir",
    "Sara",
    "Sergei",
    "Sofia",
    "Stefan",
    "Taras",
    "Teresa",
    "Tomas",
    "Valentina",
    "Viktor",
    "Vera",
    "Yusuf",
    "Zofia",
];

/// Surnames are a first syllable, an optional middle one and an ending typical of a region.
pub const NAME_STARTS: &[&str] = &[
    "Ab", "Al", "Bar", "Bel", "Bor", "Dal", "Dan", "Dor", "Fen", "Gar", "Gor", "Hal", "Kal", "Kar",
    "Kol", "Kor", "Lan", "Lev", "Mal", "Mar", "Mel", "Mor", "Nal", "Nor", "Ol", "Pal", "Per",
    "Ral", "Ros", "Sal", "Sar", "Sol", "Tal", "Tar", "Tor", "Val", "Var", "Vel", "Vor", "Zal",
    "Zar", "Zel",
];
pub const NAME_MIDDLES: &[&str] = &[
    "a", "e", "i", "o", "an", "en", "in", "ov", "ev", "ar", "er", "is", "ur", "am", "el",
];
pub const NAME_ENDS: &[&str] = &[
    "enko", "ov", "ova", "ski", "ska", "escu", "son", "sen", "ini", "ez", "ides", "yan", "ic",
    "ek", "oglu", "berg", "stein", "ani", "uk", "avi", "ero", "ard", "ler", "ak",
];

/// Towns: a stem from the same syllables plus a place ending, sometimes after a prefix.
pub const PLACE_ENDS: &[&str] = &[
    "grad", "ville", "burg", "pol", "mouth", "ford", "hafen", "ovo", "ava", "dorf", "ia", "ton",
];
pub const PLACE_PREFIXES: &[&str] = &["Port", "San", "Nova", "Upper", "Lake"];

/// Countries with their adjective, which members use for the country ("the Polish side").
pub const COUNTRIES: &[(&str, &str)] = &[
    ("Poland", "Polish"),
    ("Turkey", "Turkish"),
    ("Romania", "Romanian"),
    ("Hungary", "Hungarian"),
    ("Moldova", "Moldovan"),
    ("Georgia", "Georgian"),
    ("Armenia", "Armenian"),
    ("Azerbaijan", "Azerbaijani"),
    ("Kazakhstan", "Kazakh"),
    ("Finland", "Finnish"),
    ("Estonia", "Estonian"),
    ("Latvia", "Latvian"),
    ("Lithuania", "Lithuanian"),
    ("Norway", "Norwegian"),
    ("Sweden", "Swedish"),
    ("Denmark", "Danish"),
    ("Germany", "German"),
    ("France", "French"),
    ("Italy", "Italian"),
    ("Spain", "Spanish"),
    ("Portugal", "Portuguese"),
    ("Greece", "Greek"),
    ("Serbia", "Serbian"),
    ("Croatia", "Croatian"),
    ("Austria", "Austrian"),
    ("Switzerland", "Swiss"),
    ("Egypt", "Egyptian"),
    ("Qatar", "Qatari"),
    ("Oman", "Omani"),
    ("Jordan", "Jordanian"),
    ("India", "Indian"),
    ("Brazil", "Brazilian"),
    ("Mexico", "Mexican"),
    ("Canada", "Canadian"),
    ("Japan", "Japanese"),
    ("Indonesia", "Indonesian"),
];

pub const ROLES: &[&str] = &[
    "foreign minister",
    "defence minister",
    "chief negotiator",
    "special envoy",
    "national security adviser",
    "deputy prime minister",
    "trade representative",
    "energy minister",
    "presidential aide",
    "ambassador",
    "army chief of staff",
    "interior minister",
];

/// Organisations: a region, a field and a kind of body ("Baltic Energy Council").
pub const ORG_REGIONS: &[&str] = &[
    "Baltic",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Danube",
    "Caspian",
    "Adriatic",
    "Nordic",
    "Atlantic",
    "Continental",
];
pub const ORG_FIELDS: &[&str] = &[
    "Energy",
    "Grain",
    "Reconstruction",
    "Refugee",
    "Security",
    "Trade",
    "Development",
    "Water",
    "Shipping",
    "Health",
    "Nuclear Safety",
    "Mine Clearance",
];
pub const ORG_BODIES: &[&str] = &[
    "Council",
    "Commission",
    "Agency",
    "Fund",
    "Authority",
    "Alliance",
    "Bank",
    "Forum",
];

/// What a round of talks is about: the topic slug, how the article names it, what a side can
/// demand about it, and what both sides can agree to do.
pub struct Issue {
    pub topic: &'static str,
    pub subject: &'static str,
    pub demand: &'static str,
    pub action: &'static str,
}

pub const ISSUES: &[Issue] = &[
    Issue {
        topic: "ceasefire",
        subject: "a ceasefire along the front line",
        demand: "an immediate halt to shelling",
        action: "observe a ceasefire",
    },
    Issue {
        topic: "prisoners",
        subject: "the exchange of prisoners of war",
        demand: "the release of all detained civilians",
        action: "exchange prisoners",
    },
    Issue {
        topic: "grain",
        subject: "grain exports through the sea ports",
        demand: "safe passage for cargo ships",
        action: "resume grain shipments",
    },
    Issue {
        topic: "energy",
        subject: "strikes on power stations",
        demand: "an end to attacks on energy infrastructure",
        action: "halt strikes on power plants",
    },
    Issue {
        topic: "reconstruction",
        subject: "funding for reconstruction",
        demand: "compensation for damaged cities",
        action: "set up a reconstruction fund",
    },
    Issue {
        topic: "elections",
        subject: "the timing of elections",
        demand: "international monitoring of the vote",
        action: "hold elections within a year",
    },
    Issue {
        topic: "borders",
        subject: "the demarcation of borders",
        demand: "recognition of the old boundary",
        action: "form a joint border commission",
    },
    Issue {
        topic: "nuclear",
        subject: "the safety of the nuclear plant",
        demand: "the return of inspectors to the reactor",
        action: "admit nuclear inspectors",
    },
    Issue {
        topic: "refugees",
        subject: "the return of refugees",
        demand: "guarantees for returning families",
        action: "open humanitarian corridors",
    },
    Issue {
        topic: "sanctions",
        subject: "the lifting of sanctions",
        demand: "the easing of banking restrictions",
        action: "review the sanctions list",
    },
    Issue {
        topic: "troops",
        subject: "the withdrawal of troops",
        demand: "the pullback of heavy artillery",
        action: "pull back heavy weapons",
    },
    Issue {
        topic: "shipping",
        subject: "shipping lanes in disputed waters",
        demand: "the removal of naval mines",
        action: "clear the shipping lanes",
    },
];

/// How a speaker described a session, and how the article's tone words read in a question.
pub const TONES: &[&str] = &[
    "productive",
    "difficult",
    "constructive",
    "tense",
    "frank",
    "encouraging",
    "disappointing",
    "useful",
];

/// How a side turned a proposal down.
pub const VERDICTS: &[&str] = &[
    "unacceptable",
    "premature",
    "one-sided",
    "unrealistic",
    "vague",
];

pub const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Questions a member might put to the bot that no synthetic base can answer: the off-topic
/// part of a benchmark's question mix.
pub const OFF_TOPIC: &[&str] = &[
    "Who won the football match last night?",
    "What is the best recipe for banana bread?",
    "How do I reset my password?",
    "Is it going to rain tomorrow?",
    "Can you recommend a good science fiction novel?",
    "What time does the pharmacy close?",
    "who is the best guitarist of all time",
    "How many calories are in an avocado?",
    "lol what is this bot even for",
    "What is the capital of Australia?",
    "How do I train my puppy to sit?",
    "Which smartphone has the best camera?",
];

/// Syllables for names that never occur in a generated base, for off-topic questions about
/// people the base has never heard of.
pub const FOREIGN_STARTS: &[&str] = &["Quib", "Xan", "Yub", "Wix", "Qor", "Jex"];
pub const FOREIGN_ENDS: &[&str] = &["thorpe", "quist", "wyck", "zhao", "xley"];
