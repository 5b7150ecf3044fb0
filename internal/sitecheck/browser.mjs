// Opens pages of the served site in headless Chromium, as readers do on a
// desktop and on a phone, and reports what is wrong with each.
//
//   node browser.mjs <config.json>
//
// The config holds {base, chromium, artifacts, pages: [{Path, Kind, Lang,
// Shot}]}. On each page it checks that:
//   - the page loads with status 200, no console errors, no script errors,
//     no failed requests, no response of 400 or above, and nothing blocked
//     by the Content-Security-Policy the server sends (netlify.toml's);
//   - every image has loaded (complete, naturalWidth > 0), the 2x srcset
//     candidates included (the phone has a device pixel ratio of 2);
//   - the language switcher leads to a page in the other language: the
//     translation named by <link rel=alternate hreflang> when there is one;
//   - on briefs, the first tag link reaches that tag's page;
//   - at 390 px wide nothing scrolls sideways, in either color scheme;
//   - axe-core finds no serious or critical accessibility violation, at
//     1280 px and at 390 px, in the light and in the dark color scheme
//     (prefers-color-scheme emulated), contrast included.
// Pages with a Shot name are also photographed, full length, at 1280 px and
// at 390 px, into artifacts/<Shot>-desktop.png and -phone.png, and in the
// dark scheme into <Shot>-desktop-dark.png and -phone-dark.png.
//
// Prints one JSON object per line: {page, problem} for each problem, {note}
// for progress. Exits 0 when it could check, whatever it found.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const cfg = JSON.parse(readFileSync(process.argv[2], "utf8"));
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const emit = (o) => console.log(JSON.stringify(o));
const short = (u) => (u.startsWith(cfg.base) ? "/" + u.slice(cfg.base.length) : u);
const desktop = { viewport: { width: 1280, height: 900 }, colorScheme: "light" };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: "light" };
const dark = (o) => ({ ...o, colorScheme: "dark" });
if (cfg.artifacts) mkdirSync(cfg.artifacts, { recursive: true });

const browser = await chromium.launch({
  executablePath: cfg.chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});

// open loads url in a new context and collects what goes wrong on the
// page into problems, until the returned quiet is called (navigating away
// aborts requests, which is no fault of the page).
async function open(url, options, problems) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  let live = true;
  const report = (p) => live && problems.push(p);
  // Each CSP violation is reported once, by the page's own event, which
  // names the directive and what it blocked; Chromium's console message
  // about it is left out.
  await context.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) => {
      const what = e.blockedURI && e.blockedURI !== "inline" ? e.blockedURI : `inline ${e.sample ? JSON.stringify(e.sample) : "code"}`;
      console.error(`CSP violation: ${e.effectiveDirective} blocked ${what} (line ${e.lineNumber})`);
    }));
  page.on("console", (m) => {
    const text = m.text();
    if (m.type() !== "error") return;
    if (text.startsWith("CSP violation: ")) report(text);
    // Failed loads are reported with their URL by the response handler.
    else if (!text.startsWith("Failed to load resource") && !text.includes("Content Security Policy")) report(`console error: ${text}`);
  });
  page.on("pageerror", (e) => report(`script error: ${e.message}`));
  // A request the browser cancels itself (net::ERR_ABORTED: a <picture>
  // that picks another source once the layout settles, a lazy image no
  // longer needed) is no fault of the site; images that do not load are
  // found by loadImages, errors by the response handler.
  page.on("requestfailed", (r) => {
    const why = r.failure()?.errorText;
    if (why !== "net::ERR_ABORTED") report(`request failed: ${short(r.url())} (${why})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) report(`HTTP ${r.status()} for ${short(r.url())}`);
  });
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response || response.status() !== 200) problems.push(`the page answers ${response?.status()}`);
  return { page, quiet: () => (live = false), close: () => context.close() };
}

// loadImages makes lazy images load now, waits for every image to settle,
// and returns those that did not load.
async function loadImages(page) {
  await page.evaluate(() => document.querySelectorAll('img[loading="lazy"]').forEach((i) => (i.loading = "eager")));
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { timeout: 15000 }).catch(() => {});
  return page.evaluate(() =>
    [...document.images].filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.currentSrc || i.src));
}

async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

// sideways reports what makes the page wider than the viewport: the
// elements that stick out on the right and are not inside a scrolling or
// clipping box.
function sideways(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const sw = document.documentElement.scrollWidth;
    if (sw <= w) return null;
    const clipped = (e) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== "visible") return true;
      }
      return false;
    };
    const name = (e) =>
      e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + [...e.classList].map((c) => "." + c).join("");
    const out = [...document.body.querySelectorAll("*")]
      .filter((e) => e.getBoundingClientRect().right > w + 1 && !clipped(e))
      .map((e) => `${name(e)} (${Math.round(e.getBoundingClientRect().right)}px)`);
    return { width: w, scrollWidth: sw, culprits: out.slice(0, 4) };
  });
}

async function shoot(page, name) {
  if (cfg.artifacts && name) await page.screenshot({ path: join(cfg.artifacts, name + ".png"), fullPage: true });
}

// switcher follows the language switcher to each other language.
async function switcher(page, p, problems) {
  const links = await page.$$eval(".lang-switch a[hreflang]", (as) => as.map((a) => ({ href: a.href, lang: a.hreflang })));
  if (!links.length) {
    problems.push("no language switcher (.lang-switch a[hreflang])");
    return;
  }
  const alternates = Object.fromEntries(
    await page.$$eval('link[rel="alternate"][hreflang]', (ls) => ls.map((l) => [l.hreflang, l.href])));
  const here = page.url();
  for (const { href, lang } of links) {
    await page.goto(here, { waitUntil: "load" });
    await Promise.all([page.waitForURL((u) => u.href !== here, { waitUntil: "load", timeout: 15000 }),
      page.click(`.lang-switch a[hreflang="${lang}"]`)]).catch((e) => problems.push(`the ${lang} switcher link does not work: ${e.message.split("\n")[0]}`));
    const at = page.url();
    const shown = await page.evaluate(() => document.documentElement.lang);
    if (shown !== lang) problems.push(`the ${lang} switcher link leads to ${short(at)}, a page in ${JSON.stringify(shown)}`);
    if (alternates[lang] && at !== alternates[lang]) {
      problems.push(`the ${lang} switcher link leads to ${short(at)}, not to the translation ${short(alternates[lang])}`);
    } else if (!alternates[lang] && at !== href) {
      problems.push(`the ${lang} switcher link leads to ${short(at)}, not to ${short(href)}`);
    }
    if (alternates[lang]) {
      // And back: the translation's switcher leads here.
      const back = await page.$$eval(".lang-switch a[hreflang]", (as) => as.map((a) => a.href));
      if (!back.includes(here)) problems.push(`the translation ${short(at)} does not link back to this page`);
    }
  }
  await page.goto(here, { waitUntil: "load" });
}

// tagLink follows the first tag link of a brief.
async function tagLink(page, p, problems) {
  const tag = await page.$(".tags a.tag");
  if (!tag) {
    problems.push("no tag links (.tags a.tag)");
    return;
  }
  const label = ((await tag.textContent()) || "").trim().replace(/^#/, "");
  const here = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== here, { waitUntil: "load", timeout: 15000 }), tag.click()])
    .catch((e) => problems.push(`the tag link #${label} does not work: ${e.message.split("\n")[0]}`));
  const at = new URL(page.url());
  if (!new RegExp(`^/${p.Lang}/tags/[^/]+/$`).test(at.pathname)) {
    problems.push(`the tag link #${label} leads to ${at.pathname}, not to a tag page`);
    return;
  }
  const heading = (await page.textContent("h1").catch(() => "")) || "";
  if (!heading.includes(label)) problems.push(`the tag link #${label} leads to ${at.pathname}, headed ${JSON.stringify(heading.trim())}`);
  const paged = await page.$(".pager");
  const listed = await page.$(`a[href="${new URL(here).pathname}"]`);
  if (!paged && !listed) problems.push(`the tag page ${at.pathname} does not list this brief`);
}

async function check(p) {
  const url = cfg.base + p.Path.replace(/^\//, "");
  const problems = [];

  // The root page sends readers on to a language's home page.
  if (p.Kind === "root") {
    const r = await open(url, desktop, problems);
    r.quiet(); // the refresh cuts short what the root page was loading
    await r.page.waitForURL((u) => /^\/[a-z]{2}[a-zA-Z-]*\/$/.test(u.pathname), { waitUntil: "load", timeout: 10000 })
      .catch(() => problems.push(`does not lead on to a language's home page (stays at ${short(r.page.url())})`));
    await r.close();
    return problems;
  }

  // Desktop.
  const d = await open(url, desktop, problems);
  for (const src of await loadImages(d.page)) problems.push(`image did not load: ${short(src)}`);
  for (const v of await axe(d.page)) {
    problems.push(`accessibility (axe ${v.impact}) ${v.id}: ${v.help}; at ${v.nodes.slice(0, 3).join(", ")}`);
  }
  await shoot(d.page, p.Shot && p.Shot + "-desktop");
  d.quiet();
  await switcher(d.page, p, problems);
  if (p.Kind === "brief" || p.Kind === "issue") await tagLink(d.page, p, problems);
  await d.close();

  // Phone, light and dark; the desktop in the dark.
  for (const [options, where, suffix] of [[phone, "on a phone", "-phone"], [dark(phone), "on a phone in the dark scheme", "-phone-dark"]]) {
    const m = await open(url, options, problems);
    for (const src of await loadImages(m.page)) problems.push(`image did not load ${where}: ${short(src)}`);
    const over = await sideways(m.page);
    if (over) {
      problems.push(`scrolls sideways at ${over.width}px: the page is ${over.scrollWidth}px wide` +
        (over.culprits.length ? `; too wide: ${over.culprits.join(", ")}` : ""));
    }
    for (const v of await axe(m.page)) {
      problems.push(`accessibility ${where} (axe ${v.impact}) ${v.id}: ${v.help}; at ${v.nodes.slice(0, 3).join(", ")}`);
    }
    await shoot(m.page, p.Shot && p.Shot + suffix);
    m.quiet();
    await m.close();
  }
  const dd = await open(url, dark(desktop), problems);
  await loadImages(dd.page);
  for (const v of await axe(dd.page)) {
    problems.push(`accessibility in the dark scheme (axe ${v.impact}) ${v.id}: ${v.help}; at ${v.nodes.slice(0, 3).join(", ")}`);
  }
  await shoot(dd.page, p.Shot && p.Shot + "-desktop-dark");
  dd.quiet();
  await dd.close();

  return [...new Set(problems)];
}

const start = Date.now();
try {
  for (const p of cfg.pages) {
    let problems;
    try {
      problems = await check(p);
    } catch (e) {
      problems = [`could not be checked: ${e.message.split("\n")[0]}`];
    }
    for (const problem of problems) emit({ page: p.Path, problem });
  }
} finally {
  await browser.close();
}
emit({ note: `chromium: ${cfg.pages.length} pages at 1280px and 390px, light and dark, in ${((Date.now() - start) / 1000).toFixed(1)}s` });
