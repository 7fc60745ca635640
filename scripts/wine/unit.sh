#!/usr/bin/env bash
# scripts/wine/unit.sh [PKG...] — the unit tests cross-compiled for Windows
# and run under wine (default: every package with tests), each in its own
# package directory as `go test` would, in a throwaway prefix (or $WINEPREFIX).
#
# Built with the test tags plus `wine` and -checklinkname=0: the wine tag
# adds wine_windows_test.go to each package, which switches os.RemoveAll to
# the delete Wine 8 supports (else every t.TempDir cleanup fails with
# "Invalid function"). No cgo: the ci tag's software driver, as `make unit`.
# WINE_UNIT_FLAGS: test flags (default -test.short: the tests that run `go
# build` need a Go toolchain on the Windows side). Prints each package's
# result and time; exit status 1 when any package failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
go=${GO:-go}
flags=${WINE_UNIT_FLAGS:--test.short}
tags=ci,migrated_fynedo,wine

. "$here/session.sh" wine-unit

if [ $# -eq 0 ]; then set -- ./...; fi
mapfile -t pkgs < <("$go" list -tags "$tags" -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}} {{.Dir}}{{end}}' "$@")
[ "${#pkgs[@]}" -gt 0 ] || { echo "wine unit: FAIL: no packages with tests in $*" >&2; exit 2; }


failed=0
for entry in "${pkgs[@]}"; do
	pkg=${entry%% *} dir=${entry#* }
	exe=$work/$(echo "$pkg" | tr '/' '_').test.exe
	start=$SECONDS
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 "$go" test -c -tags "$tags" -ldflags=-checklinkname=0 -o "$exe" "$pkg"
	rc=0
	# shellcheck disable=SC2086 # flags are words
	(cd "$dir" && timeout -k 10 900 wine "$exe" -test.count=1 -test.timeout=14m $flags) >"$work/out" 2>&1 || rc=$?
	if [ "$rc" = 0 ]; then
		echo "ok   $pkg $((SECONDS - start))s (under wine)"
	else
		failed=1
		echo "FAIL $pkg $((SECONDS - start))s (under wine, exit $rc)"
		# (head closes the pipe early: that is not a failure of this script)
		grep -E '^\s*(--- FAIL|panic|[A-Za-z0-9_]+\.go:[0-9]+:)' "$work/out" | head -n 40 | sed 's/^/     /' || true
	fi
done
[ "$failed" = 0 ] && echo "wine unit: PASS" || { echo "wine unit: FAIL" >&2; exit 1; }
