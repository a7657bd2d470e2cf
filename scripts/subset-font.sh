#!/usr/bin/env bash
# Regenerates assets/fonts/wqy-microhei-common.ttf, the kiosk's everyday
# font: the part of the embedded WenQuanYi Micro Hei that nearly all text
# needs, parsed in ≈ 6 MB of heap instead of ≈ 17 MB for the whole font
# (issue 7, docs/benchmarks.md). The kiosk switches to the whole font
# (assets/fonts/wqy-microhei.ttf) while it shows anything the subset lacks
# (app/ui/fonttier.go), so no character is ever lost to the subset.
#
# The subset keeps, from the whole font:
#  - every character that is not a CJK ideograph and not Hangul (Latin,
#    digits, punctuation, full-width forms, symbols, kana, Cyrillic, Greek);
#  - the 6,763 ideographs of GB 2312 (levels 1 and 2);
#  - every character listed in assets/fonts/common-extra.txt (characters
#    the kiosk's own texts use beyond GB 2312; TestCommonFontCoversKioskText
#    names any that are missing).
# Glyph outlines and metrics are copied unchanged (fontTools' subsetter);
# glyph names (post format 3) and the vertical metrics (unused by Fyne)
# are dropped.
#
# Not run by `make` or CI: the generated font is committed. Needs the
# Debian package python3-fonttools (apt-get install python3-fonttools).
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3
[ -x "$py" ] || py=python3
if ! "$py" -c 'import fontTools' 2>/dev/null; then
	echo "subset-font.sh needs fontTools: apt-get install python3-fonttools" >&2
	exit 1
fi
src=assets/fonts/wqy-microhei.ttf
out=assets/fonts/wqy-microhei-common.ttf
list=$(mktemp)
trap 'rm -f "$list"' EXIT
"$py" - "$src" assets/fonts/common-extra.txt >"$list" <<'PY'
import sys
from fontTools.ttLib import TTFont
src, extra_file = sys.argv[1], sys.argv[2]
cmap = TTFont(src).getBestCmap()
gb2312 = set()
for hi in range(0xB0, 0xF8):          # rows 16-87: the ideographs
    for lo in range(0xA1, 0xFF):
        try:
            gb2312.add(ord(bytes([hi, lo]).decode('gb2312')))
        except UnicodeDecodeError:
            pass
def ideograph(c):
    return 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF or c >= 0x20000
def hangul(c):
    return 0x1100 <= c <= 0x11FF or 0x3130 <= c <= 0x318F or 0xA960 <= c <= 0xA97F or 0xAC00 <= c <= 0xD7FF
extra = set()
with open(extra_file, encoding='utf-8') as f:
    for line in f:
        line = line.split('#', 1)[0]
        extra |= {ord(ch) for ch in line if not ch.isspace()}
keep = sorted(c for c in cmap if (not ideograph(c) and not hangul(c)) or c in gb2312 or c in extra)
missing = sorted(extra - set(cmap))
if missing:
    sys.exit('common-extra.txt lists characters the font does not have: ' + ''.join(map(chr, missing)))
print(','.join('%04X' % c for c in keep))
PY
"$py" -m fontTools.subset "$src" --unicodes-file="$list" --layout-features='*' \
	--glyph-names=false --drop-tables+=vhea,vmtx,FFTM --output-file="$out"
# No glyph-name table at all (post format 3): the subsetter keeps format 2
# with empty names, which go-text still parses into a name table.
"$py" - "$out" <<'PY'
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
f['post'].formatType = 3.0
f.save(sys.argv[1])
PY
echo "wrote $out ($(wc -c <"$out") bytes, $(tr ',' '\n' <"$list" | wc -l) characters)"
