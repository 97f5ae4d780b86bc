#!/usr/bin/env bash
# Installs the Debian packages narrate builds and tests against, when they are missing.
set -euo pipefail

packages=(pkg-config libcurl4-openssl-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev tzdata python3 python3-pip systemd)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The cron tests compare narrate with croniter, an independent implementation.
if ! python3 -c "import croniter" 2>/dev/null; then
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore croniter ||
        python3 -m pip install --quiet --disable-pip-version-check --break-system-packages croniter
fi
if ! command -v swift >/dev/null; then
    echo "setup: the swift toolchain (6.2 or later) is not on PATH" >&2
    exit 1
fi
