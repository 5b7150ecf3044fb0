# briefs: build, preview and test the site.
GO ?= go
BIN := bin/briefs

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT := github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
NODE_DEPS := internal/sitecheck/node_modules/.package-lock.json

.PHONY: build serve bench test check-site check vet fmt clean briefs sample-data gallery deps hugo-compare

## build: build the site into public/ (BUILD_FLAGS="-base-url URL -drafts
## -noindex" passes flags to briefs build, as netlify.toml does)
build: briefs
	$(BIN) build $(BUILD_FLAGS)

## briefs: compile the briefs command into bin/
briefs:
	$(GO) build -o $(BIN) ./cmd/briefs

## test: run every test (with the race detector); browser and site-check
## tests need node, npm, Chromium, java, python3-feedparser, newsboat and
## pdftoppm, and skip without them
test: $(NODE_DEPS)
	$(GO) test -race -timeout 20m ./...

## check-site: build the site and check it with real clients: the Nu HTML
## checker, linkinator, feedparser and rss-parser, Chromium with axe-core at
## 1280px and 390px (DPR 2 and 3), light and dark; that no page or feed has
## a script, an on* attribute or a javascript: URL; that citations are links
## and briefs link their neighbours; screenshots of every page kind and a
## printed brief (PDF and its pages as PNG) go to bin/check-site/artifacts;
## needs java, node, npm, chromium, python3-feedparser and pdftoppm
check-site: briefs $(NODE_DEPS)
	$(GO) run ./cmd/checksite -briefs $(BIN) -out bin/check-site $(CHECK_FLAGS)

## deps: install the programs the tests and check-site run (Debian: Chromium,
## Java, node and npm, python3-feedparser and pandas, newsboat, poppler-utils
## for pdftoppm, Noto CJK fonts, shellcheck, strace); uses sudo when not root
deps:
	@sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
		chromium fonts-noto-cjk default-jre-headless python3-feedparser python3-pandas \
		newsboat poppler-utils shellcheck strace $$(command -v npm >/dev/null || echo nodejs npm) >/dev/null

## bench: measure briefs against its performance targets: the plain corpus
## beside Hugo 0.160.1 (built once with go install into ~/.cache/briefs-bench)
## and the goldmark floor, the data corpus, serve's save-to-reload latency
## and scaling to 20,000 briefs; prints a table (about an hour);
## BENCH_FLAGS="-only plain,serve -runs 3 -md FILE" passes flags to cmd/bench
bench: briefs
	$(GO) run ./cmd/bench -bin $(BIN) $(BENCH_FLAGS)

## hugo-compare: build a real Hugo site's content with briefs and with Hugo
## 0.160.1 and compare each page's text (cmd/hugocompare); needs
## ../shared/hugo-sites/papermod and hugo (go install
## github.com/gohugoio/hugo@v0.160.1), and says SKIPPED, not passed, without
## them; HUGO_CONTENT=DIR HUGO_FLAGS="-params a,b" compares another site
HUGO_CONTENT ?= ../shared/hugo-sites/papermod/content
HUGO_FLAGS ?= -params hiddenInRss,disableShare,ShowBreadcrumbs,ShowToc,TocOpen,social,cover,math -taxonomies series
hugo-compare:
	@if [ ! -d "$(HUGO_CONTENT)" ]; then echo "hugo-compare: SKIPPED (not a pass): no $(HUGO_CONTENT)"; exit 0; fi; \
	if ! command -v hugo >/dev/null 2>&1 && [ ! -x "$$HOME/go/bin/hugo" ]; then \
		echo "hugo-compare: SKIPPED (not a pass): no hugo; go install github.com/gohugoio/hugo@v0.160.1"; exit 0; fi; \
	$(GO) run ./cmd/hugocompare -content "$(HUGO_CONTENT)" $(HUGO_FLAGS)

## serve: preview the site at http://127.0.0.1:1313/ with live reload
serve: briefs
	$(BIN) serve

# The browser tests' npm packages, pinned by package-lock.json.
$(NODE_DEPS): internal/sitecheck/package.json internal/sitecheck/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix internal/sitecheck --ignore-scripts --no-audit --no-fund; \
	else \
		echo "npm not found: the browser tests will skip"; \
	fi

## check: formatting and static analysis (gofmt, go vet, staticcheck, and
## actionlint for the GitHub workflows, with shellcheck when installed)
check: vet
	@out=$$(gofmt -l cmd internal); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(ACTIONLINT)

vet:
	$(GO) vet ./...

fmt:
	gofmt -w cmd internal

## sample-data: regenerate the sample market data in content/data
sample-data:
	$(GO) run ./cmd/sampledata -out content/data

## gallery: draw one chart of each type from the sample data into
## .github/gallery and rewrite the README's gallery of them
gallery:
	$(GO) run ./cmd/gallery -data content/data -out .github/gallery -readme README.md

clean:
	rm -rf bin public
