#!/usr/bin/env bash
# Builds the appliance package (`cargo deb -p agent`: the daemon without lina-sim) and checks it:
#  1. its file list and conffiles (dpkg-deb -c / -I);
#  2. installs it with dpkg into a scratch root (dpkg --root --force-script-chrootless: the
#     maintainer scripts run, DPKG_ROOT-aware, and create the system user and state directory
#     there, not on the CI machine);
#  3. `systemd-analyze verify` on the installed unit (with the host's unit library copied into
#     the scratch root, so its dependencies resolve and ExecStart is checked against the
#     installed binary), and `systemd-analyze security --offline` on it;
#  4. starts the INSTALLED binary with the INSTALLED configuration against a standalone
#     lina-sim, overriding only the state directory, the listen port, LINA's address and its
#     channel secret file, under
#     a NOTIFY_SOCKET, and waits for READY=1 and a first 200 on an API GET; then SIGTERM and
#     STOPPING=1.
# Run from .ci/run; safe to run by hand (everything lives under a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -INT "$pid" 2>/dev/null || true
  done
  sleep 0.2
  for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "check-deb: $*" >&2
  exit 1
}

echo "== cargo deb -p agent (release, --no-default-features: no lina-sim)"
deb="$(cargo deb -p agent --quiet | grep '\.deb$' | tail -n 1)"
[ -f "$deb" ] || fail "cargo deb did not print a package path ($deb)"
echo "$deb"

echo "== dpkg-deb -c"
dpkg-deb -c "$deb" | tee "$work/contents"
for path in ./usr/bin/asa-rest-agent \
            ./usr/lib/systemd/system/asa-rest-agent.service \
            ./etc/asa-rest-agent/config.toml \
            ./usr/lib/sysusers.d/asa-rest-agent.conf \
            ./usr/share/doc/asa-rest-agent/README.md \
            ./usr/share/doc/asa-rest-agent/copyright; do
  grep -q " $path\$" "$work/contents" || fail "$path is not in the package"
done
dpkg-deb -e "$deb" "$work/control"
grep -qx /etc/asa-rest-agent/config.toml "$work/control/conffiles" \
  || fail "/etc/asa-rest-agent/config.toml is not a conffile"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "no $script"
done

echo "== dpkg -i into a scratch root"
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
touch "$root/var/lib/dpkg/status"
# Dependencies (libc) are the host's, not the scratch root's: --force-depends.
dpkg --root="$root" --log=/dev/null --force-script-chrootless --force-depends \
     --force-not-root -i "$deb"
grep -q '^asa-rest-agent:' "$root/etc/passwd" || fail "postinst created no system user"
[ -d "$root/var/lib/asa-rest-agent" ] || fail "postinst created no state directory"
owner="$(stat -c '%u:%g' "$root/var/lib/asa-rest-agent")"
user_ids="$(awk -F: '$1 == "asa-rest-agent" { print $3 ":" $4 }' "$root/etc/passwd")"
[ "$owner" = "$user_ids" ] || fail "the state directory is owned by $owner, not asa-rest-agent ($user_ids)"
echo "user: $(grep '^asa-rest-agent:' "$root/etc/passwd")"
echo "state: $(stat -c '%a' "$root/var/lib/asa-rest-agent") $root/var/lib/asa-rest-agent owned by asa-rest-agent"
dpkg --root="$root" -s asa-rest-agent | grep -E '^(Status|Version|Depends):'

echo "== systemd-analyze verify (scratch root)"
# The unit's default dependencies (sysinit.target, basic.target, ...) come from the host.
cp -an /lib/systemd/system/. "$root/usr/lib/systemd/system/"
verify="$(systemd-analyze verify --man=no --root="$root" asa-rest-agent.service 2>&1)" \
  || fail "systemd-analyze verify failed: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify warned: $verify"
echo "verify: no error, no warning"
# The threshold is on systemd's internal 0-100 scale: 20 is an exposure of 2.0 ("OK").
systemd-analyze security --offline=true --root="$root" --threshold=20 asa-rest-agent.service \
  >"$work/security" || fail "exposure above 2.0: $(cat "$work/security")"
tail -n 1 "$work/security"

echo "== the installed binary, the installed configuration, a standalone lina-sim"
bin="$root/usr/bin/asa-rest-agent"
# Without --lina the appliance build refuses to start: it has no embedded simulator.
if "$bin" --state-dir "$work/nolina" --listen 127.0.0.1:0 >/dev/null 2>"$work/nolina.err"; then
  fail "the packaged binary started without --lina"
fi
grep -q "no embedded LINA simulator" "$work/nolina.err" || fail "$(cat "$work/nolina.err")"

cargo build -q -p lina-sim
password='S3cret-pw1'
"$target_dir/debug/lina-sim" --listen 127.0.0.1:0 --state-dir "$work/sim" \
    --admin-password "$password" >"$work/sim.out" 2>"$work/sim.err" &
pids+=($!)
lina=""
for _ in $(seq 200); do
  lina="$(sed -n 's/^LINA protocol listening on //p' "$work/sim.out")"
  [ -n "$lina" ] && break
  sleep 0.05
done
[ -n "$lina" ] || fail "lina-sim did not start: $(cat "$work/sim.err")"

# A NOTIFY_SOCKET like systemd's, to see READY=1 and STOPPING=1.
python3 - "$work/notify" >"$work/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    data = s.recv(4096).decode()
    print(data.replace("\n", " ").strip(), flush=True)
PY
pids+=($!)
disown
for _ in $(seq 100); do [ -S "$work/notify" ] && break; sleep 0.05; done

started=$(date +%s.%N)
NOTIFY_SOCKET="$work/notify" "$bin" --config "$root/etc/asa-rest-agent/config.toml" \
    --state-dir "$work/state" --listen 127.0.0.1:0 --lina "$lina" \
    --lina-secret-file "$work/sim/lina-secret" \
    >"$work/agent.out" 2>"$work/agent.err" &
agent=$!
pids+=("$agent")
api=""
for _ in $(seq 400); do
  api="$(sed -n 's/^REST API listening on //p' "$work/agent.out")"
  [ -n "$api" ] && break
  kill -0 "$agent" 2>/dev/null || fail "the daemon exited: $(cat "$work/agent.err")"
  sleep 0.05
done
[ -n "$api" ] || fail "the daemon did not announce its address: $(cat "$work/agent.err")"
code=""
for _ in $(seq 200); do
  code="$(curl -sk -o "$work/body" -w '%{http_code}' -u "admin:$password" \
          "$api/api/objects/networkobjects" || true)"
  [ "$code" = 200 ] && break
  sleep 0.05
done
[ "$code" = 200 ] || fail "no 200 from $api (last: $code): $(cat "$work/agent.err")"
echo "first 200 from the installed daemon at $api after" \
  "$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f s", b - a }')"
health="$(curl -sk "$api/healthz")"
[ "$health" = '{"status":"ok"}' ] || fail "/healthz said $health"
grep -q 'READY=1' "$work/notify.log" || fail "no READY=1: $(cat "$work/notify.log")"
grep -m1 '"message":"request"' "$work/agent.err" || fail "no JSON request line"

kill -TERM "$agent"
for _ in $(seq 200); do kill -0 "$agent" 2>/dev/null || break; sleep 0.05; done
kill -0 "$agent" 2>/dev/null && fail "the daemon did not stop on SIGTERM"
grep -q 'STOPPING=1' "$work/notify.log" || fail "no STOPPING=1: $(cat "$work/notify.log")"
echo "notifications: $(tr '\n' '|' <"$work/notify.log")"

echo "== dpkg -r, dpkg -P (scratch root)"
dpkg --root="$root" --log=/dev/null --force-script-chrootless --force-not-root -P asa-rest-agent
[ ! -e "$root/usr/bin/asa-rest-agent" ] || fail "the binary survived the purge"
[ ! -e "$root/var/lib/asa-rest-agent" ] || fail "the state survived the purge"

echo "package checks passed"
