#!/usr/bin/env bash
# The demo behind `make run`: a reference platform seeded with 10,000
# synthetic Gansu subjects, a simulated ID-card reader holding the demo
# card, and the kiosk pointed at both. The kiosk's first sync runs at start
# and shows its progress in the kiosk's status line.
#
# The platform runs the way an installation does: its keys are made once
# (demo/keys): the trust-list root, a calendar key, a receipt key, and the
# kiosk's report-signing key listed in a trust list the root signed and the
# platform publishes. syncserver signs receipts; the kiosk checks trust
# lists (--root-pub), calendars (--calendar-pub) and receipts
# (--receipt-pub) against them.
#
# State lives in ./demo (delete it, or `make clean`, to start over;
# CREDIT_DEMO_DIR picks another place, CREDIT_DEMO_BIN other binaries).
# Without a display the kiosk runs under Xvfb and a screenshot is saved.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${CREDIT_DEMO_BIN:-./bin}
DIR=${CREDIT_DEMO_DIR:-./demo}
ADDR=${CREDIT_DEMO_ADDR:-127.0.0.1:8700}
DEVICE=KIOSK-620102-01
KEY="$DIR/kiosk.db.key"
SIGNKEY="$DIR/kiosk.db.sign.key"
KEYS="$DIR/keys"
mkdir -p "$DIR"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ ! -f "$DIR/server.db" ]; then
  echo "== seeding the platform with 10,000 synthetic subjects"
  $BIN/syncserver seed --db "$DIR/server.db" --n 10000 --seed 1
fi

# Platform keys, made once per demo state (a real platform keeps the root
# key offline, creditctl keys; the others on the platform host).
if [ ! -f "$KEYS/trust.tl" ]; then
  echo "== making the platform keys in $KEYS"
  rm -rf "$KEYS"
  mkdir -p "$KEYS"
  $BIN/creditctl keys init-root --out "$KEYS/root.key" --pub-out "$KEYS/root.pub" >/dev/null 2>&1
  $BIN/syncserver keys calendar --out "$KEYS/calendar.key" >/dev/null
  $BIN/syncserver keys receipt --out "$KEYS/receipt.key" >/dev/null
  # The kiosk's report-signing key, listed for office 620102 in the trust
  # list: the kiosk signs reports and receipts only while the list lets it.
  [ -f "$SIGNKEY" ] || $BIN/syncserver keys receipt --out "$SIGNKEY" --pub-out "$KEYS/kiosk.sign.pub" >/dev/null
  $BIN/creditctl keys export-pub --key "$SIGNKEY" --out "$KEYS/kiosk.sign.pub" >/dev/null
  $BIN/creditctl keys trust-list new --out "$KEYS/draft.tl"
  $BIN/creditctl keys trust-list add-key --in "$KEYS/draft.tl" --out "$KEYS/draft.tl" --pub "$KEYS/kiosk.sign.pub" \
    --office-code 620102 --office-name "兰州市城关区（演示）"
  $BIN/creditctl keys trust-list sign --root "$KEYS/root.key" --in "$KEYS/draft.tl" --out "$KEYS/trust.tl" >/dev/null
  rm -f "$DIR/published"
fi
if [ ! -f "$DIR/published" ]; then
  echo "== publishing the trust list and the $(date +%Y) holiday calendar (signed) to every device"
  $BIN/syncserver trust-list publish --db "$DIR/server.db" --in "$KEYS/trust.tl" --root-pub "$KEYS/root.pub" >/dev/null
  year=$(date +%Y)
  if [ -f "assets/holidays/$year.json" ]; then
    $BIN/syncserver calendar publish --db "$DIR/server.db" --key "$KEYS/calendar.key" --year "$year" --file "assets/holidays/$year.json" >/dev/null
  fi
  touch "$DIR/published"
fi

echo "== starting syncserver on $ADDR (signing receipts)"
$BIN/syncserver serve --db "$DIR/server.db" --addr "$ADDR" --receipt-key "$KEYS/receipt.key" >"$DIR/syncserver.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/${ADDR%:*}/${ADDR##*:}") 2>/dev/null; then break; fi
  sleep 0.1
done

# Device identity: the platform issues a one-time code, the device enrols
# its own Ed25519 key with it (kept next to its database, mode 0600) and
# signs every sync request from then on. Done once per demo state.
if [ ! -f "$DIR/enrolled" ]; then
  echo "== enrolling $DEVICE (syncserver device add, then creditctl enroll)"
  CODE=$($BIN/syncserver device add --db "$DIR/server.db" --id "$DEVICE" --scope 620102 | sed -n 2p)
  rm -f "$KEY"
  CREDIT_ENROLL_CODE=$CODE $BIN/creditctl enroll --server "http://$ADDR" --device "$DEVICE" --key "$KEY"
  touch "$DIR/enrolled"
fi

echo "== starting the simulated card reader (demo card: 张晓燕 620102198503120021)"
rm -f "$DIR/reader"
$BIN/cardsim --link "$DIR/reader" >"$DIR/cardsim.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "$DIR/reader" ] && break; sleep 0.1; done

echo "== kiosk (device $DEVICE). Tap 读取身份证 to read the demo card."
echo "   cardsim: 'kill -USR1 ${pids[-1]}' takes the card off the reader and puts it back."
# The receipt printer is a file here: printed receipts arrive in it as
# ESC/POS bytes (`bin/creditctl print` and the escpossim parser read them).
touch "$DIR/receipt-printer.escpos"
# The A4 printer is the queue "demo": an `lp` put first on the kiosk's PATH
# keeps every report as a PDF in demo/printed (check one with
# `bin/creditctl verify --trust demo/keys/trust.tl --root-pub demo/keys/root.pub --pdf FILE`).
mkdir -p "$DIR/printed" "$DIR/bin"
printed=$(cd "$DIR/printed" && pwd)
cat >"$DIR/bin/lp" <<LP
#!/bin/sh
for a; do f=\$a; done
n=\$(date +%Y%m%d-%H%M%S)-\$\$
cp -- "\$f" "$printed/report-\$n.pdf" && echo "request id is demo-\$n (1 file(s))"
LP
chmod +x "$DIR/bin/lp"
PATH="$(cd "$DIR/bin" && pwd):$PATH"
kiosk=($BIN/kiosk --db "$DIR/kiosk.db" --port "$DIR/reader" --server "http://$ADDR" --device "$DEVICE" --device-key "$KEY"
  --key "$SIGNKEY" --region 620102 --root-pub "$KEYS/root.pub" --trust "$KEYS/trust.tl"
  --calendar-pub "$KEYS/calendar.pub" --receipt-pub "$KEYS/receipt.pub"
  --printer demo --printer-receipt "$DIR/receipt-printer.escpos")
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  "${kiosk[@]}"
else
  echo "   no display: running under Xvfb; a screenshot goes to $DIR/kiosk.png after 20 s"
  xvfb-run -a -s "-screen 0 1280x1024x24" bash -c '
    "$@" & k=$!
    sleep 20
    command -v import >/dev/null && timeout 10 import -window root '"$DIR"'/kiosk.png || true
    wait $k' _ "${kiosk[@]}"
fi
