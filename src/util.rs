//! Small helpers every layer shares: report wording, hashing, little-endian reads.

pub mod le;

/// `12345` → `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 cell`, `9,484 cells`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// "a, b, c, …": the first `max` items of a list for a message.
pub fn shorten(items: &[&str], max: usize) -> String {
    let mut out: Vec<&str> = items.iter().take(max).copied().collect();
    if items.len() > max {
        out.push("…");
    }
    out.join(", ")
}

/// A fast, non-cryptographic hasher (rustc's Fx multiply-rotate, eight bytes at a time) for
/// in-process lookup tables of words, where SipHash's protection against crafted keys buys
/// nothing and costs a large share of per-cell time.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ (rest.len() as u64) << 59);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    /// The multiply leaves the low bits weak; hash tables pick buckets with them.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// `HashSet`/`HashMap` builder for [`FastHasher`].
pub type FastBuild = std::hash::BuildHasherDefault<FastHasher>;

/// Size in words a person reads: `512 bytes`, `12 KiB`, `3 MiB`.
pub fn bytes_human(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MiB", thousands(n >> 20))
    } else if n >= 1 << 10 {
        format!("{} KiB", thousands(n >> 10))
    } else {
        plural(n, "byte", "bytes")
    }
}

/// A stable 64-bit content digest, so a finding's fingerprint changes when the content behind
/// it changes. It mixes eight bytes at a time (it runs on every extracted cell), is the same
/// on every run, machine and Rust version (unlike `DefaultHasher`), and is never printed
/// except inside a SHA-256 fingerprint. Not collision-resistant against an adversary; it
/// only has to notice edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentDigest(u64);

impl Default for ContentDigest {
    fn default() -> Self {
        ContentDigest(0xcbf2_9ce4_8422_2325)
    }
}

const MIX: u64 = 0x9e37_79b9_7f4a_7c15;

impl ContentDigest {
    #[inline]
    fn word(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(23) ^ w).wrapping_mul(MIX);
    }

    /// Adds a byte string; its length is mixed in, so ("ab","c") and ("a","bc") differ.
    pub fn update(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.word(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(last));
        }
        self.word(bytes.len() as u64 ^ 0xff00_0000_0000_0000);
    }

    pub fn update_cell(&mut self, row: u32, col: u32, value: &str) {
        self.word(((row as u64) << 32) | col as u64);
        self.update(value.as_bytes());
    }

    pub fn merge(&mut self, other: ContentDigest) {
        self.word(other.0);
    }

    pub fn hex(&self) -> String {
        // Final avalanche (murmur3 fmix64) so similar inputs print unrelated digests.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^= h >> 33;
        format!("{h:016x}")
    }
}

/// String equality that skips the library call for empty and identical slices: the common
/// cases when a place is compared for every cell.
#[inline]
pub fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.is_empty() || std::ptr::eq(a.as_ptr(), b.as_ptr()) || a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_counts() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(9484), "9,484");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(plural(1, "row", "rows"), "1 row");
        assert_eq!(plural(2, "row", "rows"), "2 rows");
        assert_eq!(bytes_human(100), "100 bytes");
        assert_eq!(bytes_human(4096), "4 KiB");
        assert_eq!(bytes_human(3 << 20), "3 MiB");
    }

    #[test]
    fn digest_tracks_content_and_order() {
        let of = |parts: &[&str]| {
            let mut d = ContentDigest::default();
            parts.iter().for_each(|p| d.update(p.as_bytes()));
            d
        };
        assert_eq!(of(&["Smith", "John"]), of(&["Smith", "John"]));
        assert_ne!(of(&["Smith", "John"]), of(&["Smith", "Jane"]));
        assert_ne!(of(&["ab", "c"]), of(&["a", "bc"]));
    }
}
