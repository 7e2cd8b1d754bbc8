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

/// Reads a regular file of at most `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
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
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
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
                &rest[..rest.len().min(1)]
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
    }
}
