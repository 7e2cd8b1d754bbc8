//! How numbers are written for people: shared by the narration, the reports, the map
//! renderer and the window, so that none of them has to reach into another for it.

/// Bytes as lower-case hexadecimal: the form of every hash the game shows or stores.
///
/// ```
/// assert_eq!(railhead::numbers::hex(&[0, 15, 255]), "000fff");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Thousands separated by commas: 12,500.
///
/// ```
/// assert_eq!(railhead::numbers::group_thousands(1_234_567), "1,234,567");
/// assert_eq!(railhead::numbers::group_thousands(999), "999");
/// ```
pub fn group_thousands(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count with its noun, singular or plural: `count(1, "hex", "hexes")` is "1 hex",
/// `count(3, "hex", "hexes")` "3 hexes".
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}
