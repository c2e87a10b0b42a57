//! Typed identity for the registry's services and topics: a position in
//! `Registry::services` / `Registry::topics`, handed out by the registry
//! (`Registry::service_ids`, `topic_ids`, `topic_index`, `service_by_key`...).
//! A service is never taken for a topic or for a row number, and what holds ids of
//! one registry says so in its types (a reload maps them by name: `tui::update`).
//! Serialized as the bare number (`#[serde(transparent)]`).
//!
//! `PerService` / `PerTopic` hold one value for each service / topic of a registry
//! (badge counts, graph nodes, message orders), indexed by the same ids.

use serde::Serialize;
use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

/// A service: its position in `Registry::services`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ServiceId(usize);

/// A topic (active, deprecated or proposed): its position in `Registry::topics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TopicId(usize);

macro_rules! id {
    ($id:ident) => {
        impl Id for $id {
            fn new(index: usize) -> Self {
                $id(index)
            }
            fn index(self) -> usize {
                self.0
            }
        }
        impl $id {
            /// The id at this position. For the registry builder, and for positions
            /// taken from enumerating that registry's list (tests, benches).
            pub const fn new(index: usize) -> Self {
                $id(index)
            }
            /// The position in the registry's list.
            pub const fn index(self) -> usize {
                self.0
            }
        }
    };
}

id!(ServiceId);
id!(TopicId);

/// `Index<$id>` and `IndexMut<$id>` for `[$item]` and `Vec<$item>`, written where the
/// item type is defined (`model.rs`), so this file needs nothing from the model.
macro_rules! index_by {
    ($id:ident, $item:ty) => {
        impl std::ops::Index<$id> for [$item] {
            type Output = $item;
            fn index(&self, id: $id) -> &$item {
                &self[id.index()]
            }
        }
        impl std::ops::IndexMut<$id> for [$item] {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.index()]
            }
        }
        impl std::ops::Index<$id> for Vec<$item> {
            type Output = $item;
            fn index(&self, id: $id) -> &$item {
                &self[id.index()]
            }
        }
        impl std::ops::IndexMut<$id> for Vec<$item> {
            fn index_mut(&mut self, id: $id) -> &mut $item {
                &mut self[id.index()]
            }
        }
    };
}
pub(super) use index_by;

/// What `PerId` is indexed by: `ServiceId` or `TopicId`.
pub trait Id: Copy {
    fn new(index: usize) -> Self;
    fn index(self) -> usize;
}

/// One value for each service or topic of a registry, indexed by their ids (in
/// registry order). Built for one registry: a reload builds a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerId<I, T> {
    items: Vec<T>,
    id: PhantomData<fn(I) -> I>,
}

/// One value per service.
pub type PerService<T> = PerId<ServiceId, T>;
/// One value per topic.
pub type PerTopic<T> = PerId<TopicId, T>;

impl<I: Id, T> PerId<I, T> {
    /// `value` for each of `len` items.
    pub fn new(len: usize, value: T) -> Self
    where
        T: Clone,
    {
        Self::from_vec(vec![value; len])
    }
    /// The value of each item from its id.
    pub fn from_fn(len: usize, f: impl FnMut(I) -> T) -> Self {
        Self::from_vec((0..len).map(I::new).map(f).collect())
    }
    fn from_vec(items: Vec<T>) -> Self {
        PerId { items, id: PhantomData }
    }
    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }
}

impl<I, T> Default for PerId<I, T> {
    fn default() -> Self {
        PerId {
            items: Vec::new(),
            id: PhantomData,
        }
    }
}

impl<I: Id, T> Index<I> for PerId<I, T> {
    type Output = T;
    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I: Id, T> IndexMut<I> for PerId<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}
