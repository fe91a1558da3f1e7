//! Streamed output (issue 13): a command output larger than [`OUTPUT_CHUNK`] (a running
//! configuration of any size, a long `show access-list`) travels from LINA in `ExecOutput`
//! frames of at most that size, sent before the batch's `ExecResult` with the same request id;
//! the result then carries an empty output for that command. Frames stay capped, whatever the
//! configuration's size.
//!
//! Wire form of `ExecOutput`: `u32 index` (the command's 0-based position in the batch),
//! `u64 total` (the whole output's length in bytes, the same in every piece of that command),
//! `str text` (a non-empty piece, UTF-8 on its own: LINA cuts after a newline, else at a
//! character boundary). Pieces come in order: by index, and within a command in text order.
//!
//! The receiving side checks every piece against what came before ([`StreamCheck`]): indices
//! never go back, `total` never changes within a command nor exceeds [`MAX_STREAMED_OUTPUT`],
//! pieces never add up to more than `total`, and the final result must name every streamed
//! command with an empty output and the pieces must add up to exactly `total`. [`Assembly`]
//! joins the pieces into the outputs, copying each byte once.

use std::fmt;

use bytes::Bytes;

use super::codec::{DecodeError, Reader, Writer};
use super::frame::Frame;
use super::message::{ExecResult, kind};

/// Largest piece of output in one `ExecOutput` frame (1 MiB); outputs up to this size travel
/// in the `ExecResult` itself.
pub const OUTPUT_CHUNK: usize = 1024 * 1024;

/// Most bytes one batch's streamed outputs may add up to (1 GiB): five times the largest
/// configuration the benchmarks load; beyond it the answer is refused, not buffered.
pub const MAX_STREAMED_OUTPUT: u64 = 1024 * 1024 * 1024;

/// One piece of a command's output (the owned form, as [`super::Message::ExecOutput`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutput {
    pub index: u32,
    pub total: u64,
    pub text: String,
}

/// One piece of a command's output, borrowed from the frame it came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecOutputRef<'a> {
    pub index: u32,
    pub total: u64,
    pub text: &'a str,
}

impl<'a> ExecOutputRef<'a> {
    /// Decodes an `ExecOutput` payload without copying its text.
    pub fn decode(payload: &'a [u8]) -> Result<ExecOutputRef<'a>, DecodeError> {
        let mut r = Reader::new(payload);
        let index = r.u32("index")?;
        let total = r.u64("total")?;
        let text = r.str_ref("text")?;
        r.finish()?;
        if total > MAX_STREAMED_OUTPUT {
            return Err(DecodeError::Invalid {
                field: "total",
                reason: "larger than the streamed-output limit",
            });
        }
        if text.is_empty() {
            return Err(DecodeError::Invalid {
                field: "text",
                reason: "an empty piece",
            });
        }
        if text.len() as u64 > total {
            return Err(DecodeError::Invalid {
                field: "text",
                reason: "a piece longer than the whole output",
            });
        }
        Ok(ExecOutputRef { index, total, text })
    }

    pub fn to_owned(self) -> ExecOutput {
        ExecOutput {
            index: self.index,
            total: self.total,
            text: self.text.to_owned(),
        }
    }
}

impl ExecOutput {
    pub(crate) fn encode(index: u32, total: u64, text: &str, w: &mut Writer) {
        w.u32(index);
        w.u64(total);
        w.str(text);
    }

    pub fn borrowed(&self) -> ExecOutputRef<'_> {
        ExecOutputRef {
            index: self.index,
            total: self.total,
            text: &self.text,
        }
    }
}

/// The `ExecOutput` frame of one piece, built from the borrowed text (one copy into the frame).
pub fn piece_frame(request_id: u32, index: u32, total: u64, text: &str) -> Frame {
    let mut w = Writer::new();
    ExecOutput::encode(index, total, text, &mut w);
    Frame {
        kind: kind::EXEC_OUTPUT,
        request_id,
        payload: Bytes::from(w.finish()),
    }
}

/// Whether a result must be streamed: one of its outputs is larger than [`OUTPUT_CHUNK`].
pub fn needs_streaming(result: &ExecResult) -> bool {
    result
        .outcomes
        .iter()
        .any(|o| o.output.len() > OUTPUT_CHUNK)
}

/// Cuts `text` into pieces of at most `max` bytes (at least 4, so that a character always
/// fits): each ends after the last newline that fits, else at the last character boundary.
pub fn pieces(text: &str, max: usize) -> Pieces<'_> {
    Pieces {
        rest: text,
        max: max.max(4),
    }
}

/// The iterator [`pieces`] returns.
#[derive(Debug, Clone)]
pub struct Pieces<'a> {
    rest: &'a str,
    max: usize,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        if self.rest.len() <= self.max {
            return Some(std::mem::take(&mut self.rest));
        }
        let mut end = self.max;
        while !self.rest.is_char_boundary(end) {
            end -= 1;
        }
        if let Some(newline) = self.rest.as_bytes()[..end]
            .iter()
            .rposition(|&b| b == b'\n')
        {
            end = newline + 1;
        }
        let (piece, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(piece)
    }
}

/// Why a stream of pieces was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// A piece for a command before one already streamed.
    OutOfOrder { index: u32, after: u32 },
    /// A piece announcing another total than the earlier pieces of its command.
    TotalChanged { index: u32 },
    /// The pieces of a command add up to more than its announced total.
    Overrun { index: u32 },
    /// The batch's streamed outputs add up to more than [`MAX_STREAMED_OUTPUT`].
    TooLong,
    /// The result does not match the pieces: a streamed command beyond its outcomes, with an
    /// output of its own, or whose pieces fall short of the total.
    Mismatch { index: u32 },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::OutOfOrder { index, after } => {
                write!(f, "output piece of command {index} after command {after}")
            }
            StreamError::TotalChanged { index } => {
                write!(
                    f,
                    "output pieces of command {index} announce different totals"
                )
            }
            StreamError::Overrun { index } => {
                write!(f, "output pieces of command {index} exceed their total")
            }
            StreamError::TooLong => write!(
                f,
                "streamed output beyond the limit of {MAX_STREAMED_OUTPUT} bytes"
            ),
            StreamError::Mismatch { index } => {
                write!(
                    f,
                    "the result does not match the streamed output of command {index}"
                )
            }
        }
    }
}

impl std::error::Error for StreamError {}

/// Checks a batch's pieces as they arrive (no text is kept).
#[derive(Debug, Clone, Default)]
pub struct StreamCheck {
    /// Per streamed command in order: index, total, bytes received.
    commands: Vec<(u32, u64, u64)>,
    bytes: u64,
}

impl StreamCheck {
    /// Accepts the next piece, or says why the stream is wrong.
    pub fn add(&mut self, piece: ExecOutputRef<'_>) -> Result<(), StreamError> {
        let len = piece.text.len() as u64;
        let bytes = self.bytes.saturating_add(len);
        if bytes > MAX_STREAMED_OUTPUT {
            return Err(StreamError::TooLong);
        }
        match self.commands.last_mut() {
            Some((index, total, received)) if *index == piece.index => {
                if *total != piece.total {
                    return Err(StreamError::TotalChanged { index: piece.index });
                }
                let after = received.saturating_add(len);
                if after > *total {
                    return Err(StreamError::Overrun { index: piece.index });
                }
                *received = after;
            }
            Some((index, _, _)) if *index > piece.index => {
                return Err(StreamError::OutOfOrder {
                    index: piece.index,
                    after: *index,
                });
            }
            _ => {
                // The decoder already refused a piece longer than its total.
                if len > piece.total {
                    return Err(StreamError::Overrun { index: piece.index });
                }
                self.commands.push((piece.index, piece.total, len));
            }
        }
        self.bytes = bytes;
        Ok(())
    }

    /// Checks the final result against the pieces: every streamed command is one of its
    /// outcomes, with an empty output there, and received its whole total.
    pub fn finish(&self, result: &ExecResult) -> Result<(), StreamError> {
        for &(index, total, received) in &self.commands {
            let complete = result
                .outcomes
                .get(index as usize)
                .is_some_and(|o| o.output.is_empty() && received == total);
            if !complete {
                return Err(StreamError::Mismatch { index });
            }
        }
        Ok(())
    }

    /// Whether any piece arrived.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// The announced total of the command currently streaming, when it is `index`.
    pub fn total_of(&self, index: u32) -> Option<u64> {
        self.commands
            .last()
            .filter(|(i, _, _)| *i == index)
            .map(|(_, total, _)| *total)
    }
}

/// Joins a batch's pieces into its outputs: each byte is copied once, from the frame into the
/// output, which is reserved at its announced total (bounded by [`MAX_STREAMED_OUTPUT`]).
#[derive(Debug, Default)]
pub struct Assembly {
    check: StreamCheck,
    outputs: Vec<(u32, String)>,
}

impl Assembly {
    pub fn add(&mut self, piece: ExecOutputRef<'_>) -> Result<(), StreamError> {
        self.check.add(piece)?;
        match self.outputs.last_mut() {
            Some((index, text)) if *index == piece.index => text.push_str(piece.text),
            _ => {
                // `total` was checked against the limit; reserving it avoids regrowing (and
                // recopying) the output as it arrives.
                let mut text = String::with_capacity(usize::try_from(piece.total).unwrap_or(0));
                text.push_str(piece.text);
                self.outputs.push((piece.index, text));
            }
        }
        Ok(())
    }

    /// Puts the joined outputs into the result (moved, not copied).
    pub fn finish(self, result: &mut ExecResult) -> Result<(), StreamError> {
        self.check.finish(result)?;
        for (index, text) in self.outputs {
            if let Some(outcome) = result.outcomes.get_mut(index as usize) {
                outcome.output = text;
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.check.is_empty()
    }
}

/// The frames a result travels in: the `ExecOutput` pieces of every output larger than
/// `chunk`, in order, then the `ExecResult` with those outputs emptied. Lazy: each frame is
/// built when asked for, so a sender holds at most one piece encoded at a time, and each
/// streamed output is released once its last piece is built.
#[derive(Debug)]
pub struct StreamFrames {
    result: Option<ExecResult>,
    request_id: u32,
    chunk: usize,
    /// The outcome being streamed, and how far.
    index: usize,
    offset: usize,
}

impl StreamFrames {
    pub fn new(result: ExecResult, request_id: u32, chunk: usize) -> StreamFrames {
        StreamFrames {
            result: Some(result),
            request_id,
            chunk: chunk.max(4),
            index: 0,
            offset: 0,
        }
    }
}

impl Iterator for StreamFrames {
    type Item = Frame;

    fn next(&mut self) -> Option<Frame> {
        let result = self.result.as_mut()?;
        while let Some(outcome) = result.outcomes.get_mut(self.index) {
            let len = outcome.output.len();
            if len > self.chunk {
                if let Some(piece) = outcome
                    .output
                    .get(self.offset..)
                    .and_then(|rest| pieces(rest, self.chunk).next())
                {
                    let index = u32::try_from(self.index).unwrap_or(u32::MAX);
                    self.offset += piece.len();
                    return Some(piece_frame(self.request_id, index, len as u64, piece));
                }
                // Every piece is out: the output travels no further.
                outcome.output = String::new();
            }
            self.index += 1;
            self.offset = 0;
        }
        let result = self.result.take()?;
        let request_id = self.request_id;
        Some(
            super::Message::ExecResult(result)
                .to_frame(request_id)
                .or_else(|e| {
                    // Every output left in it is at most `chunk`; only a batch of thousands of
                    // outputs near that size could exceed the frame cap: the answer says so.
                    super::Message::Error(super::ProtocolError {
                        code: super::ProtocolErrorCode::Malformed,
                        detail: e.to_string(),
                    })
                    .to_frame(request_id)
                })
                .unwrap_or(Frame {
                    kind: kind::ERROR,
                    request_id,
                    payload: Bytes::from_static(&[0, 0, 0, 0, 0]),
                }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{CommandOutcome, Message};
    use proptest::prelude::*;

    fn result(outputs: &[&str]) -> ExecResult {
        ExecResult {
            outcomes: outputs
                .iter()
                .map(|o| CommandOutcome {
                    ok: true,
                    output: (*o).to_owned(),
                })
                .collect(),
            applied: true,
            generation: 7,
            refusal: None,
        }
    }

    /// Streams `sent` with `chunk`, then decodes and joins the frames as the agent does.
    fn round_trip(sent: ExecResult, chunk: usize) -> Result<(ExecResult, usize), String> {
        let frames: Vec<Frame> = StreamFrames::new(sent, 9, chunk).collect();
        let count = frames.len();
        let mut assembly = Assembly::default();
        for frame in &frames {
            match frame.kind {
                kind::EXEC_OUTPUT => {
                    assert!(frame.payload.len() <= chunk + 16);
                    let piece = ExecOutputRef::decode(&frame.payload).map_err(|e| e.to_string())?;
                    assembly.add(piece).map_err(|e| e.to_string())?;
                }
                _ => match Message::from_frame(frame).map_err(|e| e.to_string())? {
                    Message::ExecResult(mut got) => {
                        assembly.finish(&mut got).map_err(|e| e.to_string())?;
                        return Ok((got, count));
                    }
                    other => return Err(format!("{other:?}")),
                },
            }
        }
        Err("no result".to_owned())
    }

    #[test]
    fn small_outputs_travel_in_the_result_alone() {
        let sent = result(&["a\n", "b\n"]);
        assert_eq!(round_trip(sent.clone(), 16), Ok((sent, 1)));
    }

    #[test]
    fn a_large_output_travels_in_pieces_cut_after_newlines() {
        let text = "object network a\n host 10.0.0.1\n".repeat(10);
        let sent = result(&["x\n", &text, "y\n"]);
        let (got, frames) = round_trip(sent.clone(), 40).expect("round trip");
        assert_eq!(got, sent);
        assert!(frames > 8, "{frames} frames");
        for piece in pieces(&text, 40) {
            assert!(piece.ends_with('\n'), "{piece:?}");
        }
    }

    #[test]
    fn pieces_never_split_a_character() {
        let text = "ééééé€€€€a";
        let joined: String = pieces(text, 5).collect();
        assert_eq!(joined, text);
        assert!(pieces(text, 5).all(|p| !p.is_empty() && p.len() <= 5));
    }

    fn piece(index: u32, total: u64, text: &str) -> ExecOutputRef<'_> {
        ExecOutputRef { index, total, text }
    }

    #[test]
    fn a_stream_that_goes_back_changes_its_total_or_overruns_is_refused() {
        let mut check = StreamCheck::default();
        check.add(piece(1, 4, "ab")).expect("first");
        assert_eq!(
            check.add(piece(0, 4, "ab")),
            Err(StreamError::OutOfOrder { index: 0, after: 1 })
        );
        assert_eq!(
            check.add(piece(1, 5, "ab")),
            Err(StreamError::TotalChanged { index: 1 })
        );
        check.add(piece(1, 4, "cd")).expect("second");
        assert_eq!(
            check.add(piece(1, 4, "e")),
            Err(StreamError::Overrun { index: 1 })
        );
    }

    #[test]
    fn a_result_that_does_not_match_its_pieces_is_refused() {
        let mut check = StreamCheck::default();
        check.add(piece(0, 4, "ab")).expect("piece");
        // Short of the total.
        assert_eq!(
            check.finish(&result(&[""])),
            Err(StreamError::Mismatch { index: 0 })
        );
        check.add(piece(0, 4, "cd")).expect("piece");
        assert_eq!(check.finish(&result(&[""])), Ok(()));
        // An output of its own, or no such outcome.
        assert!(check.finish(&result(&["z"])).is_err());
        assert!(check.finish(&result(&[])).is_err());
    }

    #[test]
    fn a_stream_longer_than_the_limit_is_refused_without_holding_it() {
        let mut check = StreamCheck::default();
        // The pieces are checked, never kept: 1025 pieces of 1 MiB announced over two
        // commands go past the 1 GiB limit.
        let mib = "x".repeat(OUTPUT_CHUNK);
        let mut refused = None;
        for i in 0..1100u32 {
            let index = i / 600;
            if let Err(e) = check.add(piece(index, MAX_STREAMED_OUTPUT, &mib)) {
                refused = Some((i, e));
                break;
            }
        }
        assert_eq!(refused, Some((1024, StreamError::TooLong)));
        // A total beyond the limit is refused at decoding.
        let frame = piece_frame(1, 0, MAX_STREAMED_OUTPUT + 1, "x");
        assert!(ExecOutputRef::decode(&frame.payload).is_err());
        let frame = piece_frame(1, 0, 3, "");
        assert!(ExecOutputRef::decode(&frame.payload).is_err());
        let frame = piece_frame(1, 0, 1, "xy");
        assert!(ExecOutputRef::decode(&frame.payload).is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_piece_payloads_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut assembly = Assembly::default();
            if let Ok(piece) = ExecOutputRef::decode(&bytes) {
                let _ = assembly.add(piece);
            }
            let _ = Message::from_frame(&Frame { kind: kind::EXEC_OUTPUT, request_id: 1, payload: Bytes::from(bytes) });
        }

        #[test]
        fn arbitrary_piece_sequences_never_panic(
            seq in proptest::collection::vec((0u32..4, 0u64..64, "[a-z\n]{1,8}"), 0..40),
            outputs in proptest::collection::vec("[a-z]{0,3}", 0..5),
        ) {
            let mut assembly = Assembly::default();
            for (index, total, text) in &seq {
                if assembly.add(piece(*index, *total, text)).is_err() { break; }
            }
            let refs: Vec<&str> = outputs.iter().map(String::as_str).collect();
            let _ = assembly.finish(&mut result(&refs));
        }

        #[test]
        fn any_outputs_round_trip_through_pieces(
            outputs in proptest::collection::vec("(\\PC|\n){0,120}", 0..4),
            chunk in 4usize..50,
        ) {
            let refs: Vec<&str> = outputs.iter().map(String::as_str).collect();
            let sent = result(&refs);
            let got = round_trip(sent.clone(), chunk);
            prop_assert_eq!(got.map(|(r, _)| r), Ok(sent));
        }
    }
}
