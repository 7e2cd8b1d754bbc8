//! Where each value of a RON file starts: a map from a value's path
//! (`units[3].grouping`, `map.terrain[12]`) to its line and column.
//!
//! Serde forgets positions once a file is deserialised; this index lets validation speak
//! of `file:line:column` for errors it finds later (a unit off the map, a rail node that
//! does not exist). It reads only files that `ron` has already parsed, and is lenient:
//! on anything it does not expect it stops and keeps what it has.

use std::collections::HashMap;

/// A line and column, both starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, counted in characters.
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(char),
    Other,
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    column: usize,
}

impl Lexer<'_> {
    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_trivia(&mut self) {
        loop {
            match self.chars.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('/') => {
                    let mut ahead = self.chars.clone();
                    ahead.next();
                    match ahead.next() {
                        Some('/') => {
                            while let Some(c) = self.bump() {
                                if c == '\n' {
                                    break;
                                }
                            }
                        }
                        Some('*') => {
                            self.bump();
                            self.bump();
                            let mut depth = 1;
                            let mut prev = ' ';
                            while let Some(c) = self.bump() {
                                if prev == '*' && c == '/' {
                                    depth -= 1;
                                    if depth == 0 {
                                        break;
                                    }
                                    prev = ' ';
                                    continue;
                                }
                                if prev == '/' && c == '*' {
                                    depth += 1;
                                    prev = ' ';
                                    continue;
                                }
                                prev = c;
                            }
                        }
                        _ => return,
                    }
                }
                _ => return,
            }
        }
    }

    fn quoted(&mut self, quote: char) -> String {
        let mut s = String::new();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    if let Some(e) = self.bump() {
                        s.push(e);
                    }
                }
                c if c == quote => break,
                c => s.push(c),
            }
        }
        s
    }

    fn raw_string(&mut self) -> String {
        let mut hashes = 0;
        while self.chars.peek() == Some(&'#') {
            self.bump();
            hashes += 1;
        }
        self.bump(); // opening quote
        let mut s = String::new();
        while let Some(c) = self.bump() {
            if c == '"' {
                let mut ahead = self.chars.clone();
                if (0..hashes).all(|_| ahead.next() == Some('#')) {
                    for _ in 0..hashes {
                        self.bump();
                    }
                    break;
                }
            }
            s.push(c);
        }
        s
    }

    fn next(&mut self) -> Option<(Tok, Pos)> {
        self.skip_trivia();
        let pos = Pos {
            line: self.line,
            column: self.column,
        };
        let c = *self.chars.peek()?;
        let tok = match c {
            '(' | ')' | '[' | ']' | '{' | '}' | ':' | ',' => {
                self.bump();
                Tok::Punct(c)
            }
            '"' => {
                self.bump();
                Tok::Str(self.quoted('"'))
            }
            '\'' => {
                self.bump();
                self.quoted('\'');
                Tok::Other
            }
            'r' | 'b'
                if {
                    let mut ahead = self.chars.clone();
                    ahead.next();
                    let n = ahead.next();
                    n == Some('"') || n == Some('#') || (c == 'b' && n == Some('\''))
                } =>
            {
                self.bump();
                if c == 'b' && self.chars.peek() == Some(&'\'') {
                    self.bump();
                    self.quoted('\'');
                    Tok::Other
                } else if c == 'b' {
                    self.bump();
                    Tok::Str(self.quoted('"'))
                } else {
                    Tok::Str(self.raw_string())
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut s = String::new();
                while let Some(&c) = self.chars.peek() {
                    if c.is_alphanumeric() || c == '_' || c == '#' {
                        s.push(c);
                        self.bump();
                    } else {
                        break;
                    }
                }
                Tok::Ident(s)
            }
            _ => {
                // Numbers and anything else: read to the next delimiter.
                while let Some(&c) = self.chars.peek() {
                    if c.is_whitespace() || "()[]{}:,\"'".contains(c) {
                        break;
                    }
                    self.bump();
                }
                Tok::Other
            }
        };
        Some((tok, pos))
    }
}

/// The positions of every value in one RON text, by path.
#[derive(Debug, Default)]
pub struct SourceIndex {
    positions: HashMap<String, Pos>,
}

struct Walker {
    toks: Vec<(Tok, Pos)>,
    i: usize,
    index: HashMap<String, Pos>,
}

fn child_field(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    }
}

impl Walker {
    fn peek(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.i + k).map(|(t, _)| t)
    }

    fn value(&mut self, path: &str, depth: usize) -> Option<()> {
        if depth > 256 {
            return None;
        }
        let (tok, pos) = self.toks.get(self.i)?.clone();
        self.index.entry(path.to_string()).or_insert(pos);
        match tok {
            Tok::Ident(_) => {
                self.i += 1;
                if self.peek(0) == Some(&Tok::Punct('(')) {
                    self.parens(path, depth)?;
                }
            }
            Tok::Punct('(') => self.parens(path, depth)?,
            Tok::Punct('[') => {
                self.i += 1;
                let mut n = 0;
                while self.peek(0)? != &Tok::Punct(']') {
                    self.value(&format!("{path}[{n}]"), depth + 1)?;
                    n += 1;
                    if self.peek(0)? == &Tok::Punct(',') {
                        self.i += 1;
                    }
                }
                self.i += 1;
            }
            Tok::Punct('{') => {
                self.i += 1;
                while self.peek(0)? != &Tok::Punct('}') {
                    let key = match self.peek(0)? {
                        Tok::Str(s) | Tok::Ident(s) => s.clone(),
                        _ => String::from("?"),
                    };
                    let key_path = child_field(path, &key);
                    self.value(&key_path, depth + 1)?;
                    if self.peek(0)? != &Tok::Punct(':') {
                        return None;
                    }
                    self.i += 1;
                    self.value(&key_path, depth + 1)?;
                    if self.peek(0)? == &Tok::Punct(',') {
                        self.i += 1;
                    }
                }
                self.i += 1;
            }
            Tok::Str(_) | Tok::Other => self.i += 1,
            Tok::Punct(_) => return None,
        }
        Some(())
    }

    fn parens(&mut self, path: &str, depth: usize) -> Option<()> {
        self.i += 1; // '('
        let named =
            matches!(self.peek(0), Some(Tok::Ident(_))) && self.peek(1) == Some(&Tok::Punct(':'));
        let mut n = 0;
        while self.peek(0)? != &Tok::Punct(')') {
            if named {
                let Tok::Ident(field) = self.peek(0)?.clone() else {
                    return None;
                };
                let field_path = child_field(path, &field);
                let pos = self.toks[self.i].1;
                self.index
                    .entry(format!("{field_path}#name"))
                    .or_insert(pos);
                self.i += 2; // name and ':'
                self.value(&field_path, depth + 1)?;
            } else {
                self.value(&format!("{path}[{n}]"), depth + 1)?;
                n += 1;
            }
            if self.peek(0)? == &Tok::Punct(',') {
                self.i += 1;
            }
        }
        self.i += 1;
        Some(())
    }
}

impl SourceIndex {
    /// Indexes a RON text.
    pub fn build(src: &str) -> Self {
        let mut lexer = Lexer {
            chars: src.chars().peekable(),
            line: 1,
            column: 1,
        };
        let mut toks = Vec::new();
        while let Some(t) = lexer.next() {
            toks.push(t);
        }
        let mut walker = Walker {
            toks,
            i: 0,
            index: HashMap::new(),
        };
        // Skip inner attributes such as `#![enable(implicit_some)]`.
        while matches!(walker.peek(0), Some(Tok::Other | Tok::Punct('['))) {
            if walker.peek(0) == Some(&Tok::Punct('[')) {
                while !matches!(walker.peek(0), Some(Tok::Punct(']')) | None) {
                    walker.i += 1;
                }
            }
            walker.i += 1;
        }
        let _ = walker.value("", 0);
        SourceIndex {
            positions: walker.index,
        }
    }

    /// Where the value at `path` starts; if that path is absent (a defaulted field), the
    /// nearest enclosing value that is present.
    pub fn find(&self, path: &str) -> Pos {
        let mut p = path;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(cut) => p = &p[..cut],
                None => {
                    return self
                        .positions
                        .get("")
                        .copied()
                        .unwrap_or(Pos { line: 1, column: 1 });
                }
            }
        }
    }

    /// Where the name of the field at `path` is written, if it is.
    pub fn field_name(&self, path: &str) -> Option<Pos> {
        self.positions.get(&format!("{path}#name")).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fields_items_and_map_keys() {
        let src = "// comment\nScenario(\n  name: \"x\",\n  units: [\n    Unit(at: Place(\"A\"), eq: {\"tanks\": 3}),\n    (at: LatLon(1.0, 2.0)),\n  ],\n)";
        let ix = SourceIndex::build(src);
        assert_eq!(ix.find("name"), Pos { line: 3, column: 9 });
        assert_eq!(
            ix.find("units[0].at"),
            Pos {
                line: 5,
                column: 14
            }
        );
        assert_eq!(
            ix.find("units[0].at[0]"),
            Pos {
                line: 5,
                column: 20
            }
        );
        assert_eq!(
            ix.find("units[0].eq"),
            Pos {
                line: 5,
                column: 30
            }
        );
        assert_eq!(
            ix.find("units[0].eq.tanks"),
            Pos {
                line: 5,
                column: 31
            }
        );
        assert_eq!(
            ix.find("units[1].at[1]"),
            Pos {
                line: 6,
                column: 22
            }
        );
        assert_eq!(
            ix.field_name("units[1].at"),
            Some(Pos { line: 6, column: 6 })
        );
        // Absent paths fall back to the nearest enclosing value.
        assert_eq!(ix.find("units[1].missing"), Pos { line: 6, column: 5 });
    }

    #[test]
    fn survives_garbage() {
        for src in [
            "",
            "(",
            "((((",
            "[1, 2",
            "{\"a\" 1}",
            "/* open",
            "r#\"x",
            "'",
        ] {
            let ix = SourceIndex::build(src);
            let _ = ix.find("a.b[3]");
        }
    }
}
