# devolve: `make run` builds and runs the default scenario; `make test` runs every test.
GO      ?= go
BIN     := bin/devolve
PY      ?= /usr/bin/python3

# The version stamped into binaries: main.go's base version plus the commit
# (and .dirty for uncommitted changes), e.g. 0.1.0+4f2c9a1b3d5e.
BASE_VERSION := $(shell sed -n 's/^var version = "\(.*\)"/\1/p' cmd/devolve/main.go)
COMMIT       := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
DIRTY        := $(shell git diff --quiet HEAD -- 2>/dev/null || echo .dirty)
VERSION      ?= $(BASE_VERSION)+$(COMMIT)$(DIRTY)
LDFLAGS      := -s -w -X main.version=$(VERSION)
# make dist: every platform a policymaker's analyst might use, no C toolchain needed.
PLATFORMS    := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64

.PHONY: all build run test check bench fuzz compare clean lint gallery screenshots dist dist-check

all: build

# Static, as make dist builds: without cgo the binary needs no dynamic loader
# or C runtime at start-up (1-2 ms of CPU that every command paid;
# docs/PERFORMANCE.md, session 6).
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/devolve

# Static binaries for six platforms in dist/, named devolve-VERSION-OS-ARCH[.exe],
# with SHA256SUMS beside them (check with: sha256sum -c SHA256SUMS).
dist:
	rm -rf dist && mkdir -p dist
	@set -e; for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  out=dist/devolve-$(VERSION)-$$os-$$arch$$ext; echo "  $$out"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $$out ./cmd/devolve; \
	done
	cd dist && sha256sum devolve-* > SHA256SUMS
	@cat dist/SHA256SUMS

# What CI checks after make dist: six binaries and their checksums; each
# built (go version -m reads its build record) for its own GOOS and GOARCH
# without cgo; the host's prints VERSION (-trimpath keeps -ldflags out of
# the build record, so the stamp is checked by running it).
dist-check:
	cd dist && sha256sum -c SHA256SUMS
	@test $$(ls dist/devolve-* | wc -l) -eq 6 || { echo "dist: want 6 binaries"; exit 1; }
	@set -e; for p in $(PLATFORMS); do \
	  os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  f=dist/devolve-$(VERSION)-$$os-$$arch$$ext; m=$$($(GO) version -m $$f); \
	  for want in "GOOS=$$os" "GOARCH=$$arch" "CGO_ENABLED=0"; do \
	    echo "$$m" | grep -q -- "$$want" || { echo "dist: $$f: no $$want in its build record"; exit 1; }; \
	  done; echo "  $$f: $$os/$$arch, no cgo"; \
	done
	@host=dist/devolve-$(VERSION)-$$($(GO) env GOOS)-$$($(GO) env GOARCH); \
	  [ -x $$host ] && v=$$($$host version) && echo "$$v" && [ "$$v" = "devolve $(VERSION)" ] || { echo "dist: $$host does not print devolve $(VERSION)"; exit 1; }

run: build
	./$(BIN) run

# gofmt and vet first, then every test (the reference-model test runs 1,000,000 trials).
test: check
	$(GO) test ./...

# staticcheck is pinned: a new release's new checks must not fail an old commit.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Each fuzz target for FUZZTIME (5 minutes unless given): the loader (each
# format, and any bytes), the command line, and the what-if page's queries.
# Not part of `make test`, which runs every target's seed corpus.
FUZZTIME ?= 5m
fuzz:
	$(GO) test ./scenarios -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime $(FUZZTIME)
	$(GO) test ./scenarios -run '^$$' -fuzz '^FuzzLoadFormats$$' -fuzztime $(FUZZTIME)
	$(GO) test ./cmd/devolve -run '^$$' -fuzz '^FuzzCLIFlags$$' -fuzztime $(FUZZTIME)
	$(GO) test ./render/serve -run '^$$' -fuzz '^FuzzServeQuery$$' -fuzztime $(FUZZTIME)

# Side by side with the NumPy reference (needs Debian's python3-numpy).
compare: build
	./scripts/compare.sh

clean:
	rm -rf bin dist

# staticcheck alone (also part of `make check`).
lint:
	$(GO) run $(STATICCHECK) ./...

# The README's chart gallery: docs/gallery/*.png from seed 1 (run, compare, sensitivity, bridge,
# national, backtest).
gallery: build
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	./$(BIN) run suffolk --iterations 20000 --seed 1 --quiet --out $$d/run >/dev/null && \
	./$(BIN) compare suffolk suffolk-two --iterations 20000 --seed 1 --out $$d/compare >/dev/null && \
	./$(BIN) sensitivity suffolk --method tornado,sobol --n 4096 --seed 1 --out $$d/sensitivity >/dev/null && \
	./$(BIN) bridge suffolk-2025 --iterations 20000 --seed 1 --out $$d/bridge >/dev/null && \
	./$(BIN) national --iterations 20000 --seed 1 --out $$d/national >/dev/null && \
	./$(BIN) backtest --out $$d/backtest >/dev/null && \
	mkdir -p docs/gallery && rm -f docs/gallery/*.png && \
	for c in run compare sensitivity bridge national backtest; do for f in $$d/$$c/*.png; do cp "$$f" docs/gallery/$$c-$$(basename "$$f"); done; done && \
	ls docs/gallery

# The README's screenshots of the HTML report and the what-if page (headless chromium).
screenshots:
	DEVOLVE_SCREENSHOTS=$(CURDIR)/docs CI=1 $(GO) test ./cmd/devolve -run 'InBrowser' -count=1
