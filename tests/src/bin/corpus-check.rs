//! Corpus check run by `.ci/run`: every running configuration under the corpus directory boots
//! lina-sim, and `GET /api/objects/networkobjects` through the agent lists exactly the
//! configuration's `object network` definitions (names counted by a plain text scan here,
//! independent of the translator's grammar); likewise `networkobjectgroups`,
//! `networkservicegroups` and `networkservices` (the latter plus the predefined services),
//! `timeranges`, `regularexpressions`, `localusergroups`, `securityobjectgroups` and
//! `localusers` (plus the user this check adds); `extendedacls` lists every list with an
//! `extended` entry, and each list's `aces` total is its number of `extended` lines.
//! NAT: `/api/nat/before`, `/auto` and `/after` together list every top-level `nat` line and
//! every defined object's `nat` rule, except the lines the translator's NAT grammar does not
//! model: those are counted (reported in the summary), never dropped silently.
//!
//! Interfaces: `/api/interfaces/{physical,vlan,portchannel,redundant,bvi}` together list
//! every `interface` block of a family the API knows, each item with its objectId,
//! `ipAddress` and `ipv6Info`.
//!
//! Static routes: `/api/routing/static` lists one route per distinct top-level `route` or
//! `ipv6 route` line, each with its kind, 8-hex-digit objectId, interface name and network.
//!
//! Usage: `corpus-check <corpus-dir>`; exits non-zero on any mismatch.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use agent::api::{self, ApiConfig};
use agent::lina_client::LinaClient;
use base64::Engine as _;
use bytes::Bytes;
use cli_translator::protocol::{Exec, ExecMode};
use cli_translator::resources::service_object::PREDEFINED;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;
use lina_sim::SimOptions;
use tokio::net::TcpStream;

const SECRET: &str = "corpus-check-secret";
const NETWORK_OBJECTS: &str = "/api/objects/networkobjects";
const SERVICES: &str = "/api/objects/networkservices";
/// Extended ACLs: named by their `access-list <name> extended` lines.
const EXTENDED_ACLS: &str = "/api/objects/extendedacls";
/// Collections compared besides network objects: (API path, block header in the configuration).
const GROUP_LISTS: &[(&str, &str)] = &[
    (EXTENDED_ACLS, "access-list "),
    ("/api/objects/networkobjectgroups", "object-group network "),
    ("/api/objects/networkservicegroups", "object-group service "),
    (SERVICES, "object service "),
    ("/api/objects/timeranges", "time-range "),
    ("/api/objects/regularexpressions", "regex "),
    ("/api/objects/localusergroups", "object-group user "),
    (
        "/api/objects/securityobjectgroups",
        "object-group security ",
    ),
    (LOCAL_USERS, "username "),
];
/// Local users: the configuration's plus the one this check adds.
const LOCAL_USERS: &str = "/api/objects/localusers";
const USER: &str = "corpus-check";
const PASSWORD: &str = "Corpus-check-1";

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: corpus-check <corpus-dir>");
        return ExitCode::from(2);
    };
    let files = match running_configs(&dir) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            eprintln!(
                "corpus-check: no running configuration under {}",
                dir.display()
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("corpus-check: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("corpus-check: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut failures = 0usize;
    let mut objects = 0usize;
    for file in &files {
        match runtime.block_on(check(file)) {
            Ok(n) => objects += n,
            Err(e) => {
                failures += 1;
                eprintln!("FAIL {}: {e}", file.display());
            }
        }
    }
    println!(
        "corpus-check: {} configurations, {objects} network objects listed through the API, {failures} failures",
        files.len()
    );
    println!(
        "corpus-check: {} NAT rules listed through the API, {} NAT lines not modelled (not listed)",
        NAT_LISTED.load(std::sync::atomic::Ordering::Relaxed),
        NAT_UNMODELLED.load(std::sync::atomic::Ordering::Relaxed)
    );
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Files that hold a running configuration (the same rule as the translator's corpus example).
fn running_configs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let skip = ["yml", "yaml", "json", "py", "md"];
            if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| skip.contains(&e))
            {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if text.lines().any(|l| {
                l.starts_with("ASA Version")
                    || l.starts_with(": Saved")
                    || l.starts_with("hostname ")
            }) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Names of `object network` blocks that define an address or a description.
fn expected_objects(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed
            .strip_prefix("object network ")
            .filter(|_| !line.starts_with(' '))
        {
            current = Some(name.trim().to_owned());
            continue;
        }
        let is_member = ["host ", "subnet ", "range ", "fqdn ", "description "]
            .iter()
            .any(|k| trimmed.starts_with(k));
        match (&current, is_member) {
            (Some(name), true) => {
                names.insert(name.clone());
            }
            // Indented lines we do not count (object NAT) keep the block open; any other
            // top-level line closes it.
            (Some(_), false) if !line.starts_with(' ') => current = None,
            _ => {}
        }
    }
    names
}

/// NAT rules listed through the API and NAT lines the grammar does not model, over the corpus.
static NAT_LISTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static NAT_UNMODELLED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
const NAT_SECTIONS: &[&str] = &["/api/nat/before", "/api/nat/auto", "/api/nat/after"];

/// NAT rules by a plain text scan: top-level `nat` lines, plus one per defined object that
/// has a `nat` line (an object keeps one rule).
fn expected_nat_rules(text: &str) -> usize {
    let defined = expected_objects(text);
    let mut with_nat = BTreeSet::new();
    let mut current: Option<&str> = None;
    let mut top = 0;
    for line in text.lines() {
        if !line.starts_with(' ') {
            current = line.strip_prefix("object network ").map(str::trim);
            top += usize::from(line.starts_with("nat "));
        } else if let Some(name) = current
            && line.trim_start().starts_with("nat ")
            && defined.contains(name)
        {
            with_nat.insert(name);
        }
    }
    top + with_nat.len()
}

/// Names of the top-level blocks opening with `header` (the next word), predefined services aside.
fn expected_blocks(text: &str, header: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix(header))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// Names of the access lists with at least one `extended` entry.
fn expected_extended_acls(text: &str) -> BTreeSet<String> {
    extended_lines(text).collect()
}

/// `<name>:<entries>` for every access list with `extended` entries.
fn expected_ace_counts(text: &str) -> BTreeSet<String> {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for name in extended_lines(text) {
        *counts.entry(name).or_default() += 1;
    }
    counts.iter().map(|(n, c)| format!("{n}:{c}")).collect()
}

/// The list name of every top-level `access-list <name> [line <n>] extended` line.
fn extended_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().filter_map(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        match words.as_slice() {
            ["access-list", name, "extended", ..]
            | ["access-list", name, "line", _, "extended", ..]
                if !l.starts_with(' ') =>
            {
                Some((*name).to_owned())
            }
            _ => None,
        }
    })
}

async fn check(file: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let expected = expected_objects(&text);
    let state =
        std::env::temp_dir().join(format!("corpus-check-{}-{}", std::process::id(), unique()));
    let _cleanup = Cleanup(state.clone());
    let mut opts = SimOptions::new(&state);
    opts.startup_config = Some(file.to_path_buf());
    opts.default_admin_password = Some(PASSWORD.to_owned());
    let sim = lina_sim::start(opts)
        .await
        .map_err(|e| format!("lina-sim did not boot: {e}"))?;
    let result = list_through_api(sim.protocol_addr, &sim.channel_secret).await;
    sim.shutdown();
    let lists = result?;
    let mut expected_lists = vec![("network objects", expected)];
    for (path, prefix) in GROUP_LISTS {
        let mut names = expected_blocks(&text, prefix);
        if *path == EXTENDED_ACLS {
            names = expected_extended_acls(&text);
        }
        if *path == SERVICES {
            names.extend(PREDEFINED.iter().map(|(n, _)| (*n).to_owned()));
        }
        if *path == LOCAL_USERS {
            names.insert(USER.to_owned());
        }
        expected_lists.push((path, names));
    }
    // Then the entry count of each extended ACL, as `<name>:<count>`.
    expected_lists.push(("extended ACL entry counts", expected_ace_counts(&text)));
    // Then the hardware ids of the interfaces.
    expected_lists.push(("interfaces", expected_interfaces(&text)));
    // Then the number of static routes.
    expected_lists.push((
        "static routes",
        BTreeSet::from([expected_routes(&text).to_string()]),
    ));
    // Last: the NAT rules listed, plus those the grammar does not model (counted apart).
    let unmodelled = cli_translator::running::RunningConfig::parse(&text)
        .nat
        .unmodelled
        .len();
    let listed_nat = lists
        .last()
        .and_then(|l| l.first())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    NAT_LISTED.fetch_add(listed_nat, std::sync::atomic::Ordering::Relaxed);
    NAT_UNMODELLED.fetch_add(unmodelled, std::sync::atomic::Ordering::Relaxed);
    let nat_expected = expected_nat_rules(&text).saturating_sub(unmodelled);
    expected_lists.push((
        "NAT rules (listed; not-modelled lines excluded)",
        BTreeSet::from([nat_expected.to_string()]),
    ));
    for ((what, expected), listed) in expected_lists.iter().zip(&lists) {
        if listed != expected {
            let missing: Vec<_> = expected.difference(listed).collect();
            let extra: Vec<_> = listed.difference(expected).collect();
            return Err(format!(
                "{what} differ: missing {missing:?}, unexpected {extra:?}"
            ));
        }
    }
    Ok(lists.first().map_or(0, BTreeSet::len))
}

async fn list_through_api(
    lina: SocketAddr,
    secret: &cli_translator::protocol::ChannelSecret,
) -> Result<Vec<BTreeSet<String>>, String> {
    // The corpus configurations have their own users; add ours through LINA as an operator would.
    let (client, _) = LinaClient::connect(lina, "rest-daemon/corpus-check", Some(secret))
        .await
        .map_err(|e| e.to_string())?;
    let add_user = Exec {
        user: "enable_15".into(),
        privilege: 15,
        source: "127.0.0.1".parse().map_err(|_| "bad address")?,
        context: None,
        mode: ExecMode::Config,
        atomic: true,
        commands: vec![format!("username {USER} password {PASSWORD} privilege 15")],
        expected_generation: None,
    };
    let added = client.exec(add_user).await.map_err(|e| e.to_string())?;
    if !added.applied {
        return Err(format!(
            "could not add the check's user: {:?}",
            added.outcomes
        ));
    }
    let server = api::serve(ApiConfig {
        secret: SECRET.into(),
        lina,
        lina_secret: Some(secret.clone()),
        listen: "127.0.0.1:0".parse().map_err(|_| "bad address")?,
        body_limit: 1 << 20,
    })
    .await
    .map_err(|e| format!("agent did not start: {e}"))?;
    let addr = server.local_addr();
    let mut lists = Vec::with_capacity(1 + GROUP_LISTS.len());
    let paths = std::iter::once(NETWORK_OBJECTS).chain(GROUP_LISTS.iter().map(|(p, _)| *p));
    for path in paths {
        match list_names(addr, path).await {
            Ok(names) => lists.push(names),
            Err(e) => {
                server.shutdown().await;
                return Err(e);
            }
        }
    }
    let acls = GROUP_LISTS
        .iter()
        .position(|(p, _)| *p == EXTENDED_ACLS)
        .and_then(|i| lists.get(i + 1))
        .cloned()
        .unwrap_or_default();
    match ace_counts(addr, &acls).await {
        Ok(counts) => lists.push(counts),
        Err(e) => {
            server.shutdown().await;
            return Err(e);
        }
    }
    match list_interfaces(addr).await {
        Ok(ids) => lists.push(ids),
        Err(e) => {
            server.shutdown().await;
            return Err(e);
        }
    }
    match route_count(addr).await {
        Ok(n) => lists.push(BTreeSet::from([n.to_string()])),
        Err(e) => {
            server.shutdown().await;
            return Err(e);
        }
    }
    match nat_total(addr).await {
        Ok(total) => lists.push(BTreeSet::from([total.to_string()])),
        Err(e) => {
            server.shutdown().await;
            return Err(e);
        }
    }
    server.shutdown().await;
    Ok(lists)
}

/// Static routes by a plain text scan: distinct top-level `route` and `ipv6 route` lines.
fn expected_routes(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with("route ") || l.starts_with("ipv6 route "))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<BTreeSet<_>>()
        .len()
}

/// The number of static routes, paging as clients do; every item must carry its kind, an
/// 8-hex-digit objectId, its interface's name and its network.
async fn route_count(addr: SocketAddr) -> Result<usize, String> {
    let mut offset = 0u64;
    loop {
        let page = get_json(
            addr,
            &format!("/api/routing/static?offset={offset}&limit=100"),
        )
        .await?;
        let items = page["items"].as_array().ok_or("no items array")?;
        for item in items {
            let id = item["objectId"].as_str().unwrap_or_default();
            let hex = id.len() == 8
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            let kind = item["kind"].as_str().unwrap_or_default();
            if !hex
                || !matches!(kind, "object#IPv4Route" | "object#IPv6Route")
                || item["interface"]["name"].as_str().is_none()
                || item["network"]["value"].as_str().is_none()
            {
                return Err(format!("static route item malformed: {item}"));
            }
        }
        let n = page["rangeInfo"]["limit"]
            .as_u64()
            .ok_or("no rangeInfo.limit")?;
        let total = page["rangeInfo"]["total"]
            .as_u64()
            .ok_or("no rangeInfo.total")?;
        offset += n;
        if offset >= total || n == 0 {
            return usize::try_from(total).map_err(|e| e.to_string());
        }
    }
}

/// `<name>:<total>` of the `aces` collection of every listed ACL.
async fn ace_counts(addr: SocketAddr, acls: &BTreeSet<String>) -> Result<BTreeSet<String>, String> {
    let mut counts = BTreeSet::new();
    for name in acls {
        let path = format!(
            "{EXTENDED_ACLS}/{}/aces?limit=1",
            agent::api::links::encode_segment(name)
        );
        let page = get_json(addr, &path).await?;
        let total = page["rangeInfo"]["total"]
            .as_u64()
            .ok_or_else(|| format!("no rangeInfo.total for the entries of {name}"))?;
        counts.insert(format!("{name}:{total}"));
    }
    Ok(counts)
}

/// The number of NAT rules of the three sections, paging as clients do; every item must carry
/// its kind, a decimal objectId and its position.
async fn nat_total(addr: SocketAddr) -> Result<usize, String> {
    let mut total = 0;
    for path in NAT_SECTIONS {
        let mut offset = 0u64;
        loop {
            let page = get_json(addr, &format!("{path}?offset={offset}&limit=100")).await?;
            let items = page["items"].as_array().ok_or("no items array")?;
            for (k, item) in items.iter().enumerate() {
                let id = item["objectId"].as_str().unwrap_or_default();
                if id.parse::<u32>().is_err() || item["kind"].as_str().is_none() {
                    return Err(format!(
                        "{path}: item without kind or decimal objectId: {item}"
                    ));
                }
                if item["position"].as_u64() != Some(offset + k as u64 + 1) {
                    return Err(format!("{path}: item {id} at the wrong position"));
                }
            }
            let n = page["rangeInfo"]["limit"]
                .as_u64()
                .ok_or("no rangeInfo.limit")?;
            let all = page["rangeInfo"]["total"]
                .as_u64()
                .ok_or("no rangeInfo.total")?;
            total += items.len();
            offset += n;
            if offset >= all || n == 0 {
                break;
            }
        }
    }
    Ok(total)
}

/// The interface collections, by URL segment.
const INTERFACE_FAMILIES: &[&str] = &["physical", "vlan", "portchannel", "redundant", "bvi"];

/// Hardware ids of the `interface` blocks the API lists: ports (`X/Y`, internal ones aside),
/// sub-interfaces (`X.N`), `Vlan<n>`, `Port-channel<n>`, `Redundant<n>` and `BVI<n>`.
fn expected_interfaces(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("interface "))
        .map(|rest| rest.split_whitespace().collect::<String>())
        .filter(|hw| {
            let numbered = |p: &str| {
                hw.strip_prefix(p)
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            };
            hw.contains('.')
                || (hw.contains('/') && !hw.starts_with("Internal"))
                || ["Vlan", "Port-channel", "Redundant", "BVI"]
                    .iter()
                    .any(|p| numbered(p))
        })
        .collect()
}

/// The hardware ids listed by the interface collections, checking each item's objectId,
/// `ipAddress` and `ipv6Info`.
async fn list_interfaces(addr: SocketAddr) -> Result<BTreeSet<String>, String> {
    let mut ids = BTreeSet::new();
    for family in INTERFACE_FAMILIES {
        let mut offset = 0u64;
        loop {
            let path = format!("/api/interfaces/{family}?offset={offset}&limit=100");
            let page = get_json(addr, &path).await?;
            let items = page["items"].as_array().ok_or("no items array")?;
            let limit = page["rangeInfo"]["limit"]
                .as_u64()
                .ok_or("no rangeInfo.limit")?;
            let total = page["rangeInfo"]["total"]
                .as_u64()
                .ok_or("no rangeInfo.total")?;
            for item in items {
                let hw = item["hardwareID"]
                    .as_str()
                    .ok_or_else(|| format!("{family}: item without hardwareID"))?;
                let id = hw.replacen('/', "_API_SLASH_", 1);
                if item["objectId"].as_str() != Some(id.as_str()) {
                    return Err(format!("{family}: objectId of {hw} is not {id}"));
                }
                if item.get("ipAddress").is_none_or(|v| v.is_null())
                    || !item["ipv6Info"].is_object()
                {
                    return Err(format!("{family}: {hw} lacks ipAddress or ipv6Info"));
                }
                ids.insert(hw.to_owned());
            }
            offset += limit;
            if offset >= total || limit == 0 {
                break;
            }
        }
    }
    Ok(ids)
}

/// Every name in the collection at `path`, paging as clients do.
async fn list_names(addr: SocketAddr, path: &str) -> Result<BTreeSet<String>, String> {
    let mut names = BTreeSet::new();
    let mut offset = 0u64;
    loop {
        let page = get_json(addr, &format!("{path}?offset={offset}&limit=100")).await?;
        let items = page["items"].as_array().ok_or("no items array")?;
        let total = page["rangeInfo"]["total"]
            .as_u64()
            .ok_or("no rangeInfo.total")?;
        let limit = page["rangeInfo"]["limit"]
            .as_u64()
            .ok_or("no rangeInfo.limit")?;
        if limit != items.len() as u64 {
            return Err(format!("rangeInfo.limit {limit} but {} items", items.len()));
        }
        for item in items {
            let name = item["name"].as_str().ok_or("item without name")?;
            if item["objectId"].as_str() != Some(name) {
                return Err(format!("objectId of {name} is not its name"));
            }
            names.insert(name.to_owned());
        }
        offset += limit;
        if offset >= total || limit == 0 {
            if names.len() as u64 != total {
                return Err(format!("total {total} but {} distinct names", names.len()));
            }
            break;
        }
    }
    Ok(names)
}

async fn get_json(addr: SocketAddr, path: &str) -> Result<serde_json::Value, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    let req = Request::get(path)
        .header("host", "corpus.check")
        .header("authorization", format!("Basic {auth}"))
        .header("x-asa-channel-secret", SECRET)
        .header("x-asa-client", "127.0.0.1:40000")
        .header("x-asa-scheme", "https")
        .body(Empty::<Bytes>::new())
        .map_err(|e| e.to_string())?;
    let res = sender.send_request(req).await.map_err(|e| e.to_string())?;
    let status = res.status();
    let body = res
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    if !status.is_success() {
        return Err(format!(
            "GET {path}: {status} {}",
            String::from_utf8_lossy(&body)
        ));
    }
    serde_json::from_slice(&body).map_err(|e| format!("GET {path}: {e}"))
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Removes the temporary state directory.
struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_interfaces_the_api_lists() {
        let text = "interface GigabitEthernet0/0\n nameif a\ninterface GigabitEthernet 0/1\n\
                    interface GigabitEthernet0/1.5\ninterface Tunnel1\ninterface Vlan10\n\
                    interface Internal-Data0/0\ninterface Port-channel2\n";
        let ids: Vec<_> = expected_interfaces(text).into_iter().collect();
        assert_eq!(
            ids,
            [
                "GigabitEthernet0/0",
                "GigabitEthernet0/1",
                "GigabitEthernet0/1.5",
                "Port-channel2",
                "Vlan10"
            ]
        );
    }

    #[test]
    fn counts_group_blocks_by_name() {
        let text = "object-group service a tcp\n port-object eq 80\nobject-group service b\n\
                    object-group network c\n network-object host 1.1.1.1\n";
        let names: Vec<_> = expected_blocks(text, "object-group service ")
            .into_iter()
            .collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn counts_nat_lines_and_one_rule_per_defined_object() {
        let text = "object network a\n host 1.1.1.1\nnat (in,out) source static a a\n\
                    object network a\n nat (in,out) static 2.2.2.2\nobject network ghost\n nat (in,out) dynamic interface\n\
                    nat (in,out) after-auto source dynamic any interface\n";
        assert_eq!(expected_nat_rules(text), 3);
    }

    #[test]
    fn counts_defined_objects_once() {
        let text = "object network a\n host 1.1.1.1\nobject network b\n nat (inside,outside) dynamic interface\n\
                    object network a\n nat (inside,outside) static 2.2.2.2\nobject network c\n description only\n";
        let names: Vec<_> = expected_objects(text).into_iter().collect();
        assert_eq!(names, ["a", "c"]);
    }
}
