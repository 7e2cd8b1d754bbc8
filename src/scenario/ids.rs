//! Typed ids: the index of a unit, side, grouping, depot, rail link, crossing, river or
//! place in its list of the scenario. Events and orders carry these, not names or bare
//! integers, so that an order cannot name a grouping by a unit's index; names are looked up
//! ([`Scenario::unit`], [`Scenario::side`] ...) only where text is made.
//!
//! ```
//! use railhead::scenario::ids::UnitId;
//! let s = railhead::scenario::load_or_default(None).unwrap();
//! let first = UnitId(0);
//! assert_eq!(s.unit(first).name, s.units[0].name);
//! // Ids serialise as their index.
//! assert_eq!(serde_json::to_string(&first).unwrap(), "0");
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
