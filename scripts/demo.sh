#!/usr/bin/env bash
# The demo behind `make run`: a reference platform seeded with 10,000
# synthetic Gansu subjects, a simulated ID-card reader holding the demo
# card, and the kiosk pointed at both. The kiosk's first sync runs at start
# and shows its progress in the kiosk's status line.
#
# State lives in ./demo (delete it, or `make clean`, to start over).
# Without a display the kiosk runs under Xvfb and a screenshot is saved.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=./bin
DIR=./demo
ADDR=${CREDIT_DEMO_ADDR:-127.0.0.1:8700}
DEVICE=KIOSK-620102-01
KEY="$DIR/kiosk.db.key"
mkdir -p "$DIR"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ ! -f "$DIR/server.db" ]; then
  echo "== seeding the platform with 10,000 synthetic subjects"
  $BIN/syncserver seed --db "$DIR/server.db" --n 10000 --seed 1
fi

echo "== starting syncserver on $ADDR"
$BIN/syncserver serve --db "$DIR/server.db" --addr "$ADDR" >"$DIR/syncserver.log" 2>&1 &
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
kiosk=($BIN/kiosk --db "$DIR/kiosk.db" --port "$DIR/reader" --server "http://$ADDR" --device "$DEVICE" --device-key "$KEY"
  --printer-receipt "$DIR/receipt-printer.escpos")
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
