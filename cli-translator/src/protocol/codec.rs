//! Primitive encoders and a bounds-checked reader for message payloads.
//!
//! Integers are big endian; a string is a `u32` byte length and UTF-8 bytes; a list is a
//! `u32` count and its items. Every length is checked against the bytes that remain before
//! anything is allocated, so a hostile count cannot reserve memory.

use std::fmt;

use bytes::{BufMut, BytesMut};

/// Why a payload does not decode into the message its kind announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The payload ended inside a field.
    Truncated(&'static str),
    /// A string field is not UTF-8.
    NotUtf8(&'static str),
    /// A tag or flag has a value the field does not define.
    BadValue { field: &'static str, value: u32 },
    /// A well-formed field whose content is not acceptable (an address that does not parse).
    Invalid {
        field: &'static str,
        reason: &'static str,
    },
    /// The message decoded, but bytes were left over.
    TrailingBytes(usize),
    /// The frame's kind byte names no message.
    UnknownKind(u8),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated(field) => write!(f, "payload ends inside field `{field}`"),
            DecodeError::NotUtf8(field) => write!(f, "field `{field}` is not UTF-8"),
            DecodeError::BadValue { field, value } => {
                write!(f, "field `{field}` has undefined value {value}")
            }
            DecodeError::Invalid { field, reason } => write!(f, "field `{field}`: {reason}"),
            DecodeError::TrailingBytes(n) => write!(f, "{n} bytes left after the message"),
            DecodeError::UnknownKind(k) => write!(f, "unknown message kind {k}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Appends primitives to a payload buffer.
#[derive(Debug, Default)]
pub struct Writer {
    buf: BytesMut,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn u8(&mut self, v: u8) {
        self.buf.put_u8(v);
    }
    pub fn bool(&mut self, v: bool) {
        self.buf.put_u8(u8::from(v));
    }
    pub fn u16(&mut self, v: u16) {
        self.buf.put_u16(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.put_u32(v);
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.put_u64(v);
    }
    pub fn str(&mut self, s: &str) {
        self.buf.put_u32(s.len() as u32);
        self.buf.put_slice(s.as_bytes());
    }
    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.bool(true);
                self.str(s);
            }
            None => self.bool(false),
        }
    }
    /// `opt<u64>`: a `bool`, then the value when true.
    pub fn opt_u64(&mut self, v: Option<u64>) {
        match v {
            Some(v) => {
                self.bool(true);
                self.u64(v);
            }
            None => self.bool(false),
        }
    }
    pub fn strs(&mut self, items: &[String]) {
        self.u32(items.len() as u32);
        for s in items {
            self.str(s);
        }
    }
    pub fn len(&self) -> usize {
        self.buf.len()
    }
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
    pub fn finish(self) -> BytesMut {
        self.buf
    }
}

/// Reads primitives from a payload, never past its end.
#[derive(Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        if self.rest.len() < n {
            return Err(DecodeError::Truncated(field));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    pub fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(self.take(1, field)?[0])
    }
    pub fn bool(&mut self, field: &'static str) -> Result<bool, DecodeError> {
        match self.u8(field)? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(DecodeError::BadValue {
                field,
                value: u32::from(v),
            }),
        }
    }
    pub fn u16(&mut self, field: &'static str) -> Result<u16, DecodeError> {
        let b = self.take(2, field)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    pub fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        let b = self.take(4, field)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        let b = self.take(8, field)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }
    pub fn str(&mut self, field: &'static str) -> Result<String, DecodeError> {
        let len = self.u32(field)? as usize;
        let bytes = self.take(len, field)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| DecodeError::NotUtf8(field))
    }
    /// A `str` borrowed from the payload (no copy).
    pub fn str_ref(&mut self, field: &'static str) -> Result<&'a str, DecodeError> {
        let len = self.u32(field)? as usize;
        let bytes = self.take(len, field)?;
        std::str::from_utf8(bytes).map_err(|_| DecodeError::NotUtf8(field))
    }
    pub fn opt_str(&mut self, field: &'static str) -> Result<Option<String>, DecodeError> {
        if self.bool(field)? {
            Ok(Some(self.str(field)?))
        } else {
            Ok(None)
        }
    }
    pub fn opt_u64(&mut self, field: &'static str) -> Result<Option<u64>, DecodeError> {
        if self.bool(field)? {
            Ok(Some(self.u64(field)?))
        } else {
            Ok(None)
        }
    }
    /// Whether every byte was read: a field added at the end of a message is absent when a
    /// peer that predates it sent the message.
    pub fn at_end(&self) -> bool {
        self.rest.is_empty()
    }
    pub fn strs(&mut self, field: &'static str) -> Result<Vec<String>, DecodeError> {
        let count = self.count(field, 4)?;
        let mut out = Vec::with_capacity(count);
        for _ in 0..count {
            out.push(self.str(field)?);
        }
        Ok(out)
    }
    /// Reads a list count and checks that `count * min_item_size` bytes can still follow.
    pub fn count(
        &mut self,
        field: &'static str,
        min_item_size: usize,
    ) -> Result<usize, DecodeError> {
        let count = self.u32(field)? as usize;
        if count.saturating_mul(min_item_size.max(1)) > self.rest.len() {
            return Err(DecodeError::Truncated(field));
        }
        Ok(count)
    }
    /// Ends decoding: trailing bytes are an error.
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes(self.rest.len()))
        }
    }
}
