//! Static sentence embeddings: a question's meaning as a vector, in microseconds, with no model
//! runtime.
//!
//! The vectors come from all-MiniLM-L6-v2 distilled by model2vec (`scripts/distill_model.py`,
//! licences in `lang/README.md`): the transformer embedded every token of its WordPiece
//! vocabulary once, PCA cut the vectors to 256 dimensions, and SIF weighting shrank the common
//! tokens. What is left is a table of 29,525 rows. Encoding a sentence is model2vec's
//! `StaticModel.encode`: tokenize with the model's own tokenizer (no [CLS]/[SEP]), drop [UNK],
//! look up the rows, take their mean and L2-normalize it. The Rust and Python encodings agree to
//! a cosine above 0.9999 on the sentences in `lang/minilm-static/reference.json` (a test checks).
//!
//! Tokenizing is the `tokenizers` crate (Hugging Face's own) loading the model's
//! `tokenizer.json`, so BERT's normalization (lowercase, accents and combining marks stripped,
//! CJK split per character, control characters dropped) and WordPiece behave exactly as in
//! Python. It is built with `fancy-regex` (pure Rust) instead of the default Oniguruma C library;
//! this tokenizer uses no regex anyway.
//!
//! That crate tracks, for every byte, where it came from in the original text (for offsets we
//! never read): on a 10-word question its normalizer alone costs about 10 µs, ten times the rest
//! of the encoding. So text made only of ASCII and a few punctuation marks (’ “ ” – — …) takes a
//! fast path, `FastWordPiece`: the same steps for that alphabet (drop control characters, split
//! on whitespace and punctuation, lowercase, greedy longest-match WordPiece over the same
//! vocabulary), read off the loaded tokenizer and refused unless it is the BERT pipeline they
//! reproduce. Anything else (accents, Cyrillic, emoji, an added token such as `[PAD]`) goes to
//! the crate. A test runs both on 60,000 English words, the article, the eval questions and
//! random ASCII and requires identical ids. Measured in release: an 11-word ASCII question
//! encodes in about 1.5 µs; a Cyrillic one, through the crate, in some 30 to 60 µs.
//!
//! The table is compiled in (`include_bytes!`, 7.7 MB) as int8 with one f32 scale per row, the
//! layout `scripts/distill_model.py` documents. It is never expanded: encoding dequantizes the
//! few rows a sentence needs, so resident memory is the pages of the table those rows touch, not
//! a 30 MB float copy.

use std::sync::OnceLock;

use tokenizers::{ModelWrapper, NormalizerWrapper, PreTokenizerWrapper, Tokenizer};

use crate::text::FastMap;

const TOKENIZER_JSON: &[u8] = include_bytes!("../../lang/minilm-static/tokenizer.json");
const TABLE: &[u8] = include_bytes!("../../lang/minilm-static/embeddings.i8");
const MAGIC: &[u8; 8] = b"M2VI8\0\0\x01";
const HEADER_BYTES: usize = 16;
const UNK_TOKEN: &str = "[UNK]";

/// A static embedding model: tokenizer + quantized table.
pub struct SentenceModel {
    tokenizer: Tokenizer,
    /// The same tokenizer for ASCII text, when the loaded one is the BERT pipeline it mirrors.
    fast: Option<FastWordPiece>,
    /// The tokenizer's own length limit (`tokenizer.json`'s truncation), in tokens.
    max_length: Option<usize>,
    unk: Option<u32>,
    dims: usize,
    /// One scale per row: row `r` is `scales[r] * codes[r]`.
    scales: Vec<f32>,
    /// `rows × dims` signed bytes, row-major, borrowed from the compiled-in table.
    codes: &'static [u8],
}

/// Why the model files could not be read. Only a broken build can produce one: the files are
/// compiled in and a test loads them.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("tokenizer.json: {0}")]
    Tokenizer(String),
    #[error("embeddings.i8: {0}")]
    Table(&'static str),
}

impl SentenceModel {
    /// The model compiled into the binary, parsed on first use: under 0.1 s, about 15 MB
    /// resident (mostly the tokenizer's vocabulary maps; table pages come in as rows are read).
    pub fn embedded() -> &'static SentenceModel {
        static MODEL: OnceLock<SentenceModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            SentenceModel::from_parts(TOKENIZER_JSON, TABLE)
                .expect("the compiled-in sentence model is valid (tested)")
        })
    }

    /// A model from a `tokenizer.json` and an `embeddings.i8` table.
    pub fn from_parts(
        tokenizer_json: &[u8],
        table: &'static [u8],
    ) -> Result<SentenceModel, ModelError> {
        let tokenizer = Tokenizer::from_bytes(tokenizer_json)
            .map_err(|error| ModelError::Tokenizer(error.to_string()))?;
        if table.len() < HEADER_BYTES || &table[..8] != MAGIC {
            return Err(ModelError::Table("not an M2VI8 table"));
        }
        let rows = read_u32(table, 8) as usize;
        let dims = read_u32(table, 12) as usize;
        let scales_end = HEADER_BYTES + 4 * rows;
        if dims == 0 || table.len() != scales_end + rows * dims {
            return Err(ModelError::Table("size does not match its header"));
        }
        if tokenizer.get_vocab_size(true) != rows {
            return Err(ModelError::Table("row count differs from the vocabulary"));
        }
        let scales = table[HEADER_BYTES..scales_end]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok(SentenceModel {
            fast: FastWordPiece::mirroring(&tokenizer),
            max_length: tokenizer.get_truncation().map(|t| t.max_length),
            unk: tokenizer.token_to_id(UNK_TOKEN),
            tokenizer,
            dims,
            scales,
            codes: &table[scales_end..],
        })
    }

    /// The length of every vector [`SentenceModel::encode`] returns.
    #[cfg(test)]
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The text's embedding, L2-normalized; all zeros when no token is known (empty text).
    pub fn encode(&self, text: &str) -> Vec<f32> {
        let mut sum = vec![0.0f32; self.dims];
        let mut count = 0usize;
        for id in self.token_ids(text) {
            let row = id as usize;
            let Some(&scale) = self.scales.get(row) else {
                continue;
            };
            let codes = &self.codes[row * self.dims..(row + 1) * self.dims];
            for (total, &code) in sum.iter_mut().zip(codes) {
                *total += scale * f32::from(code as i8);
            }
            count += 1;
        }
        if count == 0 {
            return sum;
        }
        // The mean, as model2vec takes it, then the unit vector.
        let inverse_count = 1.0 / count as f32;
        sum.iter_mut().for_each(|x| *x *= inverse_count);
        let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            sum.iter_mut().for_each(|x| *x /= norm);
        }
        sum
    }

    /// The vectors of several texts, laid out for [`Sentences::best_cosine`].
    pub fn encode_all<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Sentences {
        let vectors: Vec<Vec<f32>> = texts.into_iter().map(|text| self.encode(text)).collect();
        Sentences::new(&vectors, self.dims)
    }

    /// The token ids `encode` averages: the tokenizer's (truncated as its `tokenizer.json`
    /// says, no special tokens), without [UNK].
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        let mut ids = match self.fast.as_ref().and_then(|fast| fast.ids(text)) {
            Some(mut ids) => {
                ids.truncate(self.max_length.unwrap_or(usize::MAX));
                ids
            }
            None => self.crate_token_ids(text),
        };
        ids.retain(|&id| Some(id) != self.unk);
        ids
    }

    /// The `tokenizers` crate's ids for the text, [UNK] included.
    fn crate_token_ids(&self, text: &str) -> Vec<u32> {
        // The tokenizer fails only on inputs its truncation cannot handle, which cannot happen
        // without a stride; an error yields no tokens rather than a panic.
        match self.tokenizer.encode_fast(text, false) {
            Ok(encoding) => encoding.get_ids().to_vec(),
            Err(_) => Vec::new(),
        }
    }
}

/// How many sentences [`Sentences::best_cosine`] takes at once.
const LANES: usize = 8;

/// The vectors of a fact's sentences, interleaved so that a question's cosines with all of them
/// are summed side by side: in groups of [`LANES`] sentences, dimension by dimension (the last
/// group holds what is left). Each cosine is still summed in dimension order, as a dot product
/// of two slices sums it, so every result is the same to the bit; but eight independent sums
/// keep the processor's adders busy where one dot product at a time waits on its own chain of
/// additions. With a fact's ten or so sentences and eight candidates a question, those chains
/// were a quarter of the time of an answer.
pub struct Sentences {
    dims: usize,
    /// Group after group; in a group of `lanes` sentences, dimension `d` of its sentence `s`
    /// is at `d * lanes + s`.
    values: Box<[f32]>,
}

impl Sentences {
    fn new(vectors: &[Vec<f32>], dims: usize) -> Sentences {
        let mut values = Vec::with_capacity(vectors.len() * dims);
        for group in vectors.chunks(LANES) {
            for d in 0..dims {
                values.extend(group.iter().map(|vector| vector[d]));
            }
        }
        Sentences {
            dims,
            values: values.into_boxed_slice(),
        }
    }

    /// The largest cosine of `asked` (a unit vector, or zero) with any of the sentences (the
    /// same), or 0 when none is above 0: `max` folded from 0 over the sentences in order.
    pub fn best_cosine(&self, asked: &[f32]) -> f32 {
        let mut best = 0.0f32;
        let mut take = |sums: &[f32]| {
            for &sum in sums {
                best = best.max(sum);
            }
        };
        for group in self.values.chunks(LANES * self.dims) {
            match group.len() / self.dims {
                8 => take(&dots::<8>(asked, group)),
                7 => take(&dots::<7>(asked, group)),
                6 => take(&dots::<6>(asked, group)),
                5 => take(&dots::<5>(asked, group)),
                4 => take(&dots::<4>(asked, group)),
                3 => take(&dots::<3>(asked, group)),
                2 => take(&dots::<2>(asked, group)),
                _ => take(&dots::<1>(asked, group)),
            }
        }
        best
    }
}

/// `N` dot products of `asked` with the `N` interleaved vectors of `group`, each summed in
/// dimension order from the value `f32`'s `Sum` starts at, exactly as
/// `asked.iter().zip(v).map(|(x, y)| x * y).sum()` sums it.
fn dots<const N: usize>(asked: &[f32], group: &[f32]) -> [f32; N] {
    let start: f32 = std::iter::empty::<f32>().sum();
    let mut sums = [start; N];
    for (&x, ys) in asked.iter().zip(group.chunks_exact(N)) {
        for (sum, &y) in sums.iter_mut().zip(ys) {
            *sum += x * y;
        }
    }
    sums
}

/// Punctuation outside ASCII that the fast path takes: each is a punctuation character to BERT,
/// has no lowercase and no decomposition, so the BERT pipeline turns it into a word of its own.
const FAST_PUNCTUATION: &[char] = &[
    '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2013}', '\u{2014}', '\u{2026}', '\u{00AB}',
    '\u{00BB}', '\u{00BF}', '\u{00A1}',
];

/// BERT's basic tokenizer and WordPiece for ASCII text, over the loaded tokenizer's vocabulary.
struct FastWordPiece {
    /// Pieces that start a word, and pieces that continue one (without their "##").
    first: FastMap<Box<str>, u32>,
    rest: FastMap<Box<str>, u32>,
    /// The longest piece of each kind, in bytes: a longer part of a word is in neither map, so
    /// the longest match starts there rather than at the whole word.
    longest_first: usize,
    longest_rest: usize,
    unk: u32,
    max_word_chars: usize,
    /// Added tokens ("[PAD]", "[UNK]") are matched in the raw text before normalizing: text
    /// holding one goes to the crate.
    added: Vec<String>,
}

impl FastWordPiece {
    /// `None` unless the tokenizer is exactly the pipeline this reproduces: a lowercasing,
    /// cleaning BertNormalizer, the BertPreTokenizer and WordPiece, with no post-processor.
    fn mirroring(tokenizer: &Tokenizer) -> Option<FastWordPiece> {
        let Some(NormalizerWrapper::BertNormalizer(normalizer)) = tokenizer.get_normalizer() else {
            return None;
        };
        if !(normalizer.lowercase && normalizer.clean_text) {
            return None;
        }
        let Some(PreTokenizerWrapper::BertPreTokenizer(_)) = tokenizer.get_pre_tokenizer() else {
            return None;
        };
        let ModelWrapper::WordPiece(model) = tokenizer.get_model() else {
            return None;
        };
        if tokenizer.get_post_processor().is_some() {
            return None;
        }
        let prefix = model.continuing_subword_prefix.as_str();
        let mut first = FastMap::default();
        let mut rest = FastMap::default();
        for (piece, id) in tokenizer.get_vocab(false) {
            match piece.strip_prefix(prefix) {
                Some(tail) if !prefix.is_empty() => rest.insert(tail.into(), id),
                _ => first.insert(piece.into_boxed_str(), id),
            };
        }
        let unk = *first.get(model.unk_token.as_str())?;
        let added = tokenizer
            .get_added_tokens_decoder()
            .into_values()
            .map(|token| token.content)
            .collect();
        let longest = |pieces: &FastMap<Box<str>, u32>| pieces.keys().map(|p| p.len()).max();
        Some(FastWordPiece {
            longest_first: longest(&first)?,
            longest_rest: longest(&rest).unwrap_or(0),
            first,
            rest,
            unk,
            max_word_chars: model.max_input_chars_per_word,
            added,
        })
    }

    /// The ids, [UNK] included and nothing truncated, or `None` when the text is not for this
    /// path.
    fn ids(&self, text: &str) -> Option<Vec<u32>> {
        if self.added.iter().any(|token| text.contains(token.as_str())) {
            return None;
        }
        let mut ids = Vec::new();
        let mut word = String::new();
        let mut punctuation = [0u8; 4];
        for c in text.chars() {
            if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
                self.push_word(&mut word, &mut ids);
            } else if c.is_ascii_control() {
                // Removed by BERT's cleaning, without splitting the word.
            } else if c.is_ascii_punctuation() || (!c.is_ascii() && FAST_PUNCTUATION.contains(&c)) {
                self.push_word(&mut word, &mut ids);
                self.push_pieces(c.encode_utf8(&mut punctuation), &mut ids);
            } else if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                return None;
            }
        }
        self.push_word(&mut word, &mut ids);
        Some(ids)
    }

    fn push_word(&self, word: &mut String, ids: &mut Vec<u32>) {
        if !word.is_empty() {
            self.push_pieces(word, ids);
            word.clear();
        }
    }

    /// WordPiece: the longest piece of the vocabulary at each point, or one [UNK] for the whole
    /// word when some part matches none (or the word is too long).
    fn push_pieces(&self, word: &str, ids: &mut Vec<u32>) {
        if word.chars().count() > self.max_word_chars {
            ids.push(self.unk);
            return;
        }
        let before = ids.len();
        let mut start = 0;
        while start < word.len() {
            let (pieces, longest) = if start == 0 {
                (&self.first, self.longest_first)
            } else {
                (&self.rest, self.longest_rest)
            };
            let mut end = word.len().min(start + longest);
            while !word.is_char_boundary(end) {
                end -= 1;
            }
            if end == start {
                ids.truncate(before);
                ids.push(self.unk);
                return;
            }
            let found = loop {
                if let Some(&id) = pieces.get(&word[start..end]) {
                    break Some(id);
                }
                end -= word[start..end]
                    .chars()
                    .next_back()
                    .map_or(1, char::len_utf8);
                if end == start {
                    break None;
                }
            };
            let Some(id) = found else {
                ids.truncate(before);
                ids.push(self.unk);
                return;
            };
            ids.push(id);
            start = end;
        }
    }
}

#[cfg(test)]
/// The cosine of two vectors; 0 when either is all zeros or their lengths differ.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut dot, mut norm_a, mut norm_b) = (0.0f32, 0.0f32, 0.0f32);
    for (&x, &y) in a.iter().zip(b) {
        dot += x * y;
        norm_a += x * x;
        norm_b += y * y;
    }
    if norm_a == 0.0 || norm_b == 0.0 {
        return 0.0;
    }
    dot / (norm_a.sqrt() * norm_b.sqrt())
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// model2vec's own float32 encodings, written by `scripts/distill_model.py`.
    const REFERENCE_JSON: &str = include_str!("../../lang/minilm-static/reference.json");

    #[derive(serde::Deserialize)]
    struct Reference {
        sentences: Vec<ReferenceSentence>,
    }

    #[derive(serde::Deserialize)]
    struct ReferenceSentence {
        text: String,
        tokens: usize,
        vector: Vec<f32>,
    }

    fn model() -> &'static SentenceModel {
        SentenceModel::embedded()
    }

    #[test]
    fn agrees_with_python_model2vec() {
        let reference: Reference = serde_json::from_str(REFERENCE_JSON).unwrap();
        assert!(reference.sentences.len() >= 20);
        let mut worst = 1.0f32;
        for sentence in &reference.sentences {
            let got = model().encode(&sentence.text);
            assert_eq!(got.len(), sentence.vector.len());
            assert_eq!(
                model().token_ids(&sentence.text).len(),
                sentence.tokens,
                "token count of {:?}",
                sentence.text
            );
            if sentence.vector.iter().all(|&x| x == 0.0) {
                assert!(got.iter().all(|&x| x == 0.0), "{:?}", sentence.text);
                continue;
            }
            let agreement = cosine(&got, &sentence.vector);
            assert!(agreement > 0.999, "{:?}: cosine {agreement}", sentence.text);
            worst = worst.min(agreement);
        }
        println!(
            "worst cosine to model2vec over {} sentences: {worst:.6}",
            reference.sentences.len()
        );
    }

    /// The fast path must give the crate's ids wherever it takes the text: checked on every word
    /// of the English frequency list (in runs of 40), the article, the eval questions and random
    /// ASCII with control characters, punctuation runs and over-long words.
    #[test]
    fn fast_path_matches_the_tokenizers_crate() {
        let model = model();
        let fast = model
            .fast
            .as_ref()
            .expect("the shipped tokenizer has a fast path");
        let words: Vec<&str> = include_str!("../../lang/wordfreq-en.tsv")
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split('\t').next())
            .collect();
        let mut texts: Vec<String> = words.chunks(40).map(|run| run.join(" ")).collect();
        for lines in [
            include_str!("../../knowledge/sources/deadlock-persists.txt"),
            include_str!("../../tests/eval/questions.jsonl"),
        ] {
            texts.extend(lines.lines().map(str::to_owned));
        }
        texts.extend(random_texts(3_000));
        let mut fast_count = 0;
        for text in &texts {
            let Some(mut ids) = fast.ids(text) else {
                continue;
            };
            ids.truncate(model.max_length.unwrap_or(usize::MAX));
            assert_eq!(ids, model.crate_token_ids(text), "{text:?}");
            fast_count += 1;
        }
        assert!(
            fast_count * 10 > texts.len() * 9,
            "{fast_count} of {}",
            texts.len()
        );
    }

    #[test]
    fn other_text_goes_to_the_crate() {
        let fast = model().fast.as_ref().unwrap();
        let curly = "Who led the talks? It\u{2019}s \u{201C}Witkoff\u{201D}\u{2026}";
        assert!(fast.ids(curly).is_some());
        for text in [
            "Хто очолював переговори?",
            "caf\u{e9}",
            "talks \u{1F914}",
            "[PAD] x",
        ] {
            assert_eq!(fast.ids(text), None, "{text:?}");
        }
    }

    /// Deterministic random ASCII (SplitMix64): mostly letters and spaces, with every other
    /// ASCII character, the fast path's punctuation and now and then a 120-letter word.
    fn random_texts(count: usize) -> Vec<String> {
        let mut state = 0x5EED_u64;
        let mut next = move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        (0..count)
            .map(|_| {
                let len = next() % 60;
                let mut text: String = (0..len)
                    .map(|_| match next() % 20 {
                        0..=10 => char::from(b'a' + (next() % 26) as u8),
                        11 | 12 => ' ',
                        13 => char::from(b'A' + (next() % 26) as u8),
                        14 => FAST_PUNCTUATION[(next() % FAST_PUNCTUATION.len() as u64) as usize],
                        _ => char::from((next() % 128) as u8),
                    })
                    .collect();
                if next() % 50 == 0 {
                    text.push_str(&"long".repeat(30));
                }
                text
            })
            .collect()
    }

    /// The interleaved sums give each cosine exactly as one dot product at a time would, and
    /// their maximum as the fold from 0 does: for every group size and a partial last group.
    #[test]
    fn best_cosine_is_the_one_at_a_time_maximum_to_the_bit() {
        let model = model();
        let texts: Vec<&str> = include_str!("../../tests/eval/questions.jsonl")
            .lines()
            .take(40)
            .collect();
        let one_at_a_time = |asked: &[f32], texts: &[&str]| -> f32 {
            texts
                .iter()
                .map(|text| {
                    let v = model.encode(text);
                    asked.iter().zip(&v).map(|(x, y)| x * y).sum::<f32>()
                })
                .fold(0.0f32, f32::max)
        };
        for count in 0..=19 {
            let sentences = model.encode_all(texts[..count].iter().copied());
            for question in &texts[20..] {
                let asked = model.encode(question);
                let want = one_at_a_time(&asked, &texts[..count]);
                let got = sentences.best_cosine(&asked);
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{count} sentences, {question}"
                );
            }
            assert_eq!(sentences.best_cosine(&vec![0.0; model.dims()]), 0.0);
        }
    }

    #[test]
    fn vectors_are_unit_length() {
        let v = model().encode("Who led the talks for the United States?");
        assert_eq!(v.len(), model().dims());
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    }

    #[test]
    fn empty_and_unknown_text_is_all_zeros() {
        for text in ["", "   ", "\u{0}\u{1}"] {
            assert!(model().encode(text).iter().all(|&x| x == 0.0), "{text:?}");
        }
    }

    #[test]
    fn paraphrases_are_closer_than_unrelated_text() {
        let question = model().encode("Who led the American delegation?");
        let paraphrase = model().encode("Who headed the US negotiating team?");
        let unrelated = model().encode("What's a good recipe for banana bread?");
        assert!(cosine(&question, &paraphrase) > cosine(&question, &unrelated) + 0.2);
    }

    #[test]
    fn cosine_edge_cases() {
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 0.0]), 0.0);
        assert_eq!(cosine(&[1.0, 0.0], &[1.0]), 0.0);
        assert!((cosine(&[1.0, 2.0], &[2.0, 4.0]) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn a_broken_table_is_an_error_not_a_panic() {
        static SHORT: [u8; 4] = [0; 4];
        assert!(SentenceModel::from_parts(TOKENIZER_JSON, &SHORT).is_err());
        static WRONG_SIZE: [u8; 24] =
            *b"M2VI8\0\0\x01\x01\0\0\0\x04\0\0\0\0\0\x80\x3f\x01\x02\x03\x04";
        assert!(SentenceModel::from_parts(TOKENIZER_JSON, &WRONG_SIZE).is_err());
        assert!(SentenceModel::from_parts(b"{}", TABLE).is_err());
    }
}
