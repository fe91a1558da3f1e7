"""Checks the OpenAPI document and the Doc-UI against a running daemon.

Usage: check_api.py <agent binary> <venv bin dir> <node_modules dir> <output dir>

Starts the binary on loopback (tests/py/daemon.py) with a fresh state directory, then:
1. fetches /api/openapi.json and validates it with openapi-spec-validator (OpenAPI 3.1);
2. runs schemathesis over every operation with the checks the catalogue issue names
   (server errors, response-schema conformance, undocumented status codes), bounded in
   examples and time, and fails on any failure;
3. loads /doc/ in Debian's headless Chromium (driven by playwright-core), checks that the
   rendered page lists the operations of every tag, runs one operation with "Try it out",
   reads the generated Python, node and Perl scripts, and keeps a screenshot in <output dir>.
Prints one line of figures per step.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "py"))
import daemon as stack  # noqa: E402 (tests/py/daemon.py)

PASSWORD = "Api-Check-1"
HERE = os.path.dirname(os.path.abspath(__file__))


def validate(base, out):
    r = requests.get(f"{base}/api/openapi.json", auth=("admin", PASSWORD), verify=False, timeout=10)
    if r.status_code != 200:
        raise SystemExit(f"GET /api/openapi.json: {r.status_code} {r.text[:200]}")
    doc = r.json()
    path = os.path.join(out, "openapi.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
    from openapi_spec_validator import validate as check

    check(doc)
    operations = sum(len(item) for item in doc["paths"].values())
    unauth = requests.get(f"{base}/api/openapi.json", verify=False, timeout=10)
    if unauth.status_code != 401:
        raise SystemExit(f"the document is served without credentials: {unauth.status_code}")
    print(f"openapi: valid OpenAPI {doc['openapi']}, {len(doc['paths'])} paths, {operations} operations, "
          f"{len(doc['components']['schemas'])} schemas, {len(doc['tags'])} tags")
    return doc, path


def schemathesis(venv_bin, schema_path, base, out, examples):
    report = os.path.join(out, "schemathesis.txt")
    command = [
        os.path.join(venv_bin, "schemathesis"), "run", schema_path,
        "--url", base,
        "--auth", f"admin:{PASSWORD}",
        "--tls-verify", "false",
        "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance",
        "--max-examples", str(examples),
        # Credentials come from --auth; generated X-Auth-Token values would only test 401s.
        "--generation-with-security-parameters", "false",
        # Fuzzing repeats until the budget is spent: 5 minutes bounds the step.
        "--max-time", "300",
        "--workers", "2",
        "--no-color",
    ]
    started = time.time()
    with open(report, "w") as log:
        code = subprocess.call(command, stdout=log, stderr=subprocess.STDOUT, timeout=900)
    text = open(report).read()
    tail = "\n".join(text.strip().splitlines()[-25:])
    print(tail)
    if code != 0:
        summary = re.search(r"=+ (.*) in [0-9.]+s =+", text)
        failures = re.search(r"(\d+) failures?", summary.group(1)) if summary else None
        # CPython 3.11's ast (gh-106905) can fail inside Hypothesis while it describes a lambda:
        # a fault of the test tool, not of the API. Only that error, and no failure, is tolerated.
        errors_section = text.split(" ERRORS ", 1)[1].split(" WARNINGS ", 1)[0] if " ERRORS " in text else ""
        # Every error, whatever its kind (a Network Error is one too), one block per operation.
        blocks = re.split(r"\n_{5,} [^\n]* _{5,}\n", errors_section)[1:]
        known = [b for b in blocks
                 if b.startswith("Runtime Error") and "AST constructor recursion depth mismatch" in b]
        if failures is None and summary and blocks and len(known) == len(blocks):
            print(f"schemathesis: 0 failures; {len(blocks)} runtime error(s) inside Hypothesis "
                  "(CPython 3.11 ast bug gh-106905), not the API's")
        else:
            # CI keeps only this output: show each error and failure (its operation, its title
            # and the end of its traceback), not only the summary.
            failures_section = text.split(" FAILURES ", 1)[1].split(" SUMMARY ", 1)[0] if " FAILURES " in text else ""
            for section in (errors_section, failures_section):
                for block in re.split(r"\n(?=_{5,})", section):
                    lines = [line[:300] for line in block.strip().splitlines()]
                    shown = lines if len(lines) <= 30 else lines[:4] + ["    ..."] + lines[-24:]
                    print("\n".join(shown))
            raise SystemExit(f"schemathesis failed (exit {code}); full report in {report}")
    print(f"schemathesis: exit 0 in {time.time() - started:.0f} s, report in {report}")


def doc_ui(node_modules, base, out, doc):
    script = os.path.join(HERE, "check_doc_ui.js")
    tags = sorted({op["tags"][0] for item in doc["paths"].values() for op in item.values()})
    operations = sum(len(item) for item in doc["paths"].values())
    env = dict(os.environ, NODE_PATH=node_modules)
    args = ["node", script, base, "admin", PASSWORD, os.path.join(out, "doc-ui.png"), json.dumps(tags), str(operations)]
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"Doc-UI check failed (exit {result.returncode})")


def main():
    binary, venv_bin, node_modules, out = sys.argv[1:5]
    examples = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as state:
        daemon, base = stack.start(binary, PASSWORD, os.path.join(state, "agent"),
                                   os.path.join(out, "daemon.log"))
        try:
            doc, schema_path = validate(base, out)
            doc_ui(node_modules, base, out, doc)
            schemathesis(venv_bin, schema_path, base, out, examples)
            if daemon.poll() is not None:
                raise SystemExit("the daemon died during the checks")
        finally:
            stack.stop(daemon, 15)
    print("api checks: every check passed")


if __name__ == "__main__":
    main()
