// Watches a page served by `briefs serve` reload itself in headless
// Chromium after a source file is edited, and swap its stylesheet without
// reloading after a CSS edit.
//
//   node reload.mjs <page-url> <brief.md> <stylesheet.css>
//
// The brief must contain the heading text given by $OLD_TEXT; it is
// replaced by $NEW_TEXT. Exits 1 with a message naming what failed.
import { chromium } from "playwright-core";
import { readFileSync, renameSync, writeFileSync } from "node:fs";

const [url, brief, css] = process.argv.slice(2);
const oldText = process.env.OLD_TEXT, newText = process.env.NEW_TEXT;
if (!url || !brief || !css || !oldText || !newText) {
  console.error("usage: OLD_TEXT=.. NEW_TEXT=.. node reload.mjs <page-url> <brief.md> <stylesheet.css>");
  process.exit(2);
}

const fail = (msg) => { console.error(`reload check failed on ${url}: ${msg}`); process.exit(1); };
const replaceIn = (file, a, b) => {
  const s = readFileSync(file, "utf8");
  if (!s.includes(a)) fail(`${file} does not contain ${JSON.stringify(a)}`);
  // Saved as most editors do, whole: written beside it, then renamed over
  // it, so that the server never reads a half-written file.
  writeFileSync(file + ".tmp", s.replace(a, b));
  renameSync(file + ".tmp", file);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });

  // Loaded, and listening: the event stream answered.
  const stream = page.waitForResponse((r) => r.url().endsWith("/_briefs/events"), { timeout: 20000 });
  await page.goto(url, { waitUntil: "load" });
  await stream;
  if (!(await page.textContent("body")).includes(oldText)) fail(`the page does not show ${JSON.stringify(oldText)}`);

  // A brief edit reloads the page: a mark left on window is gone after.
  await page.evaluate(() => { window.__mark = 1; });
  const reloaded = page.waitForEvent("load", { timeout: 20000 });
  const t0 = Date.now();
  replaceIn(brief, oldText, newText);
  await reloaded.catch(() => fail("no reload within 20 s of saving the brief"));
  const ms = Date.now() - t0;
  if (await page.evaluate(() => window.__mark === 1)) fail("the page was not reloaded");
  if (!(await page.textContent("body")).includes(newText)) fail(`after the reload the page does not show ${JSON.stringify(newText)}`);

  // A stylesheet edit swaps the stylesheet in place: the mark stays.
  await page.evaluate(() => { window.__mark = 2; });
  const before = await page.evaluate(() => getComputedStyle(document.body).outlineStyle);
  replaceIn(css, "body {", "body {\n  outline: 3px dashed rgb(255, 0, 0);");
  await page.waitForFunction(() => getComputedStyle(document.body).outlineStyle === "dashed", null, { timeout: 20000 })
    .catch(() => fail(`the stylesheet was not swapped (outline ${before})`));
  if (await page.evaluate(() => window.__mark !== 2)) fail("a stylesheet edit reloaded the page");

  if (errors.length) fail(`console errors: ${errors.join("; ")}`);
  console.log(JSON.stringify({ reloadMs: ms, url }));
} finally {
  await browser.close();
}
