//! The operator console: a line-oriented CLI on a loopback TCP port, like the ASA's serial
//! console or an SSH session. Login, `enable`, `configure terminal`, any command — through the
//! same engine path as a REST batch, so every change bumps the generation (an out-of-band
//! change the agent must notice). `debug rest-api ...` is per session: the agent's debug
//! lines for the pairs this session enabled are written to it until `undebug` or logout.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc, watch};

use crate::debug;
use crate::engine::session::{Level, Session};
use crate::shared::{Shared, lock, now};
use crate::telnet::{Input, LineReader, MAX_LINE};

/// Failed logins before the connection is closed.
pub const MAX_LOGIN_ATTEMPTS: usize = 3;

/// Console sessions at once; more are told so and closed.
pub const MAX_SESSIONS: usize = 32;
/// Time from connecting to a successful login.
pub const LOGIN_TIMEOUT: Duration = Duration::from_secs(30);
/// A logged-in session that types nothing for this long is closed (the ASA's
/// `console timeout`, here fixed).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// Pause after a failed accept (out of descriptors, say) before trying again.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Accepts console connections until `shutdown` turns true.
pub async fn serve(listener: TcpListener, shared: Shared, mut shutdown: watch::Receiver<bool>) {
    let sessions = Arc::new(Semaphore::new(MAX_SESSIONS));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (mut stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of descriptors, say: back off instead of spinning.
                        tracing::warn!(error = %e, "console accept failed");
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                        continue;
                    }
                };
                let Ok(permit) = sessions.clone().try_acquire_owned() else {
                    tokio::spawn(async move {
                        let _ = tokio::time::timeout(
                            Duration::from_secs(1),
                            say(&mut stream, "\n% All console sessions are in use\n"),
                        )
                        .await;
                    });
                    continue;
                };
                let shared = shared.clone();
                let shutdown = shutdown.clone();
                tokio::spawn(async move {
                    if let Err(e) = connection(stream, peer.ip(), shared, shutdown).await {
                        tracing::debug!(%peer, error = %e, "console connection ended");
                    }
                    drop(permit);
                });
            }
            _ = shutdown.changed() => break,
        }
    }
}

/// CLI output uses LF; the terminal wants CR LF.
fn crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        if c == '\n' {
            out.push('\r');
        }
        out.push(c);
    }
    out
}

async fn say<W: AsyncWrite + Unpin>(w: &mut W, text: &str) -> std::io::Result<()> {
    w.write_all(crlf(text).as_bytes()).await?;
    w.flush().await
}

/// Reads the next usable line: `None` when the peer left or shutdown began.
async fn read_line<R, W>(
    lines: &mut LineReader<R>,
    w: &mut W,
    shutdown: &mut watch::Receiver<bool>,
) -> std::io::Result<Option<String>>
where
    R: tokio::io::AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    read_line_or_debug(lines, w, shutdown, None).await
}

/// The next debug line for this session; never resolves without a receiver.
async fn next_debug(debug: &mut Option<&mut mpsc::Receiver<String>>) -> Option<String> {
    match debug {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// [`read_line`], writing the session's debug lines as they arrive while it waits.
async fn read_line_or_debug<R, W>(
    lines: &mut LineReader<R>,
    w: &mut W,
    shutdown: &mut watch::Receiver<bool>,
    mut debug: Option<&mut mpsc::Receiver<String>>,
) -> std::io::Result<Option<String>>
where
    R: tokio::io::AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    loop {
        let next = tokio::select! {
            n = lines.next() => n?,
            _ = shutdown.changed() => return Ok(None),
            Some(text) = next_debug(&mut debug) => {
                say(w, &format!("{text}\n")).await?;
                continue;
            }
        };
        match next {
            None => return Ok(None),
            Some(Input::Line(l)) => return Ok(Some(l)),
            Some(Input::TooLong) => {
                say(
                    w,
                    &format!("\nERROR: line too long ({MAX_LINE} bytes maximum)\n"),
                )
                .await?;
            }
        }
    }
}

async fn connection(
    stream: TcpStream,
    peer: IpAddr,
    shared: Shared,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let (reader, mut w) = stream.into_split();
    let mut lines = LineReader::new(reader);
    lines.set_deadline(Some(tokio::time::Instant::now() + LOGIN_TIMEOUT));
    let source = if peer.is_unspecified() {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        peer
    };
    // No local user and no `aaa authentication serial console`: no login, as on an ASA.
    let open = {
        let core = lock(&shared);
        (!core.engine.console_needs_login()).then(|| core.engine.console_open(source))
    };
    let mut session = open;
    if session.is_none() {
        say(&mut w, "\nUser Access Verification\n\n").await?;
    }
    for _ in 0..MAX_LOGIN_ATTEMPTS {
        if session.is_some() {
            break;
        }
        say(&mut w, "Username: ").await?;
        let Some(user) = read_line(&mut lines, &mut w, &mut shutdown).await? else {
            return Ok(());
        };
        say(&mut w, "Password: ").await?;
        let Some(password) = read_line(&mut lines, &mut w, &mut shutdown).await? else {
            return Ok(());
        };
        let user = user.trim();
        let attempt = {
            // No .await while the core is locked.
            let mut core = lock(&shared);
            let (s, fx) = core.engine.console_login(user, &password, source, now());
            core.dispatch(fx);
            s
        };
        match attempt {
            Some(s) => {
                session = Some(s);
                break;
            }
            None => say(&mut w, "\nLogin invalid\n\n").await?,
        }
    }
    let Some(mut session) = session else {
        say(&mut w, "% Bad passwords\n").await?;
        return Ok(());
    };
    lines.set_deadline(None);
    lines.set_idle_timeout(Some(IDLE_TIMEOUT));
    let (debug_id, mut debug_rx) = lock(&shared).debug_open();
    let _debug = DebugSession {
        shared: shared.clone(),
        id: debug_id,
    };
    loop {
        let prompt = lock(&shared).engine.prompt(&session);
        say(&mut w, &format!("\n{prompt}")).await?;
        let Some(line) =
            read_line_or_debug(&mut lines, &mut w, &mut shutdown, Some(&mut debug_rx)).await?
        else {
            return Ok(());
        };
        let word = line.trim().to_ascii_lowercase();
        let at_exec = matches!(session.level, Level::UserExec | Level::PrivExec);
        if at_exec && matches!(word.as_str(), "exit" | "logout" | "quit") {
            say(&mut w, "\nLogoff\n\n").await?;
            return Ok(());
        }
        if session.level == Level::UserExec
            && matches!(word.as_str(), "en" | "ena" | "enab" | "enabl" | "enable")
        {
            enable(&mut session, &shared, &mut lines, &mut w, &mut shutdown).await?;
            continue;
        }
        if let Some(command) = debug::parse(&line) {
            let output = match command {
                // Debugging needs privileged exec.
                _ if session.level == Level::UserExec => {
                    crate::engine::error::CliError::invalid(&line, 0).output()
                }
                // No .await while the core is locked.
                Ok(command) => lock(&shared).debug_command(debug_id, command),
                Err(e) => e.output(),
            };
            if !output.is_empty() {
                say(&mut w, &output).await?;
            }
            continue;
        }
        let (mut output, durable) = {
            // No .await while the core is locked.
            let mut core = lock(&shared);
            let (out, fx) = core.engine.console_command(&mut session, &line, now());
            let durable = core.dispatch(fx);
            (out, durable)
        };
        // `write memory`, `copy`, `backup`: the prompt comes back once the file is on disk.
        if let Err(e) = durable.wait().await {
            output.push_str(&format!("%Error writing to disk0: ({e})\n"));
        }
        if !output.is_empty() {
            say(&mut w, &output).await?;
        }
    }
}

/// The session's debug registration; dropping it (logout, disconnect, shutdown) ends the
/// session's `debug rest-api` pairs.
struct DebugSession {
    shared: Shared,
    id: u64,
}

impl Drop for DebugSession {
    fn drop(&mut self) {
        // A std mutex, locked briefly; no .await here.
        lock(&self.shared).debug_close(self.id);
    }
}

async fn enable<R, W>(
    session: &mut Session,
    shared: &Shared,
    lines: &mut LineReader<R>,
    w: &mut W,
    shutdown: &mut watch::Receiver<bool>,
) -> std::io::Result<()>
where
    R: tokio::io::AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    say(w, "Password: ").await?;
    let Some(password) = read_line(lines, w, shutdown).await? else {
        return Ok(());
    };
    let ok = {
        // No .await while the core is locked.
        let mut core = lock(shared);
        let (ok, fx) = core.engine.console_enable(session, &password, now());
        core.dispatch(fx);
        ok
    };
    if !ok {
        say(w, "Invalid password\n").await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tokio::io::AsyncReadExt as _;
    use tokio::sync::mpsc;

    use super::*;
    use crate::default_config;
    use crate::engine::{Engine, EngineOptions, Now};
    use crate::shared::Core;

    async fn start() -> (SocketAddr, Shared, watch::Sender<bool>) {
        start_with(&default_config::text("Console-1").unwrap()).await
    }

    async fn start_with(text: &str) -> (SocketAddr, Shared, watch::Sender<bool>) {
        let (engine, _) = Engine::boot(text, &EngineOptions::default(), [3; 32], Now::from_secs(0));
        let (fx_tx, mut fx_rx) = mpsc::unbounded_channel();
        tokio::spawn(async move { while fx_rx.recv().await.is_some() {} });
        let shared: Shared = Arc::new(Mutex::new(Core::new(engine, fx_tx)));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = watch::channel(false);
        tokio::spawn(serve(listener, shared.clone(), stop_rx));
        (addr, shared, stop_tx)
    }

    struct Term {
        stream: TcpStream,
        seen: String,
    }

    impl Term {
        async fn connect(addr: SocketAddr) -> Term {
            Term {
                stream: TcpStream::connect(addr).await.unwrap(),
                seen: String::new(),
            }
        }

        /// Reads until the output ends with `tail`; returns what came since the last call.
        async fn until(&mut self, tail: &str) -> String {
            let mut buf = [0u8; 4096];
            while !self.seen.ends_with(tail) {
                let n = tokio::time::timeout(Duration::from_secs(10), self.stream.read(&mut buf))
                    .await
                    .unwrap_or_else(|_| {
                        panic!("timed out waiting for {tail:?}; got {:?}", self.seen)
                    })
                    .unwrap();
                if n == 0 {
                    break;
                }
                self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
            std::mem::take(&mut self.seen)
        }

        async fn send(&mut self, line: &str) {
            self.stream
                .write_all(format!("{line}\r\n").as_bytes())
                .await
                .unwrap();
        }

        async fn closed(&mut self) -> bool {
            let mut buf = [0u8; 256];
            loop {
                match tokio::time::timeout(Duration::from_secs(10), self.stream.read(&mut buf))
                    .await
                {
                    Ok(Ok(0)) | Ok(Err(_)) => return true,
                    Ok(Ok(_)) => continue,
                    Err(_) => return false,
                }
            }
        }
    }

    #[tokio::test]
    async fn login_enable_and_configure_change_the_running_config() {
        let (addr, shared, _stop) = start().await;
        let mut t = Term::connect(addr).await;
        let banner = t.until("Username: ").await;
        assert!(banner.starts_with("\r\nUser Access Verification\r\n\r\n"));
        t.send("admin").await;
        t.until("Password: ").await;
        t.send("Console-1").await;
        t.until("ciscoasa> ").await;
        t.send("enable").await;
        t.until("Password: ").await;
        t.send("Console-1").await;
        t.until("ciscoasa# ").await;
        t.send("configure terminal").await;
        t.until("ciscoasa(config)# ").await;
        t.send("interface GigabitEthernet0/0").await;
        t.until("ciscoasa(config-if)# ").await;
        t.send("nameif outside").await;
        let info = t.until("ciscoasa(config-if)# ").await;
        assert!(
            info.contains("INFO: Security level for \"outside\" set to 0 by default.\r\n"),
            "{info}"
        );
        t.send("exit").await;
        t.until("ciscoasa(config)# ").await;
        t.send("hostname edge").await;
        t.until("edge(config)# ").await;
        t.send("bogus command").await;
        let err = t.until("edge(config)# ").await;
        assert!(
            err.contains("ERROR: % Invalid input detected at '^' marker."),
            "{err}"
        );
        t.send("end").await;
        t.until("edge# ").await;
        t.send("show running-config interface GigabitEthernet0/0")
            .await;
        let out = t.until("edge# ").await;
        assert!(out.contains("interface GigabitEthernet0/0\r\n shutdown\r\n nameif outside\r\n security-level 0\r\n"), "{out}");
        {
            let core = lock(&shared);
            assert_eq!(core.engine.hostname(), "edge");
            assert_eq!(core.engine.generation(), 3);
        }
        t.send("exit").await;
        assert!(t.closed().await);
    }

    #[tokio::test]
    async fn without_users_the_console_opens_at_the_exec_prompt() {
        let (addr, _shared, _stop) = start_with("hostname fw\n").await;
        let mut t = Term::connect(addr).await;
        let first = t.until("fw> ").await;
        assert!(!first.contains("Username"), "{first}");
        t.send("enable").await;
        t.until("Password: ").await;
        t.send("").await;
        t.until("fw# ").await;
        t.send("show curpriv").await;
        let out = t.until("fw# ").await;
        assert!(out.contains("Username : enable_15"), "{out}");
    }

    #[tokio::test]
    async fn debug_lines_go_to_the_session_that_enabled_them_until_undebug() {
        use cli_translator::protocol::{DebugCategory, DebugLevel, DebugLine};

        use crate::engine::Effect;

        let (addr, shared, _stop) = start().await;
        let mut t = Term::connect(addr).await;
        t.until("Username: ").await;
        t.send("admin").await;
        t.until("Password: ").await;
        t.send("Console-1").await;
        t.until("ciscoasa> ").await;
        // Not at user exec.
        t.send("debug rest-api agent").await;
        let out = t.until("ciscoasa> ").await;
        assert!(out.contains("Invalid input"), "{out}");
        t.send("enable").await;
        t.until("Password: ").await;
        t.send("Console-1").await;
        t.until("ciscoasa# ").await;
        t.send("debug rest-api agent event").await;
        t.until("ciscoasa# ").await;
        t.send("debug rest-api bogus").await;
        let out = t.until("ciscoasa# ").await;
        assert!(out.contains("Invalid input"), "{out}");

        let line = |text: &str| DebugLine {
            category: DebugCategory::Agent,
            level: DebugLevel::Event,
            text: text.into(),
        };
        lock(&shared).dispatch(vec![Effect::Debug(line("snapshot reloaded"))]);
        let out = t.until("snapshot reloaded\r\n").await;
        assert!(
            out.ends_with("rest-api agent event: snapshot reloaded\r\n"),
            "{out}"
        );

        t.send("show debug").await;
        let out = t.until("ciscoasa# ").await;
        assert!(
            out.contains("debug rest-api agent event is enabled\r\n"),
            "{out}"
        );
        t.send("undebug all").await;
        t.until("ciscoasa# ").await;
        lock(&shared).dispatch(vec![Effect::Debug(line("not shown"))]);
        t.send("show clock").await;
        let out = t.until("ciscoasa# ").await;
        assert!(!out.contains("not shown"), "{out}");

        // Logout ends the session's registration.
        t.send("debug rest-api").await;
        t.until("ciscoasa# ").await;
        t.send("exit").await;
        assert!(t.closed().await);
        for _ in 0..100 {
            if lock(&shared).debug_wanted().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(lock(&shared).debug_wanted().is_empty());
    }

    #[tokio::test]
    async fn sessions_beyond_the_cap_are_told_and_closed() {
        let (addr, _, _stop) = start().await;
        let mut held = Vec::new();
        for _ in 0..MAX_SESSIONS {
            let mut t = Term::connect(addr).await;
            t.until("Username: ").await;
            held.push(t);
        }
        let mut extra = Term::connect(addr).await;
        assert!(
            extra
                .until("in use\r\n")
                .await
                .contains("% All console sessions are in use")
        );
        assert!(extra.closed().await);
        // A session that ends frees its place.
        drop(held.pop());
        let mut next = None;
        for _ in 0..100 {
            let mut t = Term::connect(addr).await;
            let seen = t.until(": ").await;
            if seen.contains("Username: ") {
                next = Some(t);
                break;
            }
            tokio::task::yield_now().await;
        }
        assert!(next.is_some(), "the freed place is taken again");
    }

    #[tokio::test]
    async fn three_failed_logins_close_the_connection() {
        let (addr, _, _stop) = start().await;
        let mut t = Term::connect(addr).await;
        for _ in 0..3 {
            t.until("Username: ").await;
            t.send("admin").await;
            t.until("Password: ").await;
            t.send("wrong").await;
        }
        assert!(t.closed().await);
    }

    #[tokio::test]
    async fn long_lines_and_telnet_bytes_do_not_break_the_session() {
        let (addr, _, _stop) = start().await;
        let mut t = Term::connect(addr).await;
        t.until("Username: ").await;
        t.stream
            .write_all(&[255, 251, 1, 255, 253, 3])
            .await
            .unwrap();
        t.stream.write_all(&vec![b'a'; 10_000]).await.unwrap();
        t.send("").await;
        let out = t.until("bytes maximum)\r\n").await;
        assert!(out.contains("ERROR: line too long"));
        t.send("admin").await;
        t.until("Password: ").await;
        t.send("Console-1").await;
        t.until("ciscoasa> ").await;
        t.send("show clock").await;
        let out = t.until("ciscoasa> ").await;
        assert!(out.contains(" UTC "), "{out}");
    }
}
