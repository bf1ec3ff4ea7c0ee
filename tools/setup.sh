#!/usr/bin/env bash
# Installs everything CCHC Docs needs, idempotently: Debian packages (Times-metric fonts with
# full Vietnamese coverage, HarfBuzz subsetting for fast weasyprint, poppler for PDF checks),
# LibreOffice Writer (headless) for the reader check and the render benchmark, and the Python package
# with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  fonts-liberation2      # Liberation Serif 2: Times New Roman metrics, full Vietnamese
  fonts-croscore         # Tinos: the same metrics, second choice
  fontconfig
  libharfbuzz-subset0    # weasyprint subsets fonts 2-3x faster with it
  libpango-1.0-0
  libpangoft2-1.0-0
  poppler-utils          # pdftoppm / pdftotext, to look at and check what we render
  softhsm2               # a software PKCS#11 token: the signing tests' hardware token
  nginx                  # bench/rush.py runs the service behind it, as docs/deploy/ does
  chromium               # the browser tests drive Debian's Chromium (Playwright never downloads one)
  libreoffice-writer-nogui  # the tests open our DOCX in a second reader; bench/render.py compares with it
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]' 2>&1 | grep -v "Running pip as the 'root' user" || true
python3 -c "import service, data_models, doc_templates" 
