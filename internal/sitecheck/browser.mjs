// Opens pages of the served site in headless Chromium, as readers do on a
// desktop and on phones, and reports what is wrong with each.
//
//   node browser.mjs <config.json>
//
// The config holds {base, chromium, artifacts, pages: [{Path, Kind, Lang,
// Shot, Print}]}. Each page is opened at 1280 px, and at 390 px with device
// pixel ratios 2 and 3, each in the light and then the dark color scheme
// (prefers-color-scheme emulated). In each it checks that:
//   - the page loads with status 200, no console errors, no script errors,
//     no failed requests, no response of 400 or above, and nothing blocked
//     by the Content-Security-Policy the server sends (netlify.toml's);
//   - every image has loaded (complete, naturalWidth > 0);
//   - every chart image shows a variant drawn for the width it is shown
//     at: the pixels of the file shown over the device pixel ratio are
//     0.85 to 1.15 times its CSS width; dark variants in the dark scheme
//     only;
//   - at 390 px nothing scrolls sideways;
//   - axe-core finds no serious or critical accessibility violation, at
//     1280 px and at 390 px, light and dark, contrast included (the DPR 3
//     phone has the same layout as the DPR 2 one and is not run again);
// and, at 1280 px, that the language switcher leads to a page in the other
// language (the translation named by <link rel=alternate hreflang> when
// there is one), and on briefs that the first tag link reaches that tag's
// page.
// Pages with a Shot name are photographed, full length, at 1280 px and at
// 390 px (DPR 2), light and dark, into artifacts/<Shot>-desktop.png,
// -desktop-dark.png, -phone.png and -phone-dark.png. A page with a Print
// name is printed to artifacts/<Print>.pdf (A4, the print stylesheet).
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
const phone3 = { ...phone, deviceScaleFactor: 3 };
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

// settle waits for the browser to act on a change of the emulated media
// (a <picture> picks its source again) and for every image to load.
async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return loadImages(page);
}

// charts reports the chart images that are not drawn for the width they
// are shown at: the pixels of the file shown (currentSrc) over the device
// pixel ratio must be within 0.85 to 1.15 times the image's CSS width
// (larger: a desktop chart shrunk onto a phone, its text too small; smaller:
// a blurred one); and in the dark scheme every chart is a dark variant and
// in the light scheme none is.
async function charts(page, scheme) {
  const shown = await page.evaluate(async () => {
    const out = [];
    for (const img of document.querySelectorAll("figure.chart img")) {
      const file = new Image();
      file.src = img.currentSrc;
      await file.decode().catch(() => {});
      out.push({ src: img.currentSrc, pixels: file.naturalWidth, css: img.getBoundingClientRect().width, dpr: devicePixelRatio });
    }
    return out;
  });
  const problems = [];
  for (const c of shown) {
    const drawn = c.pixels / c.dpr;
    const ratio = drawn / c.css;
    const what = `chart ${short(c.src)} (${c.pixels}px at device pixel ratio ${c.dpr}, drawn for ${Math.round(drawn)} CSS px)`;
    if (!(ratio <= 1.15)) problems.push(`${what} is shown ${Math.round(c.css)} CSS px wide: drawn for a wider screen, its text shrinks`);
    else if (ratio < 0.85) problems.push(`${what} is shown ${Math.round(c.css)} CSS px wide: upscaled, blurred`);
    const dark = /-dark(@\dx)?\.png$/.test(c.src);
    if (scheme === "dark" && !dark) problems.push(`${what} is not a dark variant in the dark scheme`);
    if (scheme === "light" && dark) problems.push(`${what} is a dark variant in the light scheme`);
  }
  return { problems, count: shown.length };
}

// layout runs the checks of one width, device pixel ratio and color
// scheme on a loaded page: images, charts, sideways scrolling (phones),
// axe (unless skipped), and a screenshot.
async function layout(page, p, where, scheme, { phone, runAxe, shot }, problems) {
  for (const src of await settle(page)) problems.push(`image did not load ${where}: ${short(src)}`);
  const c = await charts(page, scheme);
  for (const problem of c.problems) problems.push(`${problem} (${where})`);
  charted += c.count;
  if (phone) {
    const over = await sideways(page);
    if (over) {
      problems.push(`scrolls sideways ${where}: the page is ${over.scrollWidth}px wide` +
        (over.culprits.length ? `; too wide: ${over.culprits.join(", ")}` : ""));
    }
  }
  if (runAxe) {
    for (const v of await axe(page)) {
      problems.push(`accessibility ${where} (axe ${v.impact}) ${v.id}: ${v.help}; at ${v.nodes.slice(0, 3).join(", ")}`);
    }
  }
  await shoot(page, shot);
}

let charted = 0; // chart images checked, for the note at the end

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

  // Each device is opened once, in the light scheme, then switched to the
  // dark one (prefers-color-scheme emulated). A phone of device pixel
  // ratio 3 shows the same layout as one of 2: it is checked for its
  // images, charts and width, not again with axe.
  const devices = [
    { options: desktop, name: "at 1280px", suffix: "-desktop", runAxe: true },
    { options: phone, name: "at 390px (DPR 2)", suffix: "-phone", phone: true, runAxe: true },
    { options: phone3, name: "at 390px (DPR 3)", phone: true },
  ];
  for (const dev of devices) {
    const d = await open(url, dev.options, problems);
    for (const scheme of ["light", "dark"]) {
      if (scheme === "dark") await d.page.emulateMedia({ colorScheme: "dark" });
      const where = dev.name + (scheme === "dark" ? " in the dark scheme" : "");
      const shot = p.Shot && dev.suffix && p.Shot + dev.suffix + (scheme === "dark" ? "-dark" : "");
      await layout(d.page, p, where, scheme, { phone: dev.phone, runAxe: dev.runAxe, shot }, problems);
    }
    d.quiet();
    if (dev.options === desktop) {
      await d.page.emulateMedia({ colorScheme: "light" });
      // Printed as a reader prints it: A4, the print stylesheet.
      if (p.Print && cfg.artifacts) {
        await d.page.pdf({ path: join(cfg.artifacts, p.Print + ".pdf"), format: "A4", margin: { top: "18mm", bottom: "18mm", left: "16mm", right: "16mm" } });
      }
      await switcher(d.page, p, problems);
      if (p.Kind === "brief" || p.Kind === "issue") await tagLink(d.page, p, problems);
    }
    await d.close();
  }
  return [...new Set(problems)];
}

// Two pages at a time: each context renders in its own process, and a
// page spends much of its time waiting on Chromium.
const start = Date.now();
const queue = [...cfg.pages];
async function worker() {
  for (let p = queue.shift(); p; p = queue.shift()) {
    let problems;
    try {
      problems = await check(p);
    } catch (e) {
      problems = [`could not be checked: ${e.message.split("\n")[0]}`];
    }
    for (const problem of problems) emit({ page: p.Path, problem });
  }
}
try {
  await Promise.all([worker(), worker()]);
} finally {
  await browser.close();
}
emit({ note: `chromium: ${cfg.pages.length} pages at 1280px and at 390px (DPR 2 and 3), light and dark, ${charted} chart images, in ${((Date.now() - start) / 1000).toFixed(1)}s` });
