//! The operator console of the daemon under test, as an operator uses it: a line-oriented CLI
//! over TCP (`--console`). Logs in, enables, enters configuration mode and runs one line at a
//! time, each returning once the next prompt arrives (the line has been applied by then). The
//! scale benchmark makes its out-of-band changes through it, never through the API.

use std::fmt;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// How long one prompt may take to arrive (a line on a 200 MB configuration included).
pub const PROMPT_TIMEOUT: Duration = Duration::from_secs(120);

/// Why the console conversation failed.
#[derive(Debug)]
pub enum ConsoleError {
    Io(std::io::Error),
    /// The console closed the connection; the text it printed last.
    Closed(String),
    /// No prompt within [`PROMPT_TIMEOUT`]; the text received so far.
    Timeout(String),
    /// A prompt other than the one the step leads to.
    UnexpectedPrompt(String),
}

impl fmt::Display for ConsoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConsoleError::Io(e) => write!(f, "console: {e}"),
            ConsoleError::Closed(text) => write!(f, "console closed; last output {text:?}"),
            ConsoleError::Timeout(text) => write!(f, "no console prompt; got {text:?}"),
            ConsoleError::UnexpectedPrompt(p) => write!(f, "unexpected console prompt {p:?}"),
        }
    }
}

impl std::error::Error for ConsoleError {}

/// A console session in configuration mode.
#[derive(Debug)]
pub struct Console {
    stream: TcpStream,
    pending: Vec<u8>,
}

impl Console {
    /// Connects, logs in as `user` (when asked), runs `enable` and `configure terminal`.
    pub fn login_config(
        addr: SocketAddr,
        user: &str,
        password: &str,
    ) -> Result<Console, ConsoleError> {
        let stream =
            TcpStream::connect_timeout(&addr, Duration::from_secs(10)).map_err(ConsoleError::Io)?;
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .map_err(ConsoleError::Io)?;
        stream.set_nodelay(true).map_err(ConsoleError::Io)?;
        let mut console = Console {
            stream,
            pending: Vec::new(),
        };
        let mut prompt = console.read_to_prompt()?.1;
        if prompt.ends_with("Username: ") {
            console.send_line(user)?;
            prompt = console.read_to_prompt()?.1;
        }
        if prompt.ends_with("Password: ") {
            console.send_line(password)?;
            prompt = console.read_to_prompt()?.1;
        }
        if prompt.ends_with("> ") {
            console.send_line("enable")?;
            prompt = console.read_to_prompt()?.1;
            if prompt.ends_with("Password: ") {
                console.send_line(password)?;
                prompt = console.read_to_prompt()?.1;
            }
        }
        if !prompt.ends_with("# ") {
            return Err(ConsoleError::UnexpectedPrompt(prompt));
        }
        let prompt = console.command("configure terminal")?.1;
        if !prompt.contains("(config)") {
            return Err(ConsoleError::UnexpectedPrompt(prompt));
        }
        Ok(console)
    }

    /// Sends one line; returns what was printed before the next prompt, and the prompt.
    pub fn command(&mut self, line: &str) -> Result<(String, String), ConsoleError> {
        self.send_line(line)?;
        self.read_to_prompt()
    }

    fn send_line(&mut self, line: &str) -> Result<(), ConsoleError> {
        self.stream
            .write_all(format!("{line}\n").as_bytes())
            .and_then(|()| self.stream.flush())
            .map_err(ConsoleError::Io)
    }

    fn read_to_prompt(&mut self) -> Result<(String, String), ConsoleError> {
        let deadline = Instant::now() + PROMPT_TIMEOUT;
        let mut chunk = [0u8; 8192];
        loop {
            let text = printable(&self.pending);
            if let Some(split) = split_prompt(&text) {
                self.pending.clear();
                return Ok(split);
            }
            if text.trim_end().ends_with("<--- More --->") {
                self.stream.write_all(b" ").map_err(ConsoleError::Io)?;
            }
            if Instant::now() >= deadline {
                return Err(ConsoleError::Timeout(text));
            }
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err(ConsoleError::Closed(text)),
                Ok(n) => self
                    .pending
                    .extend_from_slice(chunk.get(..n).unwrap_or_default()),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(ConsoleError::Io(e)),
            }
        }
    }
}

/// The text without telnet negotiation (`0xFF cmd opt`) and carriage returns.
fn printable(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == 0xFF {
            i += 3;
        } else {
            if b != b'\r' {
                out.push(b);
            }
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `(output, prompt)` when the last line of `text` is a prompt (`Username: `, `Password: `,
/// `host> `, `host# `, `host(config...)# `).
fn split_prompt(text: &str) -> Option<(String, String)> {
    let (before, last) = match text.rfind('\n') {
        Some(at) => text.split_at(at + 1),
        None => ("", text),
    };
    let is_prompt = last.ends_with("Username: ")
        || last.ends_with("Password: ")
        || last
            .strip_suffix("> ")
            .or_else(|| last.strip_suffix("# "))
            .is_some_and(|host| !host.is_empty() && !host.contains(char::is_whitespace));
    is_prompt.then(|| (before.to_owned(), last.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_are_recognised_on_the_last_line_only() {
        assert_eq!(
            split_prompt("out\nscale-fw(config)# "),
            Some(("out\n".to_owned(), "scale-fw(config)# ".to_owned()))
        );
        assert_eq!(
            split_prompt("Username: "),
            Some((String::new(), "Username: ".to_owned()))
        );
        assert_eq!(split_prompt("scale-fw# show"), None);
        assert_eq!(split_prompt("Result of the command: # "), None);
    }

    #[test]
    fn telnet_negotiation_and_carriage_returns_are_dropped() {
        assert_eq!(printable(&[0xFF, 0xFB, 0x01, b'a', b'\r', b'\n']), "a\n");
    }
}
