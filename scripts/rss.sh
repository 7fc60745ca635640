#!/usr/bin/env bash
# rss.sh [STORE] — resident memory of the real app (cgo, OpenGL) on a big store.
#
# Builds bin/liaisondesk (`make build`, cached), starts Xvfb on a free display,
# opens the window on STORE (an initialised store opens straight on the
# dashboard) and reads VmRSS / VmHWM / RssAnon / RssFile from /proc/PID/status:
#
#   1. RSS_SETTLE seconds after the window appeared (the dashboard);
#   2. RSS_SETTLE seconds after Ctrl+2 (the exchanges list: first page, then
#      the count and anchors in the background);
#   3. after RSS_WHEEL wheel notches down the list (xdotool click 5);
#   4. 3 s after typing a two-word search a key at a time (Ctrl+F, then the
#      words), and again RSS_SETTLE seconds later.
#
# The app runs with GODEBUG=gctrace=1: each line also shows the Go heap live
# after the last collection, so what is Go's and what is not (SQLite's page
# caches, fonts, Mesa's software OpenGL under Xvfb) can be told apart.
#
# VmHWM is the peak resident set since the start. Screenshots of each step go
# to RSS_SHOTS (default: a temp dir, printed) so you can check the window
# really shows what is measured.
#
# STORE defaults to $TMPDIR/guibench-1m-v2.db, the copy of the 1,000,000-exchange
# benchmark store that gui/bench_test.go makes (run `make bench BENCH=GUIDashboard
# BENCHPKG=./gui/` first). Do not point it at a store others are using: the app
# may write to it (migrations, drafts).
#
# Environment:
#   RSS_SETTLE     seconds to wait at each step       default: 10
#   RSS_WHEEL      wheel notches in step 3            default: 300
#   RSS_QUERY      the search typed in step 4         default: discussed indian
#   RSS_LIMIT_MB   the target for VmRSS and VmHWM     default: 250
#   RSS_NO_BUILD=1 use bin/liaisondesk as it is
#   RSS_SHOTS      directory for the screenshots
#   RSS_SMAPS=1    also list the biggest mappings (by resident size) at each step
#
# Exit status: 0 when every reading is under the limit, 1 when one is not,
# 2 when the measurement could not be made.
set -euo pipefail

cd "$(dirname "$0")/.."
store=${1:-${TMPDIR:-/tmp}/guibench-1m-v2.db}
settle=${RSS_SETTLE:-10}
wheel=${RSS_WHEEL:-300}
query=${RSS_QUERY:-discussed indian}
limit_mb=${RSS_LIMIT_MB:-250}
bin=bin/liaisondesk
export LANG=${LANG:-en_US.UTF-8}

die() { echo "rss: $*" >&2; exit 2; }
[ -f "$store" ] || die "no store at $store (give a path, or run the GUI benchmarks to make the copy)"
for tool in Xvfb xdotool import timeout; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (apt-get install xvfb xdotool imagemagick)"
done
if [ "${RSS_NO_BUILD:-}" != 1 ]; then
	make build >/dev/null || die "make build failed"
fi
[ -x "$bin" ] || die "$bin is not built"

work=$(mktemp -d "${TMPDIR:-/tmp}/liaisondesk-rss.XXXXXX")
shots=${RSS_SHOTS:-$work/shots}
mkdir -p "$shots"
xvfb_pid=""
app_pid=""

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
	[ -n "${RSS_SHOTS:-}" ] || echo "rss: screenshots kept in $shots"
	find "$work" -mindepth 1 -maxdepth 1 ! -name shots -exec rm -rf {} +
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Xvfb on a free display (-displayfd: the server picks one and tells us).
exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp -noreset >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
disp=""
for _ in $(seq 1 100); do
	disp=$(tr -dc '0-9' <"$work/display" 2>/dev/null || true)
	[ -n "$disp" ] && break
	sleep 0.1
done
[ -n "$disp" ] || die "Xvfb did not start"
export DISPLAY=":$disp"

mkdir -p "$work/config" "$work/data" "$work/cache" "$work/runtime"
chmod 700 "$work/runtime"
start=$SECONDS
XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/runtime" \
	GODEBUG=gctrace=1 timeout -k 5 900 "$bin" --db "$store" >"$work/app.log" 2>&1 </dev/null &
app_pid=$!
echo "rss: $bin --db $store (pid $app_pid) on $DISPLAY; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"

win=""
for _ in $(seq 1 120); do
	kill -0 "$app_pid" 2>/dev/null || { tail -n 20 "$work/app.log" >&2; die "the app exited"; }
	win=$(timeout 5 xdotool search --onlyvisible --name 'Liaison Desk' 2>/dev/null | head -n 1 || true)
	[ -n "$win" ] && break
	sleep 0.5
done
[ -n "$win" ] || die "no window appeared within 60 s"
echo "rss: window appeared after $((SECONDS - start)) s"
timeout 5 xdotool windowsize "$win" 1200 800 2>/dev/null || true
timeout 5 xdotool windowactivate --sync "$win" 2>/dev/null || timeout 5 xdotool windowfocus "$win" 2>/dev/null || true

# The app's binary is a child of timeout(1): measure the real process.
pid=$(pgrep -P "$app_pid" -x liaisondesk || true)
[ -n "$pid" ] || pid=$app_pid

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
worst=0
report() {
	local step=$1 rss hwm anon file
	kill -0 "$pid" 2>/dev/null || die "the app exited before: $step"
	rss=$(kb VmRSS) hwm=$(kb VmHWM) anon=$(kb RssAnon) file=$(kb RssFile)
	# "gc N @Ts P%: ... ms cpu, A->B->C MB, D MB goal, ...": C is the live heap.
	goheap=$(grep -E '^gc [0-9]+ @' "$work/app.log" | tail -n 1 | sed -nE 's/.*, ([0-9]+)->([0-9]+)->([0-9]+) MB, ([0-9]+) MB goal.*/\3 MB live, goal \4 MB/p')
	printf 'rss: %-40s VmRSS %4d MB  VmHWM %4d MB  (anon %4d MB, file %4d MB; Go heap %s)\n' \
		"$step" $((rss / 1024)) $((hwm / 1024)) $((anon / 1024)) $((file / 1024)) "${goheap:-?}"
	if [ "${RSS_SMAPS:-}" = 1 ]; then
		# Resident kB per mapping name ([heap] is C malloc: Mesa, X11, fonts;
		# unnamed anonymous maps are the Go heap and SQLite's memory).
		awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) } /^Rss:/ { kb[name] += $2 }
			END { for (n in kb) if (kb[n] >= 1024) printf "rss:     %6d MB  %s\n", kb[n] / 1024, n }' "/proc/$pid/smaps" | sort -k2 -nr | head -n 8
	fi
	[ "$rss" -gt "$worst" ] && worst=$rss
	[ "$hwm" -gt "$worst" ] && worst=$hwm
	timeout 20 import -display "$DISPLAY" -window root "$shots/$2.png" 2>/dev/null || true
	return 0
}

sleep "$settle"
report "dashboard (+${settle}s)" 1-dashboard

timeout 5 xdotool key --window "$win" ctrl+2 || timeout 5 xdotool key ctrl+2
sleep "$settle"
report "exchanges list (+${settle}s)" 2-exchanges

# Wheel notches over the middle of the list.
eval "$(timeout 5 xdotool getwindowgeometry --shell "$win")"
timeout 5 xdotool mousemove --window "$win" $((WIDTH * 6 / 10)) $((HEIGHT / 2))
timeout 120 xdotool click --repeat "$wheel" --delay 15 5
sleep 2
report "after $wheel wheel notches" 3-scrolled

timeout 5 xdotool key --window "$win" ctrl+f || true
timeout 60 xdotool type --delay 120 "$query"
sleep 3
report "3 s after typing \"$query\"" 4-search
sleep "$settle"
report "$((settle + 3)) s after typing" 5-search-settled

limit_kb=$((limit_mb * 1024))
if [ "$worst" -lt "$limit_kb" ]; then
	echo "rss: PASS: highest VmRSS/VmHWM $((worst / 1024)) MB < $limit_mb MB"
else
	echo "rss: FAIL: highest VmRSS/VmHWM $((worst / 1024)) MB >= $limit_mb MB"
	exit 1
fi
