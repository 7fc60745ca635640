#!/usr/bin/env bash
# scripts/wine/msi-check.sh MSI — the installer lists its files, and installs
# and uninstalls under wine, per user, leaving the officer's store in place.
#
# msiinfo: the two exes in the File table, the Start-menu shortcut, no
# ALLUSERS (a per-user install) and the "no elevation" word-count bit.
# msiexec /i /qn in a fresh (or $WINEPREFIX) prefix: both exes under
# %LocalAppData%\Programs\Liaison Desk, the shortcut in the user's Start
# menu, the installed liaisondesk-cli.exe creates the default store in
# %AppData%\liaisondesk; msiexec /x /qn: exes, folder and shortcut gone,
# the store still there.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 MSI" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
msi=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -f "$msi" ] || { echo "msi check: FAIL: $msi does not exist" >&2; exit 2; }
for tool in msiinfo wine wineserver; do
	command -v "$tool" >/dev/null 2>&1 || { echo "msi check: FAIL: '$tool' not found" >&2; exit 2; }
done
fail() { echo "msi check: FAIL: $*" >&2; exit 1; }

. "$here/session.sh" msi-check

files=$(msiinfo export "$msi" File)
for f in liaisondesk.exe liaisondesk-cli.exe; do
	grep -q "	$f	" <<<"$files" || fail "the File table lacks $f"
done
msiinfo export "$msi" Shortcut | grep -q "ProgramMenuFolder	Liaison Desk" || fail "no Start-menu shortcut"
! msiinfo export "$msi" Property | grep -q '^ALLUSERS' || fail "ALLUSERS is set: not a per-user install"
wc=$(msiinfo suminfo "$msi" | sed -n 's/^Source: \([0-9]*\).*/\1/p')
[ -n "$wc" ] && (( wc & 8 )) || fail "the summary's word count ($wc) does not say 'no elevation needed'"
echo "msi check: msiinfo lists liaisondesk.exe, liaisondesk-cli.exe, the Start-menu shortcut; per user, no elevation"


user_dir() { # the prefix's user profile (wine names it after the Unix user)
	local d
	for d in "$WINEPREFIX"/drive_c/users/*/AppData; do
		[ -d "$d" ] && { dirname "$d"; return; }
	done
	fail "no user profile in $WINEPREFIX"
}
profile=$(user_dir)
appdir="$profile/AppData/Local/Programs/Liaison Desk"
lnk="$profile/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Liaison Desk.lnk"
store="$profile/AppData/Roaming/liaisondesk/store.db"
rm -rf "$appdir" "$lnk" "$(dirname "$store")"

timeout -k 5 300 wine msiexec /i "$msi" /qn /l*v "$(winepath -w "$work/install.log" 2>/dev/null)" ||
	{ tail -n 30 "$work/install.log" 2>/dev/null | iconv -f UTF-16LE -t UTF-8 2>/dev/null >&2 || true; fail "msiexec /i failed"; }
for f in liaisondesk.exe liaisondesk-cli.exe; do
	[ -s "$appdir/$f" ] || fail "installed, but $appdir/$f is missing"
done
[ -f "$lnk" ] || fail "installed, but the Start-menu shortcut $lnk is missing"
echo "msi check: installed per user into %LocalAppData%\\Programs\\Liaison Desk, shortcut in the Start menu"

# The officer's store, made by the installed program on its default path.
printf '%s\n' 'msi check passphrase' >"$WINEPREFIX/drive_c/msi-passphrase"
(unset LIAISONDESK_DB
	LIAISONDESK_PASSPHRASE_FILE='C:\msi-passphrase' timeout -k 5 120 wine "$appdir/liaisondesk-cli.exe" init --officer "Col. A. Sharma" --rank Colonel --posting CMF >/dev/null) ||
	fail "the installed liaisondesk-cli.exe could not create the default store"
[ -f "$store" ] || fail "the installed program did not create %AppData%\\liaisondesk\\store.db"

timeout -k 5 300 wine msiexec /x "$msi" /qn || fail "msiexec /x failed"
[ ! -e "$appdir" ] || fail "uninstalled, but $appdir is still there: $(ls "$appdir")"
[ ! -e "$lnk" ] || fail "uninstalled, but the Start-menu shortcut is still there"
[ -f "$store" ] || fail "uninstalling removed the officer's store"
echo "msi check: uninstalled cleanly; %AppData%\\liaisondesk\\store.db left in place"
echo "msi check: PASS"
