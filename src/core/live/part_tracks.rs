//! A row's partition tracks, by partition id: a sorted vector, not a hash map. A row
//! has a handful to a few hundred partitions, read in order; at 5,000 groups × 10
//! partitions a map's spare buckets and control bytes cost 8 MB more.

use super::status::Track;

#[derive(Debug, Default)]
pub(super) struct PartTracks(Vec<(i32, Track)>);

impl PartTracks {
    pub(super) fn get(&self, p: &i32) -> Option<&Track> {
        self.0.binary_search_by_key(p, |(id, _)| *id).ok().map(|i| &self.0[i].1)
    }

    pub(super) fn get_or_insert_with(&mut self, p: i32, new: impl FnOnce() -> Track) -> &mut Track {
        let i = match self.0.binary_search_by_key(&p, |(id, _)| *id) {
            Ok(i) => i,
            Err(i) => {
                // Grown by a quarter, not doubled: a track is ~330 bytes, and doubled
                // rows of 10 partitions held 27 MB at 5,000 groups, 40% of it spare.
                if self.0.len() == self.0.capacity() {
                    self.0.reserve_exact((self.0.len() / 4).max(1));
                }
                self.0.insert(i, (p, new()));
                i
            }
        };
        &mut self.0[i].1
    }

    pub(super) fn retain(&mut self, mut keep: impl FnMut(&i32) -> bool) {
        self.0.retain(|(p, _)| keep(p));
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_are_found_by_partition_whatever_the_order_they_came_in() {
        let mut t = PartTracks::default();
        for p in [3, 0, 7, 1] {
            t.get_or_insert_with(p, || Track::new(f64::from(p)));
        }
        t.get_or_insert_with(7, || unreachable!("7 is there"));
        assert_eq!(t.len(), 4);
        assert_eq!(t.get(&7).map(|t| t.first_s), Some(7.0));
        assert!(t.get(&2).is_none());
        t.retain(|p| *p != 3);
        assert!(t.get(&3).is_none());
        assert_eq!(t.0.iter().map(|(p, _)| *p).collect::<Vec<_>>(), [0, 1, 7]);
    }
}
