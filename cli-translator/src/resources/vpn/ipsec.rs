//! IPsec transforms: IKEv1 transform sets (`/api/vpn/ikev1transformsets`, kind
//! `object#IKEv1TransformSet`) and IKEv2 IPsec proposals (`/api/vpn/ikev2proposals`, kind
//! `object#IKEv2IPsecProposal`). Both shapes are ours; the objectId is the name.
//!
//! ASA syntax:
//! ```text
//! crypto ipsec ikev1 transform-set <name> <esp-encryption> [<esp-authentication>]
//! crypto ipsec ikev1 transform-set <name> mode transport
//! crypto ipsec ikev2 ipsec-proposal <name>
//!  protocol esp encryption <alg>...
//!  protocol esp integrity <alg>...
//! ```

use serde_json::{Value, json};

use super::{bad, body_map, check_name, get, is_name, one_of, string_list};
use crate::resources::json_str;
use crate::resources::{Collection, FieldError, FieldProblem, Resource, RunningConfig, WriteMode};
use crate::schema::{Field, KIND, OBJECT_ID, Object, SELF_LINK, Type};

/// ESP encryption of transform sets.
pub const ESP_ENCRYPTION: &[&str] = &[
    "esp-des",
    "esp-3des",
    "esp-aes",
    "esp-aes-192",
    "esp-aes-256",
    "esp-null",
];
/// ESP authentication of transform sets.
pub const ESP_AUTHENTICATION: &[&str] = &[
    "esp-md5-hmac",
    "esp-sha-hmac",
    "esp-sha256-hmac",
    "esp-sha384-hmac",
    "esp-sha512-hmac",
    "esp-none",
];
/// IPsec proposal encryption.
pub const PROPOSAL_ENCRYPTION: &[&str] = &[
    "aes-gcm-256",
    "aes-gcm-192",
    "aes-gcm",
    "aes-256",
    "aes-192",
    "aes",
    "3des",
    "des",
    "aes-gmac-256",
    "aes-gmac-192",
    "aes-gmac",
    "null",
];
/// IPsec proposal integrity.
pub const PROPOSAL_INTEGRITY: &[&str] = &["sha-512", "sha-384", "sha-256", "sha-1", "md5", "null"];

/// The name of a create body, or the id of a PUT/PATCH (the body's must agree).
fn name_of(map: &serde_json::Map<String, Value>, id: Option<&str>) -> Result<String, FieldError> {
    let given = get(map, "name").map(|v| json_str(v, "name")).transpose()?;
    match (given, id) {
        (Some(n), Some(id)) if n != id => Err(FieldError::new("name", FieldProblem::Mismatch)),
        (_, Some(id)) => Ok(id.to_owned()),
        (Some(n), None) => {
            check_name("name", n)?;
            Ok(n.to_owned())
        }
        (None, None) => Err(FieldError::new("name", FieldProblem::Missing)),
    }
}

/// One IKEv1 transform set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransformSet {
    pub name: String,
    pub encryption: String,
    pub authentication: Option<String>,
    pub transport: bool,
}

impl TransformSet {
    fn lines(&self) -> Vec<String> {
        let mut first = format!(
            "crypto ipsec ikev1 transform-set {} {}",
            self.name, self.encryption
        );
        if let Some(a) = &self.authentication {
            first.push(' ');
            first.push_str(a);
        }
        let mut out = vec![first];
        if self.transport {
            out.push(format!(
                "crypto ipsec ikev1 transform-set {} mode transport",
                self.name
            ));
        }
        out
    }
}

/// `object#IKEv1TransformSet`.
pub static TRANSFORM_SET_SCHEMA: Object = Object {
    name: "IKEv1TransformSet",
    description: "An IKEv1 IPsec transform set (`crypto ipsec ikev1 transform-set`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The set's name (its objectId).").required(),
        Field::new(
            "espEncryption",
            Type::Enum(ESP_ENCRYPTION),
            "ESP encryption.",
        )
        .required(),
        Field::new(
            "espAuthentication",
            Type::Enum(ESP_AUTHENTICATION),
            "ESP authentication (none when absent).",
        ),
        Field::new(
            "mode",
            Type::Enum(&["tunnel", "transport"]),
            "IPsec mode (default tunnel).",
        ),
    ],
    kinds: &["object#IKEv1TransformSet"],
    ours: true,
};

impl Resource for TransformSet {
    const KIND: &'static str = "object#IKEv1TransformSet";
    const COLLECTION_KIND: &'static str = "collection#IKEv1TransformSet";
    const PATH: &'static str = "/api/vpn/ikev1transformsets";
    const SCHEMA: &'static Object = &TRANSFORM_SET_SCHEMA;
    const CLI_HEADER: &'static str = "crypto ipsec ikev1 transform-set ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        let mut j = json!({
            "kind": Self::KIND,
            "selfLink": self_link,
            "name": self.name,
            "espEncryption": self.encryption,
            "mode": if self.transport { "transport" } else { "tunnel" },
            "objectId": self.name,
        });
        if let Some(a) = &self.authentication {
            j["espAuthentication"] = json!(a);
        }
        j
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let name = name_of(map, id)?;
        let encryption = match (get(map, "espEncryption"), base) {
            (Some(v), _) => one_of(v, "espEncryption", ESP_ENCRYPTION)?,
            (None, Some(b)) => b.encryption.clone(),
            (None, None) => return Err(FieldError::new("espEncryption", FieldProblem::Missing)),
        };
        let authentication = match (get(map, "espAuthentication"), base) {
            (Some(v), _) => Some(one_of(v, "espAuthentication", ESP_AUTHENTICATION)?),
            (None, Some(b)) if !map.contains_key("espAuthentication") => b.authentication.clone(),
            _ => None,
        };
        let transport = match (get(map, "mode"), base) {
            (Some(v), _) => one_of(v, "mode", &["tunnel", "transport"])? == "transport",
            (None, Some(b)) => b.transport,
            (None, None) => false,
        };
        Ok(TransformSet {
            name,
            encryption,
            authentication,
            transport,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        self.lines()
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        let mut out = Vec::new();
        let (o, n) = (old.lines(), new.lines());
        if o.first() != n.first()
            && let Some(first) = n.first()
        {
            out.push(first.clone());
        }
        match (old.transport, new.transport) {
            (true, false) => out.push(format!(
                "no crypto ipsec ikev1 transform-set {} mode transport",
                old.name
            )),
            (false, true) => out.extend(n.get(1).cloned()),
            _ => {}
        }
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        self.lines()
            .into_iter()
            .rev()
            .map(|l| format!("no {l}"))
            .collect()
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, _children: &[&str]) {
        let w: Vec<&str> = rest.split_whitespace().collect();
        let Some((name, tail)) = w.split_first() else {
            return;
        };
        if !is_name(name) {
            return;
        }
        match tail {
            ["mode", m @ ("transport" | "tunnel")] => {
                collection.update(name, |t| t.transport = *m == "transport");
            }
            [enc, auth @ ..] if ESP_ENCRYPTION.contains(enc) => {
                let authentication = match auth {
                    [] => None,
                    [a] if ESP_AUTHENTICATION.contains(a) => Some((*a).to_owned()),
                    _ => return,
                };
                let transport = collection.get(name).is_some_and(|t| t.transport);
                let t = TransformSet {
                    name: (*name).to_owned(),
                    encryption: (*enc).to_owned(),
                    authentication,
                    transport,
                };
                if collection.contains(name) {
                    collection.replace(name, t);
                } else {
                    collection.insert(t);
                }
            }
            _ => {}
        }
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.transform_sets
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.transform_sets
    }
}

/// One IKEv2 IPsec proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpsecProposal {
    pub name: String,
    pub encryption: Vec<String>,
    pub integrity: Vec<String>,
}

/// `object#IKEv2IPsecProposal`.
pub static PROPOSAL_SCHEMA: Object = Object {
    name: "IKEv2IPsecProposal",
    description: "An IKEv2 IPsec proposal (`crypto ipsec ikev2 ipsec-proposal`).",
    fields: &[
        KIND,
        OBJECT_ID,
        SELF_LINK,
        Field::new("name", Type::Str, "The proposal's name (its objectId).").required(),
        Field::new(
            "encryption",
            Type::Array(&Type::Enum(PROPOSAL_ENCRYPTION)),
            "ESP encryption algorithms, in order of preference.",
        )
        .required(),
        Field::new(
            "integrity",
            Type::Array(&Type::Enum(PROPOSAL_INTEGRITY)),
            "ESP integrity algorithms, in order of preference.",
        ),
    ],
    kinds: &["object#IKEv2IPsecProposal"],
    ours: true,
};

impl IpsecProposal {
    fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.encryption.is_empty() {
            out.push(format!(
                " protocol esp encryption {}",
                self.encryption.join(" ")
            ));
        }
        if !self.integrity.is_empty() {
            out.push(format!(
                " protocol esp integrity {}",
                self.integrity.join(" ")
            ));
        }
        out
    }
}

impl Resource for IpsecProposal {
    const KIND: &'static str = "object#IKEv2IPsecProposal";
    const COLLECTION_KIND: &'static str = "collection#IKEv2IPsecProposal";
    const PATH: &'static str = "/api/vpn/ikev2proposals";
    const SCHEMA: &'static Object = &PROPOSAL_SCHEMA;
    const CLI_HEADER: &'static str = "crypto ipsec ikev2 ipsec-proposal ";

    fn object_id(&self) -> &str {
        &self.name
    }

    fn to_json(&self, self_link: &str) -> Value {
        json!({
            "kind": Self::KIND,
            "selfLink": self_link,
            "name": self.name,
            "encryption": self.encryption,
            "integrity": self.integrity,
            "objectId": self.name,
        })
    }

    fn from_json(body: &Value, mode: WriteMode<'_, Self>) -> Result<Self, FieldError> {
        let map = body_map(body)?;
        let (id, base) = match mode {
            WriteMode::Create => (None, None),
            WriteMode::Replace { id, .. } => (Some(id), None),
            WriteMode::Patch { id, existing } => (Some(id), Some(existing)),
        };
        let name = name_of(map, id)?;
        let encryption = match (get(map, "encryption"), base) {
            (Some(v), _) => string_list(v, "encryption", Some(PROPOSAL_ENCRYPTION))?,
            (None, Some(b)) => b.encryption.clone(),
            (None, None) => Vec::new(),
        };
        if encryption.is_empty() {
            return Err(bad("encryption", "at least one algorithm is needed"));
        }
        let integrity = match (get(map, "integrity"), base) {
            (Some(v), _) => string_list(v, "integrity", Some(PROPOSAL_INTEGRITY))?,
            (None, Some(b)) => b.integrity.clone(),
            (None, None) => Vec::new(),
        };
        Ok(IpsecProposal {
            name,
            encryption,
            integrity,
        })
    }

    fn cli_create(&self) -> Vec<String> {
        let mut out = vec![format!("crypto ipsec ikev2 ipsec-proposal {}", self.name)];
        out.extend(self.lines());
        out
    }

    fn cli_replace(old: &Self, new: &Self) -> Vec<String> {
        if old == new {
            return Vec::new();
        }
        let mut out = vec![format!("crypto ipsec ikev2 ipsec-proposal {}", new.name)];
        if !old.integrity.is_empty() && new.integrity.is_empty() {
            out.push(" no protocol esp integrity".into());
        }
        let o = old.lines();
        out.extend(new.lines().into_iter().filter(|l| !o.contains(l)));
        out
    }

    fn cli_delete(&self) -> Vec<String> {
        vec![format!(
            "no crypto ipsec ikev2 ipsec-proposal {}",
            self.name
        )]
    }

    fn absorb_block(collection: &mut Collection<Self>, rest: &str, children: &[&str]) {
        let name = rest.trim();
        if !is_name(name) {
            return;
        }
        let mut p = IpsecProposal {
            name: name.to_owned(),
            encryption: Vec::new(),
            integrity: Vec::new(),
        };
        for c in children {
            let w: Vec<&str> = c.split_whitespace().collect();
            let owned = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect();
            match w.as_slice() {
                ["protocol", "esp", "encryption", l @ ..] => p.encryption = owned(l),
                ["protocol", "esp", "integrity", l @ ..] => p.integrity = owned(l),
                _ => {}
            }
        }
        collection.insert(p);
    }

    fn collection(cfg: &RunningConfig) -> &Collection<Self> {
        &cfg.ipsec_proposals
    }

    fn collection_mut(cfg: &mut RunningConfig) -> &mut Collection<Self> {
        &mut cfg.ipsec_proposals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transform_sets_read_the_fixture_forms() {
        let cfg = RunningConfig::parse(
            "crypto ipsec ikev1 transform-set AES-256_MD5 esp-aes-256 esp-md5-hmac \ncrypto ipsec ikev1 transform-set T esp-aes\ncrypto ipsec ikev1 transform-set T mode transport\n",
        );
        let t = cfg.transform_sets.get("AES-256_MD5").unwrap();
        assert_eq!(t.authentication.as_deref(), Some("esp-md5-hmac"));
        let t = cfg.transform_sets.get("T").unwrap();
        assert!(t.transport);
        let j = t.to_json("https://asa/api/vpn/ikev1transformsets/T");
        assert_eq!(
            TransformSet::from_json(&j, WriteMode::Create),
            Ok(t.clone())
        );
        assert_eq!(
            t.cli_delete(),
            [
                "no crypto ipsec ikev1 transform-set T mode transport",
                "no crypto ipsec ikev1 transform-set T esp-aes"
            ]
        );
        assert!(
            TransformSet::from_json(
                &json!({"name": "x", "espEncryption": "aes"}),
                WriteMode::Create
            )
            .is_err()
        );
    }

    #[test]
    fn proposals_round_trip() {
        let text = "crypto ipsec ikev2 ipsec-proposal IKE2\n protocol esp encryption aes-gcm-256 aes-256\n protocol esp integrity sha-512 sha-1\n";
        let cfg = RunningConfig::parse(text);
        let p = cfg.ipsec_proposals.get("IKE2").unwrap();
        assert_eq!(format!("{}\n", p.cli_create().join("\n")), text);
        let j = p.to_json("https://asa/api/vpn/ikev2proposals/IKE2");
        assert_eq!(
            IpsecProposal::from_json(&j, WriteMode::Create),
            Ok(p.clone())
        );
        assert!(
            IpsecProposal::from_json(
                &json!({"name": "x", "encryption": ["rot13"]}),
                WriteMode::Create
            )
            .is_err()
        );
    }
}
