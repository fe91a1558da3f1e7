//! Frame layer of the LINA protocol: magic, version, kind, request id, length, payload.
//!
//! ```text
//! offset  size  field
//! 0       2     magic "LN"
//! 2       1     protocol version (PROTOCOL_VERSION)
//! 3       1     message kind (see message.rs)
//! 4       4     request id, big endian (0 for unsolicited pushes)
//! 8       4     payload length, big endian, at most MAX_PAYLOAD
//! 12      n     payload
//! ```
//!
//! The length is checked against [`MAX_PAYLOAD`] before anything is allocated, so a peer
//! cannot make us reserve memory it does not send.

use std::fmt;

use bytes::{Buf, BufMut, Bytes, BytesMut};

/// The two magic bytes that open every frame.
pub const MAGIC: [u8; 2] = *b"LN";
/// The protocol version this codec speaks.
pub const PROTOCOL_VERSION: u8 = 1;
/// Size of the fixed frame header.
pub const HEADER_LEN: usize = 12;
/// Largest payload accepted. Command outputs larger than 1 MiB (a running configuration of
/// any size) travel in pieces ([`super::stream`]), so no frame comes near it.
pub const MAX_PAYLOAD: usize = 64 * 1024 * 1024;

/// One frame: the header fields that matter plus the raw payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub kind: u8,
    pub request_id: u32,
    pub payload: Bytes,
}

/// Why a byte stream is not a valid frame sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    BadMagic([u8; 2]),
    UnsupportedVersion(u8),
    TooLarge(usize),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::BadMagic(m) => write!(f, "bad frame magic {m:02x?}"),
            FrameError::UnsupportedVersion(v) => {
                write!(
                    f,
                    "unsupported protocol version {v} (this side speaks {PROTOCOL_VERSION})"
                )
            }
            FrameError::TooLarge(n) => write!(f, "frame payload of {n} bytes exceeds the cap"),
        }
    }
}

impl std::error::Error for FrameError {}

/// Decodes one frame from the front of `buf`.
///
/// Returns `Ok(None)` when more bytes are needed (nothing is consumed), `Ok(Some(frame))`
/// after consuming exactly one frame, and `Err` when the stream is corrupt (the connection
/// should be closed).
pub fn decode(buf: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
    decode_capped(buf, MAX_PAYLOAD)
}

/// [`decode`] with a smaller payload cap (at most [`MAX_PAYLOAD`]): LINA reads frames of a
/// connection that has not authenticated yet with a cap of a few KiB, so a header announcing
/// more is refused before anything is reserved.
pub fn decode_capped(buf: &mut BytesMut, cap: usize) -> Result<Option<Frame>, FrameError> {
    let cap = cap.min(MAX_PAYLOAD);
    if buf.len() < HEADER_LEN {
        // Check what we can early so garbage is rejected without waiting for 12 bytes.
        if buf.len() >= 2 && buf[..2] != MAGIC {
            return Err(FrameError::BadMagic([buf[0], buf[1]]));
        }
        return Ok(None);
    }
    let magic = [buf[0], buf[1]];
    if magic != MAGIC {
        return Err(FrameError::BadMagic(magic));
    }
    if buf[2] != PROTOCOL_VERSION {
        return Err(FrameError::UnsupportedVersion(buf[2]));
    }
    let kind = buf[3];
    let request_id = u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]);
    let len = u32::from_be_bytes([buf[8], buf[9], buf[10], buf[11]]) as usize;
    if len > cap {
        return Err(FrameError::TooLarge(len));
    }
    if buf.len() < HEADER_LEN + len {
        // Reserve only what the (capped) header announces.
        buf.reserve(HEADER_LEN + len - buf.len());
        return Ok(None);
    }
    buf.advance(HEADER_LEN);
    let payload = buf.split_to(len).freeze();
    Ok(Some(Frame {
        kind,
        request_id,
        payload,
    }))
}

/// Appends `frame` to `out`. Cannot fail; callers keep payloads under [`MAX_PAYLOAD`]
/// (the message encoder enforces it).
pub fn encode(frame: &Frame, out: &mut BytesMut) {
    out.reserve(HEADER_LEN + frame.payload.len());
    encode_header(frame, out);
    out.put_slice(&frame.payload);
}

/// [`encode`] without the payload: for a writer that sends a large payload from where it
/// is, after this header (issue 13: a streamed output is not copied once more).
pub fn encode_header(frame: &Frame, out: &mut BytesMut) {
    out.reserve(HEADER_LEN);
    out.put_slice(&MAGIC);
    out.put_u8(PROTOCOL_VERSION);
    out.put_u8(frame.kind);
    out.put_u32(frame.request_id);
    out.put_u32(frame.payload.len() as u32);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn frame(kind: u8, id: u32, payload: &[u8]) -> Frame {
        Frame {
            kind,
            request_id: id,
            payload: Bytes::copy_from_slice(payload),
        }
    }

    #[test]
    fn decodes_a_frame_fed_one_byte_at_a_time() {
        let f = frame(7, 42, b"hello world");
        let mut wire = BytesMut::new();
        encode(&f, &mut wire);
        let mut buf = BytesMut::new();
        let mut got = None;
        for (i, b) in wire.iter().enumerate() {
            buf.put_u8(*b);
            match decode(&mut buf).unwrap() {
                Some(fr) => {
                    assert_eq!(i, wire.len() - 1, "frame completed early");
                    got = Some(fr);
                }
                None => assert!(i < wire.len() - 1),
            }
        }
        assert_eq!(got, Some(f));
        assert!(buf.is_empty());
    }

    #[test]
    fn a_header_then_its_payload_is_the_encoded_frame() {
        let f = frame(9, 7, &[b'x'; 300]);
        let (mut whole, mut parts) = (BytesMut::new(), BytesMut::new());
        encode(&f, &mut whole);
        encode_header(&f, &mut parts);
        assert_eq!(parts.len(), HEADER_LEN);
        parts.put_slice(&f.payload);
        assert_eq!(parts, whole);
        assert_eq!(decode(&mut parts).unwrap(), Some(f));
    }

    #[test]
    fn rejects_oversized_length_before_allocating() {
        let mut buf = BytesMut::new();
        buf.put_slice(&MAGIC);
        buf.put_u8(PROTOCOL_VERSION);
        buf.put_u8(1);
        buf.put_u32(1);
        buf.put_u32(u32::MAX);
        assert_eq!(
            decode(&mut buf),
            Err(FrameError::TooLarge(u32::MAX as usize))
        );
        assert!(buf.capacity() < 1024 * 1024);
    }

    #[test]
    fn a_small_cap_refuses_a_64_mib_header_without_reserving_it() {
        let mut buf = BytesMut::with_capacity(64);
        buf.put_slice(&MAGIC);
        buf.put_u8(PROTOCOL_VERSION);
        buf.put_u8(1);
        buf.put_u32(1);
        buf.put_u32(64 * 1024 * 1024);
        assert_eq!(
            decode_capped(&mut buf, 4096),
            Err(FrameError::TooLarge(64 * 1024 * 1024))
        );
        assert!(buf.capacity() < 4096);
        let mut ok = BytesMut::new();
        encode(&frame(1, 1, &[0; 4096]), &mut ok);
        assert!(matches!(decode_capped(&mut ok, 4096), Ok(Some(_))));
    }

    #[test]
    fn rejects_bad_magic_and_version() {
        let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\n"[..]);
        assert!(matches!(decode(&mut buf), Err(FrameError::BadMagic(_))));
        let mut buf = BytesMut::from(&[b'L', b'N', 9, 0, 0, 0, 0, 0, 0, 0, 0, 0][..]);
        assert_eq!(decode(&mut buf), Err(FrameError::UnsupportedVersion(9)));
    }

    proptest! {
        #[test]
        fn frames_survive_uneven_chunking(
            frames in proptest::collection::vec((any::<u8>(), any::<u32>(), proptest::collection::vec(any::<u8>(), 0..300)), 1..8),
            cuts in proptest::collection::vec(1usize..40, 1..50),
        ) {
            let frames: Vec<Frame> = frames.iter().map(|(k, id, p)| frame(*k, *id, p)).collect();
            let mut wire = BytesMut::new();
            for f in &frames { encode(f, &mut wire); }
            let mut buf = BytesMut::new();
            let mut out = Vec::new();
            let mut pos = 0;
            let mut cut = cuts.iter().cycle();
            while pos < wire.len() {
                let n = (*cut.next().unwrap()).min(wire.len() - pos);
                buf.put_slice(&wire[pos..pos + n]);
                pos += n;
                while let Some(f) = decode(&mut buf).unwrap() { out.push(f); }
            }
            prop_assert_eq!(out, frames);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut buf = BytesMut::from(&bytes[..]);
            while let Ok(Some(_)) = decode(&mut buf) {}
        }
    }
}
