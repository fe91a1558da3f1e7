//! The agent's parsed snapshot of the running configuration and the generation it reflects.
//!
//! Reads are served from the snapshot when the generation LINA reported with the request's
//! authentication is not newer; otherwise the snapshot catches up first, with concurrent
//! requests waiting for one catch-up (single flight). Issue 13: catching up asks LINA's change
//! journal what each generation since the snapshot's changed and patches the parsed
//! configuration with it (`cli_translator::running_patch`), at the cost of the change; only
//! when the journal no longer reaches back, or a change falls in a family the patch does not
//! cover (counted per family in the `snapshot_patch_fallbacks` metric), is the whole
//! configuration read again (`show running-config`, run as the agent's own identity).
//!
//! A write that LINA applied as exactly the next generation after the one it was planned on,
//! while the snapshot still reflects that one, is patched in place by its plan; any other
//! write marks the snapshot stale, which only means "catch up from your generation": the
//! snapshot still reflects its own generation exactly, so the journal brings it forward and
//! the agent's own writes never cause a reload.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use cli_translator::protocol::{ChangesAnswer, Exec, ExecMode, ExecOutput, GenerationChanges};
use cli_translator::resources::service_object;
use cli_translator::running::{Parser, RunningConfig};

use super::error::ApiError;
use crate::lina_client::LinaClient;

/// The identity the agent reads the configuration with.
pub const AGENT_USER: &str = "enable_15";
/// How long the background watcher waits after a push before catching up, so that the
/// agent's own writes (patched in place by their plans) need no journal round trip.
const PUSH_SETTLE: Duration = Duration::from_millis(100);
// issue 13: change journal
/// Journal catch-ups tried by one request before it reads the whole configuration.
const CATCH_UP_ROUNDS: usize = 3;

/// A parsed configuration at one generation. Shared read-only by requests.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: RunningConfig,
    pub generation: u64,
}

#[derive(Debug)]
struct Current {
    loaded: Arc<Loaded>,
    /// Set when a write's effect could not be patched in, or a journal patch failed half way:
    /// catch up (or reload) before the next use.
    stale: bool,
    // issue 13: change journal
    /// A journal patch failed half way: only a full reload may bring it back.
    broken: bool,
}

/// The shared snapshot.
#[derive(Debug)]
pub struct Snapshot {
    lina: LinaClient,
    /// Never held across `.await` (a std mutex is right for that): swaps and in-place patches only.
    current: Mutex<Current>,
    /// Single-flight reloads: held across the LINA round trip, hence the tokio mutex.
    reload: tokio::sync::Mutex<()>,
    /// Reloads since the first load (the agent's statistics).
    reloads: std::sync::atomic::AtomicU64,
    // issue 13: change journal
    /// Generations patched from LINA's change journal.
    patched: std::sync::atomic::AtomicU64,
}

impl Snapshot {
    /// Loads the configuration for the first time.
    pub async fn load(lina: LinaClient) -> Result<Snapshot, ApiError> {
        let loaded = fetch(&lina).await?;
        Ok(Snapshot {
            lina,
            current: Mutex::new(Current {
                loaded: Arc::new(loaded),
                stale: false,
                broken: false,
            }),
            reload: tokio::sync::Mutex::new(()),
            reloads: std::sync::atomic::AtomicU64::new(0),
            patched: std::sync::atomic::AtomicU64::new(0),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Current> {
        // A poisoned lock only means a panic elsewhere; the snapshot itself is whole.
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How many times the snapshot was reloaded after its first load.
    pub fn reloads(&self) -> u64 {
        self.reloads.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many generations were patched in from LINA's change journal.
    pub fn patched(&self) -> u64 {
        self.patched.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The generation the snapshot reflects now.
    pub fn generation(&self) -> u64 {
        self.lock().loaded.generation
    }

    /// A snapshot reflecting at least `generation`, reloading first when needed.
    pub async fn at_least(&self, generation: u64) -> Result<Arc<Loaded>, ApiError> {
        if let Some(loaded) = self.fresh(generation) {
            return Ok(loaded);
        }
        // Boxed: the catch-up and the full read make a future of about 4 KiB, which every
        // request's future would otherwise carry and move (issue 10 item 9), fresh or not.
        Box::pin(self.bring_up_to(generation)).await
    }

    /// [`Self::at_least`] once the snapshot is found behind `generation`.
    async fn bring_up_to(&self, generation: u64) -> Result<Arc<Loaded>, ApiError> {
        let _flight = self.reload.lock().await;
        // Someone else's reload may have brought it up to date while we waited.
        if let Some(loaded) = self.fresh(generation) {
            return Ok(loaded);
        }
        // issue 13: change journal. A change landing between the answer and the check is
        // caught by the next round.
        for _ in 0..CATCH_UP_ROUNDS {
            if !self.catch_up().await {
                break;
            }
            if let Some(loaded) = self.fresh(generation) {
                return Ok(loaded);
            }
        }
        let mut fetched = fetch(&self.lina).await?;
        self.reloads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut cur = self.lock();
        service_object::keep_written(&cur.loaded.config, &mut fetched.config);
        let loaded = Arc::new(fetched);
        if cur.stale || loaded.generation >= cur.loaded.generation {
            cur.loaded = loaded;
            cur.stale = false;
            cur.broken = false;
        }
        Ok(cur.loaded.clone())
    }

    // issue 13: change journal
    /// Patches the snapshot with what LINA's change journal says changed since its
    /// generation. False when it could not (the journal does not reach back, a change outside
    /// the patched families, LINA did not answer): the caller reads the whole configuration.
    async fn catch_up(&self) -> bool {
        let base = {
            let cur = self.lock();
            if cur.broken {
                return false;
            }
            cur.loaded.generation
        };
        let answer = match self.lina.changes_since(base).await {
            Ok(answer) => answer,
            Err(e) => {
                tracing::debug!(error = %e, "change journal unavailable");
                crate::metrics::worker().snapshot_patch_fallback("journal");
                return false;
            }
        };
        let entries = match answer {
            ChangesAnswer::Changes { entries, .. } => entries,
            ChangesAnswer::TooOld { .. } => {
                crate::metrics::worker().snapshot_patch_fallback("journal");
                return false;
            }
        };
        // Refuse before copying or changing anything.
        for entry in &entries {
            if let Err(u) = RunningConfig::patchable(entry) {
                fallback(&u);
                return false;
            }
        }
        let mut cur = self.lock();
        if cur.broken {
            return false;
        }
        // The agent's own writes may have been patched in meanwhile.
        let from = cur.loaded.generation;
        let todo: Vec<&GenerationChanges> =
            entries.iter().filter(|e| e.generation > from).collect();
        if todo
            .first()
            .is_some_and(|e| Some(e.generation) != from.checked_add(1))
        {
            return false;
        }
        let count = todo.len() as u64;
        if count > 0 {
            match Arc::get_mut(&mut cur.loaded) {
                // Nobody reads this snapshot: patched in place, under the lock (small).
                Some(loaded) => {
                    for entry in todo {
                        if let Err(u) = loaded.config.patch(entry) {
                            // Half patched: nobody may read it before a reload replaces it.
                            cur.stale = true;
                            cur.broken = true;
                            fallback(&u);
                            return false;
                        }
                        loaded.generation = entry.generation;
                    }
                }
                // A request still reads it: patch a copy without holding the lock, so no
                // request waits for the copy.
                None => {
                    let shared = cur.loaded.clone();
                    drop(cur);
                    let mut copy = (*shared).clone();
                    drop(shared);
                    for entry in todo {
                        if let Err(u) = copy.config.patch(entry) {
                            fallback(&u);
                            return false;
                        }
                        copy.generation = entry.generation;
                    }
                    cur = self.lock();
                    if cur.broken || cur.loaded.generation != from {
                        // Moved meanwhile (the agent's own write): the next round sees it.
                        return true;
                    }
                    cur.loaded = Arc::new(copy);
                }
            }
        }
        cur.stale = false;
        drop(cur);
        self.patched
            .fetch_add(count, std::sync::atomic::Ordering::Relaxed);
        crate::metrics::worker().snapshot_patched(count);
        true
    }

    fn fresh(&self, generation: u64) -> Option<Arc<Loaded>> {
        let cur = self.lock();
        (!cur.stale && cur.loaded.generation >= generation).then(|| cur.loaded.clone())
    }

    /// Records a write LINA applied on generation `base` (its batch carried that expected
    /// generation), leaving the configuration at generation `after`: patched in place with
    /// `edit` when the snapshot still reflects `base` and `after` is the very next generation
    /// (so the patched snapshot is exactly LINA's configuration), ignored when the snapshot
    /// already reflects `after`, and marked stale otherwise.
    pub fn apply_write(&self, base: u64, after: u64, edit: impl FnOnce(&mut RunningConfig)) {
        let mut cur = self.lock();
        if cur.stale || cur.loaded.generation >= after {
            return;
        }
        if cur.loaded.generation == base && base.checked_add(1) == Some(after) {
            let loaded = Arc::make_mut(&mut cur.loaded);
            edit(&mut loaded.config);
            loaded.generation = after;
        } else {
            cur.stale = true;
        }
    }

    /// Records a write LINA applied as generation `after`, whose resulting configuration the
    /// agent computed from generation `base` (a bulk request): adopted when the snapshot
    /// still reflects `base` and `after` is the very next generation, stale otherwise.
    pub fn replace_write(&self, base: u64, after: u64, config: RunningConfig) {
        let mut cur = self.lock();
        if cur.stale || cur.loaded.generation >= after {
            return;
        }
        if cur.loaded.generation == base && base.checked_add(1) == Some(after) {
            let old = std::mem::replace(
                &mut cur.loaded,
                Arc::new(Loaded {
                    config,
                    generation: after,
                }),
            );
            // The replaced snapshot is freed outside the lock (issue 13: large ones take
            // milliseconds to free, and requests take the lock).
            drop(cur);
            drop(old);
        } else {
            cur.stale = true;
        }
    }

    /// Marks the snapshot stale (a change the agent cannot describe, e.g. `/api/cli`).
    pub fn invalidate(&self) {
        self.lock().stale = true;
    }

    /// Follows LINA's generation pushes and catches up in the background, so the request
    /// after an out-of-band change usually finds the snapshot current. Ends when the
    /// connection does.
    pub async fn watch(self: Arc<Self>) {
        let mut rx = match self.lina.subscribe().await {
            Ok(rx) => rx,
            Err(e) => {
                tracing::warn!(error = %e, "cannot subscribe to configuration changes");
                return;
            }
        };
        // A change between the first load and the subscription is only visible as the
        // receiver's initial value, so look at it before waiting for pushes.
        let mut first = true;
        while first || rx.changed().await.is_ok() {
            if !first {
                tokio::time::sleep(PUSH_SETTLE).await;
            }
            first = false;
            let generation = *rx.borrow_and_update();
            if let Err(e) = self.at_least(generation).await {
                tracing::warn!(error = %e, generation, "background reload failed");
                crate::debug::error(cli_translator::protocol::DebugCategory::Agent, || {
                    format!("reloading the configuration (generation {generation}) failed: {e}")
                });
                if self.lina.is_closed() {
                    return;
                }
            }
        }
    }
}

// issue 13: change journal
/// Counts a full reload taken because a change could not be patched.
fn fallback(u: &cli_translator::running_patch::Unpatched) {
    tracing::debug!(family = %u.0, "change not patched: reloading");
    crate::metrics::worker().snapshot_patch_fallback(&u.0);
}

// issue 14: NTP keys
/// The NTP key lines with their secrets, read with the snapshot (the agent's own identity).
const NTP_KEYS_COMMAND: &str = "more system:running-config | include ^ntp authentication-key";

/// Reads and parses `show running-config`, timed for the metrics.
async fn fetch(lina: &LinaClient) -> Result<Loaded, ApiError> {
    let started = std::time::Instant::now();
    let loaded = fetch_untimed(lina).await;
    crate::metrics::worker().snapshot_reload(started.elapsed());
    loaded
}

// issue 13: boot
/// Reads of the configuration whose NTP keys are asked for apart before both are asked in one
/// request.
const KEY_ROUNDS: usize = 2;

/// The configuration, with its NTP keys in clear when it has any. LINA runs every command of a
/// request before it streams the first piece, and the keys' command copies and filters the
/// whole configuration text: it is sent only when the masked print shows
/// keys, as a second request whose answer must carry the same generation (else the whole read
/// again; at last both commands in one request, which LINA answers at one generation).
async fn fetch_untimed(lina: &LinaClient) -> Result<Loaded, ApiError> {
    for _ in 0..KEY_ROUNDS {
        let mut loaded = read_config(lina, false).await?;
        if loaded.config.settings.ntp_keys.keys.is_empty() {
            return Ok(loaded);
        }
        let answer = lina
            .exec(agent_read(vec![NTP_KEYS_COMMAND.to_owned()]))
            .await?;
        if answer.generation != loaded.generation {
            continue;
        }
        if let Some(keys) = answer.outcomes.into_iter().next().filter(|o| o.ok) {
            let config = &mut loaded.config;
            for line in keys.output.lines() {
                config.settings.ntp_keys.absorb(line.trim());
            }
            cli_translator::resources::ntp::settle_keys(config);
        }
        return Ok(loaded);
    }
    read_config(lina, true).await
}

/// Reads and parses `show running-config`, and the NTP keys in clear in the same request when
/// `with_keys`.
async fn read_config(lina: &LinaClient, with_keys: bool) -> Result<Loaded, ApiError> {
    let command = "show running-config";
    let started = std::time::Instant::now();
    // issue 13: streamed output. A large configuration arrives in pieces: blocking threads
    // parse each as it comes, while LINA is still printing and sending the rest (so no copy of
    // the whole text is ever held, and the parse overlaps the transfer).
    let (pieces, mut received) = tokio::sync::mpsc::unbounded_channel::<ExecOutput>();
    let parsing = tokio::task::spawn_blocking(move || {
        // The pieces of the NTP key lines, should they ever need more than one frame.
        let mut keys = String::new();
        // issue 13: boot. The two parts of the configuration (the network objects and their
        // groups, about half of a large configuration's parse, and the rest) are read on two
        // threads, started by the first piece (a configuration small enough for one frame
        // never starts them). This thread hands each piece to both as it arrives: in print
        // order the objects come first, so a part that only skims them goes on to its own
        // blocks while the other still reads the objects (when the objects' thread handed
        // the pieces on, the other waited behind it, then read the second half alone).
        std::thread::scope(|scope| {
            let mut parts = Parser::split().map(|parser| Part::Here(Box::new(parser)));
            let mut threads_started = false;
            let mut first_piece = None;
            while let Some(piece) = received.blocking_recv() {
                first_piece.get_or_insert_with(|| started.elapsed());
                if piece.index != 0 {
                    keys.push_str(&piece.text);
                    continue;
                }
                let text = Arc::new(piece.text);
                let first = !std::mem::replace(&mut threads_started, true);
                for (i, part) in parts.iter_mut().enumerate() {
                    if first {
                        part.start(i, scope, started);
                    }
                    part.feed(&text);
                }
            }
            let last_piece = started.elapsed();
            // Every thread told the pieces are done before any is waited for.
            let parts = parts.map(Part::close);
            let done = parts.map(|part| part.finish(threads_started));
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            let timing = |i: usize| {
                done.get(i)
                    .and_then(|d| d.as_ref())
                    .and_then(|(_, t)| t.map(|(fed, sealed)| (ms(fed), ms(sealed))))
            };
            tracing::debug!(
                first_piece_ms = first_piece.map(ms),
                last_piece_ms = ms(last_piece),
                objects_fed_sealed_ms = ?timing(0),
                rest_fed_sealed_ms = ?timing(1),
                parsed_ms = ms(started.elapsed()),
                "running configuration streamed and parsed"
            );
            let [objects, rest] = done;
            Some(([objects?.0, rest?.0], keys))
        })
    });
    let result = lina
        .exec_streamed(
            agent_read(if with_keys {
                vec![command.to_owned(), NTP_KEYS_COMMAND.to_owned()]
            } else {
                vec![command.to_owned()]
            }),
            pieces,
        )
        .await;
    // The answer (or the failure) dropped the sender: the parser has had every piece.
    let answered = started.elapsed();
    let parsed = parsing.await.ok().flatten();
    let result = result?;
    let (mut parsers, streamed_keys) = parsed.ok_or(ApiError::LinaAnswer(
        "a running configuration the parser could not finish",
    ))?;
    let generation = result.generation;
    let mut outcomes = result.outcomes.into_iter();
    let outcome = outcomes
        .next()
        .ok_or(ApiError::LinaAnswer("no output for show running-config"))?;
    // issue 14: NTP keys in clear (`show running-config` masks them; GET answers them).
    let ntp_keys = outcomes.next().filter(|o| o.ok).map(|o| {
        if o.output.is_empty() {
            streamed_keys
        } else {
            o.output
        }
    });
    if !outcome.ok {
        return Err(ApiError::Cli {
            command: command.to_owned(),
            output: outcome.output,
        });
    }
    // A configuration small enough for one frame came in the answer itself.
    let text = outcome.output;
    let config = tokio::task::spawn_blocking(move || {
        for parser in &mut parsers {
            parser.feed(&text);
        }
        drop(text);
        let joining = std::time::Instant::now();
        let mut config = Parser::join(parsers);
        if let Some(keys) = ntp_keys {
            for line in keys.lines() {
                config.settings.ntp_keys.absorb(line.trim());
            }
            cli_translator::resources::ntp::settle_keys(&mut config);
        }
        let joined = joining.elapsed();
        release_freed_memory();
        tracing::debug!(
            joined_ms = joined.as_secs_f64() * 1e3,
            trimmed_ms = (joining.elapsed() - joined).as_secs_f64() * 1e3,
            "running configuration joined and its transients handed back"
        );
        config
    })
    .await
    .map_err(|_| ApiError::LinaAnswer("a running configuration the parser could not finish"))?;
    tracing::debug!(
        generation,
        answered_ms = answered.as_secs_f64() * 1e3,
        loaded_ms = started.elapsed().as_secs_f64() * 1e3,
        "configuration snapshot loaded"
    );
    crate::debug::event(cli_translator::protocol::DebugCategory::Agent, || {
        format!("configuration snapshot loaded (generation {generation})")
    });
    Ok(Loaded { config, generation })
}

/// One part of a split read ([`Parser::split`]; issue 13: boot): read here until the first
/// piece starts its thread, then on that thread, fed through a channel.
enum Part<'scope> {
    Here(Box<Parser>),
    /// The sender to its thread (`None` once closed) and the thread.
    Thread(
        Option<std::sync::mpsc::Sender<Arc<String>>>,
        std::thread::ScopedJoinHandle<'scope, (Parser, PartTiming)>,
    ),
}

/// When a part's thread had read every piece, and when it had built its indexes (from the
/// start of the read).
type PartTiming = (std::time::Duration, std::time::Duration);

impl<'scope> Part<'scope> {
    /// Moves part `i` of [`Parser::split`], which has read nothing yet (the reader calls it
    /// before the first piece only), to a thread of its own; it stays here if no thread can
    /// be started.
    fn start<'env>(
        &mut self,
        i: usize,
        scope: &'scope std::thread::Scope<'scope, 'env>,
        started: std::time::Instant,
    ) {
        let Part::Here(parser) = self else {
            return;
        };
        let (to_thread, from_reader) = std::sync::mpsc::channel::<Arc<String>>();
        let mut parser = std::mem::take(&mut **parser);
        let spawned = std::thread::Builder::new()
            .name("snapshot-part".to_owned())
            .spawn_scoped(scope, move || {
                for text in from_reader {
                    parser.feed(&text);
                }
                let fed = started.elapsed();
                parser.seal();
                (parser, (fed, started.elapsed()))
            });
        *self = match spawned {
            Ok(thread) => Part::Thread(Some(to_thread), thread),
            Err(e) => {
                tracing::warn!(error = %e, "reading part of the configuration without a thread");
                // The parser went with the closure; it had read nothing: a new one.
                Part::Here(Box::new(
                    Parser::split().into_iter().nth(i).unwrap_or_default(),
                ))
            }
        };
    }

    /// Tells the part's thread that no piece follows (its sender dropped).
    fn close(self) -> Part<'scope> {
        match self {
            Part::Thread(Some(to_thread), thread) => {
                drop(to_thread);
                Part::Thread(None, thread)
            }
            part => part,
        }
    }

    fn feed(&mut self, text: &Arc<String>) {
        match self {
            Part::Here(parser) => parser.feed(text),
            Part::Thread(to_thread, _) => {
                // A thread that died (it cannot short of a panic) is found at the join.
                if let Some(to_thread) = to_thread {
                    let _ = to_thread.send(Arc::clone(text));
                }
            }
        }
    }

    /// The part's parser once it has read every piece (its indexes built when `sealed`, as
    /// its thread builds them), and its thread's timing; `None` when its thread panicked.
    fn finish(self, sealed: bool) -> Option<(Parser, Option<PartTiming>)> {
        match self {
            Part::Here(mut parser) => {
                if sealed {
                    parser.seal();
                }
                Some((*parser, None))
            }
            Part::Thread(to_thread, thread) => {
                drop(to_thread);
                thread
                    .join()
                    .ok()
                    .map(|(parser, timing)| (parser, Some(timing)))
            }
        }
    }
}

// issue 13: memory
/// Hands the memory a load (or a bulk request) freed back to the system. The pieces of
/// `show running-config` (1 MiB each, queued while the parser catches up) are freed between
/// long-lived allocations, where glibc keeps the pages; `malloc_trim` returns every whole
/// free page of every arena. A few milliseconds at 100 MB, once per load.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only reads and changes the allocator's own state, under its locks;
    // any argument is valid (0: keep no extra padding at the top of the heap).
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}

// issue 13: memory, boot
/// Gives the agent process two glibc arenas; called before the process starts any thread.
/// By default each thread that allocates gets an arena of its own: the snapshot's nodes come
/// from the load's parse threads' arenas, while the writes that copy them (a bulk request
/// copies the path to every leaf it changes) run on the main thread, in the main arena; the
/// replaced nodes are freed among live ones in the parse arenas, where no later write reuses
/// them, so every bulk moved about 1 MiB of nodes from one arena to the other and the process
/// grew with each (20 MB, five bulks of 1000: 71 MiB, with one arena 67 to 68). With one
/// arena, though, the split read's two threads (each allocating every item it reads) wait on
/// its one lock: at 100 MB the read took 1.21 to 1.25 s, with two arenas 0.90 to 0.99 s (the
/// threads mostly take one each: glibc gives a new thread the next arena it finds unlocked). The bulk
/// stays where it was: 20 MB, three bulks of 1000, 56 MiB with one arena or two, 58 with the
/// default sixteen.
pub fn two_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes the allocator's own parameters, under its lock; the
    // parameter is a valid one and 2 is in its range (any positive count).
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// The agent's own read of `commands` (exec mode, privilege 15, from the loopback).
fn agent_read(commands: Vec<String>) -> Exec {
    Exec {
        user: AGENT_USER.to_owned(),
        privilege: 15,
        source: IpAddr::V4(Ipv4Addr::LOCALHOST),
        context: None,
        mode: ExecMode::Exec,
        atomic: false,
        commands,
        expected_generation: None,
    }
}
