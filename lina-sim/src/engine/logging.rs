//! Syslog as the configuration says: `logging enable` gates everything, `logging buffered`
//! fills the buffer `show logging` prints, `logging trap` + `logging host` send to hosts
//! (as effects the shell delivers), `logging message` overrides levels per message.
//!
//! Settings are read from the configuration's `logging` lines (typed or verbatim alike)
//! whenever one of them changed.
//!
//! The shell's TCP senders report back through [`SyslogHealth`]: a TCP host that cannot be
//! reached is shown down in `show logging`, its queue in `show logging queue`, and, without
//! `logging permit-hostdown`, new connections are denied (the simulated connection count
//! stops growing, see `monitor.rs`), as the ASA configuration guide documents for TCP syslog.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use syslog::{
    DEFAULT_FACILITY, Filter, FormatOptions, Framing, Level, LogBuffer, Message, TcpHealth,
    Timestamp, format_asa, frame,
};

/// The state of the shell's TCP syslog senders, by target; written by the effect task when it
/// makes a sender, read by the engine.
pub type SyslogHealth = Arc<Mutex<HashMap<SocketAddr, TcpHealth>>>;

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Only plain inserts and reads happen under these locks; a poisoned one is still whole.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

use super::config::Config;
use super::sections;
use super::{Effect, SyslogTransport};

/// ASA default `logging buffer-size`.
const DEFAULT_BUFFER_SIZE: usize = 4096;
/// Largest `logging buffer-size` the ASA accepts.
const MAX_BUFFER_SIZE: usize = 1_048_576;

/// One `logging host` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogHost {
    pub nameif: String,
    pub address: IpAddr,
    pub transport: SyslogTransport,
    pub port: u16,
    /// `format emblem`: this host gets Cisco's EMBLEM form (see `syslog::Framing::Emblem`).
    pub emblem: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum DeviceId {
    #[default]
    None,
    Hostname,
    Text(String),
}

/// What the `logging` lines of the configuration say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggingSettings {
    pub enabled: bool,
    pub timestamp: bool,
    pub rfc5424: bool,
    pub buffered: Option<Level>,
    pub trap: Option<Level>,
    pub hosts: Vec<LogHost>,
    pub buffer_size: usize,
    pub facility: u8,
    device_id: DeviceId,
    pub filter: Filter,
    /// `logging permit-hostdown`.
    pub permit_hostdown: bool,
    /// `logging queue <n>` (default 512; 0: no limit).
    pub queue: u32,
}

impl Default for LoggingSettings {
    fn default() -> Self {
        LoggingSettings {
            enabled: false,
            timestamp: false,
            rfc5424: false,
            buffered: None,
            trap: None,
            hosts: Vec::new(),
            buffer_size: DEFAULT_BUFFER_SIZE,
            facility: DEFAULT_FACILITY,
            device_id: DeviceId::None,
            filter: Filter::new(),
            permit_hostdown: false,
            queue: 512,
        }
    }
}

fn parse_host(words: &[&str]) -> Option<LogHost> {
    let (nameif, address, rest) = match words {
        [nameif, address, rest @ ..] => (*nameif, address.parse::<IpAddr>().ok()?, rest),
        _ => return None,
    };
    let mut transport = SyslogTransport::Udp;
    let mut port = 514;
    let emblem = rest.windows(2).any(|w| w == ["format", "emblem"]);
    for w in rest {
        if let Some((proto, p)) = w.split_once('/') {
            let tcp = match proto {
                "tcp" | "6" => true,
                "udp" | "17" => false,
                _ => continue,
            };
            let Ok(p) = p.parse::<u16>() else { continue };
            transport = if tcp {
                SyslogTransport::Tcp
            } else {
                SyslogTransport::Udp
            };
            port = p;
        }
    }
    Some(LogHost {
        nameif: nameif.to_owned(),
        address,
        transport,
        port,
        emblem,
    })
}

impl LoggingSettings {
    pub fn from_config(cfg: &Config) -> LoggingSettings {
        let mut s = LoggingSettings::default();
        let rank = sections::rank_of_line("logging");
        // The logging blocks from the index of places (issue 13: boot read every block).
        let blocks: Box<dyn Iterator<Item = &super::config::Block>> =
            match cfg.blocks_of_family(rank, "") {
                Some(ids) => Box::new(ids.into_iter().filter_map(|id| cfg.block(id))),
                None => Box::new(cfg.iter().map(|(_, b)| b)),
            };
        for b in blocks {
            if b.rank() != rank {
                continue;
            }
            let words: Vec<&str> = b.head().text.split_whitespace().collect();
            match words.as_slice() {
                ["logging", "enable"] => s.enabled = true,
                ["logging", "timestamp"] => s.timestamp = true,
                ["logging", "timestamp", "rfc5424"] => {
                    s.timestamp = true;
                    s.rfc5424 = true;
                }
                ["logging", "buffered", l] => s.buffered = l.parse().ok(),
                ["logging", "trap", l] => s.trap = l.parse().ok(),
                ["logging", "host", rest @ ..] => {
                    if let Some(h) = parse_host(rest) {
                        s.hosts.push(h);
                    }
                }
                ["logging", "buffer-size", n] => {
                    if let Ok(n) = n.parse::<usize>() {
                        s.buffer_size = n.clamp(1, MAX_BUFFER_SIZE);
                    }
                }
                ["logging", "facility", n] => {
                    if let Ok(n) = n.parse::<u8>() {
                        s.facility = n.min(23);
                    }
                }
                ["logging", "permit-hostdown"] => s.permit_hostdown = true,
                ["logging", "queue", n] => {
                    if let Ok(n) = n.parse::<u32>() {
                        s.queue = n.min(8192);
                    }
                }
                ["logging", "device-id", "hostname", ..] => s.device_id = DeviceId::Hostname,
                ["logging", "device-id", "string", text, ..] => {
                    s.device_id = DeviceId::Text((*text).to_owned());
                }
                ["logging", "message", id, "level", l] => {
                    if let (Ok(id), Ok(l)) = (id.parse::<u32>(), l.parse::<Level>()) {
                        s.filter.set_level(id, l);
                    }
                }
                ["no", "logging", "message", id] => {
                    if let Ok(id) = id.parse::<u32>() {
                        s.filter.disable(id);
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// The lines a TCP host may have waiting: `logging queue 0` is the ASA's "no limit"
    /// (bounded here at 65536 all the same).
    pub fn queue_len(&self) -> usize {
        match self.queue {
            0 => 65_536,
            n => n as usize,
        }
    }

    fn device_id(&self, hostname: &str) -> Option<String> {
        match &self.device_id {
            DeviceId::None => None,
            DeviceId::Hostname => Some(hostname.to_owned()),
            DeviceId::Text(t) => Some(t.clone()),
        }
    }
}

/// Settings, the buffer and counters.
#[derive(Debug)]
pub struct LoggingState {
    settings: LoggingSettings,
    revision: Option<u64>,
    buffer: LogBuffer,
    trap_logged: u64,
    health: SyslogHealth,
    /// While new connections are denied: the fewest connections in use seen since (they
    /// only tear down); `None` while connections are let through.
    conn_floor: Mutex<Option<u64>>,
}

impl Default for LoggingState {
    fn default() -> Self {
        LoggingState::new()
    }
}

impl LoggingState {
    pub fn new() -> LoggingState {
        LoggingState {
            settings: LoggingSettings::default(),
            revision: None,
            buffer: LogBuffer::new(DEFAULT_BUFFER_SIZE),
            trap_logged: 0,
            health: SyslogHealth::default(),
            conn_floor: Mutex::new(None),
        }
    }

    /// The handle the shell's effect task records its TCP senders in.
    pub fn health(&self) -> SyslogHealth {
        Arc::clone(&self.health)
    }

    /// What the sender of a configured TCP host reports; `None` for UDP hosts and for a TCP
    /// host nothing was sent to yet.
    fn tcp_health(&self, h: &LogHost) -> Option<TcpHealth> {
        if h.transport != SyslogTransport::Tcp {
            return None;
        }
        locked(&self.health)
            .get(&SocketAddr::new(h.address, h.port))
            .cloned()
    }

    /// A configured TCP logging host is down (its sender cannot connect or write).
    pub fn tcp_host_down(&self) -> bool {
        let s = &self.settings;
        s.enabled
            && s.trap.is_some()
            && s.hosts
                .iter()
                .any(|h| self.tcp_health(h).is_some_and(|t| t.is_down()))
    }

    /// The ASA stops letting new connections through while a TCP syslog host is down,
    /// unless `logging permit-hostdown` is set.
    pub fn new_connections_denied(&self) -> bool {
        !self.settings.permit_hostdown && self.tcp_host_down()
    }

    /// The connections in use as the device reports them, given what the traffic model
    /// says (`modelled`): while new connections are denied the count never grows (existing
    /// connections still close); once they are let through again it follows the model.
    pub fn connections_in_use(&self, modelled: u64) -> u64 {
        let mut floor = locked(&self.conn_floor);
        if !self.new_connections_denied() {
            *floor = None;
            return modelled;
        }
        let n = floor.map_or(modelled, |f| f.min(modelled));
        *floor = Some(n);
        n
    }

    /// `show logging queue`: the limit, then the queue figures summed over the TCP hosts.
    pub fn show_queue(&self) -> String {
        let s = &self.settings;
        let (mut dropped, mut now, mut peak) = (0u64, 0usize, 0usize);
        for h in &s.hosts {
            if let Some(t) = self.tcp_health(h) {
                dropped += t.stats().dropped;
                now += t.queued();
                peak = peak.max(t.peak());
            }
        }
        format!(
            "Logging Queue length limit : {} msg(s)\n\
             {dropped} msg(s) discarded due to queue overflow\n\
             0 msg(s) discarded due to memory allocation failure\n\
             Current {now} msg on queue, {peak} msgs most on queue\n",
            s.queue
        )
    }

    /// Re-reads the settings if a `logging` line changed since the last read.
    pub fn refresh(&mut self, cfg: &Config) {
        if self.revision == Some(cfg.logging_revision()) {
            return;
        }
        self.settings = LoggingSettings::from_config(cfg);
        self.buffer.set_capacity(self.settings.buffer_size);
        self.revision = Some(cfg.logging_revision());
    }

    pub fn settings(&self) -> &LoggingSettings {
        &self.settings
    }

    pub fn buffer(&self) -> &LogBuffer {
        &self.buffer
    }

    pub fn clear_buffer(&mut self) {
        self.buffer.clear();
    }

    /// Logs one message: into the buffer and as effects for the trap hosts.
    pub fn deliver(&mut self, msg: Message, now: i64, hostname: &str) -> Vec<Effect> {
        let s = &self.settings;
        if !s.enabled {
            return Vec::new();
        }
        let Some(level) = s.filter.effective_level(&msg) else {
            return Vec::new();
        };
        let msg = msg.with_level(level);
        let device_id = s.device_id(hostname);
        if s.buffered.is_some_and(|b| level <= b) {
            let opts = FormatOptions {
                timestamp: s.timestamp.then_some(Timestamp(now)),
                device_id: device_id.clone(),
            };
            self.buffer.push(format_asa(&msg, &opts));
        }
        let mut effects = Vec::new();
        if s.trap.is_some_and(|t| level <= t) && !s.hosts.is_empty() {
            self.trap_logged += 1;
            let standard = if s.rfc5424 {
                Framing::Rfc5424
            } else {
                Framing::Rfc3164
            };
            let line = |framing| {
                frame(
                    &msg,
                    framing,
                    s.facility,
                    hostname,
                    Timestamp(now),
                    device_id.as_deref(),
                )
            };
            let (plain, emblem) = (line(standard), line(Framing::Emblem));
            for h in &s.hosts {
                effects.push(Effect::Syslog {
                    transport: h.transport,
                    target: SocketAddr::new(h.address, h.port),
                    line: if h.emblem {
                        emblem.clone()
                    } else {
                        plain.clone()
                    },
                    queue: s.queue_len(),
                });
            }
        }
        effects
    }

    /// `show logging`.
    pub fn show(&self, hostname: &str) -> String {
        let s = &self.settings;
        let onoff = |b: bool| if b { "enabled" } else { "disabled" };
        let mut out = String::new();
        let _ = writeln!(out, "Syslog logging: {}", onoff(s.enabled));
        let _ = writeln!(out, "    Facility: {}", s.facility);
        let _ = writeln!(out, "    Timestamp logging: {}", onoff(s.timestamp));
        out.push_str("    Hide Username logging: enabled\n");
        out.push_str("    Standby logging: disabled\n");
        out.push_str("    Debug-trace logging: disabled\n");
        out.push_str("    Console logging: disabled\n");
        out.push_str("    Monitor logging: disabled\n");
        match s.buffered {
            Some(l) => {
                let _ = writeln!(
                    out,
                    "    Buffer logging: level {l}, {} messages logged",
                    self.buffer.logged_total()
                );
            }
            None => out.push_str("    Buffer logging: disabled\n"),
        }
        match s.trap {
            Some(l) => {
                let _ = writeln!(
                    out,
                    "    Trap logging: level {l}, facility {}, {} messages logged",
                    s.facility, self.trap_logged
                );
                for h in &s.hosts {
                    let proto = match h.transport {
                        SyslogTransport::Udp => "UDP",
                        SyslogTransport::Tcp => "TCP",
                    };
                    let state = match self.tcp_health(h) {
                        Some(t) if t.is_down() => {
                            if s.permit_hostdown {
                                ", host down, new connections permitted (permit-hostdown)"
                            } else {
                                ", host down, new connections denied"
                            }
                        }
                        Some(_) => ", connected",
                        None => "",
                    };
                    let _ = writeln!(
                        out,
                        "        Logging to {} {}, {proto} port {}{state}",
                        h.nameif, h.address, h.port
                    );
                }
            }
            None => out.push_str("    Trap logging: disabled\n"),
        }
        let _ = writeln!(
            out,
            "    Permit-hostdown logging: {}",
            onoff(s.permit_hostdown)
        );
        out.push_str("    History logging: disabled\n");
        match s.device_id(hostname) {
            Some(d) => {
                let _ = writeln!(out, "    Device ID: \"{d}\"");
            }
            None => out.push_str("    Device ID: disabled\n"),
        }
        out.push_str("    Mail logging: disabled\n");
        out.push_str("    ASDM logging: disabled\n");
        for line in self.buffer.lines() {
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::entropy::Entropy;
    use crate::engine::load::load;

    fn state(text: &str) -> (LoggingState, Config) {
        let cfg = load(text, &mut Entropy::from_seed([0; 32]));
        let mut st = LoggingState::new();
        st.refresh(&cfg);
        (st, cfg)
    }

    fn msg(level: Level) -> Message {
        Message::new(111010, level, "x")
    }

    #[test]
    fn nothing_is_logged_without_logging_enable() {
        let (mut st, _) = state("logging buffered debugging\n");
        st.deliver(msg(Level::Emergencies), 0, "h");
        assert_eq!(st.buffer().len(), 0);
    }

    #[test]
    fn buffer_takes_messages_at_or_above_its_level() {
        let (mut st, _) = state("logging enable\nlogging buffered warnings\n");
        st.deliver(msg(Level::Errors), 0, "h");
        st.deliver(msg(Level::Warnings), 0, "h");
        st.deliver(msg(Level::Notifications), 0, "h");
        let lines: Vec<&str> = st.buffer().lines().collect();
        assert_eq!(lines, vec!["%ASA-3-111010: x", "%ASA-4-111010: x"]);
    }

    #[test]
    fn timestamp_and_device_id_prefix_buffer_lines() {
        let (mut st, _) = state(
            "logging enable\nlogging timestamp\nlogging buffered 7\nlogging device-id hostname\n",
        );
        st.deliver(msg(Level::Notifications), 1_795_612_801, "fw1");
        let line = st.buffer().lines().next().unwrap().to_owned();
        assert!(line.ends_with("fw1 : %ASA-5-111010: x"), "{line}");
        assert!(line.contains("2026"), "{line}");
    }

    #[test]
    fn trap_hosts_get_framed_lines() {
        let (mut st, _) = state(
            "interface G0/0\n nameif inside\nlogging enable\nlogging trap informational\nlogging host inside 10.0.0.9\nlogging host inside 10.0.0.10 6/1470\n",
        );
        let fx = st.deliver(msg(Level::Notifications), 0, "fw");
        assert_eq!(fx.len(), 2);
        match &fx[0] {
            Effect::Syslog {
                transport,
                target,
                line,
                ..
            } => {
                assert_eq!(*transport, SyslogTransport::Udp);
                assert_eq!(target.to_string(), "10.0.0.9:514");
                assert!(line.starts_with("<165>"), "{line}");
                assert!(line.ends_with("%ASA-5-111010: x"), "{line}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            &fx[1],
            Effect::Syslog { transport: SyslogTransport::Tcp, target, .. } if target.port() == 1470
        ));
        assert!(st.deliver(msg(Level::Debugging), 0, "fw").is_empty());
    }

    #[test]
    fn format_emblem_hosts_get_the_emblem_form_others_the_standard_one() {
        let (mut st, _) = state(
            "interface G0/0\n nameif inside\nlogging enable\nlogging trap informational\nlogging host inside 10.0.0.9 format emblem\nlogging host inside 10.0.0.10\n",
        );
        assert!(st.settings().hosts[0].emblem && !st.settings().hosts[1].emblem);
        let fx = st.deliver(Message::new(605005, Level::Informational, "x"), 0, "fw");
        let lines: Vec<&str> = fx
            .iter()
            .filter_map(|f| match f {
                Effect::Syslog { line, .. } => Some(line.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                "<166>:Jan 01 00:00:00 UTC: %ASA-sys-6-605005: x",
                "<166>Jan  1 00:00:00 fw %ASA-6-605005: x",
            ]
        );
    }

    /// A TCP sender to a port nothing listens on, after its first failed connect.
    fn down_sender() -> (syslog::TcpSender, SocketAddr) {
        let target = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        let config = syslog::TcpConfig {
            queue: 3,
            ..syslog::TcpConfig::default()
        };
        let sender = syslog::TcpSender::spawn(target, config).unwrap();
        sender.send("line 0".into());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !sender.health().is_down() {
            assert!(std::time::Instant::now() < deadline, "never down");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // The sender retries line 0; of nine more, the queue keeps three.
        for i in 1..10 {
            sender.send(format!("line {i}"));
        }
        (sender, target)
    }

    fn tcp_host_config(target: SocketAddr, permit: bool) -> String {
        format!(
            "interface G0/0\n nameif inside\nlogging enable\nlogging trap informational\nlogging queue 3\n{}logging host inside {} tcp/{}\n",
            if permit {
                "logging permit-hostdown\n"
            } else {
                ""
            },
            target.ip(),
            target.port()
        )
    }

    #[test]
    fn a_down_tcp_host_denies_new_connections_without_permit_hostdown() {
        let (sender, target) = down_sender();
        let (st, _) = state(&tcp_host_config(target, false));
        // Nothing known about the host yet: connections follow the model.
        assert!(!st.new_connections_denied());
        assert_eq!(st.connections_in_use(40), 40);
        st.health().lock().unwrap().insert(target, sender.health());
        assert!(st.tcp_host_down() && st.new_connections_denied());
        let out = st.show("fw");
        assert!(
            out.contains(&format!(
                "        Logging to inside 127.0.0.1, TCP port {}, host down, new connections denied\n",
                target.port()
            )),
            "{out}"
        );
        // The count does not grow while denied; it may fall (connections close).
        assert_eq!(st.connections_in_use(50), 50);
        assert_eq!(st.connections_in_use(70), 50);
        assert_eq!(st.connections_in_use(30), 30);
        assert_eq!(st.connections_in_use(60), 30);
        // The queue: 3 waiting at most, the rest of the 10 dropped (one line is in the
        // sender's hands, being retried).
        let q = st.show_queue();
        assert!(
            q.starts_with("Logging Queue length limit : 3 msg(s)\n"),
            "{q}"
        );
        assert!(
            q.contains("6 msg(s) discarded due to queue overflow\n"),
            "{q}"
        );
        assert!(
            q.contains("Current 3 msg on queue, 3 msgs most on queue\n"),
            "{q}"
        );
    }

    #[test]
    fn permit_hostdown_lets_connections_through_while_the_host_is_down() {
        let (sender, target) = down_sender();
        let (st, _) = state(&tcp_host_config(target, true));
        st.health().lock().unwrap().insert(target, sender.health());
        assert!(st.tcp_host_down());
        assert!(!st.new_connections_denied());
        assert_eq!(st.connections_in_use(50), 50);
        assert_eq!(st.connections_in_use(70), 70);
        assert!(
            st.show("fw")
                .contains("host down, new connections permitted (permit-hostdown)\n")
        );
    }

    #[test]
    fn message_overrides_change_level_or_silence() {
        let (mut st, _) = state(
            "logging enable\nlogging buffered notifications\nlogging message 111010 level 2\nno logging message 605005\n",
        );
        st.deliver(Message::new(111010, Level::Debugging, "a"), 0, "h");
        st.deliver(Message::new(605005, Level::Alerts, "b"), 0, "h");
        let lines: Vec<&str> = st.buffer().lines().collect();
        assert_eq!(lines, vec!["%ASA-2-111010: a"]);
    }

    #[test]
    fn show_logging_reports_levels_and_buffer() {
        let (mut st, _) = state("logging enable\nlogging buffered debugging\n");
        st.deliver(msg(Level::Notifications), 0, "h");
        let out = st.show("h");
        assert!(out.starts_with("Syslog logging: enabled\n"), "{out}");
        assert!(out.contains("    Buffer logging: level debugging, 1 messages logged\n"));
        assert!(out.contains("    Trap logging: disabled\n"));
        assert!(out.ends_with("%ASA-5-111010: x\n"));
    }

    #[test]
    fn queue_and_permit_hostdown_follow_the_configuration() {
        let (mut st, _) = state(
            "interface G0/0\n nameif inside\nlogging enable\nlogging trap 7\nlogging queue 20\nlogging permit-hostdown\nlogging host inside 10.0.0.9 tcp/1470\n",
        );
        let fx = st.deliver(msg(Level::Notifications), 0, "fw");
        assert!(matches!(&fx[0], Effect::Syslog { queue: 20, .. }), "{fx:?}");
        assert!(st.show("fw").contains("Permit-hostdown logging: enabled\n"));
        let (st, _) = state("logging queue 0\n");
        assert_eq!(st.settings().queue_len(), 65_536);
        let (st, _) = state("");
        assert_eq!(st.settings().queue_len(), 512);
    }
}
