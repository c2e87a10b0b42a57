//! Live cluster data: what the sampler measures and how it is judged.

pub mod view;
