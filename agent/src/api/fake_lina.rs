//! A small in-process LINA for the agent's tests: speaks the real protocol codec, knows a
//! few users, tokens, network objects and a handful of commands, counts what it was asked,
//! and can make out-of-band changes.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::BytesMut;
use cli_translator::protocol::frame;
use cli_translator::protocol::{
    AuthFailure, CommandOutcome, ContextMode, Credential, DeviceFacts, Exec, ExecMode, ExecResult,
    FirewallMode, Message, Session, TokenFailure, TokenResult,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

pub const INVALID: &str = "ERROR: % Invalid input detected at '^' marker.\n";
pub const WRITE_MEMORY_OUTPUT: &str =
    "Building configuration...\nCryptochecksum: 1a2b3c4d 5e6f7a8b 9c0d1e2f 3a4b5c6d\n\n[OK]\n";
pub const TOKEN_LIMIT: usize = 3;

#[derive(Debug, Clone)]
struct Object {
    name: String,
    children: Vec<String>,
}

#[derive(Debug, Default)]
struct State {
    users: HashMap<String, (String, u8)>,
    tokens: HashMap<String, String>,
    next_token: u64,
    objects: Vec<Object>,
    in_use: HashSet<String>,
    generation: u64,
    show_run_count: usize,
    config_execs: Vec<Exec>,
    /// Conditional batches still to be preceded by an out-of-band change (a generation bump).
    moves_before_writes: usize,
    subscribers: Vec<mpsc::UnboundedSender<u64>>,
}

/// The fake; clones share it.
#[derive(Debug, Clone)]
pub struct FakeLina {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    close: watch::Sender<bool>,
}

impl FakeLina {
    /// Starts with users `admin`/`adminpw` (15), `reader`/`readerpw` (5), `mon`/`monpw` (3),
    /// generation 10, and one object `existing` (host 192.0.2.1).
    pub async fn start() -> FakeLina {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut state = State {
            generation: 10,
            ..State::default()
        };
        for (u, p, l) in [
            ("admin", "adminpw", 15),
            ("reader", "readerpw", 5),
            ("mon", "monpw", 3),
        ] {
            state.users.insert(u.into(), (p.into(), l));
        }
        state.objects.push(Object {
            name: "existing".into(),
            children: vec!["host 192.0.2.1".into()],
        });
        let state = Arc::new(Mutex::new(state));
        let (close, close_rx) = watch::channel(false);
        let fake = FakeLina { addr, state, close };
        let accept_state = fake.state.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(connection(sock, accept_state.clone(), close_rx.clone()));
            }
        });
        fake
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Applies configuration commands as the operator console would, and pushes the generation.
    pub fn out_of_band(&self, commands: &[&str]) {
        let cmds: Vec<String> = commands.iter().map(|c| (*c).to_owned()).collect();
        let mut st = self.lock();
        let (_, applied) = run_config(&mut st, &cmds, true);
        assert!(applied, "out-of-band change failed");
    }

    /// Makes the configuration move (as a console change would) just before each of the next
    /// `n` conditional batches is checked, so each is refused as stale.
    pub fn move_before_writes(&self, n: usize) {
        self.lock().moves_before_writes = n;
    }

    /// The generation now.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    pub fn show_run_count(&self) -> usize {
        self.lock().show_run_count
    }

    /// Every configuration-mode batch received from the agent.
    pub fn config_execs(&self) -> Vec<Exec> {
        self.lock().config_execs.clone()
    }

    pub fn mark_in_use(&self, name: &str) {
        self.lock().in_use.insert(name.to_owned());
    }

    /// Names of the objects, in order.
    pub fn object_names(&self) -> Vec<String> {
        self.lock().objects.iter().map(|o| o.name.clone()).collect()
    }

    /// Hangs up every connection.
    pub fn close(&self) {
        self.close.send_replace(true);
    }
}

fn facts() -> DeviceFacts {
    DeviceFacts {
        hostname: "fake-asa".into(),
        model: "ASAv".into(),
        serial_number: "9AFAKE0001".into(),
        asa_version: "9.16(4)".into(),
        rest_api_version: "7.16(1)".into(),
        context_mode: ContextMode::Single,
        firewall_mode: FirewallMode::Routed,
    }
}

async fn connection(
    mut sock: TcpStream,
    state: Arc<Mutex<State>>,
    mut close: watch::Receiver<bool>,
) {
    let mut buf = BytesMut::new();
    let (push_tx, mut push_rx) = mpsc::unbounded_channel::<u64>();
    loop {
        let mut out = BytesMut::new();
        while let Ok(Some(f)) = frame::decode(&mut buf) {
            let Ok(msg) = Message::from_frame(&f) else {
                return;
            };
            let reply = {
                let mut st = state.lock().unwrap();
                answer(&mut st, msg, &push_tx)
            };
            frame::encode(&reply.to_frame(f.request_id).unwrap(), &mut out);
        }
        if !out.is_empty() && sock.write_all(&out).await.is_err() {
            return;
        }
        tokio::select! {
            r = sock.read_buf(&mut buf) => match r {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            },
            Some(g) = push_rx.recv() => {
                let mut out = BytesMut::new();
                frame::encode(&Message::Generation(g).to_frame(0).unwrap(), &mut out);
                if sock.write_all(&out).await.is_err() {
                    return;
                }
            }
            _ = closed(&mut close) => return,
        }
    }
}

async fn closed(close: &mut watch::Receiver<bool>) {
    let _ = close.wait_for(|c| *c).await;
}

fn answer(st: &mut State, msg: Message, push: &mpsc::UnboundedSender<u64>) -> Message {
    match msg {
        Message::Hello { .. } => Message::HelloAck(facts()),
        Message::Subscribe => {
            st.subscribers.push(push.clone());
            Message::Generation(st.generation)
        }
        Message::Authenticate(a) => {
            if a.context.as_deref().is_some_and(|c| c != "ctx1") {
                return Message::AuthResult(Err(AuthFailure::NoSuchContext));
            }
            let user = match a.credential {
                Credential::Basic { username, password } => match st.users.get(&username) {
                    Some((p, _)) if *p == password => Some(username),
                    _ => None,
                },
                Credential::Token(t) => st.tokens.get(&t).cloned(),
            };
            Message::AuthResult(match user {
                Some(username) => {
                    let privilege = st.users.get(&username).map_or(0, |u| u.1);
                    Ok(Session {
                        username,
                        privilege,
                        generation: st.generation,
                    })
                }
                None => Err(AuthFailure::BadCredentials),
            })
        }
        Message::TokenCreate(t) => Message::TokenResult(match st.users.get(&t.username) {
            Some((p, _)) if *p == t.password => {
                if st.tokens.len() >= TOKEN_LIMIT {
                    TokenResult::Refused(TokenFailure::LimitReached)
                } else {
                    st.next_token += 1;
                    let token = format!("tok{:08x}", st.next_token);
                    st.tokens.insert(token.clone(), t.username);
                    TokenResult::Created { token }
                }
            }
            _ => TokenResult::Refused(TokenFailure::BadCredentials),
        }),
        Message::TokenDelete(t) => {
            if let Some(Credential::Basic { username, password }) = &t.credential
                && st.users.get(username).is_none_or(|(p, _)| p != password)
            {
                return Message::TokenResult(TokenResult::Refused(TokenFailure::BadCredentials));
            }
            Message::TokenResult(match st.tokens.remove(&t.token) {
                Some(_) => TokenResult::Deleted,
                None => TokenResult::Refused(TokenFailure::UnknownToken),
            })
        }
        Message::Exec(e) => Message::ExecResult(exec(st, e)),
        Message::Log(_) => Message::LogAck,
        other => Message::Error(cli_translator::protocol::ProtocolError {
            code: cli_translator::protocol::ProtocolErrorCode::UnexpectedMessage,
            detail: format!("unexpected {other:?}"),
        }),
    }
}

fn exec(st: &mut State, e: Exec) -> ExecResult {
    match e.mode {
        ExecMode::Exec => {
            let outcomes = e.commands.iter().map(|c| exec_command(st, c)).collect();
            ExecResult {
                outcomes,
                applied: true,
                generation: st.generation,
                refusal: None,
            }
        }
        ExecMode::Config => {
            st.config_execs.push(e.clone());
            if e.expected_generation.is_some() && st.moves_before_writes > 0 {
                st.moves_before_writes -= 1;
                st.generation += 1;
                let g = st.generation;
                st.subscribers.retain(|s| s.send(g).is_ok());
            }
            if e.expected_generation.is_some_and(|g| g != st.generation) {
                return ExecResult {
                    outcomes: Vec::new(),
                    applied: false,
                    generation: st.generation,
                    refusal: Some(cli_translator::protocol::Refusal::Stale),
                };
            }
            let (outcomes, applied) = run_config(st, &e.commands, e.atomic);
            ExecResult {
                outcomes,
                applied,
                generation: st.generation,
                refusal: None,
            }
        }
    }
}

fn ok(output: impl Into<String>) -> CommandOutcome {
    CommandOutcome {
        ok: true,
        output: output.into(),
    }
}

fn err(output: impl Into<String>) -> CommandOutcome {
    CommandOutcome {
        ok: false,
        output: output.into(),
    }
}

fn exec_command(st: &mut State, c: &str) -> CommandOutcome {
    match c.trim() {
        "show running-config" => {
            st.show_run_count += 1;
            let mut text = String::from(": Saved\n:\nASA Version 9.16(4)\n!\nhostname fake-asa\n");
            for o in &st.objects {
                text.push_str(&format!("object network {}\n", o.name));
                for c in &o.children {
                    text.push_str(&format!(" {c}\n"));
                }
            }
            text.push_str(": end\n");
            ok(text)
        }
        "show version" => ok("Cisco Adaptive Security Appliance Software Version 9.16(4)\n"),
        "write memory" => ok(WRITE_MEMORY_OUTPUT),
        _ => err(INVALID),
    }
}

/// Runs configuration commands; atomic batches stop at the first failure and undo.
fn run_config(st: &mut State, commands: &[String], atomic: bool) -> (Vec<CommandOutcome>, bool) {
    let before = st.objects.clone();
    let mut outcomes = Vec::new();
    let mut current: Option<String> = None;
    let mut changed = false;
    for c in commands {
        let outcome = config_command(st, c, &mut current, &mut changed);
        let failed = !outcome.ok;
        outcomes.push(outcome);
        if failed && atomic {
            st.objects = before;
            return (outcomes, false);
        }
    }
    if changed {
        st.generation += 1;
        let g = st.generation;
        st.subscribers.retain(|s| s.send(g).is_ok());
    }
    (outcomes, true)
}

fn config_command(
    st: &mut State,
    c: &str,
    current: &mut Option<String>,
    changed: &mut bool,
) -> CommandOutcome {
    if let Some(sub) = c.strip_prefix(' ') {
        let Some(name) = current.clone() else {
            return err(INVALID);
        };
        let Some(obj) = st.objects.iter_mut().find(|o| o.name == name) else {
            return err(INVALID);
        };
        let (negate, sub) = match sub.strip_prefix("no ") {
            Some(rest) => (true, rest),
            None => (false, sub),
        };
        let key = sub.split(' ').next().unwrap_or("");
        let group: &[&str] = match key {
            "host" | "subnet" | "range" | "fqdn" => &["host", "subnet", "range", "fqdn"],
            "description" => &["description"],
            _ => return err(INVALID),
        };
        if key == "host" && !negate {
            let valid = sub
                .split(' ')
                .nth(1)
                .is_some_and(|a| a.parse::<std::net::IpAddr>().is_ok());
            if !valid {
                return err(INVALID);
            }
        }
        obj.children
            .retain(|ch| !group.contains(&ch.split(' ').next().unwrap_or("")));
        if !negate {
            obj.children.push(sub.to_owned());
        }
        *changed = true;
        return ok("");
    }
    *current = None;
    if let Some(name) = c.strip_prefix("object network ") {
        if name.is_empty() || name.contains(' ') {
            return err(INVALID);
        }
        if !st.objects.iter().any(|o| o.name == name) {
            st.objects.push(Object {
                name: name.to_owned(),
                children: Vec::new(),
            });
            *changed = true;
        }
        *current = Some(name.to_owned());
        return ok("");
    }
    if let Some(name) = c.strip_prefix("no object network ") {
        if st.in_use.contains(name) {
            return err(format!(
                "ERROR: unable to delete object ({name}). Object is being used.\n"
            ));
        }
        let n = st.objects.len();
        st.objects.retain(|o| o.name != name);
        if st.objects.len() == n {
            return err(format!("ERROR: object ({name}) does not exist.\n"));
        }
        *changed = true;
        return ok("");
    }
    if c.starts_with("show ") || c == "write memory" {
        return exec_command(st, c);
    }
    err(INVALID)
}
