//! The C allocator's settings for long sessions (`serve`, the TUI) at fleet scale.
//!
//! glibc gives every thread that allocates an arena of its own and keeps each arena's
//! freed pages. librdkafka starts threads per handle and per broker, and the tails are
//! read on short-lived handles, so a session at 5,000 groups grew a dozen arenas of
//! 4-9 MB each, 60 MB of its 215 MB resident, none of it in use. Two arenas serve
//! ktopo's few busy threads; after each round the freed pages go back to the system.
//! Other C libraries (musl) have neither knob and need neither.

/// Blocks from this size up are mapped on their own and unmapped when freed.
const MMAP_FROM: i32 = 256 << 10;

/// Before any thread starts: at most two malloc arenas, and big blocks always mapped.
///
/// glibc raises its mmap threshold to the size of every mapped block freed (up to
/// 32 MB), so after the first round a round's big transient vectors (the view's rows,
/// hash tables rehashed, the sampler's offsets: 2-16 MB each at 5,000 groups) come from
/// the heap instead, where what is freed around longer-lived data stays resident. A
/// fixed threshold keeps them mapped: freed, they leave at once. heaptrack showed the
/// live heap flat (75-102 MB over 23 minutes) while the resident size kept its peaks.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes settings of the allocator; called before threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_FROM);
    }
}

/// Return freed memory to the system (after a round whose transient data is gone).
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages; it is thread safe.
    unsafe {
        libc::malloc_trim(0);
    }
}
