//! The import structure of `src/`, read from the source: which file refers to which
//! (`use` items and paths in the code, test modules left out), so that the layers the
//! design promises hold.
//!
//! - No circle between the files of any folder of `src/` (a folder's files, its
//!   sub-folders' files with them), nor between the top-level modules.
//! - `src/rules/` in layers (`docs/design.md`, "The rules in layers"): a file imports only
//!   files of its own layer or of a layer below it. The data at the bottom imports no
//!   mechanics; the mechanics do not import the orders' execution, the AI or the day; and
//!   no file of `src/rules/` imports `rules/mod.rs`, the plugin at the top, but
//!   `simulation.rs`, which runs it.
//! - No file of `src/gui/` imports `gui/mod.rs`, which assembles the window from them.
//!
//! Files are parsed with `syn`, so a path written in an expression (`super::ground::Near`)
//! counts as much as one in a `use`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit_mut::VisitMut;

/// A module's path from the crate root, as its segments (`["rules", "supply", "trains"]`).
type ModPath = Vec<String>;

/// Every module file of `src/` (the library's; `main.rs` is the binary): module path and
/// file.
fn modules() -> BTreeMap<ModPath, PathBuf> {
    fn walk(dir: &Path, prefix: &ModPath, out: &mut BTreeMap<ModPath, PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            let name = p.file_stem().unwrap().to_string_lossy().to_string();
            if p.is_dir() {
                let mut m = prefix.clone();
                m.push(name);
                walk(&p, &m, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let m = match name.as_str() {
                    "mod" | "lib" => prefix.clone(),
                    "main" if prefix.is_empty() => continue,
                    _ => {
                        let mut m = prefix.clone();
                        m.push(name);
                        m
                    }
                };
                out.insert(m, p);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &Vec::new(),
        &mut out,
    );
    out
}

/// Whether an item is compiled only for tests (`#[cfg(test)]`).
fn test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// Collects every path a file writes, its `use` trees spelled out, leaving out items
/// compiled only for tests.
#[derive(Default)]
struct Paths(Vec<Vec<String>>);

impl Paths {
    fn use_tree(&mut self, prefix: &[String], tree: &syn::UseTree) {
        let with = |s: String| {
            let mut p = prefix.to_vec();
            p.push(s);
            p
        };
        match tree {
            syn::UseTree::Path(p) => {
                let next = with(p.ident.to_string());
                self.use_tree(&next, &p.tree);
            }
            syn::UseTree::Name(n) => self.0.push(with(n.ident.to_string())),
            syn::UseTree::Rename(r) => self.0.push(with(r.ident.to_string())),
            syn::UseTree::Glob(_) => self.0.push(prefix.to_vec()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

impl VisitMut for Paths {
    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Type(t) => &t.attrs,
            syn::Item::Trait(t) => &t.attrs,
            _ => return syn::visit_mut::visit_item_mut(self, item),
        };
        if test_only(attrs) {
            return;
        }
        if let syn::Item::Use(u) = item {
            self.use_tree(&[], &u.tree);
            return;
        }
        syn::visit_mut::visit_item_mut(self, item);
    }

    fn visit_visibility_mut(&mut self, _: &mut syn::Visibility) {
        // `pub(super)` names a module without importing anything from it.
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        self.0
            .push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // Paths inside a macro's tokens (`format!`, `matches!`...): read as expressions
        // where they parse as such, so `matches!(x, super::a::B)` counts.
        if let Ok(args) = mac.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) {
            for mut e in args {
                self.visit_expr_mut(&mut e);
            }
        }
        syn::visit_mut::visit_macro_mut(self, mac);
    }
}

/// The module files each file refers to.
fn graph() -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let mods = modules();
    let mut edges = BTreeMap::new();
    for (m, file) in &mods {
        let text = std::fs::read_to_string(file).unwrap();
        let mut ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut paths = Paths::default();
        paths.visit_file_mut(&mut ast);
        // A `mod.rs` (or `lib.rs`) names its children bare.
        let is_dir_module = file.file_stem().is_some_and(|s| s == "mod" || s == "lib");
        let mut to = BTreeSet::new();
        for p in paths.0 {
            let Some(target) = resolve(m, is_dir_module, &p, &mods) else {
                continue;
            };
            if &target != m {
                to.insert(target);
            }
        }
        edges.insert(m.clone(), to);
    }
    edges
}

/// The module file a path refers to: the longest prefix of it that is a module of the
/// crate, or `None` (another crate, a local name).
fn resolve(
    from: &ModPath,
    is_dir_module: bool,
    path: &[String],
    mods: &BTreeMap<ModPath, PathBuf>,
) -> Option<ModPath> {
    let mut base: ModPath = if is_dir_module {
        from.clone()
    } else {
        from[..from.len().saturating_sub(1)].to_vec()
    };
    let mut rest = path;
    let mut relative = false;
    loop {
        match rest.first().map(String::as_str) {
            Some("crate") => {
                base = Vec::new();
                rest = &rest[1..];
                relative = true;
            }
            Some("super") => {
                // `super` from a file module is its folder's module; from a mod.rs, the
                // folder above.
                if relative || is_dir_module {
                    base.pop();
                }
                relative = true;
                rest = &rest[1..];
            }
            Some("self") => {
                // `self` is this module (a file's own, or a folder's).
                if !relative {
                    base.clone_from(from);
                }
                relative = true;
                rest = &rest[1..];
            }
            _ => break,
        }
    }
    if !relative {
        // A bare path: a child of a directory module (`events::Chronicle` in mod.rs).
        if !is_dir_module || rest.is_empty() {
            return None;
        }
    }
    let mut best = None;
    for k in 0..=rest.len() {
        let mut m = base.clone();
        m.extend(rest[..k].iter().cloned());
        if mods.contains_key(&m) {
            best = Some(m);
        } else if k > 0 {
            break;
        }
    }
    // A bare name that is no child module is a local name.
    if !relative && best.as_ref() == Some(&base) {
        return None;
    }
    best
}

/// The circles among `nodes` (every module under `prefix`), each as the modules on it.
fn circles(
    edges: &BTreeMap<ModPath, BTreeSet<ModPath>>,
    nodes: &BTreeSet<ModPath>,
) -> Vec<Vec<ModPath>> {
    // Tarjan's strongly connected components, over the edges inside `nodes`.
    struct T<'a> {
        edges: &'a BTreeMap<ModPath, BTreeSet<ModPath>>,
        nodes: &'a BTreeSet<ModPath>,
        index: BTreeMap<ModPath, usize>,
        low: BTreeMap<ModPath, usize>,
        stack: Vec<ModPath>,
        on: BTreeSet<ModPath>,
        out: Vec<Vec<ModPath>>,
    }
    impl T<'_> {
        fn visit(&mut self, v: &ModPath) {
            let i = self.index.len();
            self.index.insert(v.clone(), i);
            self.low.insert(v.clone(), i);
            self.stack.push(v.clone());
            self.on.insert(v.clone());
            let next: Vec<ModPath> = self.edges[v]
                .iter()
                .filter(|w| self.nodes.contains(*w))
                .cloned()
                .collect();
            for w in next {
                if !self.index.contains_key(&w) {
                    self.visit(&w);
                    let l = self.low[&w].min(self.low[v]);
                    self.low.insert(v.clone(), l);
                } else if self.on.contains(&w) {
                    let l = self.index[&w].min(self.low[v]);
                    self.low.insert(v.clone(), l);
                }
            }
            if self.low[v] == self.index[v] {
                let mut c = Vec::new();
                loop {
                    let w = self.stack.pop().unwrap();
                    self.on.remove(&w);
                    let done = &w == v;
                    c.push(w);
                    if done {
                        break;
                    }
                }
                if c.len() > 1 {
                    c.sort();
                    self.out.push(c);
                }
            }
        }
    }
    let mut t = T {
        edges,
        nodes,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for n in nodes {
        if !t.index.contains_key(n) {
            t.visit(n);
        }
    }
    t.out
}

fn name(m: &ModPath) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("::")
    }
}

#[test]
fn no_folder_of_src_has_a_circle_between_its_files() {
    let edges = graph();
    let folders: BTreeSet<ModPath> = modules()
        .iter()
        .filter(|(_, f)| f.file_stem().is_some_and(|s| s == "mod" || s == "lib"))
        .map(|(m, _)| m.clone())
        .collect();
    let mut found = Vec::new();
    for folder in &folders {
        let nodes: BTreeSet<ModPath> = edges
            .keys()
            .filter(|m| m.starts_with(folder))
            .cloned()
            .collect();
        for c in circles(&edges, &nodes) {
            let c: Vec<String> = c.iter().map(name).collect();
            found.push(format!("in {}: {}", name(folder), c.join(" <-> ")));
        }
    }
    // The top-level modules, each with everything under it.
    let top: BTreeMap<ModPath, BTreeSet<ModPath>> = edges
        .iter()
        .filter(|(m, _)| !m.is_empty())
        .fold(BTreeMap::new(), |mut acc, (m, to)| {
            let entry: &mut BTreeSet<ModPath> = acc.entry(vec![m[0].clone()]).or_default();
            for t in to.iter().filter(|t| !t.is_empty() && t[0] != m[0]) {
                entry.insert(vec![t[0].clone()]);
            }
            acc
        });
    let top_nodes: BTreeSet<ModPath> = top.keys().cloned().collect();
    for c in circles(&top, &top_nodes) {
        let c: Vec<String> = c.iter().map(name).collect();
        found.push(format!("between top-level modules: {}", c.join(" <-> ")));
    }
    found.dedup();
    assert!(
        found.is_empty(),
        "circles of imports:\n{}",
        found.join("\n")
    );
}

/// The layers of `src/rules/`, bottom first: each file in one.
const RULES_LAYERS: [(&str, &[&str]); 5] = [
    (
        "data: the state, orders and events as types",
        &["cursor", "state", "orders", "events", "game"],
    ),
    (
        "mechanics: what the rules compute and change",
        &[
            "search",
            "maxflow",
            "ground",
            "movement",
            "march",
            "combat",
            "track",
            "strikes",
            "supply",
            "supply::trains",
            "supply::last_mile",
            "supply::trace",
            "posture",
            "withdrawal",
            "fog",
            "check",
            "arrivals",
            "victory",
        ],
    ),
    (
        "orders executed: the one place orders change the state",
        &["execute"],
    ),
    (
        "commanders: the AI and the operational command",
        &["ai", "command"],
    ),
    (
        "the day: setup, the day's steps, the plugin, the game run headless, its telling",
        &["setup", "day", "", "simulation", "narrate"],
    ),
];

#[test]
fn the_rules_are_in_layers_each_importing_only_its_own_or_lower() {
    let edges = graph();
    let layer_of = |m: &ModPath| -> Option<usize> {
        if m.first().map(String::as_str) != Some("rules") {
            return None;
        }
        let rest = m[1..].join("::");
        RULES_LAYERS
            .iter()
            .position(|(_, files)| files.contains(&rest.as_str()))
    };
    let mut wrong = Vec::new();
    for (m, to) in edges
        .iter()
        .filter(|(m, _)| m.first().map(String::as_str) == Some("rules"))
    {
        let Some(mine) = layer_of(m) else {
            wrong.push(format!(
                "{} is in no layer: add it to RULES_LAYERS",
                name(m)
            ));
            continue;
        };
        for t in to {
            if t.first().map(String::as_str) != Some("rules") {
                continue;
            }
            let theirs = layer_of(t).unwrap_or(usize::MAX);
            // The plugin (rules/mod.rs) is imported by nobody but the game it runs.
            let plugin = t.len() == 1 && m.last().map(String::as_str) != Some("simulation");
            if theirs > mine || plugin {
                wrong.push(format!(
                    "{} ({}) imports {} ({})",
                    name(m),
                    RULES_LAYERS[mine].0,
                    name(t),
                    RULES_LAYERS.get(theirs).map_or("no layer", |l| l.0)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_window_file_imports_the_module_that_assembles_the_window() {
    let edges = graph();
    let gui = vec!["gui".to_string()];
    let wrong: Vec<String> = edges
        .iter()
        .filter(|(m, to)| m.starts_with(&gui) && **m != gui && to.contains(&gui))
        .map(|(m, _)| name(m))
        .collect();
    assert!(wrong.is_empty(), "these import gui/mod.rs: {wrong:?}");
}

#[test]
fn the_reader_finds_imports_in_use_trees_and_in_code_but_not_in_tests() {
    // The reader itself, on a made-up file of `rules`: a use tree, a path in an
    // expression, a path in a macro, and one in a test module that does not count.
    let mut mods = BTreeMap::new();
    for m in [
        vec![],
        vec!["rules".to_string()],
        vec!["rules".into(), "a".into()],
        vec!["rules".into(), "b".into()],
        vec!["rules".into(), "c".into()],
        vec!["rules".into(), "d".into()],
        vec!["rules".into(), "e".into()],
    ] {
        mods.insert(m, PathBuf::new());
    }
    let text = r#"
        use super::{a::X, b};
        fn f() { let _ = super::c::g(); let _ = format!("{}", crate::rules::d::H); }
        #[cfg(test)]
        mod tests { use super::super::e::Y; }
    "#;
    let mut ast = syn::parse_file(text).unwrap();
    let mut paths = Paths::default();
    paths.visit_file_mut(&mut ast);
    let from = vec!["rules".to_string(), "z".to_string()];
    let found: BTreeSet<String> = paths
        .0
        .iter()
        .filter_map(|p| resolve(&from, false, p, &mods))
        .map(|m| name(&m))
        .collect();
    let want: BTreeSet<String> = ["rules::a", "rules::b", "rules::c", "rules::d"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, want);
}
