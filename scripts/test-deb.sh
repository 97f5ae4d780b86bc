#!/usr/bin/env bash
# The package's test, as .ci/run runs it: builds narrate_*.deb (revisions 1 and 2 of one build),
# makes a fresh Debian 12 root with debootstrap (minbase; about 30 s from a mirror), and in it
# installs the package with apt, checks its files, user, unit, man pages and completions, uses
# it, upgrades it with the store kept and migrated, removes it (store kept) and purges it (store
# gone). The unit is checked with systemd-analyze verify and security (exposure at most 2.0),
# the package with lintian (no errors).
#
# usage: scripts/test-deb.sh [--binary PATH]   (default: the release build, made if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
binary=""
[ "${1:-}" = --binary ] && binary=${2:?}
if [ -z "$binary" ]; then
    swift build -c release --static-swift-stdlib --product narrate
    binary=.build/release/narrate
fi
work=$(mktemp -d /tmp/narrate-deb.XXXXXX)
root=$work/root
cleanup() {
    $sudo umount "$root/proc" 2>/dev/null || true
    $sudo rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
in_root() { $sudo chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

first=$(scripts/deb.sh "$work/out" --revision 1 --binary "$binary")
second=$(scripts/deb.sh "$work/out" --revision 2 --binary "$binary")
echo "built $(basename "$first") and $(basename "$second")"

# lintian: no errors (warnings and notes are printed).
if command -v lintian >/dev/null; then
    if lintian --fail-on error --suppress-tags-from-file /dev/null "$first"; then pass "lintian: no errors"; else fail "lintian reports errors"; fi
else
    fail "lintian is not installed (scripts/setup.sh test installs it)"
fi

started=$(date +%s)
$sudo debootstrap --variant=minbase bookworm "$root" "${NARRATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
echo "debootstrap: $(($(date +%s) - started)) s"
$sudo mount -t proc proc "$root/proc"
# No service starts inside the chroot (and systemd does not run there).
printf '#!/bin/sh\nexit 101\n' | $sudo tee "$root/usr/sbin/policy-rc.d" >/dev/null
$sudo chmod 0755 "$root/usr/sbin/policy-rc.d"
$sudo cp "$first" "$second" "$root/tmp/"
in_root apt-get update -qq
install_log=$work/install.log
if in_root apt-get install -y -qq "/tmp/$(basename "$first")" >"$install_log" 2>&1; then pass "apt install"; else cat "$install_log" >&2; fail "apt install"; fi

# Files, user, directories, unit.
for file in /usr/bin/narrate /lib/systemd/system/narrate.service /usr/lib/sysusers.d/narrate.conf /usr/lib/tmpfiles.d/narrate.conf \
    /usr/share/narrate/templates /usr/share/doc/narrate/examples/narrate.example.toml /usr/share/man/man1/narrate.1.gz \
    /usr/share/man/man1/narrate-log.1.gz /usr/share/bash-completion/completions/narrate /usr/share/zsh/vendor-completions/_narrate \
    /usr/share/fish/vendor_completions.d/narrate.fish; do
    [ -e "$root$file" ] || fail "missing $file"
done
version=$(in_root narrate --version || true)
[ "$version" = "$(sed -nE 's/.*string = "([^"]+)".*/\1/p' Sources/NarrateModel/Support/NarrateVersion.swift)" ] && pass "narrate --version: $version" || fail "narrate --version said '$version'"
in_root getent passwd narrate | grep -q ':/var/lib/narrate:/usr/sbin/nologin$' && pass "the narrate system user" || fail "no narrate user"
in_root getent group narrate >/dev/null && pass "the narrate group" || fail "no narrate group"
[ "$(in_root stat -c '%U:%G %a' /var/lib/narrate)" = "narrate:narrate 700" ] && pass "/var/lib/narrate narrate:narrate 0700" || fail "/var/lib/narrate: $(in_root stat -c '%U:%G %a' /var/lib/narrate)"
[ -L "$root/etc/systemd/system/multi-user.target.wants/narrate.service" ] && pass "the unit is enabled" || fail "the unit is not enabled"
grep -q '^ConditionPathExists=/etc/narrate/narrate.toml$' "$root/lib/systemd/system/narrate.service" && pass "the unit waits for a config" || fail "no ConditionPathExists"
grep -q '^User=narrate$' "$root/lib/systemd/system/narrate.service" && pass "the unit runs as narrate" || fail "the unit's user"
if systemd-analyze verify --root="$root" /lib/systemd/system/narrate.service >"$work/verify.log" 2>&1; then
    pass "systemd-analyze verify"
else
    cat "$work/verify.log" >&2
    fail "systemd-analyze verify"
fi
exposure=$(systemd-analyze security --offline=true --root="$root" /lib/systemd/system/narrate.service 2>/dev/null |
    sed -nE 's/.*Overall exposure level for narrate.service: ([0-9.]+).*/\1/p')
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'; then pass "exposure $exposure"; else fail "exposure '$exposure' (at most 2.0)"; fi
# Man pages render; completions load.
zcat "$root/usr/share/man/man1/narrate-log.1.gz" | groff -mandoc -Tutf8 2>/dev/null | sed 's/.\x08//g' | grep -q "narrate log \[--config" && pass "man narrate-log renders" || fail "man narrate-log"
bash -c "source '$root/usr/share/bash-completion/completions/narrate' && complete -p narrate" >/dev/null && pass "bash completion" || fail "bash completion"

# Used as an operator would: a config, an entry in the service's store, as the service's user.
as_service() { in_root runuser -u narrate -- /usr/bin/env STATE_DIRECTORY=/var/lib/narrate narrate "$@" --config /etc/narrate/narrate.toml; }
in_root narrate init --yes --config /etc/narrate/narrate.toml >/dev/null
in_root chgrp narrate /etc/narrate/narrate.toml
in_root chmod 0640 /etc/narrate/narrate.toml
as_service log progress "Packaged the service" --as alice >/dev/null && pass "an entry as the service's user" || fail "log as narrate"

# Upgrade: the store kept and migrated by the package.
if in_root apt-get install -y -qq "/tmp/$(basename "$second")" >"$install_log" 2>&1; then pass "upgrade"; else cat "$install_log" >&2; fail "upgrade"; fi
grep -q "the store /var/lib/narrate/narrate.sqlite is current" "$install_log" && pass "the upgrade migrated the store" || { cat "$install_log" >&2; fail "no migration on upgrade"; }
as_service history | grep -q "Packaged the service" && pass "the store kept through the upgrade" || fail "history after the upgrade"

# Remove keeps the store; purge deletes it.
in_root apt-get remove -y -qq narrate >/dev/null 2>&1 || fail "apt remove"
[ ! -e "$root/usr/bin/narrate" ] && [ -f "$root/var/lib/narrate/narrate.sqlite" ] && pass "remove keeps the store" || fail "remove"
in_root apt-get purge -y -qq narrate >/dev/null 2>&1 || fail "apt purge"
[ ! -e "$root/var/lib/narrate" ] && [ ! -e "$root/etc/narrate" ] && pass "purge deletes the store and the config" || fail "purge left $(ls -d "$root/var/lib/narrate" "$root/etc/narrate" 2>/dev/null)"

if ((failures)); then
    echo "package test: $failures failed" >&2
    exit 1
fi
echo "package test: all passed"
