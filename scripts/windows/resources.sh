#!/usr/bin/env bash
# scripts/windows/resources.sh OUTDIR — the Windows resources of liaisondesk.exe
# (icon, version information, manifest) from FyneApp.toml and assets/icon.png,
# compiled into OUTDIR/rsrc_windows_amd64.syso with mingw's windres.
#
# Also writes OUTDIR/overlay.json, which `go build -overlay` reads to see the
# .syso as if it sat in the main package's directory: no tracked or untracked
# file is added to the source tree (unlike `fyne package`, which rewrites
# FyneApp.toml), and the Linux build never sees it.
#
# Prints the version it found, as VERSION.BUILD (e.g. 0.1.0.1).
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
windres=${WINDRES:-x86_64-w64-mingw32-windres}
for tool in "$windres" convert; do
	command -v "$tool" >/dev/null 2>&1 || { echo "windows-resources: FAIL: '$tool' not found" >&2; exit 2; }
done

# [Details] of FyneApp.toml: Name, Version = "X.Y.Z", Build = N.
toml() { sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" "$root/FyneApp.toml" | head -n 1; }
name=$(toml Name)
version=$(toml Version)
build=$(toml Build)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "windows-resources: FAIL: FyneApp.toml Version '$version' is not X.Y.Z" >&2; exit 1; }
[[ $build =~ ^[0-9]+$ ]] || { echo "windows-resources: FAIL: FyneApp.toml Build '$build' is not a number" >&2; exit 1; }
[ -n "$name" ] || { echo "windows-resources: FAIL: FyneApp.toml has no Name" >&2; exit 1; }
commas=${version//./,},$build
full=$version.$build

# Every size Explorer asks for, in one .ico.
convert "$root/assets/icon.png" -background none -define icon:auto-resize=256,128,64,48,32,24,16 "$out/icon.ico"

cat >"$out/app.manifest" <<MANIFEST
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="in.gov.mod.liaisondesk" version="$full" processorArchitecture="amd64"/>
  <description>$name</description>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security><requestedPrivileges>
      <requestedExecutionLevel level="asInvoker" uiAccess="false"/>
    </requestedPrivileges></security>
  </trustInfo>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application><supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/></application>
  </compatibility>
  <application xmlns="urn:schemas-microsoft-com:asm.v3">
    <windowsSettings>
      <dpiAware xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">true/pm</dpiAware>
      <dpiAwareness xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">permonitorv2,permonitor</dpiAwareness>
      <longPathAware xmlns="http://schemas.microsoft.com/SMI/2016/WindowsSettings">true</longPathAware>
    </windowsSettings>
  </application>
</assembly>
MANIFEST

cat >"$out/app.rc" <<RC
#include <winver.h>
1 ICON "icon.ico"
1 24 "app.manifest"
1 VERSIONINFO
FILEVERSION $commas
PRODUCTVERSION $commas
FILEOS VOS_NT_WINDOWS32
FILETYPE VFT_APP
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "FileDescription", "$name"
      VALUE "FileVersion", "$full"
      VALUE "InternalName", "liaisondesk"
      VALUE "OriginalFilename", "liaisondesk.exe"
      VALUE "ProductName", "$name"
      VALUE "ProductVersion", "$version"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
RC

(cd "$out" && "$windres" -O coff -F pe-x86-64 -i app.rc -o rsrc_windows_amd64.syso)
printf '{"Replace":{"%s":"%s"}}\n' "$root/zz_rsrc_windows_amd64.syso" "$out/rsrc_windows_amd64.syso" >"$out/overlay.json"
echo "$full"
