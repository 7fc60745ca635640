# scripts/wine/session.sh NAME — sourced by the wine checks (e2e, smoke, msi-check, unit).
#
# Sets $work, a temporary folder removed at exit, and a Wine prefix to run in:
# $WINEPREFIX when it is set and exists, else a fresh one made by prefix.sh in
# $work, whose wineserver is stopped at exit. Exports the environment every
# wine call needs. Sourced, so the traps and variables belong to the caller.

wine_session_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/liaisondesk-$1.XXXXXX")
own_prefix=""
cleanup() {
	local rc=$?
	set +e
	if [ -n "$own_prefix" ]; then timeout 30 wineserver -k 2>/dev/null; fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${WINEPREFIX:-}" ] || [ ! -d "${WINEPREFIX:-}/drive_c" ]; then
	"$wine_session_here/prefix.sh" "$work/prefix"
	export WINEPREFIX=$work/prefix
	own_prefix=1
fi
export WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=d;mshtml=d"
