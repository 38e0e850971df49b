//! Text-like runs in bytes that are not the document's text: 8-bit (Windows-1252) and
//! UTF-16 runs that read as words, the two ways Word stores text. UTF-16 runs are kept to
//! alphabetic scripts whose code units pairs of 8-bit bytes do not form by chance. Picture data and
//! padding rarely hold two words of letters in a row, so runs must: at least 12
//! characters, two words of two letters or more, and mostly letters, spaces and
//! punctuation.

const MIN_LEN: usize = 12;

pub fn words(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<String>| {
        if reads_as_words(run) {
            out.push(run.trim().to_string());
        }
        run.clear();
    };
    for &b in bytes {
        match b {
            // Windows-1252 and Latin-1 agree from 0xA0 up.
            b' '..=b'~' | 0xA0..=0xFF | b'\t' => run.push(b as char),
            _ => flush(&mut run, &mut out),
        }
    }
    flush(&mut run, &mut out);
    for pair in bytes.chunks_exact(2) {
        let unit = u16::from_le_bytes([pair[0], pair[1]]);
        match char::from_u32(unit as u32) {
            Some(c)
                if (unit >= 0x20 && unit != 0x7F && !(0x80..0xA0).contains(&unit))
                    && !(0xD800..0xE000).contains(&unit)
                    && unit < 0x3000 =>
            {
                run.push(c)
            }
            _ => flush(&mut run, &mut out),
        }
    }
    flush(&mut run, &mut out);
    out
}

fn reads_as_words(run: &str) -> bool {
    let run = run.trim();
    if run.chars().count() < MIN_LEN {
        return false;
    }
    let words: Vec<&str> = run.split_whitespace().collect();
    let clean = words.iter().filter(|w| is_word(w)).count();
    clean >= 2 && clean * 2 >= words.len()
}

/// Letters (apostrophes and hyphens inside), then at most one mark of punctuation: how a
/// word of running text looks, and what noise rarely spells.
fn is_word(w: &str) -> bool {
    let w = w.trim_start_matches(['(', '"', '\'', '‘', '“']);
    let w = w.trim_end_matches([')', '"', '\'', '’', '”']);
    let w = w.strip_suffix(['.', ',', ';', ':', '!', '?']).unwrap_or(w);
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_not_noise() {
        let mut b = b"\x00\x01IDATx^\x00PNG\x89\xff".to_vec();
        b.extend_from_slice(b"\x00\x00The victim lives at 14 Acacia Avenue\x00");
        let found = words(&b);
        assert_eq!(
            found,
            vec!["The victim lives at 14 Acacia Avenue".to_string()]
        );
        let utf16: Vec<u8> = "Witness Mark Taylor"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(words(&utf16), vec!["Witness Mark Taylor".to_string()]);
        assert!(words(b"7Tl+X 56-O,/ YjE9&K rrqV!f").is_empty());
    }
}
