//! Raw HTTP/1.1 exchanges: the suite writes the request bytes itself (so that a URL such as
//! `a%252Fb` reaches the daemon exactly as written) and parses the response by hand.
//! The request is written by a separate task while the response is read, so that a server that
//! answers early (413) and closes is observed rather than reported as a broken pipe.

use std::time::Duration;

use bytes::Bytes;
use hyper::StatusCode;
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::auth::Auth;
use crate::client::JSON_CONTENT_TYPE;
use crate::endpoint::Endpoint;
use crate::error::HarnessError;
use crate::response::Response;

/// How long a raw exchange may take in total.
pub const RAW_TIMEOUT: Duration = Duration::from_secs(30);

/// The bytes of a request with `Connection: close`, the standard Content-Type, the given
/// credentials and a Content-Length; `target` is written verbatim into the request line.
pub fn request_bytes(method: &str, target: &str, host: &str, auth: &Auth, body: &[u8]) -> Vec<u8> {
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {JSON_CONTENT_TYPE}\r\n"
    );
    head.push_str("User-Agent: REST API Agent\r\nConnection: close\r\n");
    for (name, value) in auth.headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Sends a request built by [`request_bytes`] with the endpoint's address as Host.
pub async fn raw_request(
    endpoint: &Endpoint,
    method: &str,
    target: &str,
    auth: &Auth,
    body: &[u8],
) -> Result<Response, HarnessError> {
    let bytes = request_bytes(method, target, &endpoint.authority(), auth, body);
    raw_exchange(endpoint, bytes).await
}

/// Writes `request` on a fresh connection and reads one response, bounded by [`RAW_TIMEOUT`].
pub async fn raw_exchange(endpoint: &Endpoint, request: Vec<u8>) -> Result<Response, HarnessError> {
    tokio::time::timeout(RAW_TIMEOUT, exchange(endpoint, request))
        .await
        .map_err(|_| HarnessError::Timeout {
            what: "raw HTTP exchange".to_owned(),
            after: RAW_TIMEOUT,
        })?
}

async fn exchange(endpoint: &Endpoint, request: Vec<u8>) -> Result<Response, HarnessError> {
    let io = endpoint.connect().await?;
    let (mut reader, mut writer) = tokio::io::split(io);
    let write = tokio::spawn(async move {
        // A server may answer and close before it has read everything (413): a write error is not a failure.
        if writer.write_all(&request).await.is_ok() {
            let _ = writer.flush().await;
        }
        // Keep the write half open (no close_notify) until the response has been read.
        writer
    });
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let parsed = loop {
        if let Some(response) = parse_response(&buf, false)? {
            break response;
        }
        match reader.read(&mut chunk).await {
            Ok(0) => match parse_response(&buf, true)? {
                Some(response) => break response,
                None => {
                    return Err(HarnessError::BadResponse(format!(
                        "connection closed mid-response: {:?}",
                        lossy(&buf)
                    )));
                }
            },
            Ok(n) => buf.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            // A reset after a complete response head and body is handled above; here nothing usable came.
            Err(e) => match parse_response(&buf, true)? {
                Some(response) => break response,
                None => return Err(HarnessError::Io(e)),
            },
        }
    };
    write.abort();
    Ok(parsed)
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Parses one HTTP/1.1 response from `buf`. `Ok(None)` means more bytes are needed; `at_eof`
/// says the peer closed, which completes a body delimited by the connection's end.
pub fn parse_response(buf: &[u8], at_eof: bool) -> Result<Option<Response>, HarnessError> {
    let Some(head_end) = find(buf, b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| {
        HarnessError::BadResponse(format!(
            "response head is not UTF-8: {:?}",
            lossy(&buf[..head_end])
        ))
    })?;
    let rest = &buf[head_end + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse::<u16>().ok())
        .and_then(|c| StatusCode::from_u16(c).ok())
        .ok_or_else(|| HarnessError::BadResponse(format!("bad status line {status_line:?}")))?;
    let mut headers = HeaderMap::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| HarnessError::BadResponse(format!("bad header line {line:?}")))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| HarnessError::BadResponse(format!("bad header name in {line:?}")))?;
        let value = HeaderValue::from_str(value.trim())
            .map_err(|_| HarnessError::BadResponse(format!("bad header value in {line:?}")))?;
        headers.append(name, value);
    }
    let chunked = headers
        .get("transfer-encoding")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let length = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    let no_body = status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || status.is_informational();
    let body = if no_body {
        Some(Bytes::new())
    } else if chunked {
        dechunk(rest)?
    } else if let Some(length) = length {
        rest.get(..length).map(Bytes::copy_from_slice)
    } else if at_eof {
        Some(Bytes::copy_from_slice(rest))
    } else {
        None
    };
    Ok(body.map(|body| Response {
        status,
        headers,
        body,
    }))
}

/// Decodes a chunked body; `Ok(None)` until the terminating zero-size chunk has arrived.
fn dechunk(mut rest: &[u8]) -> Result<Option<Bytes>, HarnessError> {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = find(rest, b"\r\n") else {
            return Ok(None);
        };
        let size_text = std::str::from_utf8(&rest[..line_end]).unwrap_or_default();
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| HarnessError::BadResponse(format!("bad chunk size {size_text:?}")))?;
        let data_start = line_end + 2;
        if size == 0 {
            return Ok(Some(Bytes::from(body)));
        }
        let data_end = data_start.checked_add(size).ok_or_else(|| {
            HarnessError::BadResponse(format!("chunk size {size_text:?} overflows"))
        })?;
        let Some(data) = rest.get(data_start..data_end) else {
            return Ok(None);
        };
        body.extend_from_slice(data);
        let Some(next) = rest.get(data_end + 2..) else {
            return Ok(None);
        };
        rest = next;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_line_is_written_verbatim() {
        let bytes = request_bytes(
            "GET",
            "/api/objects/networkobjects/a%252Fb",
            "h:1",
            &Auth::None,
            b"",
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.starts_with("GET /api/objects/networkobjects/a%252Fb HTTP/1.1\r\nHost: h:1\r\n"),
            "{text}"
        );
        assert!(text.ends_with("Content-Length: 0\r\n\r\n"), "{text}");
    }

    #[test]
    fn parses_content_length_body() {
        let raw = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}";
        let r = parse_response(raw, false).unwrap().unwrap();
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(&r.body[..], b"{}");
        assert_eq!(r.header("content-type"), Some("application/json"));
    }

    #[test]
    fn waits_for_the_whole_body() {
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab";
        assert!(parse_response(raw, false).unwrap().is_none());
        assert!(
            parse_response(b"HTTP/1.1 200 OK\r\nContent-Le", false)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn decodes_chunked_body() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        let r = parse_response(raw, false).unwrap().unwrap();
        assert_eq!(&r.body[..], b"abcde");
        let partial = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n";
        assert!(parse_response(partial, false).unwrap().is_none());
    }

    #[test]
    fn body_without_length_ends_at_eof() {
        let raw = b"HTTP/1.1 413 Payload Too Large\r\n\r\nbig";
        assert!(parse_response(raw, false).unwrap().is_none());
        assert_eq!(
            &parse_response(raw, true).unwrap().unwrap().body[..],
            b"big"
        );
    }

    #[test]
    fn no_content_has_empty_body() {
        let raw = b"HTTP/1.1 204 No Content\r\nX-Auth-Token: abc\r\n\r\n";
        let r = parse_response(raw, false).unwrap().unwrap();
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert_eq!(r.header("x-auth-token"), Some("abc"));
    }

    #[test]
    fn rejects_an_overflowing_chunk_size() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nab";
        assert!(parse_response(raw, false).is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512), eof: bool) {
            let _ = parse_response(&bytes, eof);
        }

        #[test]
        fn arbitrary_bodies_after_a_valid_head_never_panic(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
            let mut raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            raw.extend_from_slice(&tail);
            let _ = parse_response(&raw, true);
        }
    }

    #[test]
    fn rejects_garbage_status_line() {
        assert!(parse_response(b"SSH-2.0-OpenSSH\r\n\r\n", false).is_err());
    }
}
