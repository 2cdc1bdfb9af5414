//! The two shapes most reads print: one view under a name (`{"device": …}`, shown as the
//! view's table), and a list of views (shown as a table with a header row).

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::table::list;
use super::CommandOutput;

/// `value` under `key` in the JSON document (`{"device": {…}}`); its table as is.
pub struct Keyed<V> {
    key: &'static str,
    value: V,
}

impl<V> Keyed<V> {
    /// `value` under `key`.
    pub fn new(key: &'static str, value: V) -> Self {
        Keyed { key, value }
    }
}

impl<V: Serialize> Serialize for Keyed<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.key, &self.value)?;
        map.end()
    }
}

impl<V: fmt::Display> fmt::Display for Keyed<V> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(formatter)
    }
}

impl<V: Serialize + fmt::Display> CommandOutput for Keyed<V> {}

/// A view that is one row of a list.
pub trait Row {
    /// The header row.
    const HEADER: &'static [&'static str];
    /// What an empty list says (in parentheses).
    const EMPTY: &'static str;
    /// This view's cells, in the header's order.
    fn cells(&self) -> Vec<String>;
}

/// Views listed: a JSON array, and a table with a header row.
pub struct List<R>(pub Vec<R>);

impl<R: Serialize> Serialize for List<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<R: Row> fmt::Display for List<R> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&list(R::HEADER, self.0.iter().map(Row::cells), R::EMPTY))
    }
}
