#!/usr/bin/env bash
# scripts/wine/e2e.sh LINUX_BIN CLI_EXE [GUI_EXE] — the headless verbs of the
# Windows build under Wine, checked against the Linux build on the same inputs.
#
# Runs one scenario twice: with LINUX_BIN natively, and with CLI_EXE under
# wine, on stores in folders with a space and a non-ASCII letter (given to
# the exe as C:\ld\Liaison Désk\… paths). The scenario: init, add (JSON on
# stdin), status, list --json, show, search, a PDF and an XLSX report, a
# record refused with exit code 1 that adds nothing, backup and restore, and
# a bundle each way between two stores, which must end with equal digests.
# Every JSON document printed goes into a transcript per side; with ids,
# site keys, hashes and device codes (which must differ between two runs)
# numbered in order of appearance, the two transcripts must be identical.
#
# Windows only, also: LIAISONDESK_DB with a forward-slash path, the default
# store under %AppData%\liaisondesk\store.db and the usage text naming it,
# the hub stopping cleanly on Ctrl+C, and, when GUI_EXE is given,
# the GUI-subsystem exe writing to redirected output and returning its exit
# codes.
#
# Uses $WINEPREFIX when it is set and exists (see prefix.sh); otherwise
# makes a throwaway prefix. Exit status 0 only when every check passed.
set -euo pipefail

[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 LINUX_BIN CLI_EXE [GUI_EXE]" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
linux_bin=$(abs "$1")
cli_exe=$(abs "$2")
gui_exe=${3:+$(abs "$3")}
for f in "$linux_bin" "$cli_exe" ${gui_exe:+"$gui_exe"}; do
	[ -f "$f" ] || { echo "wine e2e: FAIL: $f does not exist" >&2; exit 2; }
done
for tool in wine wineserver jq perl pdfinfo unzip diff; do
	command -v "$tool" >/dev/null 2>&1 || { echo "wine e2e: FAIL: '$tool' not found" >&2; exit 2; }
done
export LANG=${LANG:-en_US.UTF-8}

. "$here/session.sh" wine-e2e

# The stores' keys are sealed under a passphrase, read from this file by
# every verb (the Windows side is given the same file as C:\ld-passphrase).
printf '%s\n' 'wine e2e passphrase' >"$work/passphrase"
export LIAISONDESK_PASSPHRASE_FILE=$work/passphrase

# One server for the whole run (each wine call starts faster); its output must not hold
# the caller's pipe open after this script ends.
wineserver -p 60 </dev/null >/dev/null 2>&1

fail() {
	echo "wine e2e: FAIL: $*" >&2
	exit 1
}

# The scenario, for side $side with the runner ld (the binary), the path
# mapper p (a file name → the path the binary is given) and h (→ the path on
# this host). It fills $work/$side.json with the JSON the binary printed.
run_ld() { # run_ld STDIN ARGS... : sets out, err, rc
	local in=$1
	shift
	rc=0
	ld "$@" <<<"$in" >"$work/out" 2>"$work/err" || rc=$?
	out=$(cat "$work/out")
	err=$(cat "$work/err")
}
must() { # must STDIN ARGS...
	run_ld "$@"
	[ "$rc" = 0 ] || fail "$side: liaisondesk ${*:2} exited $rc: $err"
}
json() { # json TITLE : append $out, which must be one JSON document, to the transcript
	jq -e . >/dev/null 2>&1 <<<"$out" || fail "$side: $1 did not print one JSON document: $out"
	{ echo "## $1"; jq -S . <<<"$out"; } >>"$work/$side.json"
}

meeting='{"posting":"CMF","kind":"meeting","title":"CTF 151 counter-piracy brief","occurred_at":"2026-11-20T06:00:00Z","classification":"RESTRICTED","releasability":["USA","IND"],"summary":"Piracy off Somalia; Gulf of Aden — Ü"}'
call='{"posting":"CMF","kind":"call","title":"CTF 150 maritime security call","occurred_at":"2026-11-18T09:30:00Z","classification":"UNCLASSIFIED","releasability":["USA","IND"]}'
request='{"direction":"in_to_us","posting":"CMF","program":"MH-60R","required_by":"2027-02-01","classification":"CONFIDENTIAL","releasability":["USA","IND"],"lines":[{"description":"Main rotor blade","nsn":"1615015555555","quantity":2}]}'
lunch='{"posting":"CMF","kind":"lunch","title":"Not a kind","occurred_at":"2026-11-20T06:00:00Z","classification":"RESTRICTED"}'

scenario() {
	: >"$work/$side.json"
	local a b
	a=$(p a.db)
	b=$(p b.db)
	must "" --db "$a" init --officer "Col. A. Sharma" --rank Colonel --posting CMF
	[ -f "$(h a.db)" ] || fail "$side: init did not create $(h a.db)"

	must "$meeting"$'\n'"$call" --db "$a" add exchange
	local ids
	read -r -a ids <<<"$(echo $out)"
	[ "${#ids[@]}" = 2 ] || fail "$side: add of two exchanges printed '$out'"
	must "$request" --db "$a" add request
	local req=$out
	must "" --db "$a" status request "$req" submitted --note "sent to J4" --at 2026-11-20
	run_ld "" --db "$a" status request "$req" delivered
	[ "$rc" = 1 ] || fail "$side: an illegal transition exited $rc, want 1"

	must "" --db "$a" list exchange --json && json "list exchange --json"
	must "" --db "$a" list request --json && json "list request --json"
	must "" --db "$a" show request "$req" --json && json "show request --json"
	must "" --db "$a" show exchange "${ids[0]}"
	grep -q "CTF 151 counter-piracy brief" <<<"$out" || fail "$side: show exchange: $out"
	must "" --db "$a" search piracy --json && json "search piracy --json"
	must "" --db "$a" search "Gulf Aden" --json && json "search 'Gulf Aden' --json"

	# A refused record: exit code 1, the field named, nothing added.
	run_ld "$meeting"$'\n'"$lunch" --db "$a" add exchange
	[ "$rc" = 1 ] || fail "$side: a refused record exited $rc, want 1 ($err)"
	grep -q "kind" <<<"$err" || fail "$side: the refusal does not name the field: $err"
	must "" --db "$a" list exchange --json
	[ "$(jq length <<<"$out")" = 2 ] || fail "$side: a refused batch added records"

	# Reports: a PDF and an XLSX, read back on this host.
	must "" --db "$a" report weekly --from 2026-11-16 --to 2026-11-22 --posting CMF -o "$(p weekly.pdf)"
	grep -q '^Pages: *[1-9]' <<<"$(pdfinfo "$(h weekly.pdf)" 2>/dev/null)" || fail "$side: weekly.pdf is not a PDF with pages"
	must "" --db "$a" report requests --format xlsx -o "$(p requests.xlsx)"
	grep -q 'xl/workbook.xml' <<<"$(unzip -l "$(h requests.xlsx)" 2>/dev/null)" || fail "$side: requests.xlsx is not a workbook"

	# Backup and restore: the restored store holds the same records.
	must "" --db "$a" backup "$(p backup.db)"
	must "" --db "$(p restored.db)" restore "$(p backup.db)"
	grep -q "new identity" <<<"$out" || fail "$side: restore: $out"
	must "" --db "$(p restored.db)" list exchange --json && json "restored: list exchange --json"
	must "" --db "$a" check
	grep -q "^ok" <<<"$out" || fail "$side: check: $out"

	# A bundle each way between two stores, receipts carried back.
	must "" --db "$b" init --officer "Cdr B. Rao" --rank Commander --posting SOCOM
	must "" --db "$a" identity
	local ida=$out
	must "" --db "$b" identity
	must "" --db "$a" peers add b "$out"
	must "" --db "$b" peers add a "$ida"
	must "" --db "$a" bundle create --to b -o "$(p a-to-b.ldbundle)" && json "bundle create a→b"
	must "" --db "$b" bundle import "$(p a-to-b.ldbundle)" --receipt "$(p b.receipt)"
	out=$(jq 'del(.receipt)' <<<"$out") && json "bundle import at b"
	must "" --db "$a" receipt import "$(p b.receipt)"
	must "" --db "$b" bundle create --to a -o "$(p b-to-a.ldbundle)" && json "bundle create b→a"
	must "" --db "$a" bundle import "$(p b-to-a.ldbundle)"
	json "bundle import at a"
	must "" --db "$a" digest
	local da=$out
	must "" --db "$b" digest
	[ -n "$da" ] && [ "$da" = "$out" ] || fail "$side: digests differ after the bundles: a $da, b $out"
	must "" --db "$b" list exchange --json && json "b: list exchange --json"
}

# ---- Linux
side=linux
ld() { "$linux_bin" "$@"; }
p() { echo "$work/linux/Liaison Désk/$1"; }
h() { p "$1"; }
mkdir -p "$work/linux/Liaison Désk"
start=$SECONDS
scenario
echo "wine e2e: linux scenario passed ($((SECONDS - start))s)"

# ---- Windows, under wine
side=windows
cp "$work/passphrase" "$WINEPREFIX/drive_c/ld-passphrase"
ld() { LIAISONDESK_PASSPHRASE_FILE='C:\ld-passphrase' timeout -k 5 120 wine "$cli_exe" "$@"; }
p() { echo "C:\\ld\\Liaison Désk\\$1"; }
h() { echo "$WINEPREFIX/drive_c/ld/Liaison Désk/$1"; }
rm -rf "$WINEPREFIX/drive_c/ld"
mkdir -p "$WINEPREFIX/drive_c/ld/Liaison Désk"
start=$SECONDS
scenario
echo "wine e2e: windows scenario passed ($((SECONDS - start))s)"

# Ids, site keys, hashes and device codes differ between two runs: number
# them in order of appearance, so the structure still has to match.
normalise() {
	LC_ALL=C perl -pe '
		s/\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/"<id".($id{$1}||=++$ni).">"/ge;
		s/\b([0-9a-f]{64})\b/"<hash".($hs{$1}||=++$nh).">"/ge;
		s/\b([0-9a-f]{32})\b/"<site".($st{$1}||=++$ns).">"/ge;
		s/"([A-Z]+-[0-9]{4})-([0-9A-F]{4})-([0-9]{4})"/"\"$1-<device".($dv{$2}||=++$nd).">-$3\""/ge;
	' "$1"
}
if ! diff -u <(normalise "$work/linux.json") <(normalise "$work/windows.json") >"$work/json.diff"; then
	head -n 60 "$work/json.diff" >&2
	fail "the JSON printed under wine differs from the Linux binary's (diff above, linux first)"
fi
echo "wine e2e: JSON of the two sides identical once ids are numbered ($(grep -c '^## ' "$work/linux.json") documents)"

# ---- Windows only: LIAISONDESK_DB, the default store, the GUI exe.
run_ld "" --db "C:/ld/Liaison Désk/a.db" list exchange --json
[ "$rc" = 0 ] && [ "$(jq length <<<"$out")" = 2 ] || fail "a C:/ forward-slash path: $rc $err"
LIAISONDESK_DB='C:\ld\Liaison Désk\a.db' run_ld "" list request --json
[ "$rc" = 0 ] && [ "$(jq length <<<"$out")" = 1 ] || fail "LIAISONDESK_DB: $rc $err"
rm -rf "$WINEPREFIX"/drive_c/users/*/AppData/Roaming/liaisondesk
(unset LIAISONDESK_DB; run_ld "" init --officer "Maj. C. Iyer" --rank Major --posting INDOPACOM
	[ "$rc" = 0 ] || fail "init on the default store: $rc $err")
compgen -G "$WINEPREFIX/drive_c/users/*/AppData/Roaming/liaisondesk/store.db" >/dev/null ||
	fail "the default store is not %AppData%\\liaisondesk\\store.db"
echo "wine e2e: C:/ paths, LIAISONDESK_DB and the default store in %AppData%\\liaisondesk ok"
run_ld "" help
grep -qF 'else %AppData%\liaisondesk\store.db.' <<<"$out" || fail "the usage text does not name %AppData%\\liaisondesk\\store.db: $out"
echo "wine e2e: the usage text names the default store %AppData%\\liaisondesk\\store.db"

# The hub is a console program: Ctrl+C (Wine turns SIGINT into CTRL_C_EVENT)
# stops it cleanly, with exit code 0 and its store intact.
hubdb='C:\ld\Liaison Désk\hub.db'
must "" --db "$hubdb" hub init --name "CMF hub"
port=$((20000 + RANDOM % 20000))
LIAISONDESK_PASSPHRASE_FILE='C:\ld-passphrase' wine "$cli_exe" --db "$hubdb" hub --listen "127.0.0.1:$port" </dev/null >"$work/hub.out" 2>&1 &
hub_pid=$!
for _ in $(seq 150); do grep -q "serving on" "$work/hub.out" && break; kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.2; done
grep -q "serving on" "$work/hub.out" || { kill -KILL "$hub_pid" 2>/dev/null; fail "the hub did not start: $(cat "$work/hub.out")"; }
kill -INT "$hub_pid"
for _ in $(seq 75); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$hub_pid" 2>/dev/null; then kill -KILL "$hub_pid"; fail "the hub did not stop within 15 s of Ctrl+C"; fi
hub_rc=0
wait "$hub_pid" || hub_rc=$?
[ "$hub_rc" = 0 ] || fail "the hub exited $hub_rc on Ctrl+C, want 0: $(cat "$work/hub.out")"
must "" --db "$hubdb" check
grep -q "^ok" <<<"$out" || fail "the hub's store after Ctrl+C: $out"
echo "wine e2e: the hub stops cleanly on Ctrl+C (exit 0, store checks ok)"

if [ -n "$gui_exe" ]; then
	ld() { LIAISONDESK_PASSPHRASE_FILE='C:\ld-passphrase' timeout -k 5 120 wine "$gui_exe" "$@"; }
	run_ld "" --db 'C:\ld\Liaison Désk\a.db' list exchange --json
	[ "$rc" = 0 ] && [ "$(jq length <<<"$out")" = 2 ] || fail "the GUI exe with redirected output: $rc '$out' $err"
	run_ld "" --db 'C:\ld\Liaison Désk\a.db' frobnicate
	[ "$rc" = 2 ] && grep -q "unknown command" <<<"$err" || fail "the GUI exe's exit code for a mistyped verb: $rc, $err"
	echo "wine e2e: the GUI exe writes to redirected output and returns its exit codes"
fi
echo "wine e2e: PASS"
