//! Work shared between the two cores (issue 13: boot): one share on a second thread, the
//! other on the calling one.

/// Runs `other` on a second thread named `name` while `mine` runs on this one. `other`'s
/// result is `None` when no thread could be had (the system's thread limit, no memory for a
/// stack) or when it failed: the caller then does that share itself. Never panics for want of
/// a thread, as `std::thread::scope`'s `spawn` does.
pub(crate) fn beside<A: Send, B>(
    name: &str,
    other: impl FnOnce() -> A + Send,
    mine: impl FnOnce() -> B,
) -> (Option<A>, B) {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn_scoped(scope, other)
            .ok();
        let b = mine();
        (thread.and_then(|t| t.join().ok()), b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shares_are_done_and_a_failed_one_is_none() {
        let (a, b) = beside("t", || 1 + 1, || "mine");
        assert_eq!((a, b), (Some(2), "mine"));
        let (a, b) = beside("t", || -> u8 { panic!("share failed") }, || 3);
        assert_eq!((a, b), (None, 3));
    }
}
