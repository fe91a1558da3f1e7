"""Starts the daemon for the Python checks (napalm-asa, the OpenAPI checks) and waits until it serves.

The daemon listens on port 0 and the address is read from its own "REST API listening on"
line: a port picked beforehand and closed again can be taken by anything in between (the
daemon's own channel to its agent process among them), which once failed CI with
"Address already in use".
"""

import re
import subprocess
import time

import requests

LISTENING = re.compile(r"REST API listening on (https://127\.0\.0\.1:\d+)")


def start(binary, password, state_dir, log_path, seconds=60):
    """Runs `binary` with a fresh state directory; returns (process, base URL) once it serves."""
    log = open(log_path, "w")
    daemon = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--console", "127.0.0.1:0",
         "--state-dir", state_dir, "--admin-password", password],
        stdout=log, stderr=subprocess.STDOUT,
    )
    requests.packages.urllib3.disable_warnings()
    deadline = time.time() + seconds
    base = None
    while time.time() < deadline:
        if daemon.poll() is not None:
            raise SystemExit(f"the daemon exited early with {daemon.returncode}:\n{tail(log_path)}")
        if base is None:
            with open(log_path) as f:
                found = LISTENING.search(f.read())
            base = found.group(1) if found else None
        if base is not None:
            try:
                r = requests.get(f"{base}/api/monitoring/serialnumber", auth=("admin", password),
                                 verify=False, timeout=2)
                if r.status_code == 200:
                    return daemon, base
            except requests.exceptions.RequestException:
                pass
        time.sleep(0.3)
    daemon.kill()
    raise SystemExit(f"the daemon did not start serving within {seconds} s:\n{tail(log_path)}")


def stop(daemon, seconds=30):
    daemon.terminate()
    try:
        daemon.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait()


def tail(log_path, size=4000):
    with open(log_path) as f:
        return f.read()[-size:]
