// Loads the Doc-UI in Debian's headless Chromium and checks what a person would see.
// Usage: node check_doc_ui.js <base URL> <user> <password> <screenshot.png> <tags JSON> <operation count>
// Needs playwright-core on NODE_PATH and /usr/bin/chromium. Exits non-zero on any failure.
const { chromium } = require("playwright-core");
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

// Runs a generated script as Cisco's text says to (`python script.py <username> <password>`,
// `node script.js ...`) and returns what it printed.
function run(interpreter, code, ext, user, password) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "doc-ui-")), `script.${ext}`);
  fs.writeFileSync(file, code);
  return execFileSync(interpreter, [file, user, password], { timeout: 30000, encoding: "utf8" });
}

async function main() {
  const [base, user, password, screenshot, tagsJson, operationCount] = process.argv.slice(2);
  const expectedTags = JSON.parse(tagsJson);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const failures = [];
  const external = [];
  try {
    // Without credentials the page is refused, as the API is.
    const anonymous = await browser.newContext({ ignoreHTTPSErrors: true });
    const refused = await anonymous.request.get(`${base}/doc/`);
    if (refused.status() !== 401) failures.push(`/doc/ without credentials answered ${refused.status()}`);
    await anonymous.close();

    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      httpCredentials: { username: user, password },
      viewport: { width: 1400, height: 1000 },
    });
    const page = await context.newPage();
    page.on("request", (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
    const started = Date.now();
    const response = await page.goto(`${base}/doc/`);
    if (response.status() !== 200) failures.push(`/doc/ answered ${response.status()}`);
    await page.waitForSelector(".opblock", { timeout: 60000 });
    const loadedMs = Date.now() - started;
    await page.screenshot({ path: screenshot, fullPage: false });

    // Swagger UI renders only what is near the viewport: scroll through the page and collect
    // every tag header and operation that gets rendered on the way.
    const seenTags = new Set();
    const seenOps = new Map();
    let lastY = -1;
    for (let step = 0; step < 2000; step++) {
      const visible = await page.evaluate(() => ({
        tags: Array.from(document.querySelectorAll("[data-tag]")).map((e) => e.getAttribute("data-tag")),
        ops: Array.from(document.querySelectorAll(".opblock")).map((e) => {
          const path = e.querySelector("[data-path]");
          const method = (e.querySelector(".opblock-summary-method") || {}).textContent || "?";
          const section = e.closest("[data-tag]") || e.parentElement.closest("div");
          return [`${method} ${path ? path.getAttribute("data-path") : "?"}`, e.id];
        }),
        y: window.scrollY,
      }));
      visible.tags.forEach((t) => seenTags.add(t));
      visible.ops.forEach(([k, id]) => seenOps.set(k, id));
      if (visible.y === lastY) break;
      lastY = visible.y;
      await page.mouse.wheel(0, 500);
      await page.waitForTimeout(60);
    }
    for (const tag of expectedTags) {
      if (!seenTags.has(tag)) failures.push(`tag ${tag} is not listed`);
      // Swagger UI builds an operation's element id from its tag with spaces as `_` and other
      // characters kept (`Site-to-site VPN` -> `operations-Site-to-site_VPN-...`): both sides
      // are compared with every non-alphanumeric character folded to `_`.
      const fold = (text) => text.replace(/[^A-Za-z0-9]/g, "_");
      const prefix = fold(`operations-${tag}-`);
      if (![...seenOps.values()].some((id) => fold(id).startsWith(prefix))) failures.push(`tag ${tag} lists no operation`);
    }
    const total = seenOps.size;
    if (total !== Number(operationCount)) failures.push(`the page lists ${total} operations, the document has ${operationCount}`);
    const shown = seenTags;


    // "Try it out" on the serial number, then the generated scripts.
    // The filter box narrows the page to one tag, so the operation is rendered at the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator("input.operation-filter-input").fill("Monitoring");
    const op = page.locator("#operations-Monitoring-getApiMonitoringSerialnumber");
    await op.waitFor({ timeout: 60000 });
    if (await op.locator("button.try-out__btn").count() === 0) await op.locator(".opblock-summary").click();
    await op.locator("button.try-out__btn").click();
    await op.locator("button.execute").click();
    const statusCell = op.locator(".live-responses-table tbody .response-col_status").first();
    await statusCell.waitFor({ timeout: 30000 });
    const status = (await statusCell.innerText()).trim();
    if (status !== "200") failures.push(`Try it out answered ${status}`);
    const body = await op.locator(".live-responses-table .response-col_description pre").first().innerText();
    if (!body.includes("object#QuerySerialNumber")) failures.push(`Try it out body: ${body.slice(0, 120)}`);
    const scripts = {};
    const snippetHeader = op.locator(".request-snippets");
    if (await snippetHeader.count() === 0) failures.push("no request snippets after executing");
    for (const [title, marker] of [["Python", "import base64"], ["JavaScript (node)", "require(\"https\")"], ["Perl", "use LWP::UserAgent"]]) {
      const tab = op.locator(".request-snippets .btn", { hasText: title });
      if (await tab.count() === 0) {
        failures.push(`no ${title} snippet tab in ${(await snippetHeader.first().innerHTML().catch(() => "")).slice(0, 400)}`);
        continue;
      }
      await tab.first().click();
      const code = await op.locator(".request-snippets pre").first().innerText();
      scripts[title] = `${code.split("\n").length} lines`;
      const runner = { "Python": ["python3", "py"], "JavaScript (node)": ["node", "js"] }[title];
      if (runner) {
        try {
          const out = run(runner[0], code, runner[1], user, password);
          if (!out.startsWith("200") || !out.includes("object#QuerySerialNumber")) failures.push(`${title} script printed: ${out.slice(0, 120)}`);
          else scripts[title] += ", ran: 200";
        } catch (e) {
          failures.push(`${title} script failed: ${String(e.stderr || e.message).slice(0, 200)}`);
        }
      }
      if (!code.includes(marker)) failures.push(`${title} snippet lacks ${marker}`);
      if (!code.includes("/api/monitoring/serialnumber")) failures.push(`${title} snippet lacks the URL`);
    }
    await page.screenshot({ path: screenshot.replace(/\.png$/, "-try-it-out.png"), fullPage: false });
    if (external.length) failures.push(`requests left the daemon: ${external.slice(0, 3).join(", ")}`);
    console.log(`doc-ui: /doc/ rendered in ${loadedMs} ms, ${shown.size} tags, ${total} operations; ` +
      `Try it out ${status}; scripts ${Object.entries(scripts).map(([k, v]) => `${k} ${v}`).join(", ")}; ` +
      `screenshot ${screenshot}`);
  } finally {
    await browser.close();
  }
  if (failures.length) {
    for (const f of failures) console.error(`doc-ui: ${f}`);
    process.exit(1);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
