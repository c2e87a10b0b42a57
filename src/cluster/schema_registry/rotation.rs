//! Which of the keys (schema ids, GUIDs) seen in a round are asked about when more are
//! seen than a round may ask. Sampled bytes choose the keys, so taking the smallest
//! would let a producer writing `0000…` GUIDs keep the real ones from ever being
//! checked: the ones never asked go first (the most seen first), then the ones asked
//! longest ago, so every key seen is asked within a few rounds. Only the keys seen in
//! the last round are remembered.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

#[derive(Debug)]
pub struct Rotation<K> {
    round: u64,
    /// The round each key seen was last asked in.
    asked: HashMap<K, u64>,
}

impl<K> Default for Rotation<K> {
    fn default() -> Self {
        Rotation {
            round: 0,
            asked: HashMap::new(),
        }
    }
}

impl<K: Ord + Hash + Clone> Rotation<K> {
    /// At most `limit` of `seen` (each key with how often it was seen) to ask this round.
    pub fn pick(&mut self, seen: &BTreeMap<K, usize>, limit: usize) -> BTreeSet<K> {
        self.round += 1;
        self.asked.retain(|k, _| seen.contains_key(k));
        let mut order: Vec<(&K, usize)> = seen.iter().map(|(k, n)| (k, *n)).collect();
        // Stable: ties stay in key order.
        order.sort_by_key(|(k, n)| (self.asked.get(*k).copied().unwrap_or(0), Reverse(*n)));
        let picked: BTreeSet<K> = order.into_iter().take(limit).map(|(k, _)| k.clone()).collect();
        for k in &picked {
            self.asked.insert(k.clone(), self.round);
        }
        picked
    }
}

#[cfg(test)]
mod tests {
    use super::Rotation;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn every_key_is_picked_within_a_few_rounds_the_most_seen_first() {
        let mut r = Rotation::default();
        let mut seen: BTreeMap<u32, usize> = (0..10).map(|k| (k, 1)).collect();
        seen.insert(9, 5);
        let first = r.pick(&seen, 4);
        assert_eq!(
            first,
            BTreeSet::from([0, 1, 2, 9]),
            "the most seen first, then in order"
        );
        let second = r.pick(&seen, 4);
        assert_eq!(second, BTreeSet::from([3, 4, 5, 6]), "the ones never asked next");
        // The last two never asked, then the ones asked longest ago (the most seen first).
        assert_eq!(r.pick(&seen, 4), BTreeSet::from([7, 8, 9, 0]));
        assert_eq!(r.pick(&seen, 3), BTreeSet::from([1, 2, 3]));
        // A key no longer seen is forgotten.
        seen.remove(&0);
        r.pick(&seen, 1);
        assert!(!r.asked.contains_key(&0));
    }
}
