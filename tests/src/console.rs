//! The operator console client: a line-oriented CLI over TCP. Reads until a prompt
//! (`Username: `, `Password: `, `host> `, `host# `, `host(config)# `), logs in, enables,
//! enters configuration mode and runs commands, returning each command's output.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::error::HarnessError;

/// How long one prompt may take to arrive.
pub const PROMPT_TIMEOUT: Duration = Duration::from_secs(15);

/// What the console is waiting for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Username,
    Password,
    /// `host> `
    Exec(String),
    /// `host# ` or `host(config...)# `
    Privileged(String),
}

/// A logged-in (or logging-in) console session.
#[derive(Debug)]
pub struct Console {
    stream: TcpStream,
    pending: Vec<u8>,
    last_prompt: Option<Prompt>,
}

impl Console {
    /// Connects and reads up to the first prompt.
    pub fn connect(addr: SocketAddr) -> Result<Self, HarnessError> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
            .map_err(HarnessError::Connect)?;
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .map_err(HarnessError::Io)?;
        stream
            .set_write_timeout(Some(Duration::from_secs(10)))
            .map_err(HarnessError::Io)?;
        let mut console = Console {
            stream,
            pending: Vec::new(),
            last_prompt: None,
        };
        console.read_to_prompt()?;
        Ok(console)
    }

    /// Connects, logs in, runs `enable` (the user's password) and `configure terminal`.
    pub fn login_config(
        addr: SocketAddr,
        user: &str,
        password: &str,
    ) -> Result<Self, HarnessError> {
        let mut console = Console::connect(addr)?;
        console.login(user, password)?;
        console.enable(password)?;
        console.command("configure terminal")?;
        match console.last_prompt() {
            Some(Prompt::Privileged(p)) if p.contains("(config") => Ok(console),
            other => Err(HarnessError::Console(format!(
                "configure terminal left the prompt at {other:?}"
            ))),
        }
    }

    /// Answers the Username and Password prompts; ends at the exec or privileged prompt.
    pub fn login(&mut self, user: &str, password: &str) -> Result<(), HarnessError> {
        if self.last_prompt == Some(Prompt::Username) {
            self.send_line(user)?;
            self.read_to_prompt()?;
        }
        if self.last_prompt == Some(Prompt::Password) {
            self.send_line(password)?;
            self.read_to_prompt()?;
        }
        match &self.last_prompt {
            Some(Prompt::Exec(_)) | Some(Prompt::Privileged(_)) => Ok(()),
            other => Err(HarnessError::Console(format!(
                "login as {user} ended at {other:?}"
            ))),
        }
    }

    /// `enable`, answering the password prompt; ends at the `#` prompt.
    pub fn enable(&mut self, password: &str) -> Result<(), HarnessError> {
        if matches!(self.last_prompt, Some(Prompt::Privileged(_))) {
            return Ok(());
        }
        self.send_line("enable")?;
        let (_, prompt) = self.read_to_prompt()?;
        if prompt == Prompt::Password {
            self.send_line(password)?;
            self.read_to_prompt()?;
        }
        match &self.last_prompt {
            Some(Prompt::Privileged(_)) => Ok(()),
            other => Err(HarnessError::Console(format!("enable ended at {other:?}"))),
        }
    }

    /// Sends one line and returns what the console printed before the next prompt (the echo of
    /// the line, if the console echoes, removed).
    pub fn command(&mut self, line: &str) -> Result<String, HarnessError> {
        self.send_line(line)?;
        let (output, _) = self.read_to_prompt()?;
        let output = match output.split_once('\n') {
            Some((first, rest)) if first.trim_end() == line.trim_end() => rest.to_owned(),
            _ => output,
        };
        Ok(output)
    }

    pub fn last_prompt(&self) -> Option<&Prompt> {
        self.last_prompt.as_ref()
    }

    fn send_line(&mut self, line: &str) -> Result<(), HarnessError> {
        self.stream
            .write_all(format!("{line}\n").as_bytes())
            .map_err(HarnessError::Io)?;
        self.stream.flush().map_err(HarnessError::Io)
    }

    /// Reads until the text ends with a prompt; returns the text before it and the prompt.
    fn read_to_prompt(&mut self) -> Result<(String, Prompt), HarnessError> {
        let deadline = Instant::now() + PROMPT_TIMEOUT;
        let mut chunk = [0u8; 4096];
        loop {
            let text = String::from_utf8_lossy(&strip_telnet(&self.pending)).replace('\r', "");
            if let Some((before, prompt)) = split_prompt(&text) {
                self.pending.clear();
                self.last_prompt = Some(prompt.clone());
                return Ok((before, prompt));
            }
            if text.trim_end().ends_with("<--- More --->") {
                self.stream.write_all(b" ").map_err(HarnessError::Io)?;
            }
            if Instant::now() >= deadline {
                return Err(HarnessError::Timeout {
                    what: format!("a console prompt (got {text:?})"),
                    after: PROMPT_TIMEOUT,
                });
            }
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    return Err(HarnessError::Console(format!(
                        "connection closed; last output {text:?}"
                    )));
                }
                Ok(n) => self
                    .pending
                    .extend_from_slice(chunk.get(..n).unwrap_or_default()),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(HarnessError::Io(e)),
            }
        }
    }
}

/// Drops telnet IAC sequences (`0xFF cmd opt`), in case the console negotiates options.
fn strip_telnet(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0xFF {
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Splits `text` into (output, prompt) when its last line is a prompt.
fn split_prompt(text: &str) -> Option<(String, Prompt)> {
    let (before, last) = match text.rfind('\n') {
        Some(at) => (&text[..at + 1], &text[at + 1..]),
        None => ("", text),
    };
    let prompt = if last.ends_with("Username: ") {
        Prompt::Username
    } else if last.ends_with("Password: ") {
        Prompt::Password
    } else {
        let name = last.strip_suffix(' ')?;
        let is_name = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
        if let Some(host) = name.strip_suffix('>').filter(|h| is_name(h)) {
            Prompt::Exec(host.to_owned())
        } else if let Some(host) = name.strip_suffix('#').filter(|h| is_name(h)) {
            Prompt::Privileged(host.to_owned())
        } else {
            return None;
        }
    };
    Some((before.to_owned(), prompt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_prompts_on_the_last_line() {
        assert_eq!(
            split_prompt("Username: "),
            Some((String::new(), Prompt::Username))
        );
        assert_eq!(
            split_prompt("banner\nPassword: "),
            Some(("banner\n".to_owned(), Prompt::Password))
        );
        assert_eq!(
            split_prompt("ciscoasa> "),
            Some((String::new(), Prompt::Exec("ciscoasa".to_owned())))
        );
        assert_eq!(
            split_prompt("out\nciscoasa(config-network-object)# "),
            Some((
                "out\n".to_owned(),
                Prompt::Privileged("ciscoasa(config-network-object)".to_owned())
            ))
        );
    }

    #[test]
    fn output_that_is_not_a_prompt_waits() {
        assert_eq!(split_prompt("ciscoasa# show"), None);
        assert_eq!(split_prompt("Result of the command: # "), None);
        assert_eq!(split_prompt("partial line"), None);
    }

    #[test]
    fn strips_telnet_negotiation() {
        assert_eq!(
            strip_telnet(&[0xFF, 0xFB, 0x01, b'a', 0xFF, 0xFD]),
            b"a".to_vec()
        );
    }
}
