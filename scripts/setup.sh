#!/usr/bin/env bash
# Installs the Debian packages narrate builds and tests against, when they are missing.
#
# usage: scripts/setup.sh [build|package|test] [--list]
#   build: what `swift build` and `make demo` need; package: what `make deb` needs too (dpkg-dev,
#   binutils); test (the default): what the suite needs too
#   (Chromium for the browser test, systemd, useradd, PostgreSQL for the store suite, tmux,
#   the package test's tools, Python test tools). --list prints the
#   packages and installs nothing.
set -euo pipefail

what=test
list=false
for word in "$@"; do
    case "$word" in
        build|package|test) what=$word ;;
        --list) list=true ;;
        *) echo "usage: scripts/setup.sh [build|package|test] [--list]" >&2; exit 2 ;;
    esac
done
packages=(pkg-config libcurl4-openssl-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev tzdata)
if [ "$what" = package ]; then
    packages+=(dpkg-dev binutils)
fi
if [ "$what" = test ]; then
    # tmux drives `narrate init` in a terminal; the package test (scripts/test-deb.sh) builds
    # the .deb (dpkg-dev, binutils), lints it, and installs it into a debootstrap root.
    packages+=(python3 python3-pip systemd chromium util-linux passwd postgresql tmux dpkg-dev binutils debootstrap lintian groff-base)
fi
if $list; then
    echo "${packages[*]}"
    exit 0
fi
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
if [ "$what" != test ]; then
    command -v swift >/dev/null || { echo "setup: the swift toolchain (6.2 or later) is not on PATH" >&2; exit 1; }
    exit 0
fi
# The cron tests compare narrate with croniter, an independent implementation; the mail tests
# talk to aiosmtpd; the browser test drives Chromium with websocket-client; the API test checks
# docs/openapi.yaml with openapi-spec-validator and jsonschema, and schemathesis fuzzes the
# service over it.
for module in croniter:croniter aiosmtpd:aiosmtpd websocket:websocket-client openapi_spec_validator:openapi-spec-validator yaml:PyYAML jsonschema:jsonschema schemathesis:schemathesis==4.32.5; do
    if ! python3 -c "import ${module%%:*}" 2>/dev/null; then
        python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${module#*:}" ||
            python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${module#*:}"
    fi
done
if ! command -v swift >/dev/null; then
    echo "setup: the swift toolchain (6.2 or later) is not on PATH" >&2
    exit 1
fi
