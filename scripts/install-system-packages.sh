#!/usr/bin/env bash
# Installs the Debian packages the platform and its tests need; does nothing when they are present.
#   chromium                 browser tests (Playwright drives Debian's build; no browser download)
#   fonts-noto-core          Arabic, Persian and other scripts in PDFs, share images and screenshots
#   fonts-noto-cjk           Chinese in PDFs and screenshots
#   fonts-dejavu-core        a complete Latin/Cyrillic fallback
#   libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  WeasyPrint's text layout and shaping
#   libicu-dev pkg-config    PyICU (transliteration) builds against the system ICU
#   gettext                  compiling translations (.po → .mo)
#   poppler-utils            pdftotext/pdftoppm: tests read back the PDFs we make
#   postgresql-contrib       pg_trgm and pg_amcheck for tests and benchmarks
#   strace                   I/O error injection tests
#   wrk                      HTTP load benchmarks on loopback
#   ffmpeg                   video stories: container metadata (GPS, title, creation time…) removed on upload
set -euo pipefail

PACKAGES=(
  chromium fonts-noto-core fonts-noto-cjk fonts-dejavu-core
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  libicu-dev pkg-config gettext poppler-utils postgresql-contrib strace wrk ffmpeg
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing system packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
