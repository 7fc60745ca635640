# Liaison Desk — build, test and run.
#
#   make run          build the real (cgo, OpenGL) binary and open the window on the default store
#   make demo         build, then ./bin/liaisondesk --demo
#   make test         everything CI checks: gofmt, vet, unit/UI tests (headless), real build, Xvfb smoke
#   make bench        Go benchmarks (BENCH=regexp BENCHTIME=1x|3s|100x BENCHCOUNT=n BENCHPKG=./...)
#   make package      fyne package (NOT run by CI: it bumps Build in FyneApp.toml)
#   make deps         install the Debian packages the real build needs (apt-get, only the missing ones)
#   make clean
#
# Build tags: exactly two sets, everywhere, so the go-gl C code is never rebuilt with other flags:
#   real window build : -tags migrated_fynedo            (CGO_ENABLED=1)
#   vet/tests/bench   : -tags ci,migrated_fynedo         (CGO_ENABLED=0, Fyne's software driver, no X)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
# Targets run in the order they are listed (test: check before the slow build + smoke).
.NOTPARALLEL:

GO        ?= go
GOFMT     ?= gofmt
BIN       := bin/liaisondesk
TAGS      := migrated_fynedo
TEST_TAGS := ci,migrated_fynedo
TEST_TIMEOUT ?= 20m
TESTFLAGS ?=
PKGS      ?= ./...

BENCH      ?= .
BENCHTIME  ?= 1x
BENCHCOUNT ?= 1
BENCHPKG   ?= ./...

# fyne CLI for `make package`; override with FYNE=fyne if it is on PATH.
FYNE ?= $(GO) run fyne.io/tools/cmd/fyne@v1.7.4

# Fyne reads the locale from LANG; without one it logs a warning on start.
export LANG := en_US.UTF-8

# Debian packages.
BUILD_PKGS := gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev \
              libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev
# For `make test`: the Xvfb window smoke (xvfb, xdotool, import from imagemagick)
# and the report tests (pdftoppm from poppler-utils).
TEST_PKGS  := xvfb xdotool imagemagick poppler-utils

# $(call apt_ensure,pkg ...): install only the packages dpkg does not report as installed;
# apt-get update runs once, and only when something is missing. sudo only when not root.
define apt_ensure
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing missing Debian packages:$$missing"; \
	  SUDO=""; \
	  if [ "$$(id -u)" != 0 ]; then \
	    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	    else echo "make: need root or sudo to install:$$missing" >&2; exit 1; fi; \
	  fi; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 apt-get update -qq; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 apt-get install -y -qq --no-install-recommends $$missing </dev/null; \
	fi
endef

.PHONY: all deps test-deps build build-ci run demo test fmt-check vet unit smoke bench package clean

all: build

## deps: Debian packages for the real (cgo) window build.
deps:
	$(call apt_ensure,$(BUILD_PKGS))

## test-deps: build packages plus the smoke/report tools, in one apt-get run.
test-deps:
	$(call apt_ensure,$(BUILD_PKGS) $(TEST_PKGS))

## build: the real binary (cgo + OpenGL) at bin/liaisondesk.
build: deps
	CGO_ENABLED=1 $(GO) build -tags $(TAGS) -o $(BIN) .

## build-ci: the headless variant (no cgo, software driver), handy for quick CLI checks.
build-ci:
	CGO_ENABLED=0 $(GO) build -tags $(TEST_TAGS) -o bin/liaisondesk-ci .

run: build
	./$(BIN) $(ARGS)

demo: build
	./$(BIN) --demo $(ARGS)

## test: what CI runs (.ci/run). Order: cheap checks first, then the real build and the window smoke.
test: test-deps fmt-check vet unit build smoke

fmt-check:
	@out="$$($(GOFMT) -l .)"; \
	if [ -n "$$out" ]; then echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$out"; exit 1; fi; \
	echo "gofmt: ok"

vet:
	CGO_ENABLED=0 $(GO) vet -tags $(TEST_TAGS) $(PKGS)

unit:
	CGO_ENABLED=0 $(GO) test -tags $(TEST_TAGS) -count=1 -timeout $(TEST_TIMEOUT) $(TESTFLAGS) $(PKGS)

## smoke: open the real window under Xvfb with a throwaway store and screenshot it.
## SMOKE_PNG=path keeps the screenshot there (default: a temp file, path printed).
smoke: build
	scripts/xvfb-smoke.sh $(BIN)

## bench: e.g. make bench BENCH=Insert BENCHTIME=2s BENCHCOUNT=5 BENCHPKG=./data/...
bench:
	CGO_ENABLED=0 $(GO) test -tags $(TEST_TAGS) -run '^$$' -bench '$(BENCH)' -benchtime=$(BENCHTIME) \
	  -count=$(BENCHCOUNT) -benchmem -timeout 60m $(BENCHPKG)

## package: a Linux .tar.xz via `fyne package` (reads FyneApp.toml; [Migrations] fyneDo adds the
## migrated_fynedo tag itself). NOTE: fyne package increments Build in FyneApp.toml on every run,
## so CI never runs it; commit the bumped FyneApp.toml with a release.
package: deps
	CGO_ENABLED=1 $(FYNE) package --target linux --release

clean:
	rm -rf bin/ *.tar.xz smoke*.png
