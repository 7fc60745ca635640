#!/usr/bin/env bash
# scripts/windows/msi.sh GUI_EXE CLI_EXE OUT_MSI — the per-user Windows
# installer, built with Debian's wixl from liaisondesk.wxs.
#
# Stages the two exes and the icon (from resources.sh, so the MSI's version
# is FyneApp.toml's Version.Build) in a temp dir; changes no file in the tree.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 GUI_EXE CLI_EXE OUT_MSI" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for f in "$1" "$2"; do [ -s "$f" ] || { echo "msi: FAIL: $f does not exist" >&2; exit 2; }; done
command -v wixl >/dev/null 2>&1 || { echo "msi: FAIL: 'wixl' not found (apt-get install wixl)" >&2; exit 2; }

stage=$(mktemp -d "${TMPDIR:-/tmp}/liaisondesk-msi.XXXXXX")
trap 'rm -rf "$stage"' EXIT
version=$("$here/resources.sh" "$stage/res")
cp "$1" "$stage/liaisondesk.exe"
cp "$2" "$stage/liaisondesk-cli.exe"
cp "$stage/res/icon.ico" "$stage/liaisondesk.ico"
cp "$here/liaisondesk.wxs" "$stage/"
# wixl resolves Source= paths relative to the .wxs: hence the staging.
(cd "$stage" && wixl -a x64 -D Version="$version" -D Icon=liaisondesk.ico \
	-D GuiExe=liaisondesk.exe -D CliExe=liaisondesk-cli.exe -o out.msi liaisondesk.wxs)
mkdir -p "$(dirname "$3")"
mv "$stage/out.msi" "$3"
echo "msi: wrote $3 (Liaison Desk $version, $(du -h "$3" | cut -f1))"
