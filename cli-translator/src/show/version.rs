//! `show version`: software versions, host name and uptime, hardware, interfaces, licensed
//! features, serial number and the last configuration change.

/// One `N: Ext: <name> : address is <mac>, irq <n>` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInterface {
    pub index: u32,
    /// `Ext` (external) or `Int` (internal).
    pub kind: String,
    /// `Not used` for an unused slot.
    pub name: String,
    /// `None` for an unused slot.
    pub mac_address: Option<String>,
    pub irq: Option<u32>,
}

/// One `Feature name : value [term]` line of the licensed features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    pub name: String,
    pub value: String,
    /// `perpetual`, `39 days` ... when the output has a second column.
    pub term: Option<String>,
}

/// What `show version` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Version {
    /// `9.16(4)` of `... Software Version 9.16(4)`.
    pub asa_version: Option<String>,
    pub device_manager_version: Option<String>,
    pub rest_api_version: Option<String>,
    /// `Mon 15-Feb-16 19:00 PST` of `Compiled on ... by builders`.
    pub compiled: Option<String>,
    pub compiled_by: Option<String>,
    pub image: Option<String>,
    pub boot_config: Option<String>,
    pub hostname: Option<String>,
    /// `41 days 19 hours` as printed.
    pub uptime: Option<String>,
    /// `ASAv, 2048 MB RAM, CPU ... MHz` without the trailing comma.
    pub hardware: Option<String>,
    pub model_id: Option<String>,
    /// `8192MB` of `Internal ATA Compact Flash, 8192MB`.
    pub flash: Option<String>,
    pub interfaces: Vec<VersionInterface>,
    pub license_mode: Option<String>,
    pub license_state: Option<String>,
    /// The first licensed-features table (the platform's or the context's).
    pub features: Vec<Feature>,
    pub serial_numbers: Vec<String>,
    pub last_modified_by: Option<String>,
    /// `18:56:48.410 UTC Wed Apr 5 2017`
    pub last_modified_at: Option<String>,
}

impl Version {
    /// The platform: the hardware line up to its first comma (`ASAv`, `ASA5516`).
    pub fn device_type(&self) -> Option<&str> {
        let hw = self.hardware.as_deref()?;
        let t = hw.split(',').next().unwrap_or(hw).trim();
        (!t.is_empty()).then_some(t)
    }

    /// `2048` of `..., 2048 MB RAM, ...`.
    pub fn ram_mb(&self) -> Option<u64> {
        let hw = self.hardware.as_deref()?;
        hw.split(',')
            .find_map(|part| part.trim().strip_suffix(" MB RAM"))
            .and_then(super::number)
    }

    /// `8192` of `8192MB`.
    pub fn flash_mb(&self) -> Option<u64> {
        self.flash
            .as_deref()?
            .strip_suffix("MB")
            .and_then(|n| super::number(n.trim()))
    }

    /// The uptime in seconds (`1 year 97 days`, `2 hours 12 mins`, `5 secs`).
    pub fn uptime_secs(&self) -> Option<u64> {
        uptime_secs(self.uptime.as_deref()?)
    }

    /// A licensed feature's value by its name as printed (`Maximum VLANs`).
    pub fn feature(&self, name: &str) -> Option<&str> {
        self.features
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
    }
}

/// Seconds in `N unit [N unit]...`; `None` when a word is neither.
pub fn uptime_secs(text: &str) -> Option<u64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return None;
    }
    let mut total: u64 = 0;
    for pair in words.chunks(2) {
        let [n, unit] = pair else { return None };
        let n: u64 = n.parse().ok()?;
        let scale: u64 = match unit.trim_end_matches('s') {
            "year" => 365 * 86_400,
            "day" => 86_400,
            "hour" => 3600,
            "min" => 60,
            "sec" => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(scale)?)?;
    }
    Some(total)
}

fn word_after(line: &str, marker: &str) -> Option<String> {
    let (_, rest) = line.split_once(marker)?;
    rest.split_whitespace().next().map(str::to_owned)
}

fn quoted(line: &str) -> Option<String> {
    super::between(line, "\"", "\"").map(str::to_owned)
}

fn interface_line(line: &str) -> Option<VersionInterface> {
    let (index, rest) = line.trim().split_once(':')?;
    let index: u32 = index.trim().parse().ok()?;
    let (kind, rest) = rest.trim().split_once(':')?;
    if kind != "Ext" && kind != "Int" {
        return None;
    }
    // `<name padded> : address is <mac>, irq <n>` or `Not used : irq <n>`.
    let (name, rest) = rest.split_once(" : ").or_else(|| rest.split_once(": "))?;
    let rest = rest.trim();
    let (mac, irq) = match rest.strip_prefix("address is ") {
        Some(tail) => match tail.split_once(',') {
            Some((mac, irq)) => (Some(mac.trim().to_owned()), irq.trim()),
            None => (Some(tail.trim().to_owned()), ""),
        },
        None => (None, rest),
    };
    Some(VersionInterface {
        index,
        kind: kind.to_owned(),
        name: name.trim().to_owned(),
        mac_address: mac,
        irq: irq.strip_prefix("irq ").and_then(|n| n.trim().parse().ok()),
    })
}

fn feature_line(line: &str) -> Option<Feature> {
    let (name, value) = line.split_once(" : ")?;
    let name = name.trim();
    let value = value.trim();
    if name.is_empty() || value.is_empty() {
        return None;
    }
    let (value, term) = match value.split_once("  ") {
        Some((v, t)) => (v.trim(), Some(t.trim().to_owned())),
        None => (value, None),
    };
    Some(Feature {
        name: name.to_owned(),
        value: value.to_owned(),
        term,
    })
}

/// Parses `show version` output.
pub fn parse(text: &str) -> Version {
    let mut v = Version::default();
    // 0: before the first features table, 1: inside it, 2: after it.
    let mut features = 0u8;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim();
        if features == 1 {
            if let Some(f) = feature_line(trimmed) {
                v.features.push(f);
                continue;
            }
            features = 2;
        }
        if trimmed.starts_with("Licensed features for this") {
            if features == 0 {
                features = 1;
            }
            continue;
        }
        if let Some(i) = trimmed
            .starts_with(|c: char| c.is_ascii_digit())
            .then(|| interface_line(trimmed))
            .flatten()
        {
            v.interfaces.push(i);
            continue;
        }
        if line.contains("Software Version ") && v.asa_version.is_none() {
            v.asa_version = word_after(line, "Software Version ");
        } else if let Some(rest) = trimmed.strip_prefix("Device Manager Version ") {
            v.device_manager_version = rest.split_whitespace().next().map(str::to_owned);
        } else if let Some(rest) = trimmed.strip_prefix("REST API Agent Version ") {
            v.rest_api_version = rest.split_whitespace().next().map(str::to_owned);
        } else if let Some(rest) = trimmed.strip_prefix("Compiled on ") {
            match rest.rsplit_once(" by ") {
                Some((when, by)) => {
                    v.compiled = Some(when.trim().to_owned());
                    v.compiled_by = Some(by.trim().to_owned());
                }
                None => v.compiled = Some(rest.trim().to_owned()),
            }
        } else if trimmed.starts_with("System image file is") {
            v.image = quoted(trimmed);
        } else if trimmed.starts_with("Config file at boot was") {
            v.boot_config = quoted(trimmed);
        } else if let Some(rest) = trimmed.strip_prefix("Hardware:") {
            let hw = rest.trim().trim_end_matches(',').trim();
            v.hardware = Some(hw.to_owned());
        } else if let Some(rest) = trimmed.strip_prefix("Model Id:") {
            v.model_id = Some(rest.trim().to_owned());
        } else if let Some(rest) = trimmed.strip_prefix("Internal ") {
            if let Some((_, size)) = rest.rsplit_once(", ") {
                v.flash = Some(size.trim().to_owned());
            }
        } else if let Some(rest) = trimmed.strip_prefix("License mode:") {
            v.license_mode = Some(rest.trim().to_owned());
        } else if let Some((_, state)) = trimmed.split_once("License State:") {
            v.license_state = Some(state.trim().to_owned());
        } else if let Some(rest) = trimmed.strip_prefix("Serial Number:") {
            if let Some(s) = rest.split_whitespace().next() {
                v.serial_numbers.push(s.to_owned());
            }
        } else if let Some(rest) = trimmed.strip_prefix("Configuration last modified by ") {
            match rest.split_once(" at ") {
                Some((by, at)) => {
                    v.last_modified_by = Some(by.trim().to_owned());
                    v.last_modified_at = Some(at.trim().to_owned());
                }
                None => v.last_modified_by = Some(rest.trim().to_owned()),
            }
        } else if v.hostname.is_none() {
            let words: Vec<&str> = trimmed.split_whitespace().collect();
            if let [host, "up", rest @ ..] = words.as_slice() {
                v.hostname = Some((*host).to_owned());
                v.uptime = Some(rest.join(" "));
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = "
Cisco Adaptive Security Appliance Software Version 9.12(2) 
REST API Agent Version 7.12(1)

Compiled on Tue 01-Jan-19 10:00 UTC by builders
System image file is \"disk0:/asa.bin\"
Config file at boot was \"startup-config\"

edge-fw up 2 days 3 hours

Hardware:   ASAv, 4096 MB RAM, CPU Xeon 2000 MHz,
Model Id:   ASAv30
Internal ATA Compact Flash, 4096MB
BIOS Flash Firmware Hub @ 0x0, 0KB

 0: Ext: Management0/0       : address is 0011.2233.4400, irq 11
 1: Ext: GigabitEthernet0/0  : address is 0011.2233.4401, irq 10

License mode: Smart Licensing
ASAv Platform License State: Licensed

Licensed features for this platform:
Maximum VLANs                     : 200            perpetual
Failover                          : Active/Standby 

Serial Number: ABC123XYZ

Image type          : Release
Configuration last modified by admin at 10:11:12.000 UTC Sun Nov 22 2026
";

    #[test]
    fn reads_every_field_of_an_asav_sample() {
        let v = parse(SAMPLE);
        assert_eq!(v.asa_version.as_deref(), Some("9.12(2)"));
        assert_eq!(v.rest_api_version.as_deref(), Some("7.12(1)"));
        assert_eq!(v.compiled.as_deref(), Some("Tue 01-Jan-19 10:00 UTC"));
        assert_eq!(v.image.as_deref(), Some("disk0:/asa.bin"));
        assert_eq!(v.hostname.as_deref(), Some("edge-fw"));
        assert_eq!(v.uptime_secs(), Some(2 * 86_400 + 3 * 3600));
        assert_eq!(v.device_type(), Some("ASAv"));
        assert_eq!(v.ram_mb(), Some(4096));
        assert_eq!(v.flash_mb(), Some(4096));
        assert_eq!(v.model_id.as_deref(), Some("ASAv30"));
        assert_eq!(v.interfaces.len(), 2);
        assert_eq!(v.interfaces[1].name, "GigabitEthernet0/0");
        assert_eq!(
            v.interfaces[1].mac_address.as_deref(),
            Some("0011.2233.4401")
        );
        assert_eq!(v.interfaces[1].irq, Some(10));
        assert_eq!(v.license_state.as_deref(), Some("Licensed"));
        assert_eq!(v.feature("Maximum VLANs"), Some("200"));
        assert_eq!(v.features[0].term.as_deref(), Some("perpetual"));
        assert_eq!(v.feature("Failover"), Some("Active/Standby"));
        assert_eq!(v.serial_numbers, vec!["ABC123XYZ".to_owned()]);
        assert_eq!(v.last_modified_by.as_deref(), Some("admin"));
        assert_eq!(
            v.last_modified_at.as_deref(),
            Some("10:11:12.000 UTC Sun Nov 22 2026")
        );
    }

    #[test]
    fn an_unused_slot_has_no_address_and_a_table_ends_at_prose() {
        let v = parse(
            " 5: Int: Not used            : irq 11\n\
             Licensed features for this platform:\n\
             Failover      : Active/Active  perpetual\n\
             This platform has a Base license.\n\
             Serial Number: JMX1\n",
        );
        assert_eq!(v.interfaces[0].name, "Not used");
        assert_eq!(v.interfaces[0].mac_address, None);
        assert_eq!(v.interfaces[0].irq, Some(11));
        assert_eq!(v.features.len(), 1);
        assert_eq!(v.serial_numbers, vec!["JMX1".to_owned()]);
    }

    #[test]
    fn uptime_units_add_up() {
        assert_eq!(uptime_secs("1 year 97 days"), Some(462 * 86_400));
        assert_eq!(uptime_secs("1 day 1 hour"), Some(90_000));
        assert_eq!(uptime_secs("2 mins 10 secs"), Some(130));
        assert_eq!(uptime_secs("5 fortnights"), None);
        assert_eq!(uptime_secs("5"), None);
    }

    #[test]
    fn failover_uptime_is_not_the_hostname() {
        let v = parse("failover cluster up 3 days 1 hour\nfw up 1 day 2 hours\n");
        assert_eq!(v.hostname.as_deref(), Some("fw"));
        assert_eq!(v.uptime.as_deref(), Some("1 day 2 hours"));
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "(?s).{0,400}") {
            let v = parse(&text);
            let _ = (v.uptime_secs(), v.ram_mb(), v.flash_mb(), v.device_type());
        }

        #[test]
        fn arbitrary_lines_of_known_shape_never_panic(
            lines in proptest::collection::vec(
                "( ?[0-9]{0,3}: (Ext|Int)?:? ?[A-Za-z0-9/]{0,6} *: address is[ ,a-z0-9.]{0,12}|Hardware: ?[, A-Za-z0-9]{0,12}|[a-z]{1,4} up [0-9a-z ]{0,12}|Internal [a-z, 0-9]{0,10}|Serial Number:.{0,4}|Licensed features for this platform:|[A-Za-z ]{0,8}: ?[0-9a-z ]{0,8})",
                0..12,
            )
        ) {
            let v = parse(&lines.join("\n"));
            let _ = (v.uptime_secs(), v.ram_mb(), v.flash_mb(), v.device_type());
        }
    }
}
