# credit — offline-first public-credit-information terminal.
# `make run` and `make test` are all a fresh Debian/Ubuntu machine needs.

SHELL   := /bin/bash
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
# APPTAGS are the build tags of the Fyne apps: no_emoji leaves out Fyne's
# bundled emoji font, parsed once per text style (≈ 4.9 MB of heap each;
# issue 7, docs/benchmarks.md). The apps show no emoji.
APPTAGS ?= no_emoji
BIN     := bin
PKGS    := ./...
export PATH := $(PATH):/usr/local/go/bin

.PHONY: help deps build build-apps build-tools test test-short bench fuzz vet fmt cover run demo screenshots windows clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

deps: ## install missing system packages (apt as root; otherwise print the command)
	@bash scripts/install-deps.sh

build: deps build-tools build-apps ## build every binary into bin/

build-tools: ## build the cgo-free binaries: syncserver, creditctl, cardsim
	@mkdir -p $(BIN)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/syncserver ./cmd/creditctl ./cmd/cardsim

build-apps: ## build the Fyne apps: kiosk and office (cgo, GL)
	@mkdir -p $(BIN)
	$(GO) build -trimpath -tags "$(APPTAGS)" -ldflags "$(LDFLAGS)" -o $(BIN)/ ./cmd/kiosk ./cmd/office

test: deps ## run every test with the race detector (what CI runs)
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 12m $(PKGS)

test-short: ## quick tests, no race detector
	$(GO) test -short -count=1 $(PKGS)

bench: ## run the benchmarks (figures go to docs/benchmarks.md)
	$(GO) test -run '^$$' -bench . -benchmem -count=1 $(PKGS)

fuzz: ## fuzz every Fuzz target for FUZZTIME (default 20s) each
	@bash scripts/fuzz.sh $${FUZZTIME:-20s}

vet: ## go vet
	$(GO) vet $(PKGS)

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

cover: ## coverage report in cover.out
	$(GO) test -count=1 -coverprofile=cover.out $(PKGS)
	$(GO) tool cover -func=cover.out | tail -1

screenshots: ## PNGs of both apps (Xvfb + software driver) at 1024×768 and 1920×1080, zh and en, into docs/screenshots/
	@bash scripts/screenshots.sh

run: build ## build and start the demo: platform keys, syncserver (10,000 subjects, signed receipts) + cardsim + kiosk
	@bash scripts/demo.sh

windows: ## cross-compile the kiosk and office apps for Windows (needs gcc-mingw-w64-x86-64)
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc $(GO) build -trimpath -tags "$(APPTAGS)" -ldflags "$(LDFLAGS) -H windowsgui" -o $(BIN)/ ./cmd/kiosk ./cmd/office

clean: ## remove build output and the demo state
	rm -rf $(BIN) demo cover.out
