#!/usr/bin/env bash
# `make screenshots`: PNGs of the kiosk and office apps in docs/screenshots/
# at 1024×768 and 1920×1080, in Chinese and English.
#
#  1. The real binaries (bin/kiosk, bin/office) run under Xvfb, one
#     virtual screen per size, and the screen is captured (ImageMagick
#     `import`): the kiosk's home screen and the office's login screen, as
#     a person first sees them.
#  2. The main screens further in (search results, records after a card
#     read, the objection form, the restoration wizard, a receipt, high
#     contrast; the office's inquiry, queue and sync panel) are rendered
#     headless with Fyne's software test driver over the test fixtures
#     (TestScreenshots in app/ui and app/ui/office): reaching them under
#     Xvfb would need a card reader, a seeded store and taps at pixel
#     positions.
#
# Needs: xvfb-run, import (imagemagick), xdotool, and the Fyne build
# prerequisites (scripts/install-deps.sh). Look at every PNG afterwards:
# text must not be cut, overlap or show as boxes.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${SCREENSHOTS:-docs/screenshots}
BIN=${BIN:-./bin}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

for tool in xvfb-run import xdotool; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt-get install xvfb imagemagick xdotool)" >&2; exit 1; }
done

echo "== rendering the main screens with the software driver"
go test -count=1 -run '^TestScreenshots$' ./app/ui/ ./app/ui/office/ -args -screenshots="$OUT"

if [ ! -x "$BIN/kiosk" ] || [ ! -x "$BIN/office" ] || [ -n "$(find app cmd/kiosk cmd/office assets -name '*.go' -newer "$BIN/kiosk" | head -1)" ]; then
  echo "== building the apps"
  make build-apps BIN="$BIN"
fi

STATE=$(mktemp -d)
trap 'rm -rf "$STATE"' EXIT

# capture NAME W H WINDOW-TITLE CMD...: runs CMD on a W×H virtual screen,
# waits for its window, fits it to the screen and saves the screen as
# $OUT/NAME.png (logs in $STATE/NAME.log and NAME.app.log).
# Retried: with other Xvfb servers on the machine, `xvfb-run -a` can
# pick a display that another one takes first.
capture() {
  local name=$1 w=$2 h=$3 title=$4
  shift 4
  local try
  for try in 1 2 3; do
    if capture1 "$name" "$w" "$h" "$title" "$@"; then
      echo "   $OUT/$name.png"
      return 0
    fi
    echo "   $name: attempt $try failed (log: $STATE/$name.log)" >&2
    sleep 1
  done
  return 1
}

capture1() {
  local name=$1 w=$2 h=$3 title=$4
  shift 4
  xvfb-run -a -s "-screen 0 ${w}x${h}x24" bash -c '
    set -e
    "${@:6}" >"$2.app.log" 2>&1 & app=$!
    for _ in $(seq 100); do
      win=$(xdotool search --name "$3" 2>/dev/null | head -1) && [ -n "$win" ] && break
      sleep 0.1
    done
    [ -n "$win" ] || { echo "no window \"$3\"" >&2; kill $app 2>/dev/null; exit 1; }
    xdotool windowmove "$win" 0 0 windowsize "$win" "$4" "$5"
    sleep 3 # first frames, fonts and the resize
    import -window root "$1"
    kill $app; wait $app 2>/dev/null || true
  ' _ "$OUT/$name.png" "$STATE/$name" "$title" "$w" "$h" "$@" 2>>"$STATE/$name.log"
}

echo "== running the apps under Xvfb"
for size in 1024x768 1920x1080; do
  w=${size%x*} h=${size#*x}
  for lang in zh en; do
    rm -f "$STATE"/*.db*
    capture "xvfb-kiosk-home-$lang-$size" "$w" "$h" "甘肃省公共信用信息查询终端" \
      "$BIN/kiosk" --db "$STATE/kiosk.db" --lang "$lang" --fullscreen --idle -1s
    capture "xvfb-office-login-$lang-$size" "$w" "$h" "县级服务窗口" \
      "$BIN/office" --db "$STATE/office.db" --lang "$lang"
  done
done

# Keep the files small for the repository.
for f in "$OUT"/*.png; do
  convert "$f" -strip -define png:compression-level=9 "$f"
done
ls -l "$OUT"
