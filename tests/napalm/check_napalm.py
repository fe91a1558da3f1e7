"""Drives a running daemon with napalm-asa, a real client, and fails on any error or empty answer.

Usage: check_napalm.py <agent binary>
Starts the binary on loopback (tests/py/daemon.py) with a fresh state directory, waits until the API
answers, runs open, get_facts, get_interfaces, get_interfaces_ip, get_arp_table, is_alive,
get_config and close, prints what each returned in one line, and stops the daemon.
"""

import os
import sys
import tempfile
import time
from urllib.parse import urlsplit

import requests
from napalm import get_network_driver

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "py"))
import daemon as stack  # noqa: E402 (tests/py/daemon.py)

PASSWORD = "Napalm-Check-1"


def require(name, value):
    if not value:
        raise SystemExit(f"napalm {name}: empty answer: {value!r}")
    print(f"napalm {name}: ok ({summary(value)})")


def summary(value):
    if isinstance(value, dict):
        return f"{len(value)} keys: " + ", ".join(sorted(map(str, value))[:6])
    if isinstance(value, list):
        return f"{len(value)} entries"
    return repr(value)[:80]


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as state:
        log_path = os.path.join(state, "daemon.log")
        daemon, base = stack.start(binary, PASSWORD, os.path.join(state, "agent"), log_path)
        port = urlsplit(base).port
        try:
            # The uptime is reported in whole seconds: let one pass so it must be positive.
            time.sleep(1.5)
            driver = get_network_driver("asa")
            device = driver(
                "127.0.0.1", "admin", PASSWORD, optional_args={"port": port}
            )
            device.open()
            print("napalm open: ok")
            facts = device.get_facts()
            require("get_facts", facts)
            for key in ("os_version", "serial_number", "model", "hostname", "interface_list"):
                if not facts.get(key):
                    raise SystemExit(f"napalm get_facts: {key} is empty: {facts!r}")
            if not facts.get("uptime", 0) > 0:
                raise SystemExit(f"napalm get_facts: uptime is not positive: {facts!r}")
            interfaces = device.get_interfaces()
            require("get_interfaces", interfaces)
            if not any(i["is_up"] for i in interfaces.values()):
                raise SystemExit(f"napalm get_interfaces: no interface is up: {interfaces!r}")
            if not all(i["mac_address"] for i in interfaces.values()):
                raise SystemExit(f"napalm get_interfaces: a MAC address is missing: {interfaces!r}")
            # An ASA prints "MTU not set" for a port without a nameif; a named, enabled one has one.
            if not all(i["mtu"] > 0 for i in interfaces.values() if i["is_up"]):
                raise SystemExit(f"napalm get_interfaces: an up interface has no MTU: {interfaces!r}")
            ips = device.get_interfaces_ip()
            require("get_interfaces_ip", ips)
            arp = device.get_arp_table()
            require("get_arp_table", arp)
            alive = device.is_alive()
            if alive != {"is_alive": True}:
                raise SystemExit(f"napalm is_alive: {alive!r}")
            print("napalm is_alive: ok")
            config = device.get_config()
            for which in ("running", "startup"):
                if "hostname" not in config[which]:
                    raise SystemExit(f"napalm get_config: no {which} configuration: {config!r}")
            print(f"napalm get_config: ok (running {len(config['running'])} bytes)")
            device.close()
            print("napalm close: ok")
            stale = requests.get(
                f"{base}/api/monitoring/serialnumber",
                headers={"X-Auth-Token": device.device.token},
                verify=False,
                timeout=10,
            )
            if stale.status_code != 401:
                raise SystemExit(f"napalm close: the token still answers {stale.status_code}")
        except SystemExit:
            sys.stderr.write(stack.tail(log_path))
            raise
        finally:
            stack.stop(daemon)
    print("napalm-asa: every call answered")


if __name__ == "__main__":
    main()
