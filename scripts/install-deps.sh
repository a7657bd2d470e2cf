#!/usr/bin/env bash
# Installs what building, testing and running the terminal needs on a fresh
# Debian 12 / Ubuntu machine. Idempotent: it installs only what is missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

# Build: cgo + GLFW headers for the Fyne apps (build.md), pkg-config is required.
build_pkgs="gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
# Tests and demo: PDF rasterising (report QR round trip), a virtual display.
test_pkgs="poppler-utils xvfb xauth"

want="$build_pkgs $test_pkgs"
case "${1:-}" in
  --build-only) want="$build_pkgs" ;;
esac

missing=()
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ! command -v go >/dev/null 2>&1; then
  echo "Go 1.26 or newer is required: https://go.dev/dl/ (or /usr/local/go/bin in PATH)." >&2
  exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run as root:  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing: ${missing[*]}"
sh -c "$cmd" >/tmp/credit-apt.log 2>&1 || { tail -20 /tmp/credit-apt.log; exit 1; }
