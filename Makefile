# briefs: build, preview and test the site.
GO ?= go
BIN := bin/briefs

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: build test check vet fmt clean briefs sample-data

## build: build the site into public/
build: briefs
	$(BIN) build

## briefs: compile the briefs command into bin/
briefs:
	$(GO) build -o $(BIN) ./cmd/briefs

## test: run every test (with the race detector)
test:
	$(GO) test -race -timeout 10m ./...

## check: formatting and static analysis (gofmt, go vet, staticcheck)
check: vet
	@out=$$(gofmt -l cmd internal); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run $(STATICCHECK) ./...

vet:
	$(GO) vet ./...

fmt:
	gofmt -w cmd internal

## sample-data: regenerate the sample market data in content/data
sample-data:
	$(GO) run ./cmd/sampledata -out content/data

clean:
	rm -rf bin public
