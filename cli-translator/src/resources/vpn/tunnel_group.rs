//! Tunnel groups: `/api/vpn/tunnelgroups`, kind `object#TunnelGroup` (shape ours; objectId
//! the name, the peer's address for a LAN-to-LAN group).
//!
//! ASA syntax:
//! ```text
//! tunnel-group <name> type ipsec-l2l|remote-access
//! tunnel-group <name> general-attributes
//!  default-group-policy <group policy>
//! tunnel-group <name> ipsec-attributes
//!  ikev1 pre-shared-key <key>
//!  ikev2 remote-authentication pre-shared-key <key>
//!  ikev2 local-authentication pre-shared-key <key>
//! ```
//! The pre-shared keys are write-only: never answered (`show running-config` prints them
//! `*****`); `hasIkev1PreSharedKey` ... say whether one is set. A write that does not
//! give a key leaves it as it is.

use serde_json::{Value, json};

use super::{bad, body_map, check_name, get, is_name, one_of};
use crate::resources::{
    Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode, json_str,
};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};

/// The keys: JSON attribute, flag attribute, CLI keywords.
const KEYS: [(&str, &str, &str); 3] = [
    (
        "ikev1PreSharedKey",
        "hasIkev1PreSharedKey",
        "ikev1 pre-shared-key",
    ),
    (
        "ikev2RemotePreSharedKey",
        "hasIkev2RemotePreSharedKey",
        "ikev2 remote-authentication pre-shared-key",
    ),
    (
        "ikev2LocalPreSharedKey",
        "hasIkev2LocalPreSharedKey",
        "ikev2 local-authentication pre-shared-key",
    ),
];

/// One tunnel group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TunnelGroup {
    pub name: String,
    pub kind: String,
    pub group_policy: Option<String>,
    /// Whether each key of [`KEYS`] is set.
    pub has_key: [bool; 3],
    /// Keys given by a write (never read back from the device).
    pub new_keys: [Option<String>; 3],
}

fn check_key(attr: &str, key: &str) -> Result<(), FieldError> {
    if key.is_empty() || key.chars().count() > 128 {
        return Err(bad(attr, "must be 1 to 128 characters long"));
    }
    if key
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
    {
        return Err(bad(attr, "must be printable ASCII without blanks"));
    }
    if key == "*****" {
        return Err(bad(attr, "'*****' is the masked form, not a key"));
    }
    Ok(())
}

/// `object#TunnelGroup`.
pub static SCHEMA: Object = Object {
    name: "TunnelGroup",
    description: "A tunnel group (`tunnel-group`): connection profile of a peer, with its pre-shared keys.",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new(
            "name",
            Type::Str,
            "The group's name: the peer's address for LAN-to-LAN (its objectId).",
        )
        .required(),
        Field::new(
            "type",
            Type::Enum(&["ipsec-l2l", "remote-access"]),
            "The group's type; fixed once created.",
        )
        .required(),
        Field::new(
            "defaultGroupPolicy",
            Type::Str,
            "The group policy it uses (`/api/vpn/grouppolicies`).",
        ),
        Field::new("ikev1PreSharedKey", Type::Str, "IKEv1 pre-shared key.").write_only(),
        Field::new(
            "ikev2RemotePreSharedKey",
            Type::Str,
            "IKEv2 key the peer authenticates with.",
        )
        .write_only(),
        Field::new(
            "ikev2LocalPreSharedKey",
            Type::Str,
            "IKEv2 key this device authenticates with.",
        )
        .write_only(),
        Field::new(
            "hasIkev1PreSharedKey",
            Type::Bool,
            "Whether an IKEv1 key is set.",
        )
        .read_only(),
        Field::new(
            "hasIkev2RemotePreSharedKey",
            Type::Bool,
            "Whether an IKEv2 remote key is set.",
        )
        .read_only(),
        Field::new(
            "hasIkev2LocalPreSharedKey",
            Type::Bool,
            "Whether an IKEv2 local key is set.",
        )
        .read_only(),
    ],
    kinds: &["object#TunnelGroup"],
    ours: true,
};

impl TunnelGroup {
    fn key_lines(&self) -> Vec<String> {
        KEYS.iter()
            .zip(&self.new_keys)
            .filter_map(|((_, _, kw), k)| k.as_ref().map(|k| format!(" {kw} {k}")))
            .collect()
    }
}

impl Resource for TunnelGroup {
    const KIND: &'static str = "object#TunnelGroup";
    const COLLECTION_KIND: &'static str = "collection#TunnelGroup";
    const PATH: &'static str = "/api/vpn/tunnelgroups";
    const SCHEMA: &'static Object = &SCHEMA;
    const CLI_HEADER: &'static str = "tunnel-group ";
    // The device keeps the keys; the snapshot re-reads what it shows.
    const PATCH_IN_PLACE: bool = false;

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut j = json!({
            "kind": Self::KIND,
            "selfLink": self_link,
            "name": self.name,
            "type": self.kind,
            "objectId": self.name,
        });
        if let Some(g) = &self.group_policy {
            j["defaultGroupPolicy"] = json!(g);
        }
        for ((_, flag, _), has) in KEYS.iter().zip(self.has_key) {
            j[*flag] = json!(has);
        }
        j
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, existing, patch) = match mode {
            WriteMode::Create => (None, None, false),
            WriteMode::Replace { id, existing } => (Some(id), Some(existing), false),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing), true),
        };
        let given = get(map, "name").map(|v| json_str(v, "name")).transpose()?;
        let name = match (given, id) {
            (Some(n), Some(id)) if n != id => {
                return Err(FieldError::new("name", FieldProblem::Mismatch));
            }
            (_, Some(id)) => id.to_owned(),
            (Some(n), None) => {
                check_name("name", n)?;
                n.to_owned()
            }
            (None, None) => return Err(FieldError::new("name", FieldProblem::Missing)),
        };
        let kind = match (get(map, "type"), existing) {
            (Some(v), _) => one_of(v, "type", &["ipsec-l2l", "remote-access"])?,
            (None, Some(e)) => e.kind.clone(),
            (None, None) => return Err(FieldError::new("type", FieldProblem::Missing)),
        };
        if let Some(e) = existing
            && e.kind != kind
        {
            return Err(bad("type", "a tunnel group's type cannot change"));
        }
        let group_policy = match (get(map, "defaultGroupPolicy"), existing) {
            (Some(v), _) => {
                let g = json_str(v, "defaultGroupPolicy")?;
                check_name("defaultGroupPolicy", g)?;
                Some(g.to_owned())
            }
            (None, Some(e)) if patch && !map.contains_key("defaultGroupPolicy") => {
                e.group_policy.clone()
            }
            _ => None,
        };
        let mut new_keys: [Option<String>; 3] = [None, None, None];
        let mut has_key = existing.map_or([false; 3], |e| e.has_key);
        for (slot, (attr, _, _)) in KEYS.iter().enumerate() {
            if let Some(v) = get(map, attr) {
                let k = json_str(v, attr)?;
                check_key(attr, k)?;
                new_keys[slot] = Some(k.to_owned());
                has_key[slot] = true;
            }
        }
        Ok(TunnelGroup {
            name,
            kind,
            group_policy,
            has_key,
            new_keys,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = vec![format!("tunnel-group {} type {}", self.name, self.kind)];
        if let Some(g) = &self.group_policy {
            out.push(format!("tunnel-group {} general-attributes", self.name));
            out.push(format!(" default-group-policy {g}"));
        }
        let keys = self.key_lines();
        if !keys.is_empty() {
            out.push(format!("tunnel-group {} ipsec-attributes", self.name));
            out.extend(keys);
        }
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        let mut out = Vec::new();
        if old.group_policy != new.group_policy {
            out.push(format!("tunnel-group {} general-attributes", new.name));
            match &new.group_policy {
                Some(g) => out.push(format!(" default-group-policy {g}")),
                None => out.push(" no default-group-policy".into()),
            }
        }
        let keys = new.key_lines();
        if !keys.is_empty() {
            out.push(format!("tunnel-group {} ipsec-attributes", new.name));
            out.extend(keys);
        }
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!("clear configure tunnel-group {}", self.name)]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let w: Vec<&str> = rest.split_whitespace().collect();
        let [name, tail @ ..] = w.as_slice() else {
            return;
        };
        if !is_name(name) {
            return;
        }
        match tail {
            ["type", kind @ ("ipsec-l2l" | "remote-access")] if !collection.contains(name) => {
                collection.insert(TunnelGroup {
                    name: (*name).to_owned(),
                    kind: (*kind).to_owned(),
                    group_policy: None,
                    has_key: [false; 3],
                    new_keys: [None, None, None],
                });
            }
            ["general-attributes"] => {
                collection.update(name, |t| {
                    for c in children {
                        if let Some(g) = c.strip_prefix("default-group-policy ") {
                            t.group_policy = Some(g.trim().to_owned());
                        }
                    }
                });
            }
            ["ipsec-attributes"] => {
                collection.update(name, |t| {
                    for c in children {
                        for (slot, (_, _, kw)) in KEYS.iter().enumerate() {
                            if c.starts_with(kw) {
                                t.has_key[slot] = true;
                            }
                        }
                    }
                });
            }
            _ => {}
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.tunnel_groups
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.tunnel_groups
    }

    fn resolve(&mut self, cfg: &RunningConfig) -> Result<(), FieldError> {
        if let Some(g) = &self.group_policy
            && !cfg.group_policies.contains(g)
            && g != "DfltGrpPolicy"
        {
            return Err(bad(
                "defaultGroupPolicy",
                format!("no group policy is named '{g}'"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_written_never_answered() {
        let t = TunnelGroup::from_json(
            &json!({"name": "203.0.113.5", "type": "ipsec-l2l", "defaultGroupPolicy": "gp",
                    "ikev1PreSharedKey": "Secret-1"}),
            WriteMode::Create,
        )
        .unwrap();
        assert_eq!(
            t.cli_create(),
            [
                "tunnel-group 203.0.113.5 type ipsec-l2l",
                "tunnel-group 203.0.113.5 general-attributes",
                " default-group-policy gp",
                "tunnel-group 203.0.113.5 ipsec-attributes",
                " ikev1 pre-shared-key Secret-1"
            ]
        );
        let j = t.to_json("https://asa/api/vpn/tunnelgroups/203.0.113.5");
        assert!(!j.to_string().contains("Secret-1"));
        assert_eq!(j["hasIkev1PreSharedKey"], true);
        // What `show running-config` prints: the key masked.
        let cfg = RunningConfig::parse(
            "tunnel-group 203.0.113.5 type ipsec-l2l\ntunnel-group 203.0.113.5 ipsec-attributes\n ikev1 pre-shared-key *****\n",
        );
        let read = cfg.tunnel_groups.get("203.0.113.5").unwrap();
        assert_eq!(read.has_key, [true, false, false]);
        assert_eq!(read.new_keys, [None, None, None]);
        // A PATCH without a key leaves it.
        let new = TunnelGroup::from_json(
            &json!({"defaultGroupPolicy": "gp2"}),
            WriteMode::Patch {
                id: "203.0.113.5",
                existing: read,
            },
        )
        .unwrap();
        assert_eq!(
            TunnelGroup::cli_replace(read, &new),
            [
                "tunnel-group 203.0.113.5 general-attributes",
                " default-group-policy gp2"
            ]
        );
        for bad in [
            json!({"name": "x", "type": "ipsec-l2l", "ikev1PreSharedKey": "a b"}),
            json!({"name": "x", "type": "ipsec-l2l", "ikev1PreSharedKey": "*****"}),
            json!({"name": "x", "type": "webvpn"}),
            json!({"name": "x y", "type": "ipsec-l2l"}),
        ] {
            assert!(
                TunnelGroup::from_json(&bad, WriteMode::Create).is_err(),
                "{bad}"
            );
        }
    }
}
