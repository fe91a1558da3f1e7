//! The JSON shape of request and response bodies, declared once as constants beside each
//! resource's JSON mapping, and read by the agent's catalogue to validate requests and to
//! generate the OpenAPI document.
//!
//! Why not `schemars`: the resources map JSON by hand (`to_json` / `from_json` over
//! `serde_json::Value`) because they need the leniency real clients rely on (booleans and
//! numbers sent as strings, advisory `kind`s, ids that are names or hashes). A const table
//! describes that JSON without a second set of wire types; `Schema::check` keeps the two
//! honest, since every golden body and every answer the tests see is checked against it.

use serde_json::{Map, Value, json};

/// The type of one JSON value.
#[derive(Debug, Clone, Copy)]
pub enum Type {
    /// Any string.
    Str,
    /// A string with a JSON Schema `format` (`ipv4`, `date-time`, ...), informational.
    Formatted(&'static str),
    /// A string starting with this prefix (`objectRef#`).
    Prefixed(&'static str),
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// An integer within the bounds (inclusive).
    Int { min: Option<i64>, max: Option<i64> },
    /// `true` or `false`.
    Bool,
    /// Any number.
    Number,
    /// A list of values of one type.
    Array(&'static Type),
    /// A JSON object with declared fields.
    Object(&'static Object),
    /// One of several shapes (a primitive or a reference, say).
    OneOf(&'static [Type]),
    /// A JSON object whose keys are data (counters by method, say), each value of one type.
    Map(&'static Type),
    /// `null`: combined with another type in a [`Type::OneOf`] for a value that may be absent.
    Null,
    /// Any JSON value (free-form parts, such as a bulk entry's `data`).
    Any,
}

/// An integer with no bounds.
pub const INT: Type = Type::Int {
    min: None,
    max: None,
};

/// A non-negative integer.
pub const UINT: Type = Type::Int {
    min: Some(0),
    max: None,
};

/// A list of strings.
pub const STRINGS: Type = Type::Array(&Type::Str);

/// A string, or `null` when the device has none.
pub const NULLABLE_STR: Type = Type::OneOf(&[Type::Str, Type::Null]);

/// One field of an object.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    /// Required in a create (`POST`) body.
    pub required: bool,
    /// Answered by the device, never taken from a request (`objectId`, `selfLink`).
    pub read_only: bool,
    /// Taken from a request, never answered (a password): an answer carrying it fails.
    pub write_only: bool,
    /// One line for the documentation.
    pub description: &'static str,
}

impl Field {
    /// An optional, writable field.
    pub const fn new(name: &'static str, ty: Type, description: &'static str) -> Field {
        Field {
            name,
            ty,
            required: false,
            read_only: false,
            write_only: false,
            description,
        }
    }

    /// The same field, required in a create body.
    pub const fn required(self) -> Field {
        Field {
            required: true,
            ..self
        }
    }

    /// The same field, taken from requests only (a secret).
    pub const fn write_only(self) -> Field {
        Field {
            write_only: true,
            ..self
        }
    }

    /// The same field, set by the device only.
    pub const fn read_only(self) -> Field {
        Field {
            read_only: true,
            ..self
        }
    }
}

/// A named object shape; `name` becomes its OpenAPI component name.
#[derive(Debug, Clone, Copy)]
pub struct Object {
    pub name: &'static str,
    pub description: &'static str,
    pub fields: &'static [Field],
    /// The `kind` values this object may carry, when it has a `kind` field.
    pub kinds: &'static [&'static str],
    /// Whether the shape is ours (no public source gives it): said in the documentation.
    pub ours: bool,
}

impl Object {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The three fields every resource item carries.
pub const KIND: Field = Field::new(
    "kind",
    Type::Str,
    "Type of the object, e.g. `object#NetworkObj`; advisory in requests.",
);
pub const OBJECT_ID: Field = Field::new(
    "objectId",
    Type::Str,
    "Identifier used in the item's URL (its name, or a hash of its attributes).",
)
.read_only();
pub const SELF_LINK: Field = Field::new(
    "selfLink",
    Type::Formatted("uri"),
    "Full URL of this object.",
)
.read_only();

/// `{kind, value}`: an address, a network, a range, an FQDN or `any`.
pub static ADDRESS: Object = Object {
    name: "NetworkAddress",
    description: "An address primitive: `{kind, value}`.",
    fields: &[
        Field::new(
            "kind",
            Type::Enum(&[
                "IPv4Address",
                "IPv6Address",
                "IPv4Network",
                "IPv6Network",
                "IPv4Range",
                "IPv6Range",
                "IPv4FQDN",
                "IPv6FQDN",
                "AnyIPAddress",
                "AnyIPv6Address",
                "IPv4NetMask",
                "InterfaceAddress",
            ]),
            "Which address form `value` holds.",
        )
        .required(),
        Field::new(
            "value",
            Type::Str,
            "The address, network (`10.0.0.0/24`), range (`a-b`), FQDN or `any`.",
        )
        .required(),
    ],
    kinds: &[],
    ours: false,
};

/// `{kind, value}`: a service (`tcp/443`, `icmp/echo`, a protocol).
pub static SERVICE: Object = Object {
    name: "ServicePrimitive",
    description: "A service primitive: `{kind, value}`.",
    fields: &[
        Field::new(
            "kind",
            Type::Enum(&[
                "TcpUdpService",
                "ICMPService",
                "ICMP6Service",
                "NetworkProtocol",
            ]),
            "Which service form `value` holds.",
        )
        .required(),
        Field::new(
            "value",
            Type::Str,
            "`tcp/443`, `udp/53`, `tcp/6001-6500`, `icmp/echo`, `ip`, ...",
        )
        .required(),
    ],
    kinds: &[],
    ours: false,
};

/// `{kind: objectRef#..., refLink, objectId, name?}`: a reference to another object.
pub static OBJECT_REF: Object = Object {
    name: "ObjectRef",
    description: "A reference to another object: `objectRef#<Type>` with its id and URL.",
    fields: &[
        Field::new(
            "kind",
            Type::Prefixed("objectRef#"),
            "`objectRef#` and the referenced type, e.g. `objectRef#NetworkObj`.",
        )
        .required(),
        Field::new("objectId", Type::Str, "The referenced object's id."),
        Field::new(
            "refLink",
            Type::Formatted("uri"),
            "The referenced object's URL.",
        )
        .read_only(),
        Field::new(
            "name",
            Type::Str,
            "The referenced object's name (interfaces: the nameif).",
        ),
    ],
    kinds: &[],
    ours: false,
};

/// An address primitive or a reference to an object or group.
pub const ADDRESS_OR_REF: Type = Type::OneOf(&[Type::Object(&ADDRESS), Type::Object(&OBJECT_REF)]);
/// A service primitive or a reference to a service object or group.
pub const SERVICE_OR_REF: Type = Type::OneOf(&[Type::Object(&SERVICE), Type::Object(&OBJECT_REF)]);

/// `rangeInfo` of a collection page.
pub static RANGE_INFO: Object = Object {
    name: "RangeInfo",
    description: "Which slice of the collection a page holds; `limit` is the number of items returned.",
    fields: &[
        Field::new("offset", UINT, "Index of the first item of the page.").required(),
        Field::new("limit", UINT, "Number of items in this page (at most 100).").required(),
        Field::new("total", UINT, "Number of items in the whole collection.").required(),
    ],
    kinds: &[],
    ours: false,
};

/// One message of an error (or informational) answer.
pub static MESSAGE: Object = Object {
    name: "Message",
    description: "One message: level, code, the attribute it concerns and the details.",
    fields: &[
        Field::new(
            "level",
            Type::Enum(&["Error", "Warning", "Info"]),
            "Severity.",
        )
        .required(),
        Field::new(
            "code",
            Type::Str,
            "Machine-readable code, e.g. `RESOURCE-NOT-FOUND`.",
        ),
        Field::new(
            "context",
            Type::Str,
            "The attribute or entry the message concerns.",
        ),
        Field::new("details", Type::Str, "Human-readable text."),
    ],
    kinds: &[],
    ours: false,
};

/// `{"messages":[...]}`: the body of every error answer.
pub static MESSAGES: Object = Object {
    name: "ErrorMessages",
    description: "Error body: `{\"messages\":[...]}`.",
    fields: &[Field::new(
        "messages",
        Type::Array(&Type::Object(&MESSAGE)),
        "The messages.",
    )
    .required()],
    kinds: &[],
    ours: false,
};

/// Where a body failed its schema: a JSON pointer and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The attribute path, e.g. `host.value` (empty for the body itself).
    pub at: String,
    pub expected: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            write!(f, "the body must be {}", self.expected)
        } else {
            write!(f, "'{}' must be {}", self.at, self.expected)
        }
    }
}

/// How strictly [`Type::check`] reads a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// A request body: booleans and integers may come as strings (documentation-generated
    /// scripts send `"permit":"true"`), enum words in any case, read-only fields are ignored, unknown fields are
    /// ignored (the handler names them when they matter).
    Request,
    /// An answer: types exactly as documented, and no field the schema does not declare.
    Response,
}

impl Type {
    /// Checks `value` against this type.
    pub fn check(&self, value: &Value, strictness: Strictness) -> Result<(), Mismatch> {
        self.check_at(value, strictness, &mut String::new())
    }

    fn check_at(
        &self,
        value: &Value,
        strictness: Strictness,
        at: &mut String,
    ) -> Result<(), Mismatch> {
        let lenient = strictness == Strictness::Request;
        let fail = |at: &String, expected: String| {
            Err(Mismatch {
                at: at.clone(),
                expected,
            })
        };
        match self {
            Type::Any => Ok(()),
            Type::Str | Type::Formatted(_) => match value {
                Value::String(_) => Ok(()),
                _ => fail(at, "a string".into()),
            },
            Type::Prefixed(prefix) => match value {
                Value::String(s) if s.starts_with(prefix) => Ok(()),
                _ => fail(at, format!("a string starting with '{prefix}'")),
            },
            Type::Enum(values) => match value {
                Value::String(s) if values.contains(&s.as_str()) => Ok(()),
                // Handlers read these words case-insensitively (`"mode":"STATIC"`).
                Value::String(s) if lenient && values.iter().any(|v| v.eq_ignore_ascii_case(s)) => {
                    Ok(())
                }
                _ => fail(at, format!("one of {}", values.join(", "))),
            },
            Type::Bool => match value {
                Value::Bool(_) => Ok(()),
                Value::String(s) if lenient && matches!(s.as_str(), "true" | "false") => Ok(()),
                _ => fail(at, "a boolean".into()),
            },
            Type::Number => match value {
                Value::Number(_) => Ok(()),
                Value::String(s) if lenient && s.parse::<f64>().is_ok() => Ok(()),
                _ => fail(at, "a number".into()),
            },
            Type::Int { min, max } => {
                let n = match value {
                    Value::Number(n) => n.as_i64(),
                    Value::String(s) if lenient => s.trim().parse::<i64>().ok(),
                    _ => None,
                };
                let within =
                    n.is_some_and(|n| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m));
                if within {
                    Ok(())
                } else {
                    fail(at, describe_int(*min, *max))
                }
            }
            Type::Array(item) => {
                let Value::Array(items) = value else {
                    return fail(at, "a list".into());
                };
                for (i, v) in items.iter().enumerate() {
                    let len = at.len();
                    at.push_str(&format!("[{i}]"));
                    item.check_at(v, strictness, at)?;
                    at.truncate(len);
                }
                Ok(())
            }
            Type::OneOf(choices) => {
                let mut first = None;
                for choice in *choices {
                    match choice.check_at(value, strictness, at) {
                        Ok(()) => return Ok(()),
                        Err(e) => {
                            first.get_or_insert(e);
                        }
                    }
                }
                match first {
                    Some(e) => Err(e),
                    None => fail(at, "a value".into()),
                }
            }
            Type::Map(item) => {
                let Value::Object(map) = value else {
                    return fail(at, "a JSON object".into());
                };
                for (k, v) in map {
                    let len = at.len();
                    if !at.is_empty() {
                        at.push('.');
                    }
                    at.push_str(k);
                    item.check_at(v, strictness, at)?;
                    at.truncate(len);
                }
                Ok(())
            }
            Type::Null => match value {
                Value::Null => Ok(()),
                _ => fail(at, "null".into()),
            },
            Type::Object(object) => object.check_at(value, strictness, at),
        }
    }

    /// The JSON Schema (2020-12, as OpenAPI 3.1 takes it) of this type. Named objects become
    /// `$ref`s to `#/components/schemas/<name>` and are added to `components`.
    pub fn json_schema(&self, components: &mut Map<String, Value>) -> Value {
        match self {
            Type::Any => json!({}),
            Type::Str => json!({"type": "string"}),
            Type::Formatted(f) => json!({"type": "string", "format": f}),
            Type::Prefixed(prefix) => json!({"type": "string", "pattern": format!("^{prefix}")}),
            Type::Enum(values) => json!({"type": "string", "enum": values}),
            Type::Bool => json!({"type": "boolean"}),
            Type::Number => json!({"type": "number"}),
            Type::Int { min, max } => {
                let mut s = json!({"type": "integer"});
                if let Some(m) = min {
                    s["minimum"] = json!(m);
                }
                if let Some(m) = max {
                    s["maximum"] = json!(m);
                }
                s
            }
            Type::Array(item) => json!({"type": "array", "items": item.json_schema(components)}),
            Type::OneOf(choices) => {
                let any: Vec<Value> = choices.iter().map(|c| c.json_schema(components)).collect();
                json!({ "anyOf": any })
            }
            Type::Map(item) => {
                json!({"type": "object", "additionalProperties": item.json_schema(components)})
            }
            Type::Null => json!({"type": "null"}),
            Type::Object(object) => object.schema_ref(components),
        }
    }
}

fn describe_int(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("an integer from {a} to {b}"),
        (Some(a), None) => format!("an integer of at least {a}"),
        (None, Some(b)) => format!("an integer of at most {b}"),
        (None, None) => "an integer".into(),
    }
}

impl Object {
    /// Checks a JSON object against the declared fields. Required fields are checked by
    /// [`Object::check_create`]: a `PUT` or `PATCH` may leave them out.
    pub fn check(&self, value: &Value, strictness: Strictness) -> Result<(), Mismatch> {
        self.check_at(value, strictness, &mut String::new())
    }

    /// As [`Object::check`], and every required field must be present (a create body).
    pub fn check_create(&self, value: &Value) -> Result<(), Mismatch> {
        self.check(value, Strictness::Request)?;
        if let Some(missing) = self
            .fields
            .iter()
            .find(|f| f.required && !f.read_only && value.get(f.name).is_none_or(Value::is_null))
        {
            return Err(Mismatch {
                at: missing.name.to_owned(),
                expected: "given".into(),
            });
        }
        Ok(())
    }

    fn check_at(
        &self,
        value: &Value,
        strictness: Strictness,
        at: &mut String,
    ) -> Result<(), Mismatch> {
        let Value::Object(map) = value else {
            return Err(Mismatch {
                at: at.clone(),
                expected: "a JSON object".into(),
            });
        };
        for field in self.fields {
            let Some(v) = map.get(field.name) else {
                continue;
            };
            if strictness == Strictness::Response && field.write_only {
                return Err(Mismatch {
                    at: join(at, field.name),
                    expected: "absent from answers (write-only)".into(),
                });
            }
            // Read-only fields are echoed back by clients that PUT what they GOT; nulls mean "not given".
            if strictness == Strictness::Request && (field.read_only || v.is_null()) {
                continue;
            }
            let len = at.len();
            if !at.is_empty() {
                at.push('.');
            }
            at.push_str(field.name);
            field.ty.check_at(v, strictness, at)?;
            at.truncate(len);
        }
        // An answer carries only what its schema declares: a field the schema misses would be
        // undocumented (requests may carry more; handlers name the unknown fields they refuse).
        if strictness == Strictness::Response
            && let Some(extra) = map.keys().find(|k| self.field(k).is_none())
        {
            return Err(Mismatch {
                at: join(at, extra),
                expected: "absent (not declared)".into(),
            });
        }
        if strictness == Strictness::Response
            && !self.kinds.is_empty()
            && let Some(Value::String(k)) = map.get("kind")
            && !self.kinds.contains(&k.as_str())
        {
            return Err(Mismatch {
                at: join(at, "kind"),
                expected: format!("one of {}", self.kinds.join(", ")),
            });
        }
        Ok(())
    }

    /// A `$ref` to this object's component, adding the component on first use.
    pub fn schema_ref(&self, components: &mut Map<String, Value>) -> Value {
        if !components.contains_key(self.name) {
            // Insert a placeholder first so recursive shapes terminate.
            components.insert(self.name.to_owned(), Value::Null);
            let schema = self.json_schema(components);
            components.insert(self.name.to_owned(), schema);
        }
        json!({ "$ref": format!("#/components/schemas/{}", self.name) })
    }

    /// The object's own JSON Schema (fields inline, nested objects as `$ref`s).
    pub fn json_schema(&self, components: &mut Map<String, Value>) -> Value {
        let mut properties = Map::new();
        for field in self.fields {
            let mut schema = field.ty.json_schema(components);
            if field.name == "kind" && !self.kinds.is_empty() {
                schema = json!({"type": "string", "enum": self.kinds});
            }
            let described = match schema {
                Value::Object(mut m) if !m.contains_key("$ref") => {
                    m.insert("description".into(), json!(field.description));
                    if field.read_only {
                        m.insert("readOnly".into(), json!(true));
                    }
                    if field.write_only {
                        m.insert("writeOnly".into(), json!(true));
                        if field.required {
                            let d = format!("{} Required when creating.", field.description);
                            m.insert("description".into(), json!(d));
                        }
                    }
                    Value::Object(m)
                }
                // A `$ref` sits beside sibling keywords in 2020-12, but keep it plain for tools.
                other => {
                    json!({"allOf": [other], "description": field.description, "readOnly": field.read_only})
                }
            };
            properties.insert(field.name.to_owned(), described);
        }
        let required: Vec<&str> = self
            .fields
            .iter()
            // A write-only field is required in creates only: the component also describes answers.
            .filter(|f| f.required && !f.read_only && !f.write_only)
            .map(|f| f.name)
            .collect();
        let mut description = self.description.to_owned();
        if self.ours {
            description.push_str(" (Shape defined by this agent: no public source gives Cisco's.)");
        }
        let mut schema = json!({
            "type": "object",
            "description": description,
            "properties": properties,
        });
        if !required.is_empty() {
            schema["required"] = json!(required);
        }
        schema
    }
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_owned()
    } else {
        format!("{at}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static THING: Object = Object {
        name: "Thing",
        description: "A thing.",
        fields: &[
            KIND,
            OBJECT_ID,
            SELF_LINK,
            Field::new("name", Type::Str, "Its name.").required(),
            Field::new("enabled", Type::Bool, "On or off."),
            Field::new(
                "level",
                Type::Int {
                    min: Some(1),
                    max: Some(15),
                },
                "A level.",
            ),
            Field::new("host", ADDRESS_OR_REF, "Where."),
            Field::new("tags", STRINGS, "Labels."),
        ],
        kinds: &["object#Thing"],
        ours: true,
    };

    #[test]
    fn a_create_body_needs_its_required_fields() {
        let e = THING.check_create(&json!({"enabled": true})).unwrap_err();
        assert_eq!(e.at, "name");
        assert!(THING.check_create(&json!({"name": "a"})).is_ok());
    }

    #[test]
    fn requests_take_booleans_and_numbers_as_strings_but_answers_do_not() {
        let body = json!({"name": "a", "enabled": "true", "level": "5"});
        assert!(THING.check(&body, Strictness::Request).is_ok());
        let e = THING.check(&body, Strictness::Response).unwrap_err();
        assert_eq!(e.at, "enabled");
    }

    #[test]
    fn nested_mismatches_name_the_attribute_path() {
        let e = THING
            .check(
                &json!({"host": {"kind": "Bogus", "value": "x"}}),
                Strictness::Request,
            )
            .unwrap_err();
        assert_eq!(e.at, "host.kind");
        let e = THING
            .check(&json!({"tags": ["a", 3]}), Strictness::Request)
            .unwrap_err();
        assert_eq!(e.at, "tags[1]");
        assert_eq!(e.to_string(), "'tags[1]' must be a string");
    }

    #[test]
    fn integers_outside_their_bounds_are_refused() {
        let e = THING
            .check(&json!({"level": 16}), Strictness::Request)
            .unwrap_err();
        assert_eq!(e.expected, "an integer from 1 to 15");
        assert!(
            THING
                .check(&json!({"level": 15}), Strictness::Request)
                .is_ok()
        );
    }

    #[test]
    fn read_only_fields_are_ignored_in_requests() {
        assert!(
            THING
                .check(&json!({"selfLink": 5, "name": "a"}), Strictness::Request)
                .is_ok()
        );
        assert!(
            THING
                .check(&json!({"selfLink": 5}), Strictness::Response)
                .is_err()
        );
    }

    static SECRET: Object = Object {
        name: "Secret",
        description: "Has a password.",
        fields: &[
            Field::new("name", Type::Str, "Name.").required(),
            Field::new("password", Type::Str, "Password.")
                .required()
                .write_only(),
        ],
        kinds: &[],
        ours: false,
    };

    #[test]
    fn write_only_fields_are_required_in_creates_and_refused_in_answers() {
        let e = SECRET.check_create(&json!({"name": "a"})).unwrap_err();
        assert_eq!(e.at, "password");
        assert!(
            SECRET
                .check_create(&json!({"name": "a", "password": "x"}))
                .is_ok()
        );
        let e = SECRET
            .check(&json!({"name": "a", "password": "x"}), Strictness::Response)
            .unwrap_err();
        assert_eq!(e.at, "password");
        let mut components = Map::new();
        let schema = SECRET.json_schema(&mut components);
        assert_eq!(schema["required"], json!(["name"]));
        assert_eq!(schema["properties"]["password"]["writeOnly"], json!(true));
    }

    #[test]
    fn answers_must_carry_a_declared_kind() {
        let e = THING
            .check(&json!({"kind": "object#Other"}), Strictness::Response)
            .unwrap_err();
        assert_eq!(e.at, "kind");
    }

    #[test]
    fn json_schema_refers_to_named_components_and_marks_our_shapes() {
        let mut components = Map::new();
        let r = Type::Object(&THING).json_schema(&mut components);
        assert_eq!(r, json!({"$ref": "#/components/schemas/Thing"}));
        let thing = &components["Thing"];
        assert_eq!(thing["required"], json!(["name"]));
        assert_eq!(thing["properties"]["objectId"]["readOnly"], json!(true));
        assert_eq!(thing["properties"]["kind"]["enum"], json!(["object#Thing"]));
        assert!(
            thing["description"]
                .as_str()
                .unwrap()
                .contains("defined by this agent")
        );
        assert!(components.contains_key("NetworkAddress"));
        assert!(components.contains_key("ObjectRef"));
    }

    #[test]
    fn answers_may_not_carry_undeclared_fields_but_requests_may() {
        let body = json!({"name": "a", "color": "red"});
        assert!(THING.check(&body, Strictness::Request).is_ok());
        let e = THING.check(&body, Strictness::Response).unwrap_err();
        assert_eq!(e.at, "color");
        let nested = json!({"host": {"kind": "IPv4Address", "value": "10.0.0.1", "x": 1}});
        assert_eq!(
            THING.check(&nested, Strictness::Response).unwrap_err().at,
            "host.x"
        );
    }

    #[test]
    fn maps_check_every_value_and_null_is_only_null() {
        static COUNTS: Type = Type::Map(&UINT);
        assert!(
            COUNTS
                .check(&json!({"GET": 3, "PUT": 0}), Strictness::Response)
                .is_ok()
        );
        let e = COUNTS
            .check(&json!({"GET": 3, "PUT": -1}), Strictness::Response)
            .unwrap_err();
        assert_eq!(e.at, "PUT");
        assert!(COUNTS.check(&json!([1]), Strictness::Response).is_err());
        assert!(
            NULLABLE_STR
                .check(&Value::Null, Strictness::Response)
                .is_ok()
        );
        assert!(
            NULLABLE_STR
                .check(&json!("x"), Strictness::Response)
                .is_ok()
        );
        assert!(NULLABLE_STR.check(&json!(1), Strictness::Response).is_err());
        let mut components = Map::new();
        assert_eq!(
            COUNTS.json_schema(&mut components),
            json!({"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}})
        );
        assert_eq!(
            NULLABLE_STR.json_schema(&mut components),
            json!({"anyOf": [{"type": "string"}, {"type": "null"}]})
        );
    }

    #[test]
    fn requests_take_enum_words_in_any_case_but_answers_do_not() {
        static MODE: Type = Type::Enum(&["static", "dynamic"]);
        assert!(MODE.check(&json!("STATIC"), Strictness::Request).is_ok());
        assert!(MODE.check(&json!("STATIC"), Strictness::Response).is_err());
        assert!(MODE.check(&json!("twice"), Strictness::Request).is_err());
    }
}
