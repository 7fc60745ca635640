#!/usr/bin/env bash
# xvfb-smoke.sh BINARY — open the real window under Xvfb and screenshot it.
#
# Starts Xvfb on a free display, runs BINARY with no arguments and a throwaway
# store (LIAISONDESK_DB in a temp dir, throwaway XDG config/data/cache), waits
# for a visible window whose name matches SMOKE_TITLE, screenshots the whole
# screen with `import -window root`, then stops the app and Xvfb.
#
# Environment:
#   SMOKE_TITLE    window name to wait for (xdotool regex)   default: Liaison Desk
#   SMOKE_PNG      where to write the screenshot             default: a temp file (path printed)
#   SMOKE_TIMEOUT  seconds to wait for the window            default: 30
#   SMOKE_SETTLE   seconds to let it paint before the shot   default: 2
#   SMOKE_SIZE     screen size WxHxDepth                     default: 1280x800x24
#
# Exit status: 0 when the window appeared and the screenshot was taken and the
# app was still running; non-zero, with the app's output, otherwise. Never
# waits longer than SMOKE_TIMEOUT plus a few bounded steps.
set -euo pipefail

usage() { echo "usage: $0 BINARY" >&2; exit 2; }
[ $# -eq 1 ] || usage
bin=$1
case $bin in */*) ;; *) bin=./$bin ;; esac
[ -x "$bin" ] || { echo "xvfb-smoke: FAIL: $bin is not an executable file" >&2; exit 2; }

title=${SMOKE_TITLE:-Liaison Desk}
wait_s=${SMOKE_TIMEOUT:-30}
settle=${SMOKE_SETTLE:-2}
size=${SMOKE_SIZE:-1280x800x24}
export LANG=${LANG:-en_US.UTF-8}

for tool in Xvfb xdotool import timeout; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "xvfb-smoke: FAIL: '$tool' not found (apt-get install xvfb xdotool imagemagick; 'make test-deps' does it)" >&2
		exit 2
	}
done

work=$(mktemp -d "${TMPDIR:-/tmp}/liaisondesk-smoke.XXXXXX")
png_is_temp=""
if [ -n "${SMOKE_PNG:-}" ]; then
	png=$SMOKE_PNG
	mkdir -p "$(dirname "$png")"
else
	png=$(mktemp "${TMPDIR:-/tmp}/liaisondesk-smoke-XXXXXX.png")
	png_is_temp=1
fi

xvfb_pid=""
app_pid=""

# stop PID: TERM, wait up to ~5 s, then KILL.
stop() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	set +e
	stop "$app_pid"
	stop "$xvfb_pid"
	rm -rf "$work"
	# a temp screenshot of a failed run is of no use: do not leave it behind
	if [ "$rc" != 0 ] && [ -n "$png_is_temp" ]; then rm -f "$png"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "xvfb-smoke: FAIL: $*" >&2
	if [ -s "$work/app.log" ]; then
		echo "---- app output (last 40 lines) ----" >&2
		tail -n 40 "$work/app.log" >&2
		echo "------------------------------------" >&2
	fi
	if [ -s "$work/xvfb.log" ]; then
		echo "---- Xvfb output (last 20 lines) ----" >&2
		tail -n 20 "$work/xvfb.log" >&2
		echo "-------------------------------------" >&2
	fi
	exit 1
}

# --- Xvfb on a free display: -displayfd lets the server pick one and tell us.
exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 "$size" -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
disp=""
for _ in $(seq 1 100); do # up to 10 s
	disp=$(tr -dc '0-9' <"$work/display" 2>/dev/null || true)
	[ -n "$disp" ] && break
	kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb exited before it was ready"
	sleep 0.1
done
[ -n "$disp" ] || fail "Xvfb did not report a display within 10 s"
export DISPLAY=":$disp"
echo "xvfb-smoke: Xvfb on $DISPLAY ($size)"

# --- the app, with a throwaway store and throwaway Fyne settings.
mkdir -p "$work/config" "$work/data" "$work/cache" "$work/store" "$work/runtime"
chmod 700 "$work/runtime"
# Outer bound: the app is killed by timeout even if this script is killed hard.
LIAISONDESK_DB="$work/store/store.db" \
	XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" \
	XDG_RUNTIME_DIR="$work/runtime" \
	timeout -k 5 $((wait_s + settle + 60)) "$bin" >"$work/app.log" 2>&1 </dev/null &
app_pid=$!
echo "xvfb-smoke: started $bin (pid $app_pid), waiting up to ${wait_s}s for a window named '$title'"

# --- wait for a visible window with that name.
win=""
deadline=$((SECONDS + wait_s))
while [ $SECONDS -lt $deadline ]; do
	if ! kill -0 "$app_pid" 2>/dev/null; then
		rc=0
		wait "$app_pid" || rc=$?
		app_pid=""
		fail "the app exited (status $rc) before a window named '$title' appeared"
	fi
	win=$(timeout 5 xdotool search --onlyvisible --name "$title" 2>/dev/null | head -n 1 || true)
	[ -n "$win" ] && break
	sleep 0.5
done
[ -n "$win" ] || fail "no window named '$title' appeared within ${wait_s}s"
name=$(timeout 5 xdotool getwindowname "$win" 2>/dev/null || true)
geom=$(timeout 5 xdotool getwindowgeometry "$win" 2>/dev/null | sed -n 's/^ *Geometry: //p' || true)
echo "xvfb-smoke: window $win '$name' ${geom:+($geom) }appeared after $((SECONDS - (deadline - wait_s)))s"

# --- let it paint, then screenshot the whole screen.
sleep "$settle"
kill -0 "$app_pid" 2>/dev/null || fail "the app exited right after showing its window"
timeout 20 import -display "$DISPLAY" -window root "$png" 2>"$work/import.log" ||
	fail "screenshot failed: $(cat "$work/import.log")"
[ -s "$png" ] || fail "screenshot $png is empty"
kill -0 "$app_pid" 2>/dev/null || fail "the app exited while the screenshot was taken"

# A window that painted nothing leaves a one-colour screen: say so (not fatal, the
# picture is there to look at).
if command -v identify >/dev/null 2>&1; then
	colours=$(timeout 20 identify -format '%k' "$png" 2>/dev/null || echo "?")
	if [ "$colours" = 1 ]; then
		echo "xvfb-smoke: WARNING: the screenshot is a single colour; the window may not have painted" >&2
	fi
fi

if [ -s "$work/app.log" ]; then
	echo "xvfb-smoke: app output (last 20 lines):"
	tail -n 20 "$work/app.log" | sed 's/^/  | /'
fi
echo "xvfb-smoke: PASS: window '$title' shown; screenshot $png"
