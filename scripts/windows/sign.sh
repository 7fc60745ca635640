#!/usr/bin/env bash
# scripts/windows/sign.sh CERT KEY FILE... — Authenticode-sign exes and MSIs
# in place with Debian's osslsigncode (SHA-256).
#
# CERT: the certificate (chain) in PEM or DER; or a .p12/.pfx holding both,
# with KEY given as "-". KEY: the private key, PEM or DER.
# Optional: SIGN_PASS_FILE (a file holding the key's passphrase, so it never
# shows in the process list), SIGN_TS (an RFC 3161 timestamp server URL: a
# timestamped signature stays valid after the certificate expires).
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 CERT KEY FILE..." >&2; exit 2; }
cert=$1 key=$2
shift 2
command -v osslsigncode >/dev/null 2>&1 || { echo "sign: FAIL: 'osslsigncode' not found (apt-get install osslsigncode)" >&2; exit 2; }
[ -f "$cert" ] || { echo "sign: FAIL: CERT $cert does not exist" >&2; exit 2; }

args=(-h sha256 -n "Liaison Desk")
case $cert in
*.p12 | *.pfx) args+=(-pkcs12 "$cert") ;;
*)
	[ -f "$key" ] || { echo "sign: FAIL: KEY $key does not exist" >&2; exit 2; }
	args+=(-certs "$cert" -key "$key")
	;;
esac
[ -n "${SIGN_PASS_FILE:-}" ] && args+=(-readpass "$SIGN_PASS_FILE")
[ -n "${SIGN_TS:-}" ] && args+=(-ts "$SIGN_TS")

for f in "$@"; do
	rm -f "$f.signed"
	osslsigncode sign "${args[@]}" -in "$f" -out "$f.signed" >/dev/null ||
		{ rm -f "$f.signed"; echo "sign: FAIL: could not sign $f" >&2; exit 1; }
	mv "$f.signed" "$f"
	echo "sign: signed $f"
done
