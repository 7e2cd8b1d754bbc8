//! Railhead's glossary: the terms its reports and lessons use, each with its meaning, and
//! a scenario's own examples of them (its `glossary`: "junction" is Kupiansk-Vuzlovyi in
//! one, the Antonivskyi bridges' railway in another), so that a term reads in the terms
//! of the map on screen, and two scenarios' glossaries can be set side by side.

use super::model::Scenario;

/// The terms Railhead's reports and lessons use, each with its meaning in a sentence.
pub const TERMS: &[(&str, &str)] = &[
    (
        "depot",
        "a railhead store of supply (fuel, ammunition, food) that units near it draw on; its stock is in tonnes (t).",
    ),
    (
        "inflow",
        "what the trains bring a depot in a day, in tonnes; 'of the N t open lines would bring' is what it would get with no line cut.",
    ),
    (
        "rail line cut",
        "a line is cut when the enemy holds or stands on its track; trains cannot pass, so the depots it fed get less.",
    ),
    (
        "junction",
        "a station where railway lines meet; taking it cuts every line through it.",
    ),
    (
        "days of supply",
        "a depot's stock divided by what its units use in a day: how long they can fight on what is there.",
    ),
    (
        "grouping",
        "a command of several units that is ordered as one, such as a corps or an army's group of brigades.",
    ),
    (
        "ordered back (withdrawal)",
        "the command's order to fall back to a line further back; the game gives the reasons it weighed.",
    ),
    (
        "fallback line",
        "the line a grouping is ordered back to, set in the scenario.",
    ),
    (
        "supplied, short, out of supply",
        "a unit within reach of a depot with stock is supplied; short units fight and move weaker; out of supply they weaken each day.",
    ),
    (
        "encircled",
        "with no path to any depot of its side over ground it holds.",
    ),
    (
        "force ratio",
        "the strength of the units attacking against that of those defending.",
    ),
    (
        "hex",
        "one cell of the map; the scenario says how many kilometres across (5 km in the shipped scenarios).",
    ),
    (
        "VP (victory points)",
        "what an objective (a town) is worth to the side holding it.",
    ),
    (
        "km²",
        "square kilometres of ground taken from the other side since the start.",
    ),
    (
        "infantry fighting vehicle (IFV)",
        "an armoured vehicle that carries infantry and fights with a cannon.",
    ),
    (
        "armoured personnel carrier (APC)",
        "an armoured vehicle that carries infantry, lightly armed.",
    ),
    (
        "rocket launcher (MRL)",
        "a multiple rocket launcher, a truck or tracked vehicle firing many rockets at once.",
    ),
    (
        "HIMARS",
        "a US-made rocket launcher whose guided rockets hit bridges and depots far behind the front.",
    ),
    (
        "pontoon, ferry",
        "a floating bridge or a boat crossing, which carries less than a bridge and can be struck too.",
    ),
    (
        "left behind, captured",
        "equipment a falling-back unit abandons, and what the enemy takes of it or of units it destroys.",
    ),
];

/// A term with its meaning, and a scenario's example of it when it gives one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gloss {
    /// The term, as [`TERMS`] spells it (or a lesson's own term).
    pub term: String,
    /// What it means, in a sentence.
    pub meaning: String,
    /// The scenario's example of it, if it gives one.
    pub example: Option<String>,
}

/// The meaning of a term of [`TERMS`].
#[must_use]
pub fn meaning(term: &str) -> Option<&'static str> {
    TERMS.iter().find(|(t, _)| *t == term).map(|(_, m)| *m)
}

/// The scenario's example of a term, if it gives one.
#[must_use]
pub fn example(s: &Scenario, term: &str) -> Option<String> {
    s.glossary
        .iter()
        .find(|(t, _)| t == term)
        .map(|(_, e)| e.clone())
}

/// A term of [`TERMS`] with the scenario's example (`None`: no such term).
#[must_use]
pub fn gloss(s: &Scenario, term: &str) -> Option<Gloss> {
    meaning(term).map(|m| Gloss {
        term: term.to_string(),
        meaning: m.to_string(),
        example: example(s, term),
    })
}

/// Every term, in [`TERMS`]' order, with the scenario's examples.
#[must_use]
pub fn of_scenario(s: &Scenario) -> Vec<Gloss> {
    TERMS.iter().filter_map(|(t, _)| gloss(s, t)).collect()
}
