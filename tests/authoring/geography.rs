//! The Kharkiv map puts things where the reference puts them.

use railhead::geo::LatLon;
use railhead::scenario::{Scenario, load_or_default};

fn kharkiv() -> Scenario {
    load_or_default(None).expect("the built-in scenario validates")
}

#[test]
fn every_town_lies_within_one_hex_of_its_coordinates() {
    let s = kharkiv();
    assert!(s.places.len() >= 40, "only {} places", s.places.len());
    for p in &s.places {
        let centre = s.frame.hex_center(p.hex);
        let d = centre.distance_km(p.position);
        assert!(
            d <= s.frame.hex_km,
            "{} is {d:.1} km from the centre of its hex {}",
            p.name,
            p.hex
        );
    }
}

#[test]
fn key_towns_have_the_reference_coordinates() {
    // From the reference's table 1.1 (GeoNames, rounded to 0.01 degree).
    let s = kharkiv();
    // Kupiansk is put 1.4 km west of the rounded figure, on the west bank where the city
    // centre stands, so that the river runs between the city and the junction.
    for (name, lat, lon, within_km) in [
        ("Kharkiv", 49.98, 36.25, 1.0),
        ("Balakliia", 49.46, 36.84, 1.0),
        ("Kupiansk", 49.71, 37.62, 1.5),
        ("Kupiansk-Vuzlovyi", 49.67, 37.64, 1.0),
        ("Izium", 49.21, 37.28, 1.0),
        ("Lyman", 48.99, 37.81, 1.0),
        ("Svatove", 49.41, 38.16, 1.0),
        ("Belgorod", 50.60, 36.58, 1.0),
        ("Valuyki", 50.20, 38.12, 1.0),
    ] {
        let p = s.place(name).unwrap_or_else(|| panic!("no place {name}"));
        let want = LatLon { lat, lon };
        assert!(
            p.position.distance_km(want) < within_km,
            "{name} is at {:?}",
            p.position
        );
        assert!(
            s.frame.hex_center(p.hex).distance_km(want) <= s.frame.hex_km,
            "{name}'s hex is off"
        );
    }
}

fn touches_river(s: &Scenario, place: &str, river: &str) -> bool {
    let hex = s.place(place).unwrap().hex;
    let r = s.rivers.iter().position(|r| r.name == river).unwrap();
    s.river_edges
        .iter()
        .any(|((a, b), e)| e.river == r && (*a == hex || *b == hex))
}

#[test]
fn river_towns_stand_on_their_rivers() {
    let s = kharkiv();
    for town in ["Izium", "Chuhuiv", "Sviatohirsk"] {
        assert!(
            touches_river(&s, town, "Siverskyi Donets"),
            "{town} is not on the Donets"
        );
    }
    for town in ["Kupiansk", "Dvorichna"] {
        assert!(
            touches_river(&s, town, "Oskil"),
            "{town} is not on the Oskil"
        );
    }
    assert!(
        !touches_river(&s, "Kharkiv", "Siverskyi Donets"),
        "Kharkiv is not on the Donets"
    );
    assert!(
        !touches_river(&s, "Svatove", "Oskil"),
        "Svatove is not on the Oskil"
    );
}

#[test]
fn the_oskil_runs_between_kupiansk_and_its_junction() {
    // The city on the west bank, the junction on the east: the rail bridge between them
    // crosses the river, so losing the city is not losing the junction.
    let s = kharkiv();
    let oskil = s.rivers.iter().position(|r| r.name == "Oskil").unwrap();
    let bridge = s
        .rail_links
        .iter()
        .find(|l| l.name == "Kupiansk Oskil bridge")
        .unwrap();
    assert!(
        bridge.hexes.windows(2).any(|w| s
            .river_edges
            .get(&railhead::scenario::model::edge_key(w[0], w[1]))
            .is_some_and(|e| e.river == oskil)),
        "the Kupiansk rail bridge does not cross the Oskil"
    );
}

#[test]
fn the_border_separates_russian_and_ukrainian_towns() {
    let s = kharkiv();
    let ru = s.side_index("ru").unwrap();
    let ua = s.side_index("ua").unwrap();
    for town in ["Belgorod", "Valuyki", "Urazovo", "Shebekino"] {
        assert_eq!(s.control_at(s.place(town).unwrap().hex), Some(ru), "{town}");
    }
    // Held by each side on 6 September 2022.
    for town in ["Kharkiv", "Chuhuiv", "Sloviansk", "Barvinkove"] {
        assert_eq!(s.control_at(s.place(town).unwrap().hex), Some(ua), "{town}");
    }
    for town in ["Balakliia", "Kupiansk", "Izium", "Lyman", "Vovchansk"] {
        assert_eq!(s.control_at(s.place(town).unwrap().hex), Some(ru), "{town}");
    }
}

#[test]
fn izium_is_fed_through_kupiansk_and_by_a_longer_road_via_svatove() {
    use petgraph::algo::has_path_connecting;
    use petgraph::graph::UnGraph;
    let s = kharkiv();
    let node = |n: &str| s.rail_nodes.iter().position(|r| r.name == n).unwrap();
    // Russian supply runs on links wholly in Russian-held hexes at the start.
    let ru = s.side_index("ru").unwrap();
    let graph = |skip: &str| {
        let mut g = UnGraph::<(), ()>::new_undirected();
        let nodes: Vec<_> = s.rail_nodes.iter().map(|_| g.add_node(())).collect();
        let junction = node(skip);
        for l in &s.rail_links {
            let russian = l.hexes.iter().all(|h| s.control_at(*h) == Some(ru));
            if russian && l.from != junction && l.to != junction {
                g.add_edge(nodes[l.from], nodes[l.to], ());
            }
        }
        (g, nodes)
    };
    let (g, n) = graph("Kharkiv"); // a Ukrainian node: nothing Russian removed
    assert!(has_path_connecting(
        &g,
        n[node("Belgorod")],
        n[node("Izium")],
        None
    ));
    let (g, n) = graph("Kupiansk-Vuzlovyi");
    assert!(
        !has_path_connecting(&g, n[node("Belgorod")], n[node("Izium")], None),
        "Belgorod reaches Izium only through the junction"
    );
    assert!(
        has_path_connecting(&g, n[node("Lysychansk")], n[node("Izium")], None),
        "the longer route via Svatove and Lyman remains"
    );
}
