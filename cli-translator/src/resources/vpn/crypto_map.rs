//! Crypto maps: entries (`/api/vpn/cryptomaps`, kind `object#CryptoMapEntry`, objectId
//! `<map>~<sequence>`) and their interface bindings (`/api/vpn/cryptomapinterfaces`, kind
//! `object#CryptoMapInterface`, objectId the nameif). Both shapes are ours, with the
//! attribute names the public client reads (`sequence`, `peer`,
//! `matchingTrafficSelector.objectId`).
//!
//! ASA syntax (each a top-level line):
//! ```text
//! crypto map <map> <seq> match address <acl>
//! crypto map <map> <seq> set pfs [group<n>]
//! crypto map <map> <seq> set peer <ip> [<ip>...]
//! crypto map <map> <seq> set ikev1 transform-set <ts>...
//! crypto map <map> <seq> set ikev2 ipsec-proposal <p>...
//! crypto map <map> <seq> set security-association lifetime seconds <n> | kilobytes <n>
//! crypto map <map> interface <nameif>
//! ```
//! Other settings of an entry (`set connection-type`, `ipsec-isakmp dynamic` ...) are kept
//! by writes here and stay reachable through `/api/cli`.

use std::net::IpAddr;

use serde_json::{Value, json};

use super::{bad, body_map, check_name, get, int_in, is_name, one_of, string_list};
use crate::parse::is_nameif;
use crate::resources::reference::{origin_of, ref_id, ref_json};
use crate::resources::{
    Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str,
};
use crate::schema::{Field, KIND, OBJECT_ID, OBJECT_REF, Object, SELF_LINK, STRINGS, Type};

/// `set pfs` values.
pub const PFS_GROUPS: &[&str] = &[
    "group1", "group2", "group5", "group14", "group15", "group16", "group19", "group20", "group21",
    "group24", "group31",
];

/// One crypto map entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CryptoMapEntry {
    pub id: String,
    pub map: String,
    pub sequence: u32,
    pub acl: Option<String>,
    pub peers: Vec<String>,
    pub pfs: Option<String>,
    pub transform_sets: Vec<String>,
    pub proposals: Vec<String>,
    pub lifetime_seconds: Option<u32>,
    pub lifetime_kilobytes: Option<u32>,
}

impl CryptoMapEntry {
    fn new(map: &str, sequence: u32) -> CryptoMapEntry {
        CryptoMapEntry {
            id: format!("{map}~{sequence}"),
            map: map.to_owned(),
            sequence,
            acl: None,
            peers: Vec::new(),
            pfs: None,
            transform_sets: Vec::new(),
            proposals: Vec::new(),
            lifetime_seconds: None,
            lifetime_kilobytes: None,
        }
    }

    /// The settings as (key, line) pairs: the key is what `no` takes.
    fn settings(&self) -> Vec<(String, String)> {
        let p = format!("crypto map {} {}", self.map, self.sequence);
        let mut out = Vec::new();
        if let Some(a) = &self.acl {
            out.push((
                format!("{p} match address"),
                format!("{p} match address {a}"),
            ));
        }
        if let Some(g) = &self.pfs {
            out.push((format!("{p} set pfs"), format!("{p} set pfs {g}")));
        }
        if !self.peers.is_empty() {
            out.push((
                format!("{p} set peer"),
                format!("{p} set peer {}", self.peers.join(" ")),
            ));
        }
        if !self.transform_sets.is_empty() {
            out.push((
                format!("{p} set ikev1 transform-set"),
                format!(
                    "{p} set ikev1 transform-set {}",
                    self.transform_sets.join(" ")
                ),
            ));
        }
        if !self.proposals.is_empty() {
            out.push((
                format!("{p} set ikev2 ipsec-proposal"),
                format!("{p} set ikev2 ipsec-proposal {}", self.proposals.join(" ")),
            ));
        }
        if let Some(s) = self.lifetime_seconds {
            out.push((
                format!("{p} set security-association lifetime seconds"),
                format!("{p} set security-association lifetime seconds {s}"),
            ));
        }
        if let Some(k) = self.lifetime_kilobytes {
            out.push((
                format!("{p} set security-association lifetime kilobytes"),
                format!("{p} set security-association lifetime kilobytes {k}"),
            ));
        }
        out
    }

    /// Reads one entry setting (the words after `<map> <seq>`).
    fn absorb(&mut self, w: &[&str]) {
        let owned = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        match w {
            ["match", "address", acl] => self.acl = Some((*acl).to_owned()),
            ["set", "pfs"] => self.pfs = Some("group2".into()),
            ["set", "pfs", g] if PFS_GROUPS.contains(g) => self.pfs = Some((*g).to_owned()),
            ["set", "peer", l @ ..] => self.peers = owned(l),
            ["set", "ikev1", "transform-set", l @ ..] => self.transform_sets = owned(l),
            ["set", "ikev2", "ipsec-proposal", l @ ..] => self.proposals = owned(l),
            ["set", "security-association", "lifetime", rest @ ..] => {
                let mut i = 0;
                while let (Some(k), Some(v)) = (rest.get(i), rest.get(i + 1)) {
                    match *k {
                        "seconds" => self.lifetime_seconds = v.parse().ok(),
                        "kilobytes" => self.lifetime_kilobytes = v.parse().ok(),
                        _ => {}
                    }
                    i += 2;
                }
            }
            _ => {}
        }
    }
}

/// `object#CryptoMapEntry`.
pub static ENTRY_SCHEMA: Object = Object {
    name: "CryptoMapEntry",
    description: "A crypto map entry (`crypto map <map> <seq> ...`): traffic, peers and transforms.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("mapName", Type::Str, "The crypto map's name.").required(),
        Field::new(
            "sequence",
            Type::Int {
                min: Some(1),
                max: Some(65535),
            },
            "The entry's sequence number.",
        )
        .required(),
        Field::new(
            "matchingTrafficSelector",
            Type::Object(&OBJECT_REF),
            "The extended ACL selecting the protected traffic (`objectRef#ExtendedACL`).",
        )
        .required(),
        Field::new("peer", STRINGS, "Peer addresses (IPv4 or IPv6), in order."),
        Field::new(
            "pfs",
            Type::Enum(PFS_GROUPS),
            "Perfect forward secrecy group (absent: no PFS).",
        ),
        Field::new(
            "ikev1TransformSets",
            STRINGS,
            "IKEv1 transform sets (`/api/vpn/ikev1transformsets`).",
        ),
        Field::new(
            "ikev2Proposals",
            STRINGS,
            "IKEv2 IPsec proposals (`/api/vpn/ikev2proposals`).",
        ),
        Field::new(
            "saLifetimeSeconds",
            Type::Int {
                min: Some(120),
                max: Some(2_147_483_647),
            },
            "IPsec SA lifetime in seconds.",
        ),
        Field::new(
            "saLifetimeKilobytes",
            Type::Int {
                min: Some(10),
                max: Some(2_147_483_647),
            },
            "IPsec SA lifetime in kilobytes.",
        ),
    ],
    kinds: &["object#CryptoMapEntry"],
    ours: true,
};

impl Resource for CryptoMapEntry {
    const KIND: &'static str = "object#CryptoMapEntry";
    const COLLECTION_KIND: &'static str = "collection#CryptoMapEntry";
    const PATH: &'static str = "/api/vpn/cryptomaps";
    const SCHEMA: &'static Object = &ENTRY_SCHEMA;
    const CLI_HEADER: &'static str = "crypto map ";

    fn object_id(&self) -> &str {
        &self.id
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut j = json!({
            "kind": Self::KIND,
            "selfLink": self_link,
            "mapName": self.map,
            "sequence": self.sequence,
            "peer": self.peers,
            "ikev1TransformSets": self.transform_sets,
            "ikev2Proposals": self.proposals,
            "objectId": self.id,
        });
        if let Some(a) = &self.acl {
            j["matchingTrafficSelector"] = ref_json(
                "objectRef#ExtendedACL",
                origin_of(self_link),
                "/api/objects/extendedacls",
                a,
            );
        }
        if let Some(p) = &self.pfs {
            j["pfs"] = json!(p);
        }
        if let Some(s) = self.lifetime_seconds {
            j["saLifetimeSeconds"] = json!(s);
        }
        if let Some(k) = self.lifetime_kilobytes {
            j["saLifetimeKilobytes"] = json!(k);
        }
        j
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, existing } => (Some(id), Some((existing, false))),
            WriteMode::Patch { id, existing } => (Some(id), Some((existing, true))),
        };
        let map_name = match (get(map, "mapName"), base) {
            (Some(v), _) => json_str(v, "mapName")?.to_owned(),
            (None, Some((b, _))) => b.map.clone(),
            (None, None) => return Err(FieldError::new("mapName", FieldProblem::Missing)),
        };
        check_name("mapName", &map_name)?;
        let sequence = match (get(map, "sequence"), base) {
            (Some(v), _) => int_in(v, "sequence", 1, 65535)?,
            (None, Some((b, _))) => b.sequence,
            (None, None) => return Err(FieldError::new("sequence", FieldProblem::Missing)),
        };
        let mut e = CryptoMapEntry::new(&map_name, sequence);
        if let Some(id) = id
            && e.id != id
        {
            return Err(FieldError::new("sequence", FieldProblem::Mismatch));
        }
        let patch = base.filter(|(_, p)| *p).map(|(b, _)| b);
        e.acl = match (get(map, "matchingTrafficSelector"), patch) {
            (Some(v), _) => Some(ref_id(v, "matchingTrafficSelector")?),
            (None, Some(b)) => b.acl.clone(),
            (None, None) => {
                return Err(FieldError::new(
                    "matchingTrafficSelector",
                    FieldProblem::Missing,
                ));
            }
        };
        e.peers = match (get(map, "peer"), patch) {
            (Some(Value::String(s)), _) => vec![s.clone()],
            (Some(v), _) => string_list(v, "peer", None).or_else(|_| {
                // Addresses, not names: read them as strings and check below.
                v.as_array()
                    .map(|l| {
                        l.iter()
                            .filter_map(|x| x.as_str().map(str::to_owned))
                            .collect()
                    })
                    .ok_or_else(|| {
                        FieldError::new("peer", FieldProblem::WrongType { expected: "a list" })
                    })
            })?,
            (None, Some(b)) => b.peers.clone(),
            (None, None) => Vec::new(),
        };
        for (i, p) in e.peers.iter().enumerate() {
            if p.parse::<IpAddr>().is_err() {
                return Err(bad(
                    &format!("peer[{i}]"),
                    format!("'{p}' is not an IP address"),
                ));
            }
        }
        if e.peers.len() > 10 {
            return Err(bad("peer", "at most 10 peers"));
        }
        e.pfs = match (get(map, "pfs"), patch) {
            (Some(v), _) => Some(one_of(v, "pfs", PFS_GROUPS)?),
            (None, Some(b)) if !map.contains_key("pfs") => b.pfs.clone(),
            _ => None,
        };
        e.transform_sets = match (get(map, "ikev1TransformSets"), patch) {
            (Some(v), _) => string_list(v, "ikev1TransformSets", None)?,
            (None, Some(b)) => b.transform_sets.clone(),
            (None, None) => Vec::new(),
        };
        e.proposals = match (get(map, "ikev2Proposals"), patch) {
            (Some(v), _) => string_list(v, "ikev2Proposals", None)?,
            (None, Some(b)) => b.proposals.clone(),
            (None, None) => Vec::new(),
        };
        e.lifetime_seconds = match (get(map, "saLifetimeSeconds"), patch) {
            (Some(v), _) => Some(int_in(v, "saLifetimeSeconds", 120, 2_147_483_647)?),
            (None, Some(b)) if !map.contains_key("saLifetimeSeconds") => b.lifetime_seconds,
            _ => None,
        };
        e.lifetime_kilobytes = match (get(map, "saLifetimeKilobytes"), patch) {
            (Some(v), _) => Some(int_in(v, "saLifetimeKilobytes", 10, 2_147_483_647)?),
            (None, Some(b)) if !map.contains_key("saLifetimeKilobytes") => b.lifetime_kilobytes,
            _ => None,
        };
        Ok(e)
    }

    fn cli_create(&self) -> Vec<String> {
        self.settings().into_iter().map(|(_, l)| l).collect()
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let (o, n) = (old.settings(), new.settings());
        let mut out: Vec<String> = o
            .iter()
            .filter(|(k, _)| !n.iter().any(|(nk, _)| nk == k))
            .map(|(_, l)| format!("no {l}"))
            .collect();
        out.extend(
            n.into_iter()
                .filter(|(_, l)| !o.iter().any(|(_, ol)| ol == l))
                .map(|(_, l)| l),
        );
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!(
            "clear configure crypto map {} {}",
            self.map, self.sequence
        )]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        let w: Vec<&str> = rest.split_whitespace().collect();
        let [map, seq, setting @ ..] = w.as_slice() else {
            return;
        };
        let Ok(sequence) = seq.parse::<u32>() else {
            return;
        };
        if !is_name(map) || !(1..=65535).contains(&sequence) {
            return;
        }
        let id = format!("{map}~{sequence}");
        if !collection.contains(&id) {
            collection.insert(CryptoMapEntry::new(map, sequence));
        }
        collection.update(&id, |e| e.absorb(setting));
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.crypto_map_entries
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.crypto_map_entries
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if let Some(a) = &self.acl
            && cfg.access.get(a).is_none()
        {
            return Err(bad(
                "matchingTrafficSelector.objectId",
                format!("no access list is named '{a}'"),
            ));
        }
        for (i, t) in self.transform_sets.iter().enumerate() {
            if !cfg.transform_sets.contains(t) {
                return Err(bad(
                    &format!("ikev1TransformSets[{i}]"),
                    format!("no transform set is named '{t}'"),
                ));
            }
        }
        for (i, p) in self.proposals.iter().enumerate() {
            if !cfg.ipsec_proposals.contains(p) {
                return Err(bad(
                    &format!("ikev2Proposals[{i}]"),
                    format!("no IPsec proposal is named '{p}'"),
                ));
            }
        }
        Ok(())
    }
}

/// `crypto map <map> interface <nameif>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CryptoMapInterface {
    pub interface: String,
    pub map: String,
}

/// `object#CryptoMapInterface`.
pub static INTERFACE_SCHEMA: Object = Object {
    name: "CryptoMapInterface",
    description: "A crypto map applied to an interface (`crypto map <map> interface <nameif>`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "interface",
            Type::Str,
            "The interface's name (nameif; the objectId).",
        )
        .required(),
        Field::new("mapName", Type::Str, "The crypto map.").required(),
    ],
    kinds: &["object#CryptoMapInterface"],
    ours: true,
};

impl Resource for CryptoMapInterface {
    const KIND: &'static str = "object#CryptoMapInterface";
    const COLLECTION_KIND: &'static str = "collection#CryptoMapInterface";
    const PATH: &'static str = "/api/vpn/cryptomapinterfaces";
    const SCHEMA: &'static Object = &INTERFACE_SCHEMA;
    const CLI_HEADER: &'static str = "crypto map ";

    fn object_id(&self) -> &str {
        &self.interface
    }

    fn to_json(&self, self_link: &str) -> Value {
        json!({
            "kind": Self::KIND,
            "selfLink": self_link,
            "interface": self.interface,
            "mapName": self.map,
            "objectId": self.interface,
        })
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let interface = match (get(map, "interface"), id) {
            (Some(v), Some(id)) if json_str(v, "interface")? != id => {
                return Err(FieldError::new("interface", FieldProblem::Mismatch));
            }
            (_, Some(id)) => id.to_owned(),
            (Some(v), None) => json_str(v, "interface")?.to_owned(),
            (None, None) => return Err(FieldError::new("interface", FieldProblem::Missing)),
        };
        if !is_nameif(&interface) {
            return Err(bad(
                "interface",
                format!("'{interface}' is not an interface name (nameif)"),
            ));
        }
        let map_name = match (get(map, "mapName"), base) {
            (Some(v), _) => json_str(v, "mapName")?.to_owned(),
            (None, Some(b)) => b.map.clone(),
            (None, None) => return Err(FieldError::new("mapName", FieldProblem::Missing)),
        };
        check_name("mapName", &map_name)?;
        Ok(CryptoMapInterface {
            interface,
            map: map_name,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        vec![format!(
            "crypto map {} interface {}",
            self.map, self.interface
        )]
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        vec![
            format!("no crypto map {} interface {}", old.map, old.interface),
            format!("crypto map {} interface {}", new.map, new.interface),
        ]
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!(
            "no crypto map {} interface {}",
            self.map, self.interface
        )]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        let w: Vec<&str> = rest.split_whitespace().collect();
        if let [map, "interface", nameif] = w.as_slice()
            && is_name(map)
            && is_nameif(nameif)
        {
            collection.insert(CryptoMapInterface {
                interface: (*nameif).to_owned(),
                map: (*map).to_owned(),
            });
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.crypto_map_interfaces
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.crypto_map_interfaces
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if cfg.access.hardware_of(&self.interface).is_none() {
            return Err(bad(
                "interface",
                format!("no interface is named '{}'", self.interface),
            ));
        }
        if !cfg.crypto_map_entries.iter().any(|e| e.map == self.map) {
            return Err(bad(
                "mapName",
                format!("crypto map '{}' has no entry", self.map),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORPUS: &str = "crypto map WAN1_CMAP 10 match address CMAP_RU16\ncrypto map WAN1_CMAP 10 set peer 1.1.1.1 2001:db8::1\ncrypto map WAN1_CMAP 10 set ikev1 transform-set ESP-AES-256-SHA ESP-AES-192-SHA\ncrypto map WAN1_CMAP 10 set connection-type bidirectional\ncrypto map WAN1_CMAP 100 set pfs group5\ncrypto map WAN1_CMAP 100 set security-association lifetime seconds 3600\ncrypto map WAN1_CMAP interface WAN1\n";

    #[test]
    fn entries_gather_their_lines() {
        let cfg = RunningConfig::parse(CORPUS);
        assert_eq!(cfg.crypto_map_entries.len(), 2);
        let e = cfg.crypto_map_entries.get("WAN1_CMAP~10").unwrap();
        assert_eq!(e.peers, ["1.1.1.1", "2001:db8::1"]);
        let j = e.to_json("https://asa/api/vpn/cryptomaps/WAN1_CMAP~10");
        assert_eq!(j["matchingTrafficSelector"]["objectId"], "CMAP_RU16");
        assert_eq!(j["sequence"], 10);
        assert_eq!(
            CryptoMapEntry::from_json(&j, WriteMode::Create),
            Ok(e.clone())
        );
        let b = cfg.crypto_map_interfaces.get("WAN1").unwrap();
        assert_eq!(b.map, "WAN1_CMAP");
        assert_eq!(e.cli_delete(), ["clear configure crypto map WAN1_CMAP 10"]);
    }

    #[test]
    fn replace_touches_only_what_changed() {
        let cfg = RunningConfig::parse(CORPUS);
        let old = cfg.crypto_map_entries.get("WAN1_CMAP~10").unwrap();
        let new = CryptoMapEntry::from_json(
            &json!({"peer": ["203.0.113.9"], "pfs": "group14"}),
            WriteMode::Patch {
                id: "WAN1_CMAP~10",
                existing: old,
            },
        )
        .unwrap();
        assert_eq!(
            CryptoMapEntry::cli_replace(old, &new),
            [
                "crypto map WAN1_CMAP 10 set pfs group14",
                "crypto map WAN1_CMAP 10 set peer 203.0.113.9"
            ]
        );
        for bad in [
            json!({"mapName": "m", "sequence": 1}),
            json!({"mapName": "m", "sequence": 0, "matchingTrafficSelector": {"objectId": "a"}}),
            json!({"mapName": "m", "sequence": 1, "matchingTrafficSelector": {"objectId": "a"}, "peer": ["not-an-ip"]}),
            json!({"mapName": "m", "sequence": 1, "matchingTrafficSelector": {"objectId": "a"}, "pfs": "group3"}),
            json!({"mapName": "m n", "sequence": 1, "matchingTrafficSelector": {"objectId": "a"}}),
        ] {
            assert!(
                CryptoMapEntry::from_json(&bad, WriteMode::Create).is_err(),
                "{bad}"
            );
        }
    }
}
