#!/usr/bin/env bash
# Installs what building, serving and testing ronghe needs on Debian, and only what is
# missing. Safe to run again. Uses sudo where not root.
set -euo pipefail

pkgs=(build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
      libsodium-dev libicu-dev libcmocka-dev nodejs npm chromium curl sqlite3
      # spreadsheets: XLSX read through libzip + expat, written by libxlsxwriter
      libzip-dev libexpat1-dev libxlsxwriter-dev
      fonts-noto-cjk fonts-noto-core
      # the web interface is embedded precompressed (scripts/compress-assets.sh)
      brotli zopfli
      # the fuzz targets (make fuzz, fuzz-smoke): clang with libFuzzer and the ASan/UBSan
      # runtimes (libclang-rt-NN-dev must match the version of Debian's default clang);
      # llvm for llvm-cov, which `make fuzz-coverage` reports with
      clang libclang-rt-14-dev llvm)
if [ "${RONGHE_BENCH_DEPS:-0}" = 1 ]; then pkgs+=(wrk nginx-light time); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    # node/npm may come from elsewhere (nodesource, nvm): a working binary is enough.
    case "$p" in nodejs) command -v node >/dev/null && continue ;; npm) command -v npm >/dev/null && continue ;; esac
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
