# Shared by scripts/demo and scripts/test.

# WeasyPrint needs Pango; libharfbuzz-subset0 makes font subsetting ~10× faster; the Noto fonts cover
# every script we print (Latin, Arabic, CJK, Devanagari…).
RUNTIME_PACKAGES=(python3 python3-venv python3-dev gcc libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-noto-core fonts-noto-cjk fonts-noto-ui-core)
# Chromium drives the browser tests; wrk and poppler-utils serve benchmarks and PDF checks.
TEST_PACKAGES=(chromium wrk poppler-utils)

install_system_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "Please install: ${missing[*]}" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_packages() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e "$1"
}
