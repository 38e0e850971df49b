//! Little-endian reads that return `None` past the end of the data, so no offset taken
//! from a file can make a read panic.

pub fn u8_at(d: &[u8], at: usize) -> Option<u8> {
    d.get(at).copied()
}

pub fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    let b = d.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

pub fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

pub fn f64_at(d: &[u8], at: usize) -> Option<f64> {
    let b = d.get(at..at.checked_add(8)?)?;
    Some(f64::from_le_bytes(b.try_into().ok()?))
}

/// `n` UTF-16LE code units from `at`, decoded (unpaired surrogates replaced).
pub fn utf16_at(d: &[u8], at: usize, n: usize) -> Option<String> {
    let b = d.get(at..at.checked_add(n.checked_mul(2)?)?)?;
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    Some(String::from_utf16_lossy(&units))
}
