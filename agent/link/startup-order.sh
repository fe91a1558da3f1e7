#!/bin/bash
# Regenerates agent/link/startup-order.txt: the functions the daemon and the agent process run
# from exec to serving requests, in the order they are first touched, for the linker to place
# first (see agent/build.rs). Needs perf, curl and python3; run from the workspace root:
#   agent/link/startup-order.sh [ROUNDS] [PACKAGE BINARY]
# (default: agent agent; ORDER_PROFILE=bench for the bench profile's build; `benches asa-bench-stack` adds the names of the bench stack's build, whose
# agent library has other features and so other symbol hashes; names of both builds can share
# the list, each link ignores the other's).
# Each round runs the release daemon (factory configuration, embedded LINA) under
# `perf record -e page-faults`, serves a few requests (list, token, create, get, delete), and
# appends the functions whose first execution faulted a page of .text. The kernel maps a
# faulting page's 64 KiB neighbourhood with it, so one round sees only the first function of each
# neighbourhood; the list is relinked and the next round sees the next ones, until rounds find
# few new names (about 30 rounds from an empty list, a few after a small change).
set -euo pipefail
rounds=${1:-8}
package=${2:-agent}
name=${3:-agent}
# `ORDER_PROFILE=bench` for the binary `cargo bench` links (its symbol hashes differ from the
# release build's); both profiles write to target/release.
profile=${ORDER_PROFILE:-release}
order=agent/link/startup-order.txt
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/$name
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
touch "$order"
for round in $(seq 1 "$rounds"); do
  if [ "$profile" = bench ]; then
    # As `cargo bench` builds it: with the package's dev-dependencies, whose features change
    # the symbol hashes again.
    cargo bench -q -p "$package" --no-run 2>/dev/null
  else
    cargo build -q --profile "$profile" -p "$package" --bin "$name"
  fi
  port=$((20000 + RANDOM % 20000))
  perf record -q -e page-faults -c 1 -d -o "$work/pf.data" -- "$bin" --listen 127.0.0.1:$port \
    --console 127.0.0.1:$((port + 1)) --state-dir "$work/state" --admin-password Order-pw1 \
    >"$work/out" 2>"$work/err" &
  perf_pid=$!
  url=https://127.0.0.1:$port/api
  for _ in $(seq 500); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' -u admin:Order-pw1 "$url/objects/networkobjects" || true)
    [ "$code" = 200 ] && break
    sleep 0.02
  done
  token=$(curl -sk -D - -o /dev/null -u admin:Order-pw1 -X POST "$url/tokenservices" |
    awk -F': ' 'tolower($1)=="x-auth-token"{print $2}' | tr -d '\r')
  for _ in 1 2 3; do
    curl -sk -o /dev/null -H "X-Auth-Token: $token" -H 'Content-Type: application/json' -X POST \
      -d '{"kind":"object#NetworkObj","name":"order1","host":{"kind":"IPv4Address","value":"10.9.9.9"}}' \
      "$url/objects/networkobjects"
    curl -sk -o /dev/null -H "X-Auth-Token: $token" "$url/objects/networkobjects/order1"
    curl -sk -o /dev/null -u admin:Order-pw1 "$url/objects/networkobjects/order1"
    curl -sk -o /dev/null -H "X-Auth-Token: $token" -X DELETE "$url/objects/networkobjects/order1"
  done
  sleep 0.3
  pkill -TERM -P "$perf_pid" || true
  wait "$perf_pid" || true
  rm -rf "$work/state"
  perf script -i "$work/pf.data" --no-demangle -F pid,addr,ip,sym,dso --show-mmap-events 2>/dev/null |
    python3 -c '
import re, sys
order = sys.argv[1]
text, firsts = {}, {}
for line in sys.stdin:
    m = re.search(r"^\s*(\d+) PERF_RECORD_MMAP2 \S+ \[0x([0-9a-f]+)\(0x([0-9a-f]+)\) @ \S+ .*\]: r-xp \S+/" + re.escape(sys.argv[2]) + "$", line)
    if m:
        text[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
        continue
    p = line.split()
    if len(p) < 3 or p[0] not in text:
        continue
    try:
        addr = int(p[1], 16)
    except ValueError:
        continue
    start, size = text[p[0]]
    m = re.search(r"\) +[0-9a-f]+ (\S+?)(\+0x[0-9a-f]+)? \(/", line)
    if start <= addr < start + size and m:
        firsts.setdefault(p[0], []).append(m.group(1))
known = [l.strip() for l in open(order) if l.strip()]
seen, new = set(known), []
# The agent process (started last) first: its functions then lie together.
for pid in sorted(firsts, key=int, reverse=True):
    for name in firsts[pid]:
        if name not in seen and not name.startswith("[") and name != "_start":
            seen.add(name)
            new.append(name)
open(order, "w").write("".join(n + "\n" for n in known + new))
print(f"{len(new)} new functions, {len(known) + len(new)} in all", file=sys.stderr)
' "$order" "$name"
done
