#!/usr/bin/env bash
# compress-assets.sh SRC DST — the web interface as it is embedded: a copy of SRC
# (web/dist) in DST with, beside each text file (html js css svg json txt ico map),
# FILE.br (brotli -q 11) and FILE.gz (zopfli: gzip format, smaller than gzip -9), each
# kept only when smaller than FILE. The server picks one by Accept-Encoding
# (src/http/assets.c). DST is replaced whole, and only once everything is ready.
set -euo pipefail
src=${1:?usage: compress-assets.sh SRC DST}
dst=${2:?usage: compress-assets.sh SRC DST}
for t in brotli zopfli; do
  command -v "$t" >/dev/null || { echo "compress-assets: $t not found (./scripts/deps.sh installs it)" >&2; exit 1; }
done
tmp="$dst.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
cp -R "$src/." "$tmp/"
find "$tmp" -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.json' \
  -o -name '*.txt' -o -name '*.ico' -o -name '*.map' \) -print0 |
  while IFS= read -r -d '' f; do
    brotli -q 11 -f -o "$f.br" "$f"
    zopfli -c "$f" >"$f.gz"
    for z in "$f.br" "$f.gz"; do
      [ "$(stat -c %s "$z")" -lt "$(stat -c %s "$f")" ] || rm -f "$z"
    done
  done
rm -rf "$dst"
mv "$tmp" "$dst"
