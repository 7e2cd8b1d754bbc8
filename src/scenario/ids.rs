//! Typed ids: the index of a unit, side, grouping, depot, rail link, crossing, river or
//! place in its list of the scenario. Events and orders carry these, not names or bare
//! integers, so that an order cannot name a grouping by a unit's index; names are looked up
//! (`Scenario::unit`, `Scenario::side` ... in [`super::model`]) only where text is made.
//!
//!
//! A list the scenario or the state keeps per unit, side, grouping ... is indexed by the
//! id itself (`forces.units[id]`, `board.link_cut_by[side]`): the ids implement `Index` for
//! slices and vectors, so an index never has to be unwrapped to a bare integer.
//!
//! ```
//! use railhead::scenario::ids::UnitId;
//! let s = railhead::scenario::load_or_default(None).unwrap();
//! let first = UnitId(0);
//! assert_eq!(s.unit(first).name, s.units[0].name);
//! // Ids serialise as their index.
//! assert_eq!(serde_json::to_string(&first).unwrap(), "0");
//! // And index the lists kept in their order.
//! assert_eq!(s.units[first].name, s.units[0].name);
//! ```

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(
                Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            )]
            #[serde(transparent)]
            pub struct $name(pub usize);

            impl $name {
                /// The index in the scenario's list.
                pub fn index(self) -> usize {
                    self.0
                }
            }

            impl<T> std::ops::Index<$name> for [T] {
                type Output = T;
                fn index(&self, id: $name) -> &T {
                    &self[id.0]
                }
            }

            impl<T> std::ops::IndexMut<$name> for [T] {
                fn index_mut(&mut self, id: $name) -> &mut T {
                    &mut self[id.0]
                }
            }

            impl<T> std::ops::Index<$name> for Vec<T> {
                type Output = T;
                fn index(&self, id: $name) -> &T {
                    &self[id.0]
                }
            }

            impl<T> std::ops::IndexMut<$name> for Vec<T> {
                fn index_mut(&mut self, id: $name) -> &mut T {
                    &mut self[id.0]
                }
            }

            impl std::fmt::Display for $name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "{}", self.0)
                }
            }
        )*

    };
}

ids! {
    /// A unit: index into the scenario's `units`.
    UnitId;
    /// A side: index into the scenario's `sides`.
    SideId;
    /// A grouping: index into the scenario's `groupings`.
    GroupingId;
    /// A depot: index into the scenario's `depots`.
    DepotId;
    /// A rail link: index into the scenario's `rail_links`.
    LinkId;
    /// A bridge or ford: index into the scenario's `crossings`.
    CrossingId;
    /// A river: index into the scenario's `rivers`.
    RiverId;
    /// A place: index into the scenario's `places`.
    PlaceId;
    /// A rail node: index into the scenario's `rail_nodes`.
    NodeId;
}
