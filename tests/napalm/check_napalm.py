"""Drives a running daemon with napalm-asa, a real client, and fails on any error or empty answer.

Usage: check_napalm.py <agent binary>
Starts the binary on free loopback ports with a fresh state directory, waits until the API
answers, runs open, get_facts, get_interfaces, get_interfaces_ip, get_arp_table, is_alive,
get_config and close, prints what each returned in one line, and stops the daemon.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time

import requests
from napalm import get_network_driver

PASSWORD = "Napalm-Check-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(port, daemon, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if daemon.poll() is not None:
            raise SystemExit(f"the daemon exited early with {daemon.returncode}")
        try:
            r = requests.get(
                f"https://127.0.0.1:{port}/api/monitoring/serialnumber",
                auth=("admin", PASSWORD),
                verify=False,
                timeout=2,
            )
            if r.status_code == 200:
                return
        except requests.exceptions.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("the daemon did not start serving within a minute")


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
    port, console = free_port(), free_port()
    with tempfile.TemporaryDirectory() as state:
        log = open(os.path.join(state, "daemon.log"), "w")
        daemon = subprocess.Popen(
            [
                binary,
                "--listen", f"127.0.0.1:{port}",
                "--console", f"127.0.0.1:{console}",
                "--state-dir", os.path.join(state, "agent"),
                "--admin-password", PASSWORD,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            requests.packages.urllib3.disable_warnings()
            wait_until_serving(port, daemon)
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
                f"https://127.0.0.1:{port}/api/monitoring/serialnumber",
                headers={"X-Auth-Token": device.device.token},
                verify=False,
                timeout=10,
            )
            if stale.status_code != 401:
                raise SystemExit(f"napalm close: the token still answers {stale.status_code}")
        except SystemExit:
            log.flush()
            with open(os.path.join(state, "daemon.log")) as f:
                sys.stderr.write(f.read()[-4000:])
            raise
        finally:
            daemon.terminate()
            daemon.wait(timeout=30)
    print("napalm-asa: every call answered")


if __name__ == "__main__":
    main()
