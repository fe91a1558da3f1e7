//! `/api/certificate/...` (issue 15): identity certificates (trust-points), key pairs and their
//! PEM export, through the CLI LINA runs with real cryptography (lina-sim `crypto.rs`):
//!
//! | URL | verbs | CLI |
//! |---|---|---|
//! | `identity` | GET, POST | `show running-config crypto ca trustpoint`; `crypto ca import <tp> pkcs12 <pass>` + pasted base64 + `quit`, or a trust-point with ` enrollment self` + `crypto ca enroll <tp> noconfirm` |
//! | `identity/{tp}` | GET, DELETE | `no crypto ca trustpoint <tp> noconfirm` |
//! | `identity/{tp}/export/PEM` | GET | the identity certificate of `show running-config crypto ca certificate chain <tp>` |
//! | `keypair` | GET, POST | `show crypto key mypubkey rsa|ecdsa`; `crypto key generate ...` |
//! | `keypair/{name}` | GET, DELETE | `crypto key zeroize rsa|ecdsa label <name> noconfirm` |
//!
//! The PKCS#12 import answers 201 with the messages body real devices send (wire-format page,
//! section 7). No user string reaches a CLI line unchecked: names and passphrases are single
//! printable words, the PKCS#12 is re-encoded from its decoded bytes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use cli_translator::protocol::ExecMode;
use hyper::{Method, StatusCode};
use serde_json::{Value, json};

use super::Call;
use crate::api::error::ApiError;
use crate::api::paging;
use crate::api::response::{self, ApiResponse};

pub const IDENTITY_PATH: &str = "/api/certificate/identity";
pub const KEYPAIR_PATH: &str = "/api/certificate/keypair";
pub const CA_PATH: &str = "/api/certificate/ca";
pub const DETAILS_PATH: &str = "/api/certificate/details";

/// A certificate URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertTarget {
    Identities,
    Identity(String),
    IdentityPem(String),
    KeyPairs,
    KeyPair(String),
    /// `ca`: CA certificates by trust-point.
    CaCerts,
    /// `ca/{tp}`
    CaCert(String),
    /// `details/{tp}`: the identity certificate's details.
    Details(String),
}

/// One trust-point as `show running-config` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Trustpoint {
    name: String,
    keypair: Option<String>,
    self_sign: bool,
}

/// One key pair as `show crypto key mypubkey` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct KeyPairInfo {
    name: String,
    kind: &'static str,
    size: u32,
}

pub async fn handle(
    target: CertTarget,
    call: &Call<'_>,
    method: &Method,
    body: Bytes,
) -> Result<ApiResponse, ApiError> {
    if *method != Method::GET {
        crate::api::executor::refuse_dry_run(call)?;
    }
    // These run their own LINA batches (key generation, pasted PKCS#12): not stageable.
    if call.stage.is_some() {
        return Err(ApiError::NotInBulk("/api/certificate".to_owned()));
    }
    match (target, method.clone()) {
        (CertTarget::Identities, Method::GET) => {
            let all = trustpoints(call).await?;
            Ok(paging::page(
                call,
                "collection#IdentityCertificate",
                IDENTITY_PATH,
                &all,
                |_, t| identity_json(call, t),
            ))
        }
        (CertTarget::Identities, _) => create_identity(call, &body).await,
        (CertTarget::Identity(name), Method::GET) => {
            let tp = find_trustpoint(call, &name).await?;
            Ok(response::json(StatusCode::OK, &identity_json(call, &tp)))
        }
        (CertTarget::Identity(name), _) => {
            find_trustpoint(call, &name).await?;
            run_config(
                call,
                vec![format!("no crypto ca trustpoint {name} noconfirm")],
            )
            .await?;
            call.invalidate();
            Ok(response::empty(StatusCode::NO_CONTENT))
        }
        (CertTarget::IdentityPem(name), _) => {
            if check_name("objectId", &name).is_err() {
                return Err(ApiError::ObjectNotFound(name));
            }
            let [text] = show(
                call,
                [format!(
                    "show running-config crypto ca certificate chain {name}"
                )],
            )
            .await?;
            let der = identity_der(&text, &name).ok_or(ApiError::ObjectNotFound(name))?;
            let pem = armour(&der);
            Ok(response::json(
                StatusCode::OK,
                &json!({ "certificate": pem.lines().collect::<Vec<_>>() }),
            ))
        }
        (CertTarget::KeyPairs, Method::GET) => {
            let all = keypairs(call).await?;
            Ok(paging::page(
                call,
                "collection#Keypair",
                KEYPAIR_PATH,
                &all,
                |_, k| keypair_json(call, k),
            ))
        }
        (CertTarget::KeyPairs, _) => create_keypair(call, &body).await,
        (CertTarget::KeyPair(name), Method::GET) => {
            let k = find_keypair(call, &name).await?;
            Ok(response::json(StatusCode::OK, &keypair_json(call, &k)))
        }
        (CertTarget::CaCerts, Method::GET) => {
            let [text] = show(
                call,
                ["show running-config crypto ca certificate chain".to_owned()],
            )
            .await?;
            let all = ca_trustpoints(&text);
            Ok(paging::page(
                call,
                "collection#CACertificate",
                CA_PATH,
                &all,
                |_, tp| {
                    json!({
                        "kind": "object#CACertificate",
                        "selfLink": call.origin.item_url(CA_PATH, tp),
                        "objectId": tp,
                        "trustpointName": tp,
                    })
                },
            ))
        }
        (CertTarget::CaCerts, _) => create_ca(call, &body).await,
        (CertTarget::CaCert(name), _) => {
            let [text] = show(
                call,
                ["show running-config crypto ca certificate chain".to_owned()],
            )
            .await?;
            if !ca_trustpoints(&text).contains(&name) {
                return Err(ApiError::ObjectNotFound(name));
            }
            Ok(response::json(StatusCode::OK, &ca_json(call, &name)))
        }
        (CertTarget::Details(name), _) => {
            if check_name("objectId", &name).is_err() {
                return Err(ApiError::ObjectNotFound(name));
            }
            let [text] = show(call, [format!("show crypto ca certificates {name}")]).await?;
            let details = parse_details(&text, &name).ok_or(ApiError::ObjectNotFound(name))?;
            Ok(response::json(StatusCode::OK, &details))
        }
        (CertTarget::KeyPair(name), _) => {
            let k = find_keypair(call, &name).await?;
            run_config(
                call,
                vec![format!(
                    "crypto key zeroize {} label {} noconfirm",
                    k.kind, k.name
                )],
            )
            .await?;
            Ok(response::empty(StatusCode::NO_CONTENT))
        }
    }
}

/// A trust-point name or key label: 1 to 64 letters, digits, `.`, `_` or `-`, not starting
/// with `-`; a passphrase (`certPass`) may hold any printable character but no blank.
fn check_name(field: &str, value: &str) -> Result<(), ApiError> {
    let allowed = |c: char| {
        if field == "certPass" {
            c.is_ascii_graphic()
        } else {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
        }
    };
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.chars().all(allowed)
        && !value.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(ApiError::JsonType {
            context: field.to_owned(),
            expected: "1 to 64 letters, digits, '.', '_' or '-' (a passphrase: printable, no blank)",
        })
    }
}

fn str_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

async fn create_identity(call: &Call<'_>, body: &Bytes) -> Result<ApiResponse, ApiError> {
    let body: Value = serde_json::from_slice(body).map_err(ApiError::JsonParse)?;
    let name = str_field(&body, "name").ok_or(ApiError::JsonType {
        context: "name".to_owned(),
        expected: "a string",
    })?;
    check_name("name", name)?;
    if trustpoints(call).await?.iter().any(|t| t.name == name) {
        return Err(ApiError::Duplicate(name.to_owned()));
    }
    let url = call.origin.item_url(IDENTITY_PATH, name);
    if let Some(cert_text) = body.get("certText") {
        let pass = str_field(&body, "certPass").ok_or(ApiError::JsonType {
            context: "certPass".to_owned(),
            expected: "the PKCS#12 passphrase",
        })?;
        check_name("certPass", pass)?;
        let der = pkcs12_bytes(cert_text).ok_or(ApiError::JsonType {
            context: "certText".to_owned(),
            expected: "-----BEGIN PKCS12-----, base64 lines, -----END PKCS12-----",
        })?;
        let mut commands = vec![format!(
            "crypto ca import {name} pkcs12 {pass} nointeractive"
        )];
        let b64 = STANDARD.encode(der);
        commands.extend(
            b64.as_bytes()
                .chunks(64)
                .map(|c| String::from_utf8_lossy(c).into_owned()),
        );
        commands.push("quit".to_owned());
        run_config(call, commands).await?;
        call.invalidate();
        let mut answer = response::json(
            StatusCode::CREATED,
            &json!({"messages": [{
                "level": "Warning",
                "code": "",
                "details": "Import PKCS12 operation completed successfully."
            }]}),
        );
        if let Ok(v) = hyper::header::HeaderValue::from_str(&url) {
            answer.headers_mut().insert(hyper::header::LOCATION, v);
        }
        return Ok(answer);
    }
    if body.get("selfSign").and_then(Value::as_bool) != Some(true) {
        return Err(ApiError::JsonType {
            context: "certText".to_owned(),
            expected: "a PKCS#12 (certText, certPass) or selfSign: true",
        });
    }
    let mut commands = vec![
        format!("crypto ca trustpoint {name}"),
        " enrollment self".to_owned(),
    ];
    if let Some(key) = str_field(&body, "keyPair").filter(|k| *k != "<Default-RSA-Key>") {
        check_name("keyPair", key)?;
        commands.push(format!(" keypair {key}"));
    }
    if let Some(params) = body.get("enrollParameters") {
        let dn = params.get("subjectDN").or_else(|| params.get("subjectDn"));
        if let Some(dn) = dn.and_then(Value::as_object) {
            let mut parts = Vec::new();
            for key in ["cn", "ou", "o", "l", "st", "c", "ea"] {
                for v in dn.get(key).and_then(Value::as_array).into_iter().flatten() {
                    let v = v.as_str().unwrap_or("");
                    if v.is_empty()
                        || v.len() > 64
                        || v.chars().any(|c| c.is_control() || c == ',' || c == '=')
                    {
                        return Err(ApiError::JsonType {
                            context: format!("enrollParameters.subjectDN.{key}"),
                            expected: "names without control characters, commas or '='",
                        });
                    }
                    parts.push(format!("{}={v}", key.to_uppercase()));
                }
            }
            if !parts.is_empty() {
                commands.push(format!(" subject-name {}", parts.join(",")));
            }
        }
        if let Some(fqdn) = str_field(params, "fqdn").filter(|f| !f.is_empty()) {
            check_name("enrollParameters.fqdn", fqdn)?;
            commands.push(format!(" fqdn {fqdn}"));
        }
    }
    commands.push("exit".to_owned());
    commands.push(format!("crypto ca enroll {name} noconfirm"));
    run_config(call, commands).await?;
    call.invalidate();
    response::with_location(StatusCode::CREATED, &url)
}

/// The PKCS#12 of `certText`: every element joined, whitespace and armour lines dropped,
/// base64-decoded (the line forms real clients send, wire-format page section 7).
fn pkcs12_bytes(cert_text: &Value) -> Option<Vec<u8>> {
    let lines: Vec<&str> = match cert_text {
        Value::Array(items) => items.iter().map(Value::as_str).collect::<Option<_>>()?,
        Value::String(s) => vec![s.as_str()],
        _ => return None,
    };
    let joined = lines.join("\n");
    let b64: String = joined
        .lines()
        .filter(|l| !l.trim_start().starts_with("-----"))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let der = STANDARD.decode(b64).ok()?;
    (!der.is_empty()).then_some(der)
}

async fn create_keypair(call: &Call<'_>, body: &Bytes) -> Result<ApiResponse, ApiError> {
    let body: Value = serde_json::from_slice(body).map_err(ApiError::JsonParse)?;
    let name = str_field(&body, "name").ok_or(ApiError::JsonType {
        context: "name".to_owned(),
        expected: "a string",
    })?;
    check_name("name", name)?;
    let kind = str_field(&body, "type")
        .unwrap_or("rsa")
        .to_ascii_lowercase();
    let size = body.get("size").and_then(Value::as_u64);
    let line = match (kind.as_str(), size) {
        ("rsa", None) => format!("crypto key generate rsa label {name} modulus 2048 noconfirm"),
        ("rsa", Some(s @ (1024 | 2048 | 3072 | 4096))) => {
            format!("crypto key generate rsa label {name} modulus {s} noconfirm")
        }
        ("ecdsa", None) => format!("crypto key generate ecdsa label {name} noconfirm"),
        ("ecdsa", Some(s @ (256 | 384))) => {
            format!("crypto key generate ecdsa label {name} elliptic-curve {s} noconfirm")
        }
        _ => {
            return Err(ApiError::JsonType {
                context: "size".to_owned(),
                expected: "rsa: 1024, 2048, 3072 or 4096; ecdsa: 256 or 384",
            });
        }
    };
    if keypairs(call).await?.iter().any(|k| k.name == name) {
        return Err(ApiError::Duplicate(name.to_owned()));
    }
    run_config(call, vec![line]).await?;
    response::with_location(
        StatusCode::CREATED,
        &call.origin.item_url(KEYPAIR_PATH, name),
    )
}

async fn create_ca(call: &Call<'_>, body: &Bytes) -> Result<ApiResponse, ApiError> {
    let body: Value = serde_json::from_slice(body).map_err(ApiError::JsonParse)?;
    let name = str_field(&body, "trustpointName").ok_or(ApiError::JsonType {
        context: "trustpointName".to_owned(),
        expected: "a string",
    })?;
    check_name("trustpointName", name)?;
    let der = body
        .get("certText")
        .and_then(pkcs12_bytes)
        .ok_or(ApiError::JsonType {
            context: "certText".to_owned(),
            expected: "-----BEGIN CERTIFICATE-----, base64 lines, -----END CERTIFICATE-----",
        })?;
    let mut commands = Vec::new();
    if !trustpoints(call).await?.iter().any(|t| t.name == name) {
        commands.push(format!("crypto ca trustpoint {name}"));
        commands.push(" enrollment terminal".to_owned());
        commands.push("exit".to_owned());
    }
    commands.push(format!("crypto ca authenticate {name} nointeractive"));
    commands.push("-----BEGIN CERTIFICATE-----".to_owned());
    let b64 = STANDARD.encode(der);
    commands.extend(
        b64.as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned()),
    );
    commands.push("-----END CERTIFICATE-----".to_owned());
    commands.push("quit".to_owned());
    run_config(call, commands).await?;
    call.invalidate();
    response::with_location(StatusCode::CREATED, &call.origin.item_url(CA_PATH, name))
}

fn ca_json(call: &Call<'_>, tp: &str) -> Value {
    json!({
        "kind": "object#CACertificate",
        "selfLink": call.origin.item_url(CA_PATH, tp),
        "objectId": tp,
        "trustpointName": tp,
    })
}

/// The trust-points whose chain holds a CA certificate, in configuration order.
fn ca_trustpoints(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<&str> = None;
    for line in text.lines() {
        if let Some(tp) = line.strip_prefix("crypto ca certificate chain ") {
            current = Some(tp.trim());
        } else if line.trim_start().starts_with("certificate ca ")
            && let Some(tp) = current
            && !out.iter().any(|t| t == tp)
        {
            out.push(tp.to_owned());
        }
    }
    out
}

/// The identity certificate's block of `show crypto ca certificates <tp>` as JSON: the
/// fields Keyfactor models, with `validityEndDate` at the top level as certbot-asa reads it
/// (`HH:MM:SS UTC Mon DD YYYY`).
fn parse_details(text: &str, tp: &str) -> Option<Value> {
    let mut lines = text.lines().skip_while(|l| l.trim_end() != "Certificate");
    lines.next()?;
    let mut fields = serde_json::Map::new();
    let mut section: Option<&'static str> = None;
    let mut issuer = Vec::new();
    let mut subject = Vec::new();
    for line in lines {
        if !line.starts_with(' ') {
            break;
        }
        let t = line.trim();
        if line.starts_with("    ") {
            match section {
                Some("issuer") => issuer.push(json!(t)),
                Some("subject") => subject.push(json!(t)),
                _ => {
                    if let Some(d) = t.strip_prefix("start date:") {
                        fields.insert("validityStartDate".into(), json!(d.trim()));
                    } else if let Some(d) = t.strip_prefix("end   date:") {
                        fields.insert("validityEndDate".into(), json!(d.trim()));
                    }
                }
            }
            continue;
        }
        section = None;
        let Some((key, value)) = t.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match key {
            "Status" => {
                fields.insert("status".into(), json!(value == "Available"));
            }
            "Certificate Serial Number" => {
                fields.insert("serialNumber".into(), json!(value));
            }
            "Certificate Usage" => {
                fields.insert("usage".into(), json!(value));
            }
            "Public Key Type" => {
                fields.insert("publicKeyType".into(), json!(value));
            }
            "Issuer Name" => section = Some("issuer"),
            "Subject Name" => section = Some("subject"),
            _ => {}
        }
    }
    fields.get("serialNumber")?;
    fields.insert("kind".into(), json!("object#CertificateDetails"));
    fields.insert("type".into(), json!("Certificate"));
    fields.insert("issuer".into(), Value::Array(issuer));
    fields.insert("subject".into(), Value::Array(subject));
    fields.insert("associatedTP".into(), json!(tp));
    fields.insert("objectId".into(), json!(tp));
    Some(Value::Object(fields))
}

async fn run_config(call: &Call<'_>, commands: Vec<String>) -> Result<(), ApiError> {
    let first = commands.first().cloned().unwrap_or_default();
    let result = call.exec(ExecMode::Config, true, commands).await?;
    if let Some(failed) = result.outcomes.iter().find(|o| !o.ok) {
        // The first word pair names the command; a passphrase never goes back to the client.
        let command = first
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        return Err(ApiError::Cli {
            command,
            output: failed.output.clone(),
        });
    }
    Ok(())
}

async fn show<const N: usize>(
    call: &Call<'_>,
    commands: [String; N],
) -> Result<[String; N], ApiError> {
    let result = call.exec(ExecMode::Exec, false, commands.to_vec()).await?;
    let outputs: Vec<String> = result.outcomes.into_iter().map(|o| o.output).collect();
    outputs
        .try_into()
        .map_err(|_| ApiError::LinaAnswer("a show command gave no output"))
}

/// The trust-points that are identities: all but those the device keeps for itself (`_...`)
/// and those holding only CA certificates (listed under `/api/certificate/ca`).
async fn trustpoints(call: &Call<'_>) -> Result<Vec<Trustpoint>, ApiError> {
    let [text] = show(call, ["show running-config crypto ca".to_owned()]).await?;
    let ca_only: Vec<String> = ca_trustpoints(&text)
        .into_iter()
        .filter(|tp| identity_der(&text, tp).is_none())
        .collect();
    let mut out: Vec<Trustpoint> = Vec::new();
    let mut in_trustpoint = false;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_trustpoint = line.starts_with("crypto ca trustpoint ");
        }
        if !in_trustpoint {
            continue;
        }
        if let Some(name) = line.strip_prefix("crypto ca trustpoint ") {
            out.push(Trustpoint {
                name: name.trim().to_owned(),
                keypair: None,
                self_sign: false,
            });
        } else if let Some(tp) = out.last_mut() {
            let t = line.trim();
            if let Some(k) = t.strip_prefix("keypair ") {
                tp.keypair = Some(k.to_owned());
            } else if t == "enrollment self" {
                tp.self_sign = true;
            }
        }
    }
    out.retain(|t| !t.name.starts_with('_') && !ca_only.contains(&t.name));
    Ok(out)
}

async fn find_trustpoint(call: &Call<'_>, name: &str) -> Result<Trustpoint, ApiError> {
    trustpoints(call)
        .await?
        .into_iter()
        .find(|t| t.name == name)
        .ok_or_else(|| ApiError::ObjectNotFound(name.to_owned()))
}

fn identity_json(call: &Call<'_>, t: &Trustpoint) -> Value {
    json!({
        "kind": "object#IdentityCertificate",
        "selfLink": call.origin.item_url(IDENTITY_PATH, &t.name),
        "name": t.name,
        "objectId": t.name,
        "keyPair": t.keypair.clone().unwrap_or_else(|| "<Default-RSA-Key>".to_owned()),
        "selfSign": t.self_sign,
    })
}

/// The identity certificate's DER in `show running-config crypto ca certificate chain <tp>`.
fn identity_der(text: &str, tp: &str) -> Option<Vec<u8>> {
    let mut in_chain = false;
    let mut hex: Option<String> = None;
    for line in text.lines() {
        if !line.starts_with(' ') {
            in_chain = line.trim() == format!("crypto ca certificate chain {tp}");
            continue;
        }
        if !in_chain {
            continue;
        }
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("certificate ") {
            if hex.is_some() {
                break;
            }
            if !rest.starts_with("ca ") {
                hex = Some(String::new());
            }
        } else if t == "quit" {
            if hex.is_some() {
                break;
            }
        } else if let Some(h) = hex.as_mut() {
            h.push_str(&t.replace(' ', ""));
        }
    }
    let hex = hex?;
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

fn armour(der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

async fn keypairs(call: &Call<'_>) -> Result<Vec<KeyPairInfo>, ApiError> {
    let [rsa, ecdsa] = show(
        call,
        [
            "show crypto key mypubkey rsa".to_owned(),
            "show crypto key mypubkey ecdsa".to_owned(),
        ],
    )
    .await?;
    let mut out = Vec::new();
    for (text, kind) in [(rsa, "rsa"), (ecdsa, "ecdsa")] {
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("Key name: ") {
                out.push(KeyPairInfo {
                    name: name.trim().to_owned(),
                    kind,
                    size: 0,
                });
            } else if let Some(size) = line
                .trim()
                .strip_prefix("Modulus Size (bits): ")
                .or_else(|| line.trim().strip_prefix("Key Size (bits): "))
                && let Some(k) = out.last_mut()
            {
                k.size = size.parse().unwrap_or(0);
            }
        }
    }
    Ok(out)
}

async fn find_keypair(call: &Call<'_>, name: &str) -> Result<KeyPairInfo, ApiError> {
    keypairs(call)
        .await?
        .into_iter()
        .find(|k| k.name == name)
        .ok_or_else(|| ApiError::ObjectNotFound(name.to_owned()))
}

fn keypair_json(call: &Call<'_>, k: &KeyPairInfo) -> Value {
    json!({
        "kind": "object#Keypair",
        "selfLink": call.origin.item_url(KEYPAIR_PATH, &k.name),
        "name": k.name,
        "objectId": k.name,
        "type": k.kind,
        "size": k.size,
        "usage": "General Purpose",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cert_text_in_every_line_form() {
        let der = vec![0x30u8, 0x82, 0x01, 0x02, 0xff, 0x00, 0x10];
        let b64 = STANDARD.encode(&der);
        let forms = [
            json!(["-----BEGIN PKCS12-----", b64, "-----END PKCS12-----"]),
            json!([
                format!("-----BEGIN PKCS12-----\n"),
                format!("{b64}\n"),
                "-----END PKCS12-----\n"
            ]),
            json!([format!(
                "-----BEGIN PKCS12-----\n{}\n{}\n-----END PKCS12-----",
                &b64[..4],
                &b64[4..]
            )]),
        ];
        for f in forms {
            assert_eq!(pkcs12_bytes(&f), Some(der.clone()), "{f}");
        }
        assert_eq!(
            pkcs12_bytes(&json!([
                "-----BEGIN PKCS12-----",
                "!!",
                "-----END PKCS12-----"
            ])),
            None
        );
        assert_eq!(pkcs12_bytes(&json!(3)), None);
    }

    #[test]
    fn names_are_single_printable_words() {
        assert!(check_name("name", "TP-1").is_ok());
        for bad in ["", "a b", "x\ny", "-noconfirm", &"a".repeat(65)] {
            assert!(check_name("name", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reads_certificate_details_as_lina_prints_them() {
        let text = "CA Certificate\n  Status: Available\n  Certificate Serial Number: 01\n\nCertificate\n  Status: Available\n  Certificate Serial Number: 5a\n  Certificate Usage: General Purpose\n  Public Key Type: RSA (2048 bits)\n  Issuer Name: \n    cn=ca\n  Subject Name:\n    cn=asa\n    o=x\n  Validity Date: \n    start date: 16:37:44 UTC Dec 03 2019\n    end   date: 16:37:44 UTC Dec 03 2029\n  Storage: config\n  Associated Trustpoints: TP \n";
        let d = parse_details(text, "TP").unwrap();
        assert_eq!(d["serialNumber"], "5a");
        assert_eq!(d["validityEndDate"], "16:37:44 UTC Dec 03 2029");
        assert_eq!(d["subject"], json!(["cn=asa", "o=x"]));
        assert_eq!(d["issuer"], json!(["cn=ca"]));
        assert_eq!(parse_details("", "TP"), None);
    }

    #[test]
    fn finds_the_identity_certificate_of_a_chain() {
        let text = "crypto ca certificate chain TP\n certificate ca 01\n    3001\n  quit\n certificate 0a\n    30820001 ff\n  quit\n";
        assert_eq!(identity_der(text, "TP"), Some(vec![0x30, 0x82, 0, 1, 0xff]));
        assert_eq!(identity_der(text, "OTHER"), None);
    }
}
