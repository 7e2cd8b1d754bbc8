//! Reading the files a user or another file names: only regular files, never more than a
//! limit. A FIFO would block for ever, a device (`/dev/zero`) would never end, and a
//! folder is not a file: each is refused by name before it is opened. The limit is
//! checked while reading (at most the limit and one byte are read), not after.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// It is not a regular file.
    #[error("it is {0}, not a regular file")]
    NotRegular(&'static str),
    /// It is larger than the limit.
    #[error("it is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, bytes.
        limit: u64,
    },
    /// The system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What kind of thing a path that is not a regular file is, in words.
fn kind(m: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if m.is_dir() { "a folder" } else { "not a file" }
}

/// Opens a regular file of at most `limit` bytes (as it stands now) for reading, with its
/// length; the reader still reads no more than it means to.
pub fn open_regular(path: &Path, limit: u64) -> Result<(std::fs::File, u64), ReadError> {
    // Looked at before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    let file = std::fs::File::open(path)?;
    // And again on what was opened, in case the path changed in between.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok((file, meta.len()))
}

/// Reads a regular file of at most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path, limit)?;
    let meta_len = len;
    let mut bytes = Vec::with_capacity(usize::try_from(meta_len).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Why a file's bytes are not text this program reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// It starts with a UTF-16 byte-order mark.
    #[error("it is UTF-16 text, not UTF-8")]
    Utf16,
    /// It is not UTF-8: the bytes before this offset are.
    #[error("it is not UTF-8 text")]
    NotUtf8 {
        /// How many bytes from the start (after any byte-order mark) are UTF-8.
        valid_up_to: usize,
    },
}

/// The UTF-8 byte-order mark some editors (Windows Notepad among them) write at the start
/// of a file.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text of a file's bytes: UTF-8, a leading byte-order mark skipped (it is not part of
/// the text, and line and column count from after it, as an editor shows them); UTF-16
/// (a file saved as "Unicode") refused by name.
pub fn text(bytes: &[u8]) -> Result<&str, TextError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(TextError::Utf16);
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| TextError::NotUtf8 {
        valid_up_to: e.valid_up_to(),
    })
}

/// [`text`] of the bytes the file's reader owns.
pub fn into_text(mut bytes: Vec<u8>) -> Result<String, TextError> {
    text(&bytes)?;
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| TextError::NotUtf8 {
        valid_up_to: e.utf8_error().valid_up_to(),
    })
}

/// Where a path leads, however it is spelled: made absolute, each part that exists
/// followed through its links, `.` dropped and `..` taken back a part (after the links
/// before it, as the system does). A path that does not exist yet is resolved as far as
/// it does.
pub fn resolved(path: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = std::path::PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => {
                out.push(other);
                if let Ok(real) = std::fs::canonicalize(&out) {
                    out = real;
                }
            }
        }
    }
    out
}

/// Whether two paths name the same file: they lead to the same place, or (both existing)
/// they are one file under two names (a hard link).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if resolved(a) == resolved(b) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

/// The first word of a RON text, after white space and comments: what the file says it is
/// (`Scenario`, `Variant`, `Save`), read without quoting the rest of it.
pub fn first_word(src: &str) -> &str {
    let mut rest = src;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("#![") {
            rest = after.split_once(']').map_or("", |(_, r)| r);
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            return if end == 0 {
                // One character, whatever its width.
                rest.chars().next().map_or("", |c| &rest[..c.len_utf8()])
            } else {
                &rest[..end]
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.ron");
        std::fs::write(&f, b"Scenario(").unwrap();
        assert_eq!(read_regular(&f, 9).unwrap(), b"Scenario(");
        assert!(matches!(
            read_regular(&f, 8),
            Err(ReadError::TooLarge { limit: 8 })
        ));
        assert!(matches!(
            read_regular(dir.path(), 100),
            Err(ReadError::NotRegular("a folder"))
        ));
        #[cfg(unix)]
        {
            assert!(matches!(
                read_regular(Path::new("/dev/zero"), 100),
                Err(ReadError::NotRegular("a device"))
            ));
            let fifo = dir.path().join("p");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                assert!(matches!(
                    read_regular(&fifo, 100),
                    Err(ReadError::NotRegular("a FIFO (named pipe)"))
                ));
            }
        }
    }

    #[test]
    fn the_first_word_skips_comments() {
        assert_eq!(first_word("// c\n /* d */ Scenario(name"), "Scenario");
        assert_eq!(first_word("  (name: 1)"), "(");
        assert_eq!(first_word("root:x:0:0"), "root");
        assert_eq!(first_word(""), "");
        assert_eq!(first_word("\u{feff}Scenario("), "\u{feff}");
        assert_eq!(first_word("é"), "é");
    }

    #[test]
    fn one_file_is_one_file_however_it_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        let s = d.join("s.ron");
        // Not there yet, and there.
        for exists in [false, true] {
            if exists {
                std::fs::write(&s, b"x").unwrap();
            }
            for other in [
                d.join("./s.ron"),
                d.join("sub/../s.ron"),
                d.join("nowhere/../s.ron"),
                d.join("sub/./../sub/../s.ron"),
            ] {
                assert!(same_file(&s, &other), "{} {}", s.display(), other.display());
            }
            assert!(!same_file(&s, &d.join("sub/s.ron")));
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(d.join("sub"), d.join("link")).unwrap();
            // link/.. is the link's target's parent, as the system reads it.
            assert!(same_file(&d.join("link/../s.ron"), &s));
            std::fs::hard_link(&s, d.join("hard.ron")).unwrap();
            assert!(same_file(&d.join("hard.ron"), &s));
        }
    }

    #[test]
    fn text_skips_a_byte_order_mark_and_refuses_utf16() {
        assert_eq!(text(b"\xEF\xBB\xBFScenario(").unwrap(), "Scenario(");
        assert_eq!(text(b"Scenario(").unwrap(), "Scenario(");
        assert_eq!(text(b"\xFF\xFES\x00c\x00"), Err(TextError::Utf16));
        assert_eq!(text(b"\xFE\xFF\x00S"), Err(TextError::Utf16));
        assert_eq!(
            text(b"\xEF\xBB\xBFab\xFFc"),
            Err(TextError::NotUtf8 { valid_up_to: 2 })
        );
        assert_eq!(
            into_text(b"\xEF\xBB\xBFRailheadSave(".to_vec()).unwrap(),
            "RailheadSave("
        );
    }
}
