# Liaison Desk — build, test and run.
#
#   make run          build the real (cgo, OpenGL) binary and open the window on the default store
#   make demo         build, then ./bin/liaisondesk --demo
#   make test         everything CI checks: gofmt, vet (Linux and Windows), unit/UI tests (headless),
#                     real build, Xvfb smoke, then the Windows build under wine and its MSI
#   make bench        Go benchmarks (BENCH=regexp BENCHTIME=1x|3s|100x BENCHCOUNT=n BENCHPKG=./...
#                     BENCH_STRICT=1: fail when a target is missed), ending with a table of targets
#   make package      Linux .tar.xz via fyne package, plus .deb and SHA-256 sums (NOT run by CI:
#                     it bumps Build in FyneApp.toml)
#   make windows      cross-build bin/liaisondesk.exe (GUI) and bin/liaisondesk-cli.exe (console)
#   make package-windows  the per-user MSI under bin/ and its SHA-256 sum (CERT=… KEY=…: signed)
#   make test-windows the Windows checks of `make test` alone: vet, cross-build, wine end-to-end,
#                     the window under wine + Xvfb, the MSI installed and uninstalled under wine
#   make test-wine-unit   the unit tests cross-compiled for Windows, run under wine (optional)
#   make deps         install the Debian packages the real build needs (apt-get, only the missing ones)
#   make clean
#
# Build tags: exactly two sets, everywhere, so the go-gl C code is never rebuilt with other flags:
#   real window build : -tags migrated_fynedo            (CGO_ENABLED=1)
#   vet/tests/bench   : -tags ci,migrated_fynedo         (CGO_ENABLED=0, Fyne's software driver, no X)
# and for Windows one set of flags, $(WIN_ENV) with -tags migrated_fynedo, for both exes (they
# differ only in the link step), so the C code is cross-compiled once (~10 min cold) and cached.

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
# the report tests (pdftoppm from poppler-utils) and the PostgreSQL hub tests (postgresql).
TEST_PKGS  := xvfb xdotool imagemagick poppler-utils postgresql

# Windows: mingw for the cross-build (windres for the icon/version resource, imagemagick for
# the .ico); wine (64-bit only: wine32 would need i386 multiarch) for the end-to-end checks,
# with jq/unzip/poppler to read the outputs; wixl + msitools for the MSI; osslsigncode to sign.
WIN_BUILD_PKGS := gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 imagemagick
WIN_TEST_PKGS  := wine wine64 xvfb xdotool imagemagick poppler-utils jq unzip wixl msitools
WIN_PKG_PKGS   := wixl msitools
SIGN_PKGS      := osslsigncode

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

# The Windows build: ONE set of flags for both exes, or the C code is rebuilt (10 minutes).
WIN_ENV     := CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc
WIN_GUI     := bin/liaisondesk.exe
WIN_CLI     := bin/liaisondesk-cli.exe
# Icon, version and manifest from FyneApp.toml, compiled here (ignored, never in the source tree)
# and handed to mingw's linker: the Windows link is external (cgo), so no .syso file is needed.
WIN_RES     := bin/windows-res
WIN_LDFLAGS  = -s -w -extldflags '$(CURDIR)/$(WIN_RES)/rsrc_windows_amd64.syso'
VERSION     := $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' FyneApp.toml)
WIN_MSI     := bin/liaisondesk-$(VERSION)-windows-amd64.msi
# make package-windows CERT=cert.pem KEY=key.pem [SIGN_TS=url] [SIGN_PASS_FILE=f]: signed.
CERT ?=
KEY  ?=

.PHONY: all deps test-deps build build-ci run demo test fmt-check vet unit bench-smoke smoke bench package clean \
        windows-deps windows vet-windows test-windows wine-e2e wine-smoke msi-check package-windows \
        test-wine-unit

all: build

## deps: Debian packages for the real (cgo) window build.
deps:
	$(call apt_ensure,$(BUILD_PKGS))

## test-deps: build packages plus the smoke/report tools and the Windows ones, in one apt-get run.
test-deps:
	$(call apt_ensure,$(BUILD_PKGS) $(TEST_PKGS) $(WIN_BUILD_PKGS) $(WIN_TEST_PKGS))

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

## test: what CI runs (.ci/run). Order: cheap checks first, then the real build and the window smoke,
## then the Windows cross-build, its headless verbs and its window under wine, and the MSI.
test: test-deps fmt-check vet vet-windows unit bench-smoke build smoke windows build-ci wine-e2e wine-smoke \
      package-windows msi-check

fmt-check:
	@out="$$($(GOFMT) -l .)"; \
	if [ -n "$$out" ]; then echo "gofmt: these files need formatting (run gofmt -w):"; echo "$$out"; exit 1; fi; \
	echo "gofmt: ok"

vet:
	CGO_ENABLED=0 $(GO) vet -tags $(TEST_TAGS) $(PKGS)

## vet-windows: the whole tree, tests included, type-checks for Windows (no cgo needed with ci).
vet-windows:
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) vet -tags $(TEST_TAGS) $(PKGS)

unit:
	CGO_ENABLED=0 $(GO) test -tags $(TEST_TAGS) -count=1 -timeout $(TEST_TIMEOUT) $(TESTFLAGS) $(PKGS)

## smoke: open the real window under Xvfb with a throwaway store and screenshot it.
## SMOKE_PNG=path keeps the screenshot there (default: a temp file, path printed).
smoke: build
	scripts/xvfb-smoke.sh $(BIN)

## bench-smoke: every benchmark once, at a small size, so a broken benchmark fails CI (a benchmark
## that is not run rots). Targets are not judged at this size: the table at the end shows them, and
## MISS there is expected and never fails, BENCH_STRICT or not. Its own TMPDIR, so the cached big
## stores of real runs are neither used nor left behind. On a failure, go test's full output.
BENCH_SMOKE_SIZES := BENCH_SAVE_N=5 BENCH_BULK_N=500 BENCH_BIG_N=2000 BENCH_ROUNDS=1 BENCH_REPORT_N=300 \
                     BENCH_REPORT_BIG_N=2000 BENCH_SYNC_N=500 BENCH_SMALL_N=200 BENCH_SCROLL_N=20 \
                     BENCH_MEM_N=500 BENCH_LOAD_DEVICES=10 BENCH_LOAD_CHANGES=20 BENCH_LOAD_PULLERS=3
bench-smoke:
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; out="$$tmp/bench-smoke.out"; status=0; \
	echo "bench-smoke: every benchmark once at a small size ($(BENCH_SMOKE_SIZES))"; \
	env TMPDIR="$$tmp" $(BENCH_SMOKE_SIZES) CGO_ENABLED=0 $(GO) test -tags $(TEST_TAGS) -run '^$$' -bench . \
	  -benchtime=1x -timeout 20m $(PKGS) | tee "$$out" | grep -E '^(ok|FAIL|---|Benchmark|panic)' || status=$$?; \
	scripts/bench-table.sh "$$out"; \
	if [ "$$status" -ne 0 ]; then echo "bench-smoke: a benchmark failed; go test's full output:"; cat "$$out"; exit 1; fi

## bench: e.g. make bench BENCH=Insert BENCHTIME=2s BENCHCOUNT=5 BENCHPKG=./data/...
## go test's output as it runs, then one table of every target of the run (scripts/bench-table.sh).
## A missed target prints MISS and the other benchmarks still run; the run exits 0 on a miss unless
## BENCH_STRICT=1, which fails it at the end, on the table. A benchmark that fails fails the run.
BENCH_STRICT ?=
bench:
	@out="$$(mktemp)"; trap 'rm -f "$$out"' EXIT; status=0; \
	CGO_ENABLED=0 $(GO) test -tags $(TEST_TAGS) -run '^$$' -bench '$(BENCH)' -benchtime=$(BENCHTIME) \
	  -count=$(BENCHCOUNT) -benchmem -timeout 60m $(BENCHPKG) | tee "$$out" || status=$$?; \
	scripts/bench-table.sh $(if $(filter 1,$(BENCH_STRICT)),--strict) "$$out" || status=$$((status ? status : 1)); \
	exit $$status

## package: a Linux .tar.xz via `fyne package` (reads FyneApp.toml; [Migrations] fyneDo adds the
## migrated_fynedo tag itself), moved to bin/, and a .deb of bin/liaisondesk (dpkg-deb), each with
## its .sha256. NOTE: fyne package increments Build in FyneApp.toml on every run, so CI never
## runs it; commit the bumped FyneApp.toml with a release.
LINUX_TXZ := bin/liaisondesk-$(VERSION)-linux-amd64.tar.xz
LINUX_DEB := bin/liaisondesk-$(VERSION)-linux-amd64.deb
package: build
	rm -f *.tar.xz
	CGO_ENABLED=1 $(FYNE) package --target linux --release
	mv *.tar.xz $(LINUX_TXZ)
	scripts/linux/deb.sh $(BIN) $(LINUX_DEB)
	cd bin && for f in $(notdir $(LINUX_TXZ) $(LINUX_DEB)); do sha256sum "$$f" >"$$f.sha256"; cat "$$f.sha256"; done

## windows-deps: Debian packages for the Windows cross-build.
windows-deps:
	$(call apt_ensure,$(WIN_BUILD_PKGS))

## windows: bin/liaisondesk.exe (GUI subsystem: no console window) and bin/liaisondesk-cli.exe
## (console: cmd.exe, PowerShell, scripts), the same code linked twice.
windows: windows-deps
	@scripts/windows/resources.sh $(WIN_RES) >/dev/null
	@# go build skips the link when the exe's build ID is current, and would keep a signed
	@# exe from `make package-windows CERT=…`: relink (seconds), bin/ then holds the unsigned build.
	rm -f $(WIN_GUI) $(WIN_CLI)
	$(WIN_ENV) $(GO) build -tags $(TAGS) -ldflags "$(WIN_LDFLAGS) -H=windowsgui" -o $(WIN_GUI) .
	$(WIN_ENV) $(GO) build -tags $(TAGS) -ldflags "$(WIN_LDFLAGS)" -o $(WIN_CLI) .
	@ls -l $(WIN_GUI) $(WIN_CLI)

## test-windows: the Windows checks of `make test`, on their own.
test-windows: test-deps vet-windows windows build-ci wine-e2e wine-smoke package-windows msi-check

## wine-e2e: the headless verbs of liaisondesk-cli.exe under wine, compared with the Linux build's.
wine-e2e:
	scripts/wine/e2e.sh bin/liaisondesk-ci $(WIN_CLI) $(WIN_GUI)

## wine-smoke: the window of liaisondesk.exe under wine + Xvfb, screenshot not blank.
## SMOKE_PNG=path keeps the screenshot.
wine-smoke:
	scripts/wine/smoke.sh $(WIN_GUI)

## package-windows: the per-user MSI (wixl) under bin/ and its .sha256; with CERT= KEY= the exes
## and the MSI are Authenticode-signed (osslsigncode). Changes no tracked file.
package-windows: windows
	$(call apt_ensure,$(WIN_PKG_PKGS) $(if $(CERT),$(SIGN_PKGS)))
	$(if $(CERT),scripts/windows/sign.sh '$(CERT)' '$(or $(KEY),-)' $(WIN_GUI) $(WIN_CLI))
	scripts/windows/msi.sh $(WIN_GUI) $(WIN_CLI) $(WIN_MSI)
	$(if $(CERT),scripts/windows/sign.sh '$(CERT)' '$(or $(KEY),-)' $(WIN_MSI))
	cd $(dir $(WIN_MSI)) && sha256sum $(notdir $(WIN_MSI)) >$(notdir $(WIN_MSI)).sha256 && cat $(notdir $(WIN_MSI)).sha256

## test-wine-unit (optional, not in `make test`: ~5 min): every package's unit tests cross-compiled
## for Windows and run under wine. WINE_UNIT_FLAGS (default -test.short) are the test flags.
test-wine-unit: test-deps
	scripts/wine/unit.sh $(if $(filter-out ./...,$(PKGS)),$(PKGS))

## msi-check: msiinfo lists the MSI's files; it installs and uninstalls under wine, store kept.
msi-check:
	scripts/wine/msi-check.sh $(WIN_MSI)

clean:
	rm -rf bin/ *.tar.xz *.deb *.sha256 smoke*.png
