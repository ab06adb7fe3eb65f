# devolve: `make run` builds and runs the default scenario; `make test` runs every test.
GO      ?= go
BIN     := bin/devolve
PY      ?= /usr/bin/python3

.PHONY: all build run test check bench fuzz compare clean lint gallery screenshots

all: build

build:
	$(GO) build -o $(BIN) ./cmd/devolve

run: build
	./$(BIN) run

# gofmt and vet first, then every test (the reference-model test runs 1,000,000 trials).
test: check
	$(GO) test ./...

check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test ./scenarios -run '^$$' -fuzz FuzzLoad -fuzztime 30s

# Side by side with the NumPy reference (needs Debian's python3-numpy).
compare: build
	./scripts/compare.sh

clean:
	rm -rf bin

# staticcheck through the module proxy (not part of `make test`).
lint:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@latest ./...

# The README's chart gallery: docs/gallery/*.png from seed 1 (run, compare, sensitivity, bridge).
gallery: build
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	./$(BIN) run suffolk --iterations 20000 --seed 1 --quiet --out $$d/run >/dev/null && \
	./$(BIN) compare suffolk suffolk-two --iterations 20000 --seed 1 --out $$d/compare >/dev/null && \
	./$(BIN) sensitivity suffolk --method tornado,sobol --n 4096 --seed 1 --out $$d/sensitivity >/dev/null && \
	./$(BIN) bridge suffolk-2025 --iterations 20000 --seed 1 --out $$d/bridge >/dev/null && \
	mkdir -p docs/gallery && rm -f docs/gallery/*.png && \
	for c in run compare sensitivity bridge; do for f in $$d/$$c/*.png; do cp "$$f" docs/gallery/$$c-$$(basename "$$f"); done; done && \
	ls docs/gallery

# The README's screenshots of the HTML report and the what-if page (headless chromium).
screenshots:
	DEVOLVE_SCREENSHOTS=$(CURDIR)/docs CI=1 $(GO) test ./cmd/devolve -run 'InBrowser' -count=1
