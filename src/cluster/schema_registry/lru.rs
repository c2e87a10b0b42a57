//! A map bounded in entries and in bytes (each entry's weight as its owner counts
//! it), evicting the least recently used past either bound: the decoder's caches are
//! keyed by ids and GUIDs that message bytes choose, so they must not grow for the
//! whole session. An evicted entry is only fetched again when a record names it.

use std::collections::HashMap;
use std::hash::Hash;

#[derive(Debug)]
pub struct Lru<K, V> {
    map: HashMap<K, (V, usize, u64)>,
    tick: u64,
    bytes: usize,
    pub max_entries: usize,
    pub max_bytes: usize,
}

impl<K: Eq + Hash + Clone, V> Lru<K, V> {
    pub fn new(max_entries: usize, max_bytes: usize) -> Lru<K, V> {
        Lru {
            map: HashMap::new(),
            tick: 0,
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    /// The entry, now the most recently used.
    pub fn get(&mut self, k: &K) -> Option<&V> {
        self.tick += 1;
        let tick = self.tick;
        self.map.get_mut(k).map(|e| {
            e.2 = tick;
            &e.0
        })
    }

    pub fn insert(&mut self, k: K, v: V, weight: usize) {
        self.tick += 1;
        if let Some((_, w, _)) = self.map.insert(k, (v, weight, self.tick)) {
            self.bytes -= w;
        }
        self.bytes += weight;
        // The one just inserted stays, even alone past the byte bound.
        while self.map.len() > self.max_entries.max(1) || (self.bytes > self.max_bytes && self.map.len() > 1) {
            let Some(oldest) = self.map.iter().min_by_key(|(_, e)| e.2).map(|(k, _)| k.clone()) else {
                break;
            };
            self.remove(&oldest);
        }
    }

    pub fn remove(&mut self, k: &K) {
        if let Some((_, w, _)) = self.map.remove(k) {
            self.bytes -= w;
        }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::Lru;

    #[test]
    fn the_least_recently_used_goes_past_either_bound() {
        let mut m = Lru::new(3, 100);
        for k in 0..3 {
            m.insert(k, k, 10);
        }
        m.get(&0);
        m.insert(3, 3, 10);
        assert_eq!(m.len(), 3);
        assert!(m.get(&1).is_none(), "1 was the least recently used");
        assert!(m.get(&0).is_some());
        m.insert(4, 4, 85);
        assert!(m.bytes() <= 100, "{}", m.bytes());
        assert!(m.get(&4).is_some(), "the one just inserted stays");
        m.insert(5, 5, 500);
        assert_eq!((m.len(), m.bytes()), (1, 500), "alone past the byte bound");
        m.insert(5, 5, 1);
        assert_eq!(m.bytes(), 1, "a replaced entry's weight is not counted twice");
    }
}
