#!/usr/bin/env bash
# scripts/wine/prefix.sh DIR — make DIR a fresh 64-bit Wine prefix that can run Go programs.
#
# TEST-ONLY. Builds the stand-in bcryptprimitives.dll from bcryptprimitives.c
# (Wine 8.0 lacks it; every Go >= 1.22 exe dies at start without it) with
# mingw and copies it into the prefix's system32. Nothing here is shipped.
#
# The caller exports the same environment afterwards to use the prefix:
#   WINEPREFIX=DIR WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES=(as below)
# and ends it with `WINEPREFIX=DIR wineserver -k` before removing DIR.
# No desktop entries, menus or file associations are written to the host
# (winemenubuilder is disabled), and no Mono/Gecko download is attempted.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cc=${WIN_CC:-x86_64-w64-mingw32-gcc}

for tool in wine wineserver "$cc"; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "wine prefix: FAIL: '$tool' not found (make windows-test-deps installs it)" >&2
		exit 2
	}
done

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
export WINEPREFIX=$dir WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d"

# wineboot creates the prefix; bounded, since a stuck wineserver would hang CI.
timeout -k 5 180 wine wineboot --init >"$dir/.wineboot.log" 2>&1 || {
	echo "wine prefix: FAIL: wineboot --init in $dir" >&2
	tail -n 20 "$dir/.wineboot.log" >&2
	exit 1
}
timeout -k 5 60 wineserver -w || true

sys32=$dir/drive_c/windows/system32
[ -d "$sys32" ] || { echo "wine prefix: FAIL: no $sys32 after wineboot" >&2; exit 1; }
"$cc" -shared -O2 -s -o "$sys32/bcryptprimitives.dll" \
	"$here/bcryptprimitives.c" "$here/bcryptprimitives.def" -ladvapi32
echo "wine prefix: $dir ready ($(wine --version 2>/dev/null), test-only bcryptprimitives.dll installed)"
