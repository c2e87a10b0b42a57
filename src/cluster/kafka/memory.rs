//! The C allocator's settings for long sessions (`serve`, the TUI) at fleet scale.
//!
//! glibc gives every thread that allocates an arena of its own and keeps each arena's
//! freed pages. librdkafka starts threads per handle and per broker, and the tails are
//! read on short-lived handles, so a session at 5,000 groups grew a dozen arenas of
//! 4-9 MB each, 60 MB of its 215 MB resident, none of it in use. Two arenas serve
//! ktopo's few busy threads; after each round the freed pages go back to the system.
//! Other C libraries (musl) have neither knob and need neither.

/// Before any thread starts: at most two malloc arenas.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a setting of the allocator; called before threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
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
