#!/bin/sh
# Fails when a layer includes a header of a layer above it (src/<layer>/, in the order
# LAYERS below), or when its archive uses a symbol that a layer above defines: each
# layer may use only those below it. Arguments: the archives from the top layer down, e.g.
#   tools/check-layers.sh build/lib/libjobs.a build/lib/libdomain.a ... build/lib/libbase.a
# (The link alone cannot be trusted to refuse every upward call: one into an object that
# the program pulls in anyway resolves.)
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
for lib in "$@"; do
  i=$((i + 1))
  nm --defined-only -g "$lib" | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/def.$i"
done
bad=0
LAYERS="base sheet calc store auth domain jobs" # bottom up; demo, http and cli sit above them all
rank() { n=0; for l in $LAYERS; do n=$((n + 1)); [ "$l" = "$1" ] && { echo $n; return; }; done; echo 99; }
for dir in $LAYERS; do
  r=$(rank "$dir")
  for inc in $(grep -rhoE '#include "[a-z]+/' "src/$dir" | sed 's/#include "//; s/\///' | sort -u); do
    if [ "$(rank "$inc")" -gt "$r" ]; then
      echo "layering: src/$dir includes a header of src/$inc (a layer above it):" >&2
      grep -rn "#include \"$inc/" "src/$dir" >&2
      bad=1
    fi
  done
done
i=0
for lib in "$@"; do
  i=$((i + 1))
  nm -u "$lib" | awk 'NF >= 2 { print $2 }' | sort -u >"$tmp/undef"
  j=0
  for upper in "$@"; do
    j=$((j + 1))
    [ "$j" -lt "$i" ] || break
    for sym in $(comm -12 "$tmp/undef" "$tmp/def.$j"); do
      echo "layering: $lib uses $sym from $upper (a layer above it)" >&2
      bad=1
    done
  done
done
exit $bad
