//! Checks the `show` parsers (cli-translator/src/show/) against every real sample of their
//! commands in a corpus directory: ntc-templates `tests/cisco_asa/<command>/*.raw` with the
//! TextFSM values in the `.yml` beside each, and genieparser `tests/<Parser>/cli/equal/*_output.txt`
//! with the Python dict in `*_expected.py`. For each sample, every field both sides model is
//! compared.
//!
//! Usage: `cargo run -p cli-translator --example show_corpus -- <corpus-dir>`; prints each
//! failing sample with its differences, then `N ok, M failed`; exits non-zero when one fails.

#![recursion_limit = "256"]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cli_translator::show::{arp, cpu, interface, version};
use serde_json::{Map, Value, json};

// ===== tiny readers for the expected-value formats =====

/// The `parsed_sample:` list of an ntc-templates `.yml`: records of string or string-list values.
fn read_ntc_yaml(text: &str) -> Vec<Map<String, Value>> {
    let mut records: Vec<Map<String, Value>> = Vec::new();
    let mut list_key: Option<String> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        if t.is_empty() || t == "---" || t == "parsed_sample:" {
            continue;
        }
        let mut body = t;
        if indent <= 2 && t.starts_with("- ") {
            records.push(Map::new());
            body = t.trim_start_matches("- ").trim();
            list_key = None;
        } else if let Some(item) = t.strip_prefix("- ") {
            if let (Some(k), Some(rec)) = (&list_key, records.last_mut())
                && let Some(Value::Array(a)) = rec.get_mut(k)
            {
                a.push(Value::String(unquote(item)));
            }
            continue;
        }
        let Some((k, v)) = body.split_once(':') else {
            continue;
        };
        let v = v.trim();
        let Some(rec) = records.last_mut() else {
            continue;
        };
        if v.is_empty() || v == "[]" {
            rec.insert(k.to_owned(), Value::Array(Vec::new()));
            list_key = Some(k.to_owned());
        } else {
            rec.insert(k.to_owned(), Value::String(unquote(v)));
            list_key = None;
        }
    }
    records
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    v.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v)
        .to_owned()
}

/// A Python literal (dicts, lists, tuples, strings, numbers, True/False/None) as JSON; dict keys
/// become strings.
struct Py<'a> {
    s: &'a [u8],
    i: usize,
}

impl Py<'_> {
    fn skip(&mut self) {
        while let Some(&c) = self.s.get(self.i) {
            if c == b'#' {
                while self.s.get(self.i).is_some_and(|&c| c != b'\n') {
                    self.i += 1;
                }
            } else if c.is_ascii_whitespace() || c == b'\\' {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn string(&mut self) -> Option<String> {
        let mut out = String::new();
        // Adjacent literals concatenate.
        while let Some(q @ (b'\'' | b'"')) = self.peek() {
            self.i += 1;
            let mut bytes = Vec::new();
            loop {
                let c = *self.s.get(self.i)?;
                self.i += 1;
                if c == q {
                    break;
                }
                if c == b'\\' {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    bytes.push(match e {
                        b'n' => b'\n',
                        b't' => b'\t',
                        other => other,
                    });
                } else {
                    bytes.push(c);
                }
            }
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
        Some(out)
    }

    fn value(&mut self) -> Option<Value> {
        match self.peek()? {
            b'{' => {
                self.i += 1;
                let mut m = Map::new();
                while !self.eat(b'}') {
                    let k = match self.value()? {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    if !self.eat(b':') {
                        return None;
                    }
                    let v = self.value()?;
                    m.insert(k, v);
                    self.eat(b',');
                }
                Some(Value::Object(m))
            }
            open @ (b'[' | b'(') => {
                self.i += 1;
                let close = if open == b'[' { b']' } else { b')' };
                let mut a = Vec::new();
                while !self.eat(close) {
                    a.push(self.value()?);
                    self.eat(b',');
                }
                Some(Value::Array(a))
            }
            b'\'' | b'"' => self.string().map(Value::String),
            _ => {
                let start = self.i;
                while self
                    .s
                    .get(self.i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
                {
                    self.i += 1;
                }
                let word = std::str::from_utf8(self.s.get(start..self.i)?).ok()?;
                match word {
                    "True" => Some(Value::Bool(true)),
                    "False" => Some(Value::Bool(false)),
                    "None" => Some(Value::Null),
                    w => w
                        .parse::<i64>()
                        .map(Value::from)
                        .or_else(|_| w.parse::<f64>().map(Value::from))
                        .ok(),
                }
            }
        }
    }
}

fn read_python(text: &str) -> Option<Value> {
    let at = text.find('=')?;
    let mut p = Py {
        s: text.get(at + 1..)?.as_bytes(),
        i: 0,
    };
    p.value()
}

// ===== our parsed values, in the samples' vocabulary =====

fn s(v: Option<impl ToString>) -> Value {
    Value::String(v.map(|v| v.to_string()).unwrap_or_default())
}

fn ntc_version(v: &version::Version) -> Map<String, Value> {
    let m = json!({
        "version": s(v.asa_version.as_ref()),
        "device_mgr_version": s(v.device_manager_version.as_ref()),
        "compile_date": s(v.compiled.as_deref().and_then(|c| c.split_whitespace().nth(1))),
        "image": s(v.image.as_ref()),
        "hostname": s(v.hostname.as_ref()),
        "uptime": s(v.uptime.as_ref()),
        "hardware": s(v.hardware.as_ref()),
        "model": s(v.model_id.as_ref()),
        "flash": s(v.flash.as_ref()),
        "interfaces": v.interfaces.iter().map(|i| i.name.clone()).collect::<Vec<_>>(),
        "license_mode": s(v.license_mode.as_ref()),
        "license_state": s(v.license_state.as_ref()),
        "max_intf": s(v.feature("Maximum Physical Interfaces")),
        "max_vlans": s(v.feature("Maximum VLANs")),
        "failover": s(v.feature("Failover")),
        "cluster": s(v.feature("Cluster")),
        "serial": v.serial_numbers,
        "last_mod": s(match (&v.last_modified_by, &v.last_modified_at) {
            (Some(by), Some(at)) => Some(format!("{by} at {at}")),
            (by, _) => by.clone(),
        }),
    });
    m.as_object().cloned().unwrap_or_default()
}

fn genie_version(v: &version::Version) -> Value {
    let interfaces: Map<String, Value> = v
        .interfaces
        .iter()
        .map(|i| {
            (
                i.index.to_string(),
                json!({"interface": i.name, "mac_addr": i.mac_address, "intf_irq": i.irq}),
            )
        })
        .collect();
    json!({"version": {
        "asa_version": v.asa_version,
        "asdm_version": v.device_manager_version,
        "hostname": v.hostname,
        "uptime": v.uptime,
        "asa_model": v.model_id,
        "serial_number": v.serial_numbers.first(),
        "license_mode": v.license_mode,
        "license_state": v.license_state,
        "system_image": v.image,
        "boot_config_file": v.boot_config,
        "compiled_date": v.compiled,
        "compiled_by": v.compiled_by,
        "last_modified_by": v.last_modified_by,
        "last_modified_date": v.last_modified_at,
        "interfaces": interfaces,
    }})
}

fn ntc_arp(e: &arp::ArpEntry) -> Map<String, Value> {
    let ip = match e.prefix_length {
        Some(l) => format!("{}/{l}", e.ip),
        None => e.ip.to_string(),
    };
    json!({"interface": e.interface, "ip_address": ip, "mac_address": e.mac_address, "age": e.age.to_string()})
        .as_object()
        .cloned()
        .unwrap_or_default()
}

fn genie_arp(entries: &[arp::ArpEntry]) -> Value {
    let mut out = Map::new();
    for e in entries {
        let (key, mut n) = match e.prefix_length {
            Some(l) => (
                format!("{}/{l}", e.ip),
                json!({"ip": e.ip.to_string(), "prefix_length": l.to_string()}),
            ),
            None => (e.ip.to_string(), json!({"ip": e.ip.to_string()})),
        };
        if let Some(m) = n.as_object_mut() {
            m.insert("link_layer_address".into(), json!(e.mac_address));
            m.insert("age".into(), json!(e.age.to_string()));
        }
        let intf = out
            .entry(e.interface.clone())
            .or_insert_with(|| json!({"ipv4": {"neighbors": {}}}));
        if let Some(neigh) = intf
            .pointer_mut("/ipv4/neighbors")
            .and_then(Value::as_object_mut)
        {
            neigh.insert(key, n);
        }
    }
    Value::Object(out)
}

fn ntc_interface(i: &interface::Interface) -> Map<String, Value> {
    let traffic = i.traffic.unwrap_or_default();
    let tunnel = i.tunnel.clone().unwrap_or_default();
    let cp = i.control_point.clone().unwrap_or_default();
    let members = if i.members.is_empty() {
        String::new()
    } else {
        i.members.join(" ")
    };
    json!({
        "interface": i.hardware_id,
        "interface_zone": i.nameif,
        "interface_name": i.nameif,
        "link_status": i.status,
        "protocol_status": i.line_protocol,
        "hardware_type": s(i.hardware.as_ref()),
        "bandwidth": s(i.bandwidth.as_ref()),
        "delay": s(i.delay.as_ref()),
        "duplex": s(i.duplex.as_ref()),
        "speed": s(i.speed.as_ref()),
        "description": s(i.description.as_ref()),
        "vlan_id": s(i.vlan_id),
        "bonded_port": s(i.member_of.as_ref()),
        "bonded_port_members": members,
        "mac_address": s(i.mac_address.as_ref()),
        "mtu": s(i.mtu),
        "ip_address": s(i.ip_address),
        "netmask": s(i.netmask),
        "onemin_in_pps": s(i.one_minute.input_pps),
        "onemin_in_rate": s(i.one_minute.input_bps),
        "onemin_out_pps": s(i.one_minute.output_pps),
        "onemin_out_rate": s(i.one_minute.output_bps),
        "onemin_drop_rate": s(i.one_minute.drop_pps),
        "fivemin_in_pps": s(i.five_minutes.input_pps),
        "fivemin_in_rate": s(i.five_minutes.input_bps),
        "fivemin_out_pps": s(i.five_minutes.output_pps),
        "fivemin_out_rate": s(i.five_minutes.output_bps),
        "fivemin_drop_rate": s(i.five_minutes.drop_pps),
        "tunnel_source_interface": s(tunnel.source_interface),
        "tunnel_source_ip": s(tunnel.source_ip),
        "tunnel_destination_ip": s(tunnel.destination_ip),
        "tunnel_mode": s(tunnel.mode),
        "tunnel_ipsec_profile": s(tunnel.ipsec_profile),
        // The detail template reads the first `packets input` line, whichever block it is in.
        "in_packets": s(i.counters.packets_input.or(traffic.packets_input)),
        "in_bytes": s(i.counters.bytes_input.or(traffic.bytes_input)),
        "out_packets": s(i.counters.packets_output.or(traffic.packets_output)),
        "out_bytes": s(i.counters.bytes_output.or(traffic.bytes_output)),
        "no_buffer": s(i.counters.no_buffer),
        "broadcasts": s(i.counters.broadcasts),
        "in_errors": s(i.counters.input_errors),
        "crc": s(i.counters.crc),
        "out_errors": s(i.counters.output_errors),
        "collisions": s(i.counters.collisions),
        "interface_resets": s(i.counters.interface_resets),
        "control_interface_number": s(cp.interface_number),
        "control_interface_config_status": s(cp.config_status),
        "control_interface_state": s(cp.state),
        "traffic_packets_input": s(traffic.packets_input),
    })
    .as_object()
    .cloned()
    .unwrap_or_default()
}

fn genie_interfaces(all: &[interface::Interface]) -> Value {
    let mut out = Map::new();
    for i in all {
        let mut m = Map::new();
        // genieparser's own `interface_state`/`config_status` flags are derived, not printed:
        // the printed control point states are compared instead.
        if let Some(cp) = &i.control_point {
            let mut states = Map::new();
            states.insert(
                "interface".into(),
                json!({"interface_number": cp.interface_number,
                       "interface_config_status": cp.config_status,
                       "interface_state": cp.state}),
            );
            states.insert(
                i.hardware_id.clone(),
                json!({"interface_vlan_config_status": cp.vlan_config_status,
                       "interface_vlan_state": cp.vlan_state}),
            );
            m.insert("control_point_states".into(), Value::Object(states));
        }
        m.insert("name".into(), json!(i.nameif));
        m.insert("link_status".into(), json!(i.status == "up"));
        m.insert("line_protocol".into(), json!(i.line_protocol == "up"));
        m.insert("mac_address".into(), json!(i.mac_address));
        m.insert("mtu".into(), json!(i.mtu));
        if let Some(ip) = i.ip_address {
            m.insert(
                "ipv4".into(),
                json!({ip.to_string(): {"ip": ip.to_string()}}),
            );
        }
        m.insert("subnet".into(), json!(i.netmask.map(|n| n.to_string())));
        if let Some(t) = i.traffic {
            m.insert(
                "traffic_statistics".into(),
                json!({"packets_input": t.packets_input, "bytes_input": t.bytes_input,
                       "packets_output": t.packets_output, "bytes_output": t.bytes_output,
                       "packets_dropped": t.packets_dropped}),
            );
        }
        out.insert(i.hardware_id.clone(), Value::Object(m));
    }
    json!({ "interfaces": out })
}

fn ntc_cpu(c: &cpu::CoreUsage) -> Map<String, Value> {
    let f = |x: f64| format!("{x:.1}");
    json!({
        "core": c.core,
        "cpu_5_sec": f(c.five_seconds.total), "cpu_5_sec_dp": f(c.five_seconds.data_path), "cpu_5_sec_cp": f(c.five_seconds.control_point),
        "cpu_1_min": f(c.one_minute.total), "cpu_1_min_dp": f(c.one_minute.data_path), "cpu_1_min_cp": f(c.one_minute.control_point),
        "cpu_5_min": f(c.five_minutes.total), "cpu_5_min_dp": f(c.five_minutes.data_path), "cpu_5_min_cp": f(c.five_minutes.control_point),
    })
    .as_object()
    .cloned()
    .unwrap_or_default()
}

// ===== comparison =====

/// Every key of `expected` that `ours` models must be equal (recursively for objects).
fn subset_diff(path: &str, expected: &Value, ours: &Value, out: &mut Vec<String>) {
    match (expected, ours) {
        (Value::Object(e), Value::Object(o)) => {
            for (k, ev) in e {
                let p = format!("{path}/{k}");
                match o.get(k) {
                    Some(ov) => subset_diff(&p, ev, ov, out),
                    // A key whose parent we model but that we do not: only for object keys
                    // (interface names, addresses), which must all be there.
                    None if is_data_key(k) => out.push(format!("{p}: missing")),
                    None => {}
                }
            }
        }
        (e, o) if e == o => {}
        (e, o) => out.push(format!("{path}: expected {e}, got {o}")),
    }
}

/// Keys that name data (an interface, an address, an index) rather than a field.
fn is_data_key(k: &str) -> bool {
    k.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        || k.contains('/')
}

fn compare_records(expected: &[Map<String, Value>], ours: &[Map<String, Value>]) -> Vec<String> {
    let mut diffs = Vec::new();
    if expected.len() != ours.len() {
        diffs.push(format!(
            "{} records expected, {} parsed",
            expected.len(),
            ours.len()
        ));
    }
    for (n, (e, o)) in expected.iter().zip(ours).enumerate() {
        for (k, ev) in e {
            if let Some(ov) = o.get(k)
                && ev != ov
            {
                diffs.push(format!("record {n} {k}: expected {ev}, got {ov}"));
            }
        }
    }
    diffs
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// What one sample is, from its path.
fn check(path: &Path) -> Option<Vec<String>> {
    let p = path.to_string_lossy().replace('\\', "/");
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    if p.contains("ntc-templates/") && p.ends_with(".raw") {
        let cmd = path.parent()?.file_name()?.to_str()?;
        let expected = read_ntc_yaml(&read(&path.with_extension("yml"))?);
        let raw = read(path)?;
        let ours: Vec<Map<String, Value>> = match cmd {
            "show_version" => vec![ntc_version(&version::parse(&raw))],
            "show_arp" => arp::parse(&raw).iter().map(ntc_arp).collect(),
            "show_interface" | "show_interface_detail" => {
                interface::parse(&raw).iter().map(ntc_interface).collect()
            }
            "show_cpu_usage_detailed" => cpu::parse(&raw).cores.iter().map(ntc_cpu).collect(),
            _ => return None,
        };
        let mut expected = expected;
        for (n, r) in expected.iter_mut().enumerate() {
            if cmd == "show_interface_detail" {
                // Its template reads the duplex and speed settings, not the negotiated ones,
                // and keeps `unassigned` / `not set` where we have no value.
                r.remove("duplex");
                r.remove("speed");
                // ... and cuts the hardware type at a `/` (`EtherChannel/LACP`).
                if let (Some(Value::String(e)), Some(o)) = (
                    r.get("hardware_type"),
                    ours.get(n).and_then(|o| o.get("hardware_type")),
                ) && o
                    .as_str()
                    .is_some_and(|o| o.split('/').next() == Some(e.as_str()))
                {
                    r.insert("hardware_type".into(), o.clone());
                }
                for v in r.values_mut() {
                    if v == "unassigned" || v == "not set" {
                        *v = json!("");
                    }
                }
            }
            // TextFSM keeps the padding after a value cut at the next field.
            for v in r.values_mut() {
                if let Value::String(s) = v {
                    *s = s.trim_end().to_owned();
                }
            }
        }
        return Some(compare_records(&expected, &ours));
    }
    if p.contains("genieparser/") && p.ends_with("_output.txt") {
        let parser = path.parent()?.parent()?.parent()?.file_name()?.to_str()?;
        let expected_path = PathBuf::from(p.replace("_output.txt", "_expected.py"));
        let expected = read_python(&read(&expected_path)?)?;
        let raw = read(path)?;
        let ours = match parser {
            "ShowVersion" => genie_version(&version::parse(&raw)),
            "ShowArp" => genie_arp(&arp::parse(&raw)),
            "ShowInterfaceDetail" => genie_interfaces(&interface::parse(&raw)),
            _ => return None,
        };
        let mut diffs = Vec::new();
        subset_diff("", &expected, &ours, &mut diffs);
        return Some(diffs);
    }
    None
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: show_corpus <corpus-dir>");
        return ExitCode::from(2);
    };
    let mut all = Vec::new();
    files(&dir, &mut all);
    all.sort();
    let (mut ok, mut failed) = (0usize, 0usize);
    let mut per_kind: BTreeMap<String, usize> = BTreeMap::new();
    for path in &all {
        let Some(diffs) = check(path) else { continue };
        let kind = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .map(|n| if n == "equal" { "genieparser" } else { n })
            .unwrap_or("?")
            .to_owned();
        *per_kind.entry(kind).or_default() += 1;
        if diffs.is_empty() {
            ok += 1;
        } else {
            failed += 1;
            println!("FAIL {}", path.display());
            for d in diffs.iter().take(12) {
                println!("    {d}");
            }
        }
    }
    let kinds: Vec<String> = per_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!("show samples: {}", kinds.join(", "));
    println!("{ok} ok, {failed} failed");
    if failed == 0 && ok > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
