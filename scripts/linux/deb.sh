#!/usr/bin/env bash
# scripts/linux/deb.sh BINARY OUT_DEB — a Debian package of the Linux build,
# with dpkg-deb (always on Debian): the binary in /usr/bin, a desktop entry
# and the icon, Depends computed from the libraries the binary loads.
# Version: FyneApp.toml's Version-Build. Changes no file in the tree.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 BINARY OUT_DEB" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$1 out=$2
[ -x "$bin" ] || { echo "deb: FAIL: $bin is not an executable" >&2; exit 2; }

toml() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" "$root/FyneApp.toml" | head -n 1; }
version=$(toml Version)-$(toml Build)
id=$(toml ID)

stage=$(mktemp -d "${TMPDIR:-/tmp}/liaisondesk-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
pkg=$stage/pkg
install -D -m 0755 "$bin" "$pkg/usr/bin/liaisondesk"
install -D -m 0644 "$root/assets/icon.png" "$pkg/usr/share/icons/hicolor/512x512/apps/$id.png"
install -D -m 0644 "$root/assets/icon.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/$id.svg"
install -d "$pkg/usr/share/applications"
cat >"$pkg/usr/share/applications/$id.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Liaison Desk
Comment=Information exchanges and DPAS priority-support requests of liaison officers
Exec=liaisondesk
Icon=$id
Terminal=false
Categories=Office;
DESKTOP

# Depends: the package of every shared library the binary loads (none for a
# static build).
deps=$({ ldd "$bin" 2>/dev/null || true; } | awk '/=> \// {print $3} /^[[:space:]]*\/lib/ {print $1}' |
	while read -r lib; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true; done |
	cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g')
install -d "$pkg/DEBIAN"
{
	echo "Package: liaisondesk"
	echo "Version: $version"
	echo "Architecture: $(dpkg --print-architecture)"
	echo "Section: misc"
	echo "Priority: optional"
	echo "Maintainer: Liaison Desk <liaisondesk@localhost>"
	echo "Installed-Size: $(du -sk "$pkg/usr" | cut -f1)"
	[ -n "$deps" ] && echo "Depends: $deps"
	echo "Description: Liaison Desk: liaison officers' exchanges and DPAS requests"
	echo " Logs information exchanges and DPAS priority-support requests in a local"
	echo " SQLite store built on a signed change log; syncs by encrypted bundles or a hub."
} >"$pkg/DEBIAN/control"
mkdir -p "$(dirname "$out")"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out" >/dev/null
echo "deb: wrote $out (liaisondesk $version, $(du -h "$out" | cut -f1)${deps:+; Depends: $deps})"
