//! LINA protocol messages: typed values, their kind bytes, and payload encoding.
//!
//! Requests flow agent -> LINA with a non-zero request id; each is answered by exactly one
//! response frame carrying the same id. `Generation` frames with id 0 are pushes sent to a
//! connection that subscribed.

use std::net::IpAddr;

use crate::print::IpText;

use bytes::Bytes;

use super::codec::{DecodeError, Reader, Writer};
use super::control::{AgentControl, DebugCategory, DebugLevel, DebugLine, DebugSet};
use super::frame::{Frame, MAX_PAYLOAD};

/// How a request proves who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Basic { username: String, password: String },
    Token(String),
}

/// Whether LINA runs a batch as exec (show) commands or in configuration mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecMode {
    Exec,
    Config,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextMode {
    Single,
    Multiple,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirewallMode {
    Routed,
    Transparent,
}

/// Static facts about the device, sent in answer to `Hello`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceFacts {
    pub hostname: String,
    pub model: String,
    pub serial_number: String,
    pub asa_version: String,
    pub rest_api_version: String,
    pub context_mode: ContextMode,
    pub firewall_mode: FirewallMode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticate {
    pub credential: Credential,
    pub context: Option<String>,
    pub source: IpAddr,
}

/// A user LINA has authenticated, and the configuration generation at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub username: String,
    pub privilege: u8,
    pub generation: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// Unknown user, wrong password, or an unknown or expired token.
    BadCredentials,
    /// The named security context does not exist.
    NoSuchContext,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCreate {
    pub username: String,
    pub password: String,
    pub context: Option<String>,
    pub source: IpAddr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenDelete {
    pub token: String,
    /// The Basic credentials clients send along with the token, when they do.
    pub credential: Option<Credential>,
    pub context: Option<String>,
    pub source: IpAddr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFailure {
    BadCredentials,
    /// The context already holds the maximum number of sessions (25).
    LimitReached,
    UnknownToken,
    NoSuchContext,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenResult {
    Created { token: String },
    Deleted,
    Refused(TokenFailure),
}

/// A batch of commands run on behalf of an authenticated user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exec {
    pub user: String,
    pub privilege: u8,
    pub source: IpAddr,
    pub context: Option<String>,
    pub mode: ExecMode,
    /// All or nothing: if one command fails, none of the batch's changes remain.
    pub atomic: bool,
    pub commands: Vec<String>,
    /// Apply only if the configuration generation is still this one (the generation the
    /// batch was planned on); otherwise nothing runs and the result is `Refusal::Stale`.
    pub expected_generation: Option<u64>,
}

/// What one command of a batch printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutcome {
    pub ok: bool,
    pub output: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecResult {
    /// One entry per command that ran; an atomic batch stops at the first failure.
    pub outcomes: Vec<CommandOutcome>,
    /// Whether the batch's changes are in the running configuration.
    pub applied: bool,
    /// The configuration generation after the batch.
    pub generation: u64,
    /// The typed refusal: a stale batch (nothing ran), or the first refused command (which
    /// undid an atomic batch; a non-atomic batch applied the rest). `None` when every command
    /// ran, or when LINA has no type for the failure (the outcome's text still says why).
    pub refusal: Option<super::refusal::Refusal>,
}

/// An event for LINA's syslog, already formatted by the sender from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    pub message_id: u32,
    pub level: u8,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolErrorCode {
    Malformed,
    UnexpectedMessage,
    HelloRequired,
    /// LINA will not serve this peer: an agent process whose installed REST API image no
    /// longer verifies (its start fails, 342002).
    Refused,
    /// The connection has not proven the channel secret (`Challenge`, `Prove`) yet, or its
    /// proof was wrong.
    Unauthenticated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError {
    pub code: ProtocolErrorCode,
    pub detail: String,
}

/// Every message of the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Hello {
        version: u8,
        peer: String,
    },
    Authenticate(Authenticate),
    TokenCreate(TokenCreate),
    TokenDelete(TokenDelete),
    Exec(Exec),
    Subscribe,
    Log(LogEvent),
    HelloAck(DeviceFacts),
    AuthResult(Result<Session, AuthFailure>),
    TokenResult(TokenResult),
    ExecResult(ExecResult),
    /// Answer to `Subscribe`, and the push sent on every new generation.
    Generation(u64),
    LogAck,
    Error(ProtocolError),
    /// A debug line for the console sessions that enabled its category and level; answered
    /// with `LogAck`.
    Debug(DebugLine),
    /// The daemon asks to follow the agent's life cycle: it is subscribed (as by `Subscribe`)
    /// and answered with `Control` (the current `Start` or `Stop`).
    WatchAgent,
    /// The answer to `WatchAgent`, and pushed (request id 0) to the connections that sent it on
    /// `rest-api agent` (`Start`), `no rest-api agent` (`Stop`) and restarts (`Restart`).
    Control(AgentControl),
    /// Pushed (request id 0) to every subscriber whenever the set of `debug rest-api` pairs
    /// some console session wants changes (and at subscription when it is not empty).
    DebugFilter(DebugSet),
    /// Opens the channel authentication (docs/lina-protocol.md): answered with `Nonce`.
    Challenge,
    /// LINA's fresh nonce for this connection, in hex.
    Nonce(String),
    /// HMAC-SHA256 of the nonce under the per-boot channel secret, in hex
    /// ([`super::auth::ChannelSecret::proof`]); answered with `Proven`.
    Prove(String),
    /// The proof was right: the connection may say `Hello`.
    Proven,
    /// The daemon asks which certificate its HTTPS server presents (`ssl trust-point`):
    /// answered with `HttpsIdentity` (issue 15).
    HttpsIdentityRequest,
    /// The certificate chain and key of the trust-point `ssl trust-point` names; `None` for
    /// the daemon's own default certificate.
    HttpsIdentity(Option<HttpsIdentity>),
    // issue 13: change journal
    /// What changed after a generation: answered with `Changes`.
    ChangesSince(super::changes::ChangesSince),
    /// The blocks each later generation added, removed or replaced, or "too old".
    Changes(super::changes::ChangesAnswer),
    // issue 13: streamed output
    /// A piece of one command's output of the `Exec` with the same request id, sent before
    /// its `ExecResult` when the output is larger than one piece ([`super::stream`]).
    ExecOutput(super::stream::ExecOutput),
}

/// A TLS server identity: certificates (identity first) and private key, base64 DER.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpsIdentity {
    pub chain: Vec<String>,
    /// PKCS#8, base64.
    pub key: String,
}

impl std::fmt::Debug for HttpsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The private key is a secret: never print it.
        f.debug_struct("HttpsIdentity")
            .field("certificates", &self.chain.len())
            .finish_non_exhaustive()
    }
}

/// Kind bytes, declared once.
macro_rules! kinds {
    ($($name:ident = $val:expr,)*) => {
        pub mod kind {
            $(pub const $name: u8 = $val;)*
        }
    };
}

kinds! {
    HELLO = 1,
    AUTHENTICATE = 2,
    TOKEN_CREATE = 3,
    TOKEN_DELETE = 4,
    EXEC = 5,
    SUBSCRIBE = 6,
    LOG = 7,
    DEBUG = 8,
    WATCH_AGENT = 9,
    CHALLENGE = 10,
    PROVE = 11,
    HTTPS_IDENTITY_REQUEST = 12,
    HELLO_ACK = 129,
    AUTH_RESULT = 130,
    TOKEN_RESULT = 131,
    EXEC_RESULT = 133,
    GENERATION = 134,
    LOG_ACK = 135,
    CONTROL = 136,
    DEBUG_FILTER = 137,
    NONCE = 138,
    PROVEN = 139,
    HTTPS_IDENTITY = 140,
    // issue 13: change journal (kinds apart from the other additions)
    CHANGES_SINCE = 30,
    CHANGES = 158,
    // issue 13: streamed output
    EXEC_OUTPUT = 141,
    ERROR = 255,
}

/// Why a message cannot be put in a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadTooLarge(pub usize);

impl std::fmt::Display for PayloadTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "message of {} bytes exceeds the frame cap of {MAX_PAYLOAD}",
            self.0
        )
    }
}

impl std::error::Error for PayloadTooLarge {}

impl Message {
    /// The kind byte of this message.
    pub fn kind(&self) -> u8 {
        match self {
            Message::Hello { .. } => kind::HELLO,
            Message::Authenticate(_) => kind::AUTHENTICATE,
            Message::TokenCreate(_) => kind::TOKEN_CREATE,
            Message::TokenDelete(_) => kind::TOKEN_DELETE,
            Message::Exec(_) => kind::EXEC,
            Message::Subscribe => kind::SUBSCRIBE,
            Message::Log(_) => kind::LOG,
            Message::HelloAck(_) => kind::HELLO_ACK,
            Message::AuthResult(_) => kind::AUTH_RESULT,
            Message::TokenResult(_) => kind::TOKEN_RESULT,
            Message::ExecResult(_) => kind::EXEC_RESULT,
            Message::Generation(_) => kind::GENERATION,
            Message::LogAck => kind::LOG_ACK,
            Message::Error(_) => kind::ERROR,
            Message::Debug(_) => kind::DEBUG,
            Message::WatchAgent => kind::WATCH_AGENT,
            Message::Control(_) => kind::CONTROL,
            Message::DebugFilter(_) => kind::DEBUG_FILTER,
            Message::Challenge => kind::CHALLENGE,
            Message::Nonce(_) => kind::NONCE,
            Message::Prove(_) => kind::PROVE,
            Message::Proven => kind::PROVEN,
            Message::HttpsIdentityRequest => kind::HTTPS_IDENTITY_REQUEST,
            Message::HttpsIdentity(_) => kind::HTTPS_IDENTITY,
            // issue 13: change journal
            Message::ChangesSince(_) => kind::CHANGES_SINCE,
            Message::Changes(_) => kind::CHANGES,
            // issue 13: streamed output
            Message::ExecOutput(_) => kind::EXEC_OUTPUT,
        }
    }

    /// Puts the message into a frame. Fails only if the payload would exceed the frame cap
    /// (a huge `show` output); senders answer that with an error message instead.
    pub fn to_frame(&self, request_id: u32) -> Result<Frame, PayloadTooLarge> {
        let mut w = Writer::new();
        self.encode_payload(&mut w);
        if w.len() > MAX_PAYLOAD {
            return Err(PayloadTooLarge(w.len()));
        }
        Ok(Frame {
            kind: self.kind(),
            request_id,
            payload: Bytes::from(w.finish()),
        })
    }

    /// Decodes a frame's payload according to its kind; trailing bytes are an error.
    pub fn from_frame(frame: &Frame) -> Result<Message, DecodeError> {
        let mut r = Reader::new(&frame.payload);
        let msg = match frame.kind {
            kind::HELLO => Message::Hello {
                version: r.u8("version")?,
                peer: r.str("peer")?,
            },
            kind::AUTHENTICATE => Message::Authenticate(Authenticate {
                credential: read_credential(&mut r)?,
                context: r.opt_str("context")?,
                source: read_ip(&mut r, "source")?,
            }),
            kind::TOKEN_CREATE => Message::TokenCreate(TokenCreate {
                username: r.str("username")?,
                password: r.str("password")?,
                context: r.opt_str("context")?,
                source: read_ip(&mut r, "source")?,
            }),
            kind::TOKEN_DELETE => Message::TokenDelete(TokenDelete {
                token: r.str("token")?,
                credential: if r.bool("credential")? {
                    Some(read_credential(&mut r)?)
                } else {
                    None
                },
                context: r.opt_str("context")?,
                source: read_ip(&mut r, "source")?,
            }),
            kind::EXEC => Message::Exec(Exec {
                user: r.str("user")?,
                privilege: r.u8("privilege")?,
                source: read_ip(&mut r, "source")?,
                context: r.opt_str("context")?,
                mode: match r.u8("mode")? {
                    0 => ExecMode::Exec,
                    1 => ExecMode::Config,
                    v => {
                        return Err(DecodeError::BadValue {
                            field: "mode",
                            value: u32::from(v),
                        });
                    }
                },
                atomic: r.bool("atomic")?,
                commands: r.strs("commands")?,
                expected_generation: if r.at_end() {
                    None
                } else {
                    r.opt_u64("expected_generation")?
                },
            }),
            kind::SUBSCRIBE => Message::Subscribe,
            kind::WATCH_AGENT => Message::WatchAgent,
            kind::LOG => Message::Log(LogEvent {
                message_id: r.u32("message_id")?,
                level: r.u8("level")?,
                body: r.str("body")?,
            }),
            kind::HELLO_ACK => Message::HelloAck(DeviceFacts {
                hostname: r.str("hostname")?,
                model: r.str("model")?,
                serial_number: r.str("serial_number")?,
                asa_version: r.str("asa_version")?,
                rest_api_version: r.str("rest_api_version")?,
                context_mode: match r.u8("context_mode")? {
                    0 => ContextMode::Single,
                    1 => ContextMode::Multiple,
                    v => {
                        return Err(DecodeError::BadValue {
                            field: "context_mode",
                            value: u32::from(v),
                        });
                    }
                },
                firewall_mode: match r.u8("firewall_mode")? {
                    0 => FirewallMode::Routed,
                    1 => FirewallMode::Transparent,
                    v => {
                        return Err(DecodeError::BadValue {
                            field: "firewall_mode",
                            value: u32::from(v),
                        });
                    }
                },
            }),
            kind::AUTH_RESULT => Message::AuthResult(match r.u8("auth_result")? {
                0 => Ok(Session {
                    username: r.str("username")?,
                    privilege: r.u8("privilege")?,
                    generation: r.u64("generation")?,
                }),
                1 => Err(AuthFailure::BadCredentials),
                2 => Err(AuthFailure::NoSuchContext),
                v => {
                    return Err(DecodeError::BadValue {
                        field: "auth_result",
                        value: u32::from(v),
                    });
                }
            }),
            kind::TOKEN_RESULT => Message::TokenResult(match r.u8("token_result")? {
                0 => TokenResult::Created {
                    token: r.str("token")?,
                },
                1 => TokenResult::Deleted,
                2 => TokenResult::Refused(TokenFailure::BadCredentials),
                3 => TokenResult::Refused(TokenFailure::LimitReached),
                4 => TokenResult::Refused(TokenFailure::UnknownToken),
                5 => TokenResult::Refused(TokenFailure::NoSuchContext),
                v => {
                    return Err(DecodeError::BadValue {
                        field: "token_result",
                        value: u32::from(v),
                    });
                }
            }),
            kind::EXEC_RESULT => {
                let count = r.count("outcomes", 5)?;
                let mut outcomes = Vec::with_capacity(count);
                for _ in 0..count {
                    outcomes.push(CommandOutcome {
                        ok: r.bool("ok")?,
                        output: r.str("output")?,
                    });
                }
                Message::ExecResult(ExecResult {
                    outcomes,
                    applied: r.bool("applied")?,
                    generation: r.u64("generation")?,
                    refusal: if r.at_end() {
                        None
                    } else {
                        super::refusal::read(&mut r)?
                    },
                })
            }
            kind::GENERATION => Message::Generation(r.u64("generation")?),
            kind::LOG_ACK => Message::LogAck,
            kind::ERROR => Message::Error(ProtocolError {
                code: match r.u8("code")? {
                    0 => ProtocolErrorCode::Malformed,
                    1 => ProtocolErrorCode::UnexpectedMessage,
                    2 => ProtocolErrorCode::HelloRequired,
                    3 => ProtocolErrorCode::Refused,
                    4 => ProtocolErrorCode::Unauthenticated,
                    v => {
                        return Err(DecodeError::BadValue {
                            field: "code",
                            value: u32::from(v),
                        });
                    }
                },
                detail: r.str("detail")?,
            }),
            kind::DEBUG => Message::Debug(DebugLine {
                category: {
                    let v = r.u8("category")?;
                    DebugCategory::from_code(v).ok_or(DecodeError::BadValue {
                        field: "category",
                        value: u32::from(v),
                    })?
                },
                level: {
                    let v = r.u8("debug_level")?;
                    DebugLevel::from_code(v).ok_or(DecodeError::BadValue {
                        field: "debug_level",
                        value: u32::from(v),
                    })?
                },
                text: r.str("text")?,
            }),
            kind::CONTROL => {
                let v = r.u8("control")?;
                Message::Control(AgentControl::from_code(v).ok_or(DecodeError::BadValue {
                    field: "control",
                    value: u32::from(v),
                })?)
            }
            kind::DEBUG_FILTER => Message::DebugFilter(DebugSet::from_bits(r.u16("debug_set")?)),
            kind::CHALLENGE => Message::Challenge,
            kind::NONCE => Message::Nonce(r.str("nonce")?),
            kind::PROVE => Message::Prove(r.str("proof")?),
            kind::PROVEN => Message::Proven,
            kind::HTTPS_IDENTITY_REQUEST => Message::HttpsIdentityRequest,
            kind::HTTPS_IDENTITY => Message::HttpsIdentity(if r.bool("present")? {
                Some(HttpsIdentity {
                    chain: r.strs("chain")?,
                    key: r.str("key")?,
                })
            } else {
                None
            }),
            // issue 13: change journal
            kind::CHANGES_SINCE => Message::ChangesSince(super::changes::read_since(&mut r)?),
            kind::CHANGES => Message::Changes(super::changes::read_answer(&mut r)?),
            // issue 13: streamed output
            kind::EXEC_OUTPUT => {
                let piece = super::stream::ExecOutputRef::decode(&frame.payload)?;
                return Ok(Message::ExecOutput(piece.to_owned()));
            }
            other => return Err(DecodeError::UnknownKind(other)),
        };
        r.finish()?;
        Ok(msg)
    }

    fn encode_payload(&self, w: &mut Writer) {
        match self {
            Message::Hello { version, peer } => {
                w.u8(*version);
                w.str(peer);
            }
            Message::Authenticate(a) => {
                write_credential(w, &a.credential);
                w.opt_str(a.context.as_deref());
                w.str(IpText::new(a.source).as_str());
            }
            Message::TokenCreate(t) => {
                w.str(&t.username);
                w.str(&t.password);
                w.opt_str(t.context.as_deref());
                w.str(IpText::new(t.source).as_str());
            }
            Message::TokenDelete(t) => {
                w.str(&t.token);
                match &t.credential {
                    Some(c) => {
                        w.bool(true);
                        write_credential(w, c);
                    }
                    None => w.bool(false),
                }
                w.opt_str(t.context.as_deref());
                w.str(IpText::new(t.source).as_str());
            }
            Message::Exec(e) => {
                w.str(&e.user);
                w.u8(e.privilege);
                w.str(IpText::new(e.source).as_str());
                w.opt_str(e.context.as_deref());
                w.u8(match e.mode {
                    ExecMode::Exec => 0,
                    ExecMode::Config => 1,
                });
                w.bool(e.atomic);
                w.strs(&e.commands);
                w.opt_u64(e.expected_generation);
            }
            Message::Subscribe | Message::LogAck | Message::WatchAgent => {}
            Message::Challenge | Message::Proven | Message::HttpsIdentityRequest => {}
            Message::HttpsIdentity(identity) => match identity {
                Some(i) => {
                    w.bool(true);
                    w.strs(&i.chain);
                    w.str(&i.key);
                }
                None => w.bool(false),
            },
            Message::Nonce(n) => w.str(n),
            Message::Prove(p) => w.str(p),
            Message::Log(l) => {
                w.u32(l.message_id);
                w.u8(l.level);
                w.str(&l.body);
            }
            Message::HelloAck(d) => {
                w.str(&d.hostname);
                w.str(&d.model);
                w.str(&d.serial_number);
                w.str(&d.asa_version);
                w.str(&d.rest_api_version);
                w.u8(match d.context_mode {
                    ContextMode::Single => 0,
                    ContextMode::Multiple => 1,
                });
                w.u8(match d.firewall_mode {
                    FirewallMode::Routed => 0,
                    FirewallMode::Transparent => 1,
                });
            }
            Message::AuthResult(res) => match res {
                Ok(s) => {
                    w.u8(0);
                    w.str(&s.username);
                    w.u8(s.privilege);
                    w.u64(s.generation);
                }
                Err(AuthFailure::BadCredentials) => w.u8(1),
                Err(AuthFailure::NoSuchContext) => w.u8(2),
            },
            Message::TokenResult(t) => match t {
                TokenResult::Created { token } => {
                    w.u8(0);
                    w.str(token);
                }
                TokenResult::Deleted => w.u8(1),
                TokenResult::Refused(TokenFailure::BadCredentials) => w.u8(2),
                TokenResult::Refused(TokenFailure::LimitReached) => w.u8(3),
                TokenResult::Refused(TokenFailure::UnknownToken) => w.u8(4),
                TokenResult::Refused(TokenFailure::NoSuchContext) => w.u8(5),
            },
            Message::ExecResult(e) => {
                w.u32(e.outcomes.len() as u32);
                for o in &e.outcomes {
                    w.bool(o.ok);
                    w.str(&o.output);
                }
                w.bool(e.applied);
                w.u64(e.generation);
                super::refusal::write(w, e.refusal.as_ref());
            }
            Message::Generation(g) => w.u64(*g),
            Message::Debug(d) => {
                w.u8(d.category.code());
                w.u8(d.level.code());
                w.str(&d.text);
            }
            Message::Control(c) => w.u8(c.code()),
            Message::DebugFilter(set) => w.u16(set.bits()),
            Message::Error(e) => {
                w.u8(match e.code {
                    ProtocolErrorCode::Malformed => 0,
                    ProtocolErrorCode::UnexpectedMessage => 1,
                    ProtocolErrorCode::HelloRequired => 2,
                    ProtocolErrorCode::Refused => 3,
                    ProtocolErrorCode::Unauthenticated => 4,
                });
                w.str(&e.detail);
            }
            // issue 13: change journal
            Message::ChangesSince(c) => super::changes::write_since(w, c),
            Message::Changes(a) => super::changes::write_answer(w, a),
            // issue 13: streamed output
            Message::ExecOutput(piece) => {
                super::stream::ExecOutput::encode(piece.index, piece.total, &piece.text, w);
            }
        }
    }
}

fn write_credential(w: &mut Writer, c: &Credential) {
    match c {
        Credential::Basic { username, password } => {
            w.u8(0);
            w.str(username);
            w.str(password);
        }
        Credential::Token(t) => {
            w.u8(1);
            w.str(t);
        }
    }
}

fn read_credential(r: &mut Reader<'_>) -> Result<Credential, DecodeError> {
    match r.u8("credential")? {
        0 => Ok(Credential::Basic {
            username: r.str("username")?,
            password: r.str("password")?,
        }),
        1 => Ok(Credential::Token(r.str("token")?)),
        v => Err(DecodeError::BadValue {
            field: "credential",
            value: u32::from(v),
        }),
    }
}

fn read_ip(r: &mut Reader<'_>, field: &'static str) -> Result<IpAddr, DecodeError> {
    r.str(field)?.parse().map_err(|_| DecodeError::Invalid {
        field,
        reason: "not an IP address",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::frame;
    use bytes::BytesMut;
    use proptest::prelude::*;

    fn ip() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<[u8; 4]>().prop_map(IpAddr::from),
            any::<[u8; 16]>().prop_map(IpAddr::from),
        ]
    }

    fn credential() -> impl Strategy<Value = Credential> {
        prop_oneof![
            (".*", ".*").prop_map(|(username, password)| Credential::Basic { username, password }),
            ".*".prop_map(Credential::Token),
        ]
    }

    fn refusal() -> impl Strategy<Value = Option<crate::protocol::Refusal>> {
        use crate::protocol::{Refusal, RefusalKind};
        proptest::option::of(prop_oneof![
            Just(Refusal::Stale),
            (
                any::<u32>(),
                0u8..6,
                proptest::option::of(".*"),
                proptest::option::of(".*")
            )
                .prop_map(|(index, k, object, by)| Refusal::Command {
                    index,
                    kind: RefusalKind::from_code(k).unwrap_or(RefusalKind::Other),
                    object,
                    by,
                }),
        ])
    }

    // issue 13: change journal
    fn changes_answer() -> impl Strategy<Value = crate::protocol::ChangesAnswer> {
        use crate::protocol::changes::*;
        let block = (
            0u8..3,
            any::<u32>(),
            ".*",
            proptest::option::of(".*"),
            proptest::option::of(".*"),
            proptest::option::of(".*"),
            proptest::option::of(".*"),
        )
            .prop_map(
                |(op, position, text, old, before, after, clear)| BlockChange {
                    op: match op {
                        0 => ChangeOp::Added,
                        1 => ChangeOp::Removed,
                        _ => ChangeOp::Replaced,
                    },
                    position,
                    text,
                    old,
                    before,
                    after,
                    clear,
                },
            );
        let entry = (any::<u64>(), proptest::collection::vec(block, 0..3))
            .prop_map(|(generation, blocks)| GenerationChanges { generation, blocks });
        prop_oneof![
            (any::<u64>(), proptest::collection::vec(entry, 0..3)).prop_map(
                |(generation, entries)| ChangesAnswer::Changes {
                    generation,
                    entries
                }
            ),
            any::<u64>().prop_map(|generation| ChangesAnswer::TooOld { generation }),
        ]
    }

    fn message() -> impl Strategy<Value = Message> {
        prop_oneof![
            (any::<u8>(), ".*").prop_map(|(version, peer)| Message::Hello { version, peer }),
            (credential(), proptest::option::of(".*"), ip()).prop_map(
                |(credential, context, source)| Message::Authenticate(Authenticate {
                    credential,
                    context,
                    source
                })
            ),
            (".*", ".*", proptest::option::of(".*"), ip()).prop_map(
                |(username, password, context, source)| {
                    Message::TokenCreate(TokenCreate {
                        username,
                        password,
                        context,
                        source,
                    })
                }
            ),
            (
                ".*",
                proptest::option::of(credential()),
                proptest::option::of(".*"),
                ip()
            )
                .prop_map(|(token, credential, context, source)| Message::TokenDelete(
                    TokenDelete {
                        token,
                        credential,
                        context,
                        source
                    }
                )),
            (
                ".*",
                any::<u8>(),
                ip(),
                proptest::option::of(".*"),
                any::<bool>(),
                any::<bool>(),
                proptest::collection::vec(".*", 0..5),
                proptest::option::of(any::<u64>())
            )
                .prop_map(
                    |(
                        user,
                        privilege,
                        source,
                        context,
                        config,
                        atomic,
                        commands,
                        expected_generation,
                    )| Message::Exec(Exec {
                        user,
                        privilege,
                        source,
                        context,
                        mode: if config {
                            ExecMode::Config
                        } else {
                            ExecMode::Exec
                        },
                        atomic,
                        commands,
                        expected_generation,
                    })
                ),
            Just(Message::Subscribe),
            Just(Message::WatchAgent),
            (any::<u32>(), any::<u8>(), ".*").prop_map(|(message_id, level, body)| Message::Log(
                LogEvent {
                    message_id,
                    level,
                    body
                }
            )),
            (".*", ".*", ".*", ".*", ".*", any::<bool>(), any::<bool>()).prop_map(
                |(hostname, model, serial_number, asa_version, rest_api_version, m, t)| {
                    Message::HelloAck(DeviceFacts {
                        hostname,
                        model,
                        serial_number,
                        asa_version,
                        rest_api_version,
                        context_mode: if m {
                            ContextMode::Multiple
                        } else {
                            ContextMode::Single
                        },
                        firewall_mode: if t {
                            FirewallMode::Transparent
                        } else {
                            FirewallMode::Routed
                        },
                    })
                }
            ),
            (".*", any::<u8>(), any::<u64>()).prop_map(|(username, privilege, generation)| {
                Message::AuthResult(Ok(Session {
                    username,
                    privilege,
                    generation,
                }))
            }),
            Just(Message::AuthResult(Err(AuthFailure::BadCredentials))),
            Just(Message::AuthResult(Err(AuthFailure::NoSuchContext))),
            ".*".prop_map(|token| Message::TokenResult(TokenResult::Created { token })),
            Just(Message::TokenResult(TokenResult::Deleted)),
            Just(Message::TokenResult(TokenResult::Refused(
                TokenFailure::LimitReached
            ))),
            (
                proptest::collection::vec((any::<bool>(), ".*"), 0..5),
                any::<bool>(),
                any::<u64>(),
                refusal()
            )
                .prop_map(|(o, applied, generation, refusal)| {
                    Message::ExecResult(ExecResult {
                        outcomes: o
                            .into_iter()
                            .map(|(ok, output)| CommandOutcome { ok, output })
                            .collect(),
                        applied,
                        generation,
                        refusal,
                    })
                }),
            any::<u64>().prop_map(Message::Generation),
            Just(Message::LogAck),
            (0u8..6, 0u8..2, ".*").prop_map(|(c, l, text)| Message::Debug(DebugLine {
                category: DebugCategory::from_code(c).unwrap_or(DebugCategory::Agent),
                level: DebugLevel::from_code(l).unwrap_or(DebugLevel::Event),
                text,
            })),
            (0u8..3).prop_map(|c| Message::Control(
                AgentControl::from_code(c).unwrap_or(AgentControl::Start)
            )),
            (0u16..4096).prop_map(|b| Message::DebugFilter(DebugSet::from_bits(b))),
            ".*".prop_map(|detail| Message::Error(ProtocolError {
                code: ProtocolErrorCode::UnexpectedMessage,
                detail
            })),
            Just(Message::Challenge),
            Just(Message::Proven),
            ".*".prop_map(Message::Nonce),
            ".*".prop_map(Message::Prove),
            Just(Message::HttpsIdentityRequest),
            proptest::option::of(
                (
                    proptest::collection::vec("[A-Za-z0-9+/=]*", 0..3),
                    "[A-Za-z0-9+/=]*"
                )
                    .prop_map(|(chain, key)| HttpsIdentity { chain, key })
            )
            .prop_map(Message::HttpsIdentity),
            // issue 13: change journal
            (proptest::option::of("[a-z]{0,8}"), any::<u64>()).prop_map(|(context, since)| {
                Message::ChangesSince(crate::protocol::changes::ChangesSince { context, since })
            }),
            changes_answer().prop_map(Message::Changes),
            // issue 13: streamed output
            (any::<u32>(), ".{1,20}", 0u64..1000).prop_map(|(index, text, extra)| {
                Message::ExecOutput(crate::protocol::ExecOutput {
                    index,
                    total: text.len() as u64 + extra,
                    text,
                })
            }),
        ]
    }

    proptest! {
        #[test]
        fn every_message_round_trips_through_a_frame(msg in message(), id in any::<u32>()) {
            let frame = msg.to_frame(id).unwrap();
            let mut wire = BytesMut::new();
            frame::encode(&frame, &mut wire);
            let back = frame::decode(&mut wire).unwrap().unwrap();
            prop_assert_eq!(back.request_id, id);
            prop_assert_eq!(Message::from_frame(&back).unwrap(), msg);
        }

        #[test]
        fn arbitrary_payloads_never_panic(kind in any::<u8>(), payload in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = Message::from_frame(&Frame { kind, request_id: 1, payload: Bytes::from(payload) });
        }
    }

    #[test]
    fn an_exec_and_its_result_from_a_peer_without_the_newer_fields_decode() {
        let mut w = Writer::new();
        w.str("u");
        w.u8(15);
        w.str("127.0.0.1");
        w.opt_str(None);
        w.u8(1);
        w.bool(true);
        w.strs(&["hostname a".to_owned()]);
        let frame = Frame {
            kind: kind::EXEC,
            request_id: 1,
            payload: Bytes::from(w.finish()),
        };
        match Message::from_frame(&frame) {
            Ok(Message::Exec(e)) => assert_eq!(e.expected_generation, None),
            other => panic!("{other:?}"),
        }
        let mut w = Writer::new();
        w.u32(0);
        w.bool(true);
        w.u64(9);
        let frame = Frame {
            kind: kind::EXEC_RESULT,
            request_id: 1,
            payload: Bytes::from(w.finish()),
        };
        match Message::from_frame(&frame) {
            Ok(Message::ExecResult(r)) => {
                assert_eq!(r.refusal, None);
                assert_eq!(r.generation, 9);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_stale_refusal_and_a_typed_command_refusal_round_trip() {
        use crate::protocol::{Refusal, RefusalKind};
        for refusal in [
            Refusal::Stale,
            Refusal::Command {
                index: 2,
                kind: RefusalKind::InUse,
                object: Some("web".into()),
                by: Some("access-list a".into()),
            },
        ] {
            let msg = Message::ExecResult(ExecResult {
                outcomes: vec![],
                applied: false,
                generation: 4,
                refusal: Some(refusal),
            });
            let frame = msg.to_frame(3).unwrap();
            assert_eq!(Message::from_frame(&frame).unwrap(), msg);
        }
    }

    #[test]
    fn rejects_trailing_bytes() {
        let mut frame = Message::Generation(5).to_frame(1).unwrap();
        let mut p = frame.payload.to_vec();
        p.push(0);
        frame.payload = Bytes::from(p);
        assert_eq!(
            Message::from_frame(&frame),
            Err(DecodeError::TrailingBytes(1))
        );
    }

    #[test]
    fn rejects_a_list_count_larger_than_the_payload() {
        let mut w = Writer::new();
        w.str("u");
        w.u8(15);
        w.str("127.0.0.1");
        w.bool(false);
        w.u8(1);
        w.bool(true);
        w.u32(u32::MAX);
        let frame = Frame {
            kind: kind::EXEC,
            request_id: 1,
            payload: Bytes::from(w.finish()),
        };
        assert_eq!(
            Message::from_frame(&frame),
            Err(DecodeError::Truncated("commands"))
        );
    }
}
