//! The engine shared by the protocol server and the console: one [`Engine`] behind a
//! `std::sync::Mutex`, the subscribers that receive generation pushes, and the hand-off of
//! effects to the effect task.
//!
//! The mutex is never held across an `.await`: callers lock, call the engine, dispatch the
//! effects (non-blocking channel sends) and unlock.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use cli_translator::protocol::{DebugSet, Message};
use tokio::sync::{mpsc, oneshot};

use crate::debug::{DebugCommand, DebugConsoles};
use crate::engine::{Effect, Engine, Now};

/// An effect for the effect task, with where to report that a file write is on disk.
#[derive(Debug)]
pub struct Job {
    pub effect: Effect,
    /// Set for file writes: told once the file is written, synced, renamed and its directory
    /// synced (or why not).
    pub done: Option<oneshot::Sender<Result<(), String>>>,
}

/// File writes an answer must wait for: a `write memory`, `copy`, `backup` or `restore` is
/// acknowledged only once its file is on disk.
#[derive(Debug, Default)]
pub struct Durable(Vec<oneshot::Receiver<Result<(), String>>>);

impl Durable {
    /// Waits for every write; the first failure, if any.
    pub async fn wait(self) -> Result<(), String> {
        let mut result = Ok(());
        for rx in self.0 {
            let outcome = rx
                .await
                .unwrap_or_else(|_| Err("the file writer stopped".to_owned()));
            if result.is_ok() {
                result = outcome;
            }
        }
        result
    }

    /// Waits for the writes, then returns `reply`, or, when a write failed, `reply` saying so
    /// (an `ExecResult`'s last command fails with the error the ASA prints).
    pub async fn settle(self, reply: Message) -> Message {
        match self.wait().await {
            Ok(()) => reply,
            Err(e) => match reply {
                Message::ExecResult(mut r) => {
                    if let Some(last) = r.outcomes.last_mut() {
                        last.ok = false;
                        last.output
                            .push_str(&format!("%Error writing to disk0: ({e})\n"));
                    }
                    Message::ExecResult(r)
                }
                other => other,
            },
        }
    }
}

/// A frame to write on a protocol connection: request id and message.
#[derive(Debug)]
pub struct Outgoing {
    pub request_id: u32,
    pub message: Message,
}

#[derive(Debug)]
pub struct Core {
    pub engine: Engine,
    subscribers: HashMap<u64, mpsc::Sender<Outgoing>>,
    next_conn: u64,
    effects: mpsc::UnboundedSender<Job>,
    /// Subscribers that sent `WatchAgent` (the daemon): they get `Control` pushes.
    daemons: HashSet<u64>,
    /// Console sessions and their `debug rest-api` pairs.
    debug: DebugConsoles,
    /// The debug pairs last pushed to subscribers.
    debug_pushed: DebugSet,
}

/// The engine and its registry, shared by every task.
pub type Shared = Arc<Mutex<Core>>;

impl Core {
    pub fn new(engine: Engine, effects: mpsc::UnboundedSender<Job>) -> Core {
        Core {
            engine,
            subscribers: HashMap::new(),
            next_conn: 1,
            effects,
            daemons: HashSet::new(),
            debug: DebugConsoles::default(),
            debug_pushed: DebugSet::EMPTY,
        }
    }

    /// A fresh connection id.
    pub fn connection_id(&mut self) -> u64 {
        let id = self.next_conn;
        self.next_conn += 1;
        id
    }

    pub fn subscribe(&mut self, conn: u64, tx: mpsc::Sender<Outgoing>) {
        self.subscribers.insert(conn, tx);
    }

    pub fn unsubscribe(&mut self, conn: u64) {
        self.subscribers.remove(&conn);
        self.daemons.remove(&conn);
    }

    /// Right after `subscribe`: the subscriber learns the debug pairs consoles want, if any.
    pub fn greet(&mut self, conn: u64) {
        if self.debug_pushed.is_empty() {
            return;
        }
        if let Some(tx) = self.subscribers.get(&conn) {
            // A new subscriber's queue has room; if not, the next push drops it.
            let _ = tx.try_send(Outgoing {
                request_id: 0,
                message: Message::DebugFilter(self.debug_pushed),
            });
        }
    }

    /// The connection sent `WatchAgent`: it gets `Control` pushes from now on.
    pub fn watch_agent(&mut self, conn: u64) {
        self.daemons.insert(conn);
    }

    /// Pushes a message with request id 0 to the subscribers (only daemons if so asked); a
    /// subscriber whose queue is full is dropped.
    fn push(&mut self, message: &Message, daemons_only: bool) {
        let daemons = &self.daemons;
        self.subscribers.retain(|conn, tx| {
            if daemons_only && !daemons.contains(conn) {
                return true;
            }
            let push = Outgoing {
                request_id: 0,
                message: message.clone(),
            };
            match tx.try_send(push) {
                Ok(()) => true,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    tracing::warn!(conn, "subscriber too slow: pushes stopped");
                    false
                }
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            }
        });
    }

    /// The `debug rest-api` pairs some console session wants (as last pushed).
    pub fn debug_wanted(&self) -> DebugSet {
        self.debug_pushed
    }

    /// A console session opens: its id and the receiver of its debug lines.
    pub fn debug_open(&mut self) -> (u64, mpsc::Receiver<String>) {
        self.debug.open()
    }

    /// A console session ends: its debug pairs no longer count.
    pub fn debug_close(&mut self, console: u64) {
        self.debug.close(console);
        self.push_debug_filter();
    }

    /// Runs a `debug`/`undebug`/`show debug` command of a console session; the text to print.
    pub fn debug_command(&mut self, console: u64, cmd: DebugCommand) -> String {
        let out = self.debug.apply(console, cmd);
        self.push_debug_filter();
        out
    }

    /// Tells subscribers the union of the pairs, when it changed.
    fn push_debug_filter(&mut self) {
        let union = self.debug.union();
        if union != self.debug_pushed {
            self.debug_pushed = union;
            self.push(&Message::DebugFilter(union), false);
        }
    }

    pub fn subscriber_count(&self) -> usize {
        self.subscribers.len()
    }

    /// Pushes generation changes to subscribers (a subscriber whose queue is full is dropped:
    /// a slow consumer never blocks the others) and hands the rest to the effect task. The
    /// answer that caused file writes waits for the returned [`Durable`].
    pub fn dispatch(&mut self, effects: Vec<Effect>) -> Durable {
        let mut durable = Durable::default();
        for fx in effects {
            match fx {
                Effect::GenerationChanged(g) => {
                    self.subscribers.retain(|conn, tx| {
                        let push = Outgoing {
                            request_id: 0,
                            message: Message::Generation(g),
                        };
                        match tx.try_send(push) {
                            Ok(()) => true,
                            Err(mpsc::error::TrySendError::Full(_)) => {
                                tracing::warn!(
                                    conn,
                                    "subscriber too slow: generation pushes stopped"
                                );
                                false
                            }
                            Err(mpsc::error::TrySendError::Closed(_)) => false,
                        }
                    });
                }
                Effect::AgentControl(control) => self.push(&Message::Control(control), true),
                Effect::Debug(line) => self.debug.deliver(&line),
                other => {
                    let done = match &other {
                        Effect::WriteStartup(_)
                        | Effect::WriteKeyStore(_)
                        | Effect::WriteDisk { .. }
                        | Effect::WriteFlash { .. } => {
                            let (tx, rx) = oneshot::channel();
                            durable.0.push(rx);
                            Some(tx)
                        }
                        _ => None,
                    };
                    // The effect task ends only at shutdown; effects after that are moot (a
                    // waiting answer then reports that the writer stopped).
                    let _ = self.effects.send(Job {
                        effect: other,
                        done,
                    });
                }
            }
        }
        durable
    }
}

/// Locks the core. A panic while locked (a bug) does not make the state unusable: the
/// engine's own invariants hold between calls.
pub fn lock(shared: &Shared) -> MutexGuard<'_, Core> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The wall clock, for the engine.
pub fn now() -> Now {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => Now {
            unix: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            millis: u16::try_from(d.subsec_millis()).unwrap_or(0),
        },
        Err(_) => Now::from_secs(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EngineOptions;

    fn core() -> (Core, mpsc::UnboundedReceiver<Job>) {
        let (engine, _) = Engine::boot(
            "hostname s\n",
            &EngineOptions::default(),
            [4; 32],
            Now::from_secs(0),
        );
        let (tx, rx) = mpsc::unbounded_channel();
        (Core::new(engine, tx), rx)
    }

    #[test]
    fn a_full_subscriber_is_dropped_and_the_others_still_get_pushes() {
        let (mut core, _fx) = core();
        let (slow_tx, _slow_rx) = mpsc::channel(1);
        let (fast_tx, mut fast_rx) = mpsc::channel(8);
        core.subscribe(1, slow_tx);
        core.subscribe(2, fast_tx);
        let _ = core.dispatch(vec![Effect::GenerationChanged(2)]);
        let _ = core.dispatch(vec![Effect::GenerationChanged(3)]);
        assert_eq!(core.subscriber_count(), 1);
        let got: Vec<u64> = std::iter::from_fn(|| fast_rx.try_recv().ok())
            .map(|o| match o.message {
                Message::Generation(g) => g,
                _ => 0,
            })
            .collect();
        assert_eq!(got, vec![2, 3]);
    }

    #[tokio::test]
    async fn a_file_write_is_acknowledged_only_once_the_effect_task_says_it_is_done() {
        let (mut core, mut fx) = core();
        let durable = core.dispatch(vec![Effect::WriteStartup("x".into())]);
        let job = fx.try_recv().unwrap();
        assert_eq!(job.effect, Effect::WriteStartup("x".into()));
        let reply = Message::ExecResult(cli_translator::protocol::ExecResult {
            outcomes: vec![cli_translator::protocol::CommandOutcome {
                ok: true,
                output: "[OK]\n".into(),
            }],
            applied: true,
            generation: 2,
            refusal: None,
        });
        let settled = tokio::spawn(durable.settle(reply.clone()));
        tokio::task::yield_now().await;
        assert!(!settled.is_finished(), "the answer waits for the write");
        job.done.unwrap().send(Ok(())).unwrap();
        assert_eq!(settled.await.unwrap(), reply);
    }

    #[tokio::test]
    async fn a_failed_write_fails_the_command_that_asked_for_it() {
        let (mut core, mut fx) = core();
        let durable = core.dispatch(vec![Effect::WriteStartup("x".into())]);
        let job = fx.try_recv().unwrap();
        job.done
            .unwrap()
            .send(Err("No space left on device".into()))
            .unwrap();
        let reply = Message::ExecResult(cli_translator::protocol::ExecResult {
            outcomes: vec![cli_translator::protocol::CommandOutcome {
                ok: true,
                output: "[OK]\n".into(),
            }],
            applied: true,
            generation: 2,
            refusal: None,
        });
        match durable.settle(reply).await {
            Message::ExecResult(r) => {
                assert!(!r.outcomes[0].ok);
                assert!(r.outcomes[0].output.contains("No space left on device"));
            }
            other => panic!("{other:?}"),
        }
    }
}
