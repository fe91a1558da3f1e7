//! The client's byte stream as hyper sees it ([`Watched`]), and the lingering close after a
//! request HTTP parsing refused ([`linger`]).
//!
//! [`Watched`] does three things around the TLS (or TCP) stream:
//! - it notes on the connection's [`Track`] when a request's bytes begin to arrive, for the
//!   header and idle timeouts;
//! - it answers in the ASA error format where hyper would answer a request it cannot parse
//!   (a control character in a header value, a bad request line, headers or URL too large)
//!   with a bare `400`/`414`/`431` and no body;
//! - when hyper drops it, it hands the stream back, so that the connection can linger.
//!
//! Lingering: hyper refuses such a request as soon as it has read the head, and closes. Closing
//! a socket with bytes of the request still unread (its body) makes the kernel reset the
//! connection, and a client that is still sending (most send the whole body before they read)
//! then sees a reset or a TLS EOF instead of the answer. So the front-end reads and discards
//! what the client still sends, bounded in time and bytes, and only then closes.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::oneshot;

use super::admission::Track;
use super::rejection::{self, Rejection};

/// How long a refused client may go on sending before the connection closes anyway.
pub const LINGER_TIME: Duration = Duration::from_secs(5);
/// How many bytes a refused client may go on sending before the connection closes anyway.
pub const LINGER_BYTES: usize = 8 * 1024 * 1024;

/// The client's stream, watched (see the module documentation).
pub struct Watched<S> {
    inner: Option<S>,
    track: Arc<Track>,
    /// Where the stream goes when hyper drops it.
    back: Option<oneshot::Sender<S>>,
    /// The answer being written in place of hyper's bare one: bytes, how many are written, and
    /// the length of hyper's buffer that it stands for.
    replacing: Option<(Vec<u8>, usize, usize)>,
}

impl<S> Watched<S> {
    /// Watches `inner` for the connection tracked by `track`; the receiver gets the stream back.
    pub fn new(inner: S, track: Arc<Track>) -> (Watched<S>, oneshot::Receiver<S>) {
        let (back, returned) = oneshot::channel();
        let watched = Watched {
            inner: Some(inner),
            track,
            back: Some(back),
            replacing: None,
        };
        (watched, returned)
    }
}

impl<S> std::fmt::Debug for Watched<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watched")
            .field("track", &self.track)
            .field("open", &self.inner.is_some())
            .finish_non_exhaustive()
    }
}

impl<S> Drop for Watched<S> {
    fn drop(&mut self) {
        if let (Some(inner), Some(back)) = (self.inner.take(), self.back.take()) {
            // Nobody waiting: the stream simply closes.
            let _ = back.send(inner);
        }
    }
}

fn gone() -> io::Error {
    io::Error::new(io::ErrorKind::NotConnected, "the stream was handed back")
}

/// What hyper's bare answer to a request it could not parse stands for, if `buf` is one: its
/// status line, `content-length: 0` and no content type. Every answer of the front-end and of the
/// agent process with these statuses carries an error body, so none is taken for one.
fn bare_refusal(buf: &[u8]) -> Option<Rejection> {
    let rejection = if buf.starts_with(b"HTTP/1.1 400 ") {
        Rejection::MalformedRequest
    } else if buf.starts_with(b"HTTP/1.1 431 ") {
        Rejection::HeadersTooLarge
    } else if buf.starts_with(b"HTTP/1.1 414 ") {
        Rejection::UrlTooLong
    } else {
        return None;
    };
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
    let empty = head.split("\r\n").any(|l| l == "content-length: 0");
    (empty && !head.contains("\r\ncontent-type:")).then_some(rejection)
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(Err(gone()));
        };
        let before = buf.filled().len();
        let polled = Pin::new(inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.track.bytes_read();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(Err(gone()));
        };
        if this.replacing.is_none()
            && let Some(rejection) = bare_refusal(buf)
        {
            this.replacing = Some((rejection::raw_response(&rejection), 0, buf.len()));
        }
        let Some((bytes, written, stands_for)) = this.replacing.as_mut() else {
            return Pin::new(inner).poll_write(cx, buf);
        };
        while *written < bytes.len() {
            match Pin::new(&mut *inner).poll_write(cx, &bytes[*written..]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => *written += n,
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Pending => return Poll::Pending,
            }
        }
        let stands_for = *stands_for;
        this.replacing = None;
        Poll::Ready(Ok(stands_for))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        // hyper's bare answer is one buffer (a head with no body): the first non-empty slice.
        if let Some(first) = bufs.iter().find(|b| !b.is_empty())
            && (self.replacing.is_some() || bare_refusal(first).is_some())
        {
            return self.poll_write(cx, first);
        }
        let Some(inner) = self.inner.as_mut() else {
            return Poll::Ready(Err(gone()));
        };
        Pin::new(inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.as_ref().is_some_and(S::is_write_vectored)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.inner.as_mut() {
            Some(inner) => Pin::new(inner).poll_flush(cx),
            None => Poll::Ready(Err(gone())),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.inner.as_mut() {
            Some(inner) => Pin::new(inner).poll_shutdown(cx),
            None => Poll::Ready(Err(gone())),
        }
    }
}

/// Reads and discards what the client still sends, until it closes, [`LINGER_TIME`] passes,
/// [`LINGER_BYTES`] arrive or `cut` resolves; then closes the stream (TLS: with `close_notify`).
pub async fn linger<S, F>(mut stream: S, cut: F)
where
    S: AsyncRead + AsyncWrite + Unpin,
    F: std::future::Future<Output = ()>,
{
    {
        let drain = async {
            let mut buf = vec![0u8; 16 * 1024];
            let mut total = 0usize;
            while total < LINGER_BYTES {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => total += n,
                }
            }
        };
        tokio::select! {
            _ = tokio::time::timeout(LINGER_TIME, drain) => {}
            _ = cut => {}
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.shutdown()).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bare_refusals_are_replaced() {
        let bare = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\ndate: Mon, 07 Dec 2026 01:00:00 GMT\r\n\r\n";
        assert_eq!(bare_refusal(bare), Some(Rejection::MalformedRequest));
        let big = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bare_refusal(big), Some(Rejection::HeadersTooLarge));
        let long = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bare_refusal(long), Some(Rejection::UrlTooLong));
        // Answers with an error body, other statuses and partial heads pass unchanged.
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 90\r\n\r\n{";
        assert_eq!(bare_refusal(ours), None);
        let typed_empty =
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bare_refusal(typed_empty), None);
        assert_eq!(
            bare_refusal(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"),
            None
        );
        assert_eq!(
            bare_refusal(b"HTTP/1.1 400 Bad Request\r\ncontent-le"),
            None
        );
    }

    #[test]
    fn the_replacement_is_a_whole_answer_in_the_error_format() {
        let raw = rejection::raw_response(&Rejection::MalformedRequest);
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        assert!(head.contains("connection: close"));
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["messages"][0]["code"], "INVALID-INPUT");
    }
}
