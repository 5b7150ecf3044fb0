"""Reads the site's feeds with feedparser, as a Python feed reader would.

    python3 feeds.py <base-url> <feed-path>...

Prints one JSON object per line: {"page", "problem"} for each problem,
{"note"} for progress. Exits 0 when it could check, whatever it found.
"""

import json
import re
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser

import feedparser

URL_ATTR = re.compile(r'\b(?:href|src)\s*=\s*"([^"]*)"|\bsrcset\s*=\s*"([^"]*)"', re.I)


def emit(**kw):
    print(json.dumps(kw, ensure_ascii=False), flush=True)


def urls_in(html):
    for href, srcset in URL_ATTR.findall(html):
        if href:
            yield href
        for part in srcset.split(","):
            if part.strip():
                yield part.split()[0]


class Text(HTMLParser):
    """The text of HTML, with runs of white space made one space. Inside
    a page, only the text of the element with class "body" counts."""

    def __init__(self, body_only=False):
        super().__init__(convert_charrefs=True)
        self.parts, self.depth, self.body_only = [], 0 if body_only else 1, body_only

    def handle_starttag(self, tag, attrs):
        if self.depth:
            if tag not in VOID:
                self.depth += 1
        elif self.body_only and "body" in (dict(attrs).get("class") or "").split():
            self.depth = 1

    def handle_startendtag(self, tag, attrs):
        pass  # <br/>: neither opens nor closes anything

    def handle_endtag(self, tag):
        if self.depth and self.body_only:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    def text(self):
        return " ".join("".join(self.parts).split())

    @classmethod
    def of(cls, html, body_only=False):
        p = cls(body_only)
        p.feed(html)
        p.close()
        return p.text()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def body_text(html):
    return Text.of(html, body_only=True)


def fetch(url):
    with urllib.request.urlopen(url, timeout=20) as r:
        return r.read().decode("utf-8")


def status(url, cache={}):
    if url not in cache:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=20) as r:
                cache[url] = r.status
        except urllib.error.HTTPError as e:
            cache[url] = e.code
        except OSError as e:
            cache[url] = str(e)
    return cache[url]


def check(base, path):
    url = base + path.lstrip("/")
    problems = []
    bad = lambda msg: problems.append(msg)
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            body, ctype = r.read(), r.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError) as e:
        return [f"cannot fetch the feed: {e}"]
    # Relative URLs are left as they are, to be found; a reader that does
    # not resolve them would show broken links and images.
    headers = {"content-location": url, "content-type": ctype}
    d = feedparser.parse(body, response_headers=headers,
                         resolve_relative_uris=False, sanitize_html=False)
    if d.bozo:
        bad(f"not well-formed: {d.bozo_exception}")
    if d.version not in ("rss20", "atom10"):
        bad(f"unknown feed format {d.version!r}")
    if not d.feed.get("title"):
        bad("the feed has no title")
    if not d.feed.get("link", "").startswith(base):
        bad(f"the feed's link {d.feed.get('link')!r} is not a page of the site")
    selfs = [l.href for l in d.feed.get("links", []) if l.get("rel") == "self"]
    if selfs != [url]:
        bad(f"the feed's self link is {selfs}, want [{url!r}]")
    if not d.entries:
        bad("the feed has no entries")
    ids = set()
    for i, e in enumerate(d.entries):
        who = f"entry {i + 1} ({e.get('title', 'untitled')!r})"
        if not e.get("title"):
            bad(f"{who} has no title")
        link = e.get("link", "")
        if not link.startswith(base):
            bad(f"{who} links to {link!r}, not to a page of the site")
        elif status(link) != 200:
            bad(f"{who} links to {link}, which answers {status(link)}")
        if not e.get("id"):
            bad(f"{who} has no id/guid")
        elif e.id in ids:
            bad(f"{who} repeats the id {e.id}")
        ids.add(e.get("id"))
        if not (e.get("published_parsed") or e.get("updated_parsed")):
            bad(f"{who} has no date a reader can parse")
        content = "".join(c.value for c in e.get("content", []))
        summary = e.get("summary", "")
        if not content:
            bad(f"{who} has no full content (only {len(summary)} characters of summary)")
            continue
        if link.startswith(base) and status(link) == 200:
            page = body_text(fetch(link))
            text = Text.of(content)
            if not page:
                bad(f"{who} links to {link}, which has no article body")
            elif page not in text:
                bad(f"{who} content is not the full text of {link} "
                    f"({len(text)} characters of text, the page has {len(page)})")
        for u in urls_in(content):
            if not re.match(r"https?://", u):
                bad(f"{who} content has a relative URL {u!r}")
            elif u.startswith(base) and status(u.split("#")[0]) != 200:
                bad(f"{who} content links to {u}, which answers {status(u.split('#')[0])}")
    return problems


def main():
    base, paths = sys.argv[1], sys.argv[2:]
    for path in paths:
        for p in check(base, path):
            emit(page=path, problem=p)
    emit(note=f"feedparser {feedparser.__version__}: {len(paths)} feeds")


if __name__ == "__main__":
    main()
