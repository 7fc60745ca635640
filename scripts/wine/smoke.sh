#!/usr/bin/env bash
# scripts/wine/smoke.sh GUI_EXE — open the Windows window under wine and Xvfb,
# screenshot it, and fail when the screenshot is blank.
#
# Reuses scripts/xvfb-smoke.sh (same Xvfb, throwaway store, window wait and
# screenshot) with a launcher that runs GUI_EXE under wine, in $WINEPREFIX
# when it is set and exists, else in a throwaway prefix (prefix.sh).
# SMOKE_PNG keeps the screenshot (default: a temp file, path printed);
# SMOKE_MIN_COLOURS (default 16) is how many colours a painted window has
# at least: an unpainted one leaves Xvfb's one-colour screen.
# Wine starts slower than a native binary: SMOKE_TIMEOUT defaults to 90 s.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 GUI_EXE" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -f "$exe" ] || { echo "wine smoke: FAIL: $exe does not exist" >&2; exit 2; }

. "$here/session.sh" wine-smoke


png=${SMOKE_PNG:-$(mktemp "${TMPDIR:-/tmp}/liaisondesk-wine-smoke-XXXXXX.png")}
# The three-line launcher xvfb-smoke.sh runs as "the binary".
printf '#!/bin/sh\nexec wine %q "$@"\n' "$exe" >"$work/liaisondesk"
chmod +x "$work/liaisondesk"

SMOKE_PNG=$png SMOKE_TIMEOUT=${SMOKE_TIMEOUT:-90} SMOKE_SETTLE=${SMOKE_SETTLE:-4} \
	"$here/../xvfb-smoke.sh" "$work/liaisondesk"
# Whatever of wine xvfb-smoke.sh's TERM left behind.
timeout 30 wineserver -k 2>/dev/null || true

colours=$(identify -format '%k' "$png")
min=${SMOKE_MIN_COLOURS:-16}
if [ "$colours" -lt "$min" ]; then
	echo "wine smoke: FAIL: the screenshot $png has $colours colours (< $min): the window did not paint" >&2
	exit 1
fi
echo "wine smoke: PASS: the window painted ($colours colours); screenshot $png"
