//! Typed ids: the index of a unit, side, grouping, depot, rail link, crossing, river or
//! place in its list of the scenario. Events and orders carry these, not names or bare
//! integers, so that an order cannot name a grouping by a unit's index; names are looked up
//! ([`Scenario::unit`], [`Scenario::side`] ...) only where text is made.
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

use super::model::{Crossing, Depot, Grouping, Place, RailLink, River, Scenario, Side, UnitSpec};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident => $what:ident: $ty:ty, $list:ident;)*) => {
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

        impl Scenario {
            $(
                #[doc = concat!("The ", stringify!($what), " an id names.")]
                pub fn $what(&self, id: $name) -> &$ty {
                    &self.$list[id.0]
                }
            )*
        }
    };
}

ids! {
    /// A unit: index into [`Scenario::units`].
    UnitId => unit: UnitSpec, units;
    /// A side: index into [`Scenario::sides`].
    SideId => side: Side, sides;
    /// A grouping: index into [`Scenario::groupings`].
    GroupingId => grouping: Grouping, groupings;
    /// A depot: index into [`Scenario::depots`].
    DepotId => depot: Depot, depots;
    /// A rail link: index into [`Scenario::rail_links`].
    LinkId => rail_link: RailLink, rail_links;
    /// A bridge or ford: index into [`Scenario::crossings`].
    CrossingId => crossing: Crossing, crossings;
    /// A river: index into [`Scenario::rivers`].
    RiverId => river: River, rivers;
    /// A place: index into [`Scenario::places`].
    PlaceId => place_by_id: Place, places;
}
