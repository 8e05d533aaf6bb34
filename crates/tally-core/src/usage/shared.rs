//! The stored usage as a state holds it: one store shared between copies of the state, written and
//! read as the list of its events.

use super::event::Event;
use super::store::Store;
use std::sync::Arc;

/// The stored usage as the state holds it: shared, so copying a state (a what-if, an undo step) never
/// copies its events; written as the list of events, so exports read as before.
#[derive(Clone, Default)]
pub struct Usage(Arc<Store>);

impl std::ops::Deref for Usage {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.0
    }
}

impl Usage {
    /// The store to change (copied first if another state shares it).
    pub fn make_mut(&mut self) -> &mut Store {
        Arc::make_mut(&mut self.0)
    }

    /// Puts `store` in place of the events held.
    pub fn replace(&mut self, store: Store) {
        self.0 = Arc::new(store);
    }
}

impl std::fmt::Debug for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Usage({} events)", self.len())
    }
}

impl PartialEq for Usage {
    fn eq(&self, other: &Usage) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.len() == other.len() && (0..self.len()).all(|i| self.event(i) == other.event(i)))
    }
}

impl serde::Serialize for Usage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.events())
    }
}

impl<'de> serde::Deserialize<'de> for Usage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Store;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of events")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Store, A::Error> {
                let mut store = Store::default();
                while let Some(e) = seq.next_element::<Event>()? {
                    store.push(&e);
                }
                Ok(store)
            }
        }
        Ok(Usage(Arc::new(d.deserialize_seq(V)?)))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Usage {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Usage".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<Event>>::json_schema(generator)
    }
    fn inline_schema() -> bool {
        true
    }
}
