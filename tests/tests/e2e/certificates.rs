//! Certificates end to end (issue 15): a PKCS#12 made by `openssl` imported through
//! `POST /api/certificate/identity` (201 with the messages body real devices send), listed,
//! exported as PEM, bound with `ssl trust-point` through `/api/cli` so that the next TLS
//! handshake presents it, unbound (the default certificate again), deleted; key pairs.

use std::path::PathBuf;
use std::process::Command;

use agent::api::schemas;
use cli_translator::schema::{Object, Strictness};
use serde_json::{Value, json};
use tokio::net::TcpStream;

use crate::support::*;

const IDENTITY: &str = "/api/certificate/identity";
const KEYPAIR: &str = "/api/certificate/keypair";

/// Every answer matches its declared schema exactly (no undeclared field).
#[track_caller]
fn conforms(schema: &Object, body: &Value) {
    if let Err(e) = schema.check(body, Strictness::Response) {
        panic!("{}: {e:?}\n{body}", schema.name);
    }
}

/// A scratch directory for openssl's files, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A self-signed RSA certificate (DER) and its PKCS#12 (base64 lines), made by openssl.
fn openssl_pkcs12(dir: &std::path::Path, pass: &str) -> (Vec<u8>, Vec<String>) {
    openssl_pkcs12_with(dir, pass, "rsa:2048")
}

/// The same with `newkey` (`rsa:2048`, `ec -pkeyopt ec_paramgen_curve:P-256`).
fn openssl_pkcs12_with(dir: &std::path::Path, pass: &str, newkey: &str) -> (Vec<u8>, Vec<String>) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let mut req = vec!["req", "-x509", "-newkey"];
    req.extend(newkey.split(' '));
    req.extend([
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.pem",
        "-days",
        "30",
        "-subj",
        "/CN=vpn.example.test",
    ]);
    run(&req);
    run(&[
        "pkcs12",
        "-export",
        "-inkey",
        "key.pem",
        "-in",
        "cert.pem",
        "-out",
        "id.p12",
        "-passout",
        &format!("pass:{pass}"),
    ]);
    run(&[
        "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der",
    ]);
    let der = std::fs::read(dir.join("cert.der")).expect("cert.der");
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD
        .encode(std::fs::read(dir.join("id.p12")).expect("id.p12"));
    let mut lines = vec!["-----BEGIN PKCS12-----".to_owned()];
    lines.extend(
        b64.as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned()),
    );
    lines.push("-----END PKCS12-----".to_owned());
    (der, lines)
}

/// The certificate the daemon presents to a new TLS connection.
async fn presented(stack: &tests::Stack) -> Vec<u8> {
    let connector = tests::insecure::insecure_connector().expect("connector");
    let tcp = TcpStream::connect(stack.addresses().api)
        .await
        .expect("connect");
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
    let tls = connector.connect(name, tcp).await.expect("handshake");
    let certs = tls.get_ref().1.peer_certificates().expect("certificates");
    certs.first().expect("one certificate").as_ref().to_vec()
}

/// Waits until the daemon presents (or stops presenting) `der`.
async fn wait_presented(stack: &tests::Stack, der: &[u8], want: bool) -> Vec<u8> {
    let mut last = Vec::new();
    for _ in 0..100 {
        last = presented(stack).await;
        if (last == der) == want {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    last
}

#[tokio::test]
async fn pkcs12_import_export_and_ssl_trust_point_handshake() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let dir = std::env::temp_dir().join(format!("asa-cert-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let scratch = Scratch(dir);
    let (der, lines) = openssl_pkcs12(&scratch.0, "P12-pass");
    let default_cert = presented(&stack).await;
    assert_ne!(default_cert, der);

    // The import, as cert-install-asa sends it: 201 with the messages body.
    let body = json!({"kind": "object#IdentityCertificate", "name": "VPN_TP", "certText": lines, "certPass": "P12-pass"});
    let r = ok(&stack, c.post(IDENTITY, body.clone(), &admin).await);
    expect_status(&r, 201, "PKCS12 import");
    assert_eq!(
        json(&r),
        json!({"messages":[{"level":"Warning","code":"","details":"Import PKCS12 operation completed successfully."}]})
    );
    // Again: the trust-point exists.
    let again = ok(&stack, c.post(IDENTITY, body.clone(), &admin).await);
    assert!(again.code() >= 400, "{}", again.text());
    // A wrong passphrase is refused and creates nothing.
    let bad = json!({"name": "BAD_TP", "certText": body["certText"].clone(), "certPass": "wrong"});
    let r = ok(&stack, c.post(IDENTITY, bad.clone(), &admin).await);
    expect_error(&r, 400, "wrong passphrase");

    // Listed, read, exported as PEM (the same certificate).
    let list = json(&ok(&stack, c.get(IDENTITY, &admin).await));
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["objectId"].as_str())
        .collect();
    assert_eq!(names, ["VPN_TP"]);
    for i in list["items"].as_array().unwrap() {
        conforms(&schemas::IDENTITY_CERTIFICATE, i);
    }
    let r = ok(&stack, c.get("/api/certificate/details/NOPE", &admin).await);
    expect_not_found(&r, "details of an unknown trust-point");
    let item = json(&ok(
        &stack,
        c.get(&format!("{IDENTITY}/VPN_TP"), &admin).await,
    ));
    assert_eq!(item["keyPair"], "VPN_TP");
    assert!(item.get("certPass").is_none());
    conforms(&schemas::IDENTITY_CERTIFICATE, &item);
    let pem = ok(
        &stack,
        c.get(&format!("{IDENTITY}/VPN_TP/export/PEM"), &admin)
            .await,
    );
    expect_status(&pem, 200, "PEM export");
    conforms(&schemas::PEM_EXPORT, &json(&pem));
    let pem_lines: Vec<String> = json(&pem)["certificate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        pem_lines.first().map(String::as_str),
        Some("-----BEGIN CERTIFICATE-----")
    );
    use base64::Engine as _;
    let b64: String = pem_lines
        .iter()
        .filter(|l| !l.starts_with("-----"))
        .cloned()
        .collect();
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
        der
    );
    let details = json(&ok(
        &stack,
        c.get("/api/certificate/details/VPN_TP", &admin).await,
    ));
    conforms(&schemas::CERTIFICATE_DETAILS, &details);
    assert_eq!(details["subject"], json!(["cn=vpn.example.test"]));
    assert!(
        details["validityEndDate"]
            .as_str()
            .unwrap()
            .contains(" UTC ")
    );

    // A CA certificate, as certbot-asa imports one: listed by trust-point, and at its Location.
    let ca_body = json!({"kind":"object#CACertificate","trustpointName":"LE_CA","certText":pem_lines.clone()});
    let r = ok(&stack, c.post("/api/certificate/ca", ca_body, &admin).await);
    expect_status(&r, 201, "CA import");
    let location = r.header("location").expect("Location").to_owned();
    let cas = json(&ok(&stack, c.get("/api/certificate/ca", &admin).await));
    let ca_names: Vec<&str> = cas["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["trustpointName"].as_str())
        .collect();
    assert_eq!(ca_names, ["LE_CA"]);
    conforms(&schemas::CA_CERTIFICATE, &cas["items"][0]);
    let path = format!("/api{}", location.split("/api").nth(1).unwrap_or(""));
    let one = ok(&stack, c.get(&path, &admin).await);
    expect_status(&one, 200, "the CA certificate's Location");
    conforms(&schemas::CA_CERTIFICATE, &json(&one));
    // A trust-point holding only a CA certificate is not an identity.
    let list = json(&ok(&stack, c.get(IDENTITY, &admin).await));
    assert!(
        !list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["name"] == "LE_CA"),
        "{list}"
    );
    let bad_ca = json!({"trustpointName":"BAD_CA","certText":["-----BEGIN CERTIFICATE-----","AAAA","-----END CERTIFICATE-----"]});
    let r = ok(&stack, c.post("/api/certificate/ca", bad_ca, &admin).await);
    expect_error(&r, 400, "a CA certificate that does not parse");

    let missing = ok(
        &stack,
        c.get(&format!("{IDENTITY}/NOPE/export/PEM"), &admin).await,
    );
    assert!(missing.code() == 404, "{}", missing.text());
    // The private key is not in the running configuration.
    let shown = running_config(&mut c, &admin).await;
    assert!(shown.contains("crypto ca certificate chain VPN_TP"));
    assert!(!shown.contains("PRIVATE"));

    // ssl trust-point: the next handshake presents the imported certificate.
    let out = cli(
        &mut c,
        &admin,
        &["ssl trust-point VPN_TP management", "write memory"],
    )
    .await;
    assert!(out[1].contains("[OK]"), "{out:?}");
    // Saved: the key pair beside the startup configuration, readable by its owner only, and
    // not in the startup configuration itself.
    let keys = stack.state_dir().join("crypto-keys");
    let saved = std::fs::read_to_string(&keys).expect("saved key store");
    assert!(saved.contains(" VPN_TP\n"), "{saved}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&keys).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let startup = std::fs::read_to_string(stack.state_dir().join("startup-config")).unwrap();
    assert!(startup.contains("ssl trust-point VPN_TP management"));
    let key_b64 = saved.split(' ').nth(3).unwrap();
    assert!(!startup.contains(&key_b64[..40]));
    assert_eq!(wait_presented(&stack, &der, true).await, der);
    // Unbound: the default certificate again.
    cli(&mut c, &admin, &["no ssl trust-point VPN_TP management"]).await;
    assert_eq!(wait_presented(&stack, &der, false).await, default_cert);

    // The private key leaves only in an encrypted PKCS#12, at privilege 15; openssl reads it.
    let out = cli(
        &mut c,
        &admin,
        &["crypto ca export VPN_TP pkcs12 Export-pw1"],
    )
    .await;
    let b64: String = out[0]
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN PKCS12-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    let p12 = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("base64");
    std::fs::write(scratch.0.join("export.p12"), p12).unwrap();
    let read = Command::new("openssl")
        .args([
            "pkcs12",
            "-in",
            "export.p12",
            "-passin",
            "pass:Export-pw1",
            "-nokeys",
            "-clcerts",
        ])
        .current_dir(&scratch.0)
        .output()
        .expect("openssl runs");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    assert!(String::from_utf8_lossy(&read.stdout).contains("vpn.example.test"));
    create_users(&mut c, &admin, &[("viewer", "Viewer-pw1", 5)]).await;
    let viewer = tests::Auth::basic("viewer", "Viewer-pw1");
    let r = ok(
        &stack,
        c.post(
            "/api/cli",
            json!({"commands": ["crypto ca export VPN_TP pkcs12 Export-pw1"]}),
            &viewer,
        )
        .await,
    );
    assert!(!r.text().contains("BEGIN PKCS12"), "{}", r.text());

    // Deleted, then unknown.
    let r = ok(
        &stack,
        c.delete(&format!("{IDENTITY}/VPN_TP"), &admin).await,
    );
    expect_status(&r, 204, "delete");
    let r = ok(&stack, c.get(&format!("{IDENTITY}/VPN_TP"), &admin).await);
    expect_not_found(&r, "deleted trust-point");
    let pem = ok(
        &stack,
        c.get(&format!("{IDENTITY}/VPN_TP/export/PEM"), &admin)
            .await,
    );
    assert_eq!(pem.code(), 404);
    // The imported key pair stays until zeroized, as on an ASA.
    let r = ok(&stack, c.delete(&format!("{KEYPAIR}/VPN_TP"), &admin).await);
    expect_status(&r, 204, "zeroize");
}

#[tokio::test]
async fn key_pairs_and_self_signed_enrollment() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let body = json!({"kind":"object#Keypair","name":"ec-key","type":"ecdsa","size":256,"usage":"General Purpose"});
    let r = ok(&stack, c.post(KEYPAIR, body.clone(), &admin).await);
    expect_status(&r, 201, "ecdsa key pair");
    let r = ok(&stack, c.post(KEYPAIR, body.clone(), &admin).await);
    expect_error(&r, 400, "duplicate key pair");
    let k = json(&ok(
        &stack,
        c.get(&format!("{KEYPAIR}/ec-key"), &admin).await,
    ));
    assert_eq!(
        (k["type"].as_str(), k["size"].as_u64()),
        (Some("ecdsa"), Some(256))
    );
    conforms(&schemas::KEYPAIR, &k);
    // The key pair `crypto key generate rsa` makes without a label is `<Default-RSA-Key>`.
    cli(
        &mut c,
        &admin,
        &["crypto key generate rsa modulus 2048 noconfirm"],
    )
    .await;
    let keys = json(&ok(&stack, c.get(KEYPAIR, &admin).await));
    for k in keys["items"].as_array().unwrap() {
        conforms(&schemas::KEYPAIR, k);
    }
    // The default key's label has '<' and '>': its selfLink is a URI, the label percent-encoded,
    // and it leads back to the key.
    let default = keys["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "<Default-RSA-Key>")
        .expect("the default key pair is listed");
    let link = default["selfLink"].as_str().unwrap();
    assert!(
        link.ends_with("/api/certificate/keypair/%3CDefault-RSA-Key%3E"),
        "{link}"
    );
    let again = json(&ok(
        &stack,
        c.get(&format!("{KEYPAIR}/%3CDefault-RSA-Key%3E"), &admin)
            .await,
    ));
    assert_eq!(again["selfLink"].as_str(), Some(link));
    let bad = json!({"name":"bad key","type":"rsa"});
    let r = ok(&stack, c.post(KEYPAIR, bad.clone(), &admin).await);
    expect_error(&r, 400, "name with a blank");

    // Self-signed enrollment, as dCloud's lab sends it.
    let enroll = json!({"kind":"object#IdentityCertificate","name":"SELF_TP","keyPair":"ec-key","selfSign":true,
        "enableCACheck":true,"enableProxyLDCIssuer":false,
        "enrollParameters":{"includeSerialNumber":false,"subjectDN":{"cn":["asa.example.test"],"o":["Example"]},"fqdn":"asa.example.test"}});
    let r = ok(&stack, c.post(IDENTITY, enroll.clone(), &admin).await);
    expect_status(&r, 201, "self-signed enrollment");
    let item = json(&ok(
        &stack,
        c.get(&format!("{IDENTITY}/SELF_TP"), &admin).await,
    ));
    assert_eq!(
        (item["keyPair"].as_str(), item["selfSign"].as_bool()),
        (Some("ec-key"), Some(true))
    );
    let out = cli(&mut c, &admin, &["show crypto ca certificates SELF_TP"]).await;
    assert!(out[0].contains("cn=asa.example.test"), "{out:?}");
    let pem = ok(
        &stack,
        c.get(&format!("{IDENTITY}/SELF_TP/export/PEM"), &admin)
            .await,
    );
    expect_status(&pem, 200, "PEM of the self-signed certificate");
    // Below privilege 15, writes are refused.
    create_users(&mut c, &admin, &[("reader", "Reader-pw1", 5)]).await;
    let reader = tests::Auth::basic("reader", "Reader-pw1");
    let r = ok(
        &stack,
        c.delete(&format!("{IDENTITY}/SELF_TP"), &reader).await,
    );
    expect_error(&r, 403, "reader delete");
    let list = json(&ok(&stack, c.get(KEYPAIR, &reader).await));
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["name"] == "ec-key")
    );
}

#[tokio::test]
async fn tls_proxy_instances_end_to_end() {
    const TLSPROXY: &str = "/api/firewall/tlsproxy";
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let out = cli(
        &mut c,
        &admin,
        &[
            "crypto ca trustpoint PROXY_TP",
            "enrollment self",
            "exit",
            "crypto ca trustpoint LDC",
            "enrollment self",
            "exit",
        ],
    )
    .await;
    assert!(out.iter().all(|o| !o.contains("ERROR")), "{out:?}");

    let body = json!({"kind":"object#TLSProxy","name":"sip-proxy","serverTrustPoint":"PROXY_TP",
        "serverCipherSuite":["aes128-sha1","aes256-sha1"]});
    let r = ok(&stack, c.post(TLSPROXY, body.clone(), &admin).await);
    expect_status(&r, 201, "create");
    let item = json(&ok(
        &stack,
        c.get(&format!("{TLSPROXY}/sip-proxy"), &admin).await,
    ));
    conforms(&cli_translator::resources::tls_proxy::SCHEMA, &item);
    assert_eq!(item["serverTrustPoint"], "PROXY_TP");
    assert_eq!(
        item["serverCipherSuite"],
        json!(["aes128-sha1", "aes256-sha1"])
    );
    let shown = running_config(&mut c, &admin).await;
    assert!(
        shown.contains("tls-proxy sip-proxy\n server trust-point PROXY_TP\n server cipher-suite aes128-sha1 aes256-sha1\n"),
        "{shown}"
    );

    // PATCH adds the client side; PUT replaces everything.
    let r = ok(
        &stack,
        c.patch(
            &format!("{TLSPROXY}/sip-proxy"),
            json!({"clientTrustPoint":"LDC"}),
            &admin,
        )
        .await,
    );
    expect_status(&r, 204, "patch");
    let item = json(&ok(
        &stack,
        c.get(&format!("{TLSPROXY}/sip-proxy"), &admin).await,
    ));
    assert_eq!(
        (
            item["serverTrustPoint"].as_str(),
            item["clientTrustPoint"].as_str()
        ),
        (Some("PROXY_TP"), Some("LDC"))
    );
    let r = ok(&stack, c.put(&format!("{TLSPROXY}/sip-proxy"), json!({"name":"sip-proxy","clientTrustPoint":"LDC","clientCipherSuite":["aes256-sha1"]}), &admin).await);
    expect_status(&r, 204, "put");
    let item = json(&ok(
        &stack,
        c.get(&format!("{TLSPROXY}/sip-proxy"), &admin).await,
    ));
    assert!(item.get("serverTrustPoint").is_none(), "{item}");
    assert_eq!(item["clientCipherSuite"], json!(["aes256-sha1"]));

    // Refusals: an unknown trust-point (the device's refusal), an unknown cipher; nothing changes.
    let r = ok(
        &stack,
        c.post(
            TLSPROXY,
            json!({"name":"other","serverTrustPoint":"NOPE"}),
            &admin,
        )
        .await,
    );
    assert!((400..500).contains(&r.code()), "{}", r.text());
    let r = ok(
        &stack,
        c.post(
            TLSPROXY,
            json!({"name":"other","serverCipherSuite":["aes999"]}),
            &admin,
        )
        .await,
    );
    expect_error(&r, 400, "unknown cipher");
    let list = json(&ok(&stack, c.get(TLSPROXY, &admin).await));
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    let r = ok(
        &stack,
        c.delete(&format!("{TLSPROXY}/sip-proxy"), &admin).await,
    );
    expect_status(&r, 204, "delete");
    let r = ok(
        &stack,
        c.get(&format!("{TLSPROXY}/sip-proxy"), &admin).await,
    );
    expect_not_found(&r, "deleted proxy");
}

#[tokio::test]
async fn ecdsa_pkcs12_into_an_existing_trust_point_served_without_nameif() {
    let stack = start().await;
    let admin = stack.admin();
    let mut c = client(&stack);
    let dir = std::env::temp_dir().join(format!("asa-cert-e2e-ec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let scratch = Scratch(dir);
    let (der, lines) = openssl_pkcs12_with(
        &scratch.0,
        "Ec-pass1",
        "ec -pkeyopt ec_paramgen_curve:P-256",
    );
    // The trust-point exists already (no keypair line): the import keeps the default RSA key.
    cli(
        &mut c,
        &admin,
        &["crypto ca trustpoint EC_TP", "enrollment terminal", "exit"],
    )
    .await;
    let body = json!({"name": "EC_TP", "certText": lines, "certPass": "Ec-pass1"});
    let r = ok(&stack, c.post(IDENTITY, body, &admin).await);
    // An existing trust-point is a duplicate for the API.
    expect_error(&r, 400, "import into an existing trust-point");
    let mut commands = vec!["crypto ca import EC_TP pkcs12 Ec-pass1 nointeractive".to_owned()];
    commands.extend(lines.iter().filter(|l| !l.starts_with("-----")).cloned());
    commands.push("quit".to_owned());
    let out = cli_owned(&mut c, &admin, &commands).await;
    assert!(
        out.last()
            .unwrap()
            .contains("Import PKCS12 operation completed successfully"),
        "{out:?}"
    );
    let item = json(&ok(
        &stack,
        c.get(&format!("{IDENTITY}/EC_TP"), &admin).await,
    ));
    assert_eq!(item["keyPair"], "EC_TP");
    let keys = json(&ok(&stack, c.get(KEYPAIR, &admin).await));
    let ec: Vec<&Value> = keys["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["name"] == "EC_TP")
        .collect();
    assert_eq!(
        (ec[0]["type"].as_str(), ec[0]["size"].as_u64()),
        (Some("ecdsa"), Some(256))
    );
    cli(&mut c, &admin, &["ssl trust-point EC_TP"]).await;
    assert_eq!(wait_presented(&stack, &der, true).await, der);
}
