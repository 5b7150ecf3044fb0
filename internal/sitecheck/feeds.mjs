// Reads the site's feeds with rss-parser, as a JavaScript feed reader would.
//
//   node feeds.mjs <base-url> <feed-path>...
//
// Prints one JSON object per line: {page, problem} for each problem, {note}
// for progress. Exits 0 when it could check, whatever it found.
import Parser from "rss-parser";

const [base, ...paths] = process.argv.slice(2);
const emit = (o) => console.log(JSON.stringify(o));
const parser = new Parser({ timeout: 20000 });

const statuses = new Map();
async function status(url) {
  if (!statuses.has(url)) {
    statuses.set(url, fetch(url, { method: "HEAD" }).then((r) => r.status, (e) => String(e.cause || e)));
  }
  return statuses.get(url);
}
const pages = new Map();
async function page(url) {
  if (!pages.has(url)) pages.set(url, fetch(url).then((r) => r.text()));
  return pages.get(url);
}

// Every URL in an HTML fragment's href, src and srcset attributes.
function urls(html) {
  const out = [];
  for (const m of html.matchAll(/\b(href|src|srcset)\s*=\s*"([^"]*)"/gi)) {
    if (m[1].toLowerCase() === "srcset") {
      for (const part of m[2].split(",")) if (part.trim()) out.push(part.trim().split(/\s+/)[0]);
    } else out.push(m[2]);
  }
  return out.map((u) => u.replace(/&amp;/g, "&"));
}

async function check(path) {
  const url = base + path.replace(/^\//, "");
  const problems = [];
  const bad = (p) => problems.push(p);
  let feed;
  try {
    feed = await parser.parseURL(url);
  } catch (e) {
    return [`does not parse: ${e.message}`];
  }
  if (!feed.title) bad("the feed has no title");
  if (!(feed.link || "").startsWith(base)) bad(`the feed's link ${JSON.stringify(feed.link)} is not a page of the site`);
  if (!feed.items.length) bad("the feed has no entries");
  const ids = new Set();
  for (const [i, item] of feed.items.entries()) {
    const who = `entry ${i + 1} (${JSON.stringify(item.title || "untitled")})`;
    if (!item.title) bad(`${who} has no title`);
    const link = item.link || "";
    const linkOK = link.startsWith(base) && (await status(link)) === 200;
    if (!link.startsWith(base)) bad(`${who} links to ${JSON.stringify(link)}, not to a page of the site`);
    else if (!linkOK) bad(`${who} links to ${link}, which answers ${await status(link)}`);
    const id = item.guid || item.id;
    if (!id) bad(`${who} has no id/guid`);
    else if (ids.has(id)) bad(`${who} repeats the id ${id}`);
    ids.add(id);
    if (!item.isoDate || isNaN(Date.parse(item.isoDate))) bad(`${who} has no date a reader can parse (${JSON.stringify(item.pubDate)})`);
    const content = item["content:encoded"] || item.content || "";
    if (!content || content === item.summary || content === item.contentSnippet && !/</.test(content)) {
      bad(`${who} has no full content`);
      continue;
    }
    for (const u of urls(content)) {
      if (!/^https?:\/\//.test(u)) bad(`${who} content has a relative URL ${JSON.stringify(u)}`);
      else if (u.startsWith(base) && (await status(u.split("#")[0])) !== 200) {
        bad(`${who} content links to ${u}, which answers ${await status(u.split("#")[0])}`);
      }
    }
    // Full content: every image the page shows is in the entry, absolute.
    if (linkOK) {
      const shown = urls((await page(link)).match(/<div class="body">[\s\S]*?<\/article>/)?.[0] || "")
        .filter((u) => /\.(png|jpe?g|gif|webp|svg)$/i.test(u));
      for (const img of shown) {
        const abs = new URL(img, link).href;
        if (!content.includes(abs)) bad(`${who} content lacks the image ${abs} that the page shows`);
      }
    }
  }
  return problems;
}

for (const path of paths) {
  for (const problem of await check(path)) emit({ page: path, problem });
}
emit({ note: `rss-parser: ${paths.length} feeds` });
