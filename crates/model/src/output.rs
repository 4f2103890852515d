//! Writing outputs: atomically (a temporary file in the target folder, then a rename),
//! so a failure leaves either the old file or the new one, never half of one; refusing two
//! outputs onto one file; and text for a terminal with its control characters escaped.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` atomically.
///
/// A target that exists and is not a regular file (`/dev/null`, a FIFO, `/dev/stdout`) is
/// written in place: renaming over it would replace the device. A new file gets the usual
/// `0644` permissions (the temporary file's private `0600` would hide the inventory from
/// colleagues); a replaced file keeps its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let existing = std::fs::metadata(path).ok();
    if let Some(meta) = &existing
        && !meta.is_file()
    {
        return std::fs::OpenOptions::new().write(true).open(path)?.write_all(bytes);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".kataster-").suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    let perms = match &existing {
        Some(meta) => meta.permissions(),
        None => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::Permissions::from_mode(0o644)
        }
    };
    tmp.as_file().set_permissions(perms)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// What a path names as a file, for telling whether two outputs are one file: the
/// canonical path (symlinks, `./` and `..` resolved) of the file, or of its folder joined
/// with its name when it does not exist yet. `None` for an existing file that is not a
/// regular file (`/dev/null` may take any number of outputs).
fn identity(path: &Path) -> Option<PathBuf> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => None,
        Ok(_) => path.canonicalize().ok().or_else(|| Some(path.to_path_buf())),
        Err(_) => {
            let name = path.file_name()?;
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            Some(dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()).join(name))
        }
    }
}

/// Check that no two of the named files (`(what, path)`, e.g. `("-o json", "h.db")`) are
/// one file; the error names both and the file.
pub fn distinct_files(files: &[(String, &Path)]) -> Result<(), String> {
    let mut seen: Vec<(PathBuf, &str, &Path)> = Vec::new();
    for (what, path) in files {
        let Some(id) = identity(path) else { continue };
        if let Some((_, first, first_path)) = seen.iter().find(|(s, _, _)| *s == id) {
            return Err(format!(
                "{first} ({}) and {what} ({}) are the same file; the second would overwrite the first",
                first_path.display(),
                path.display()
            ));
        }
        seen.push((id, what.as_str(), path));
    }
    Ok(())
}

/// Whether a character must not reach a terminal as it is: control characters (C0, DEL,
/// C1: escape sequences start with them) and the bidirectional overrides and isolates that
/// reorder what is shown.
fn unsafe_for_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One value (a name, a version, a path) for a terminal: every control character escaped
/// (`\u{1b}`, `\n`), so it stays on its line and cannot drive the terminal.
pub fn terminal_field(s: &str) -> Cow<'_, str> {
    escape(s, unsafe_for_terminal)
}

/// Text of several lines for a terminal: as [`terminal_field`], but line breaks and tabs stay.
pub fn terminal_text(s: &str) -> Cow<'_, str> {
    escape(s, |c| c != '\n' && c != '\t' && unsafe_for_terminal(c))
}

fn escape(s: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_for_the_terminal() {
        assert_eq!(terminal_field("serde"), "serde");
        assert_eq!(terminal_field("evil\u{1b}]0;owned\u{7}"), "evil\\u{1b}]0;owned\\u{7}");
        assert_eq!(terminal_field("a\nb\rc"), "a\\nb\\rc");
        assert_eq!(terminal_field("x\u{202e}gpj.exe"), "x\\u{202e}gpj.exe");
        assert_eq!(terminal_field("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(terminal_text("line 1\n\tline 2\u{1b}[2J\n"), "line 1\n\tline 2\\u{1b}[2J\n");
        assert_eq!(terminal_field("Müller ©"), "Müller ©");
    }

    #[test]
    fn one_file_named_twice_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a.json");
        let dot = d.path().join(".").join("a.json");
        let e = distinct_files(&[("-o json".into(), &a), ("--db".into(), &dot)]).unwrap_err();
        assert!(e.contains("-o json") && e.contains("--db") && e.contains("same file"), "{e}");
        // Through a symlink, existing or not yet.
        std::fs::write(&a, "x").unwrap();
        let link = d.path().join("link.json");
        std::os::unix::fs::symlink(&a, &link).unwrap();
        assert!(distinct_files(&[("-o json".into(), &a), ("-o csv".into(), &link)]).is_err());
        std::fs::create_dir(d.path().join("sub")).unwrap();
        std::os::unix::fs::symlink(d.path().join("sub"), d.path().join("alias")).unwrap();
        let (x, y) = (d.path().join("sub/new.csv"), d.path().join("alias/new.csv"));
        assert!(distinct_files(&[("-o csv".into(), &x), ("-o html".into(), &y)]).is_err());
        // Different files, and devices, are fine.
        let b = d.path().join("b.json");
        assert!(distinct_files(&[("-o json".into(), &a), ("-o csv".into(), &b)]).is_ok());
        let null = Path::new("/dev/null");
        assert!(distinct_files(&[("-o json".into(), null), ("-o csv".into(), null)]).is_ok());
    }

    #[test]
    fn writes_whole_file_and_leaves_no_temporary() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("out.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
        assert!(write_atomic(&d.path().join("missing/out.json"), b"x").is_err());
    }

    #[test]
    fn devices_are_written_in_place_and_new_files_are_readable() {
        use std::os::unix::fs::{FileTypeExt, PermissionsExt};
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        let p = d.path().join("new.csv");
        write_atomic(&p, b"x").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o644);
    }
}
