#!/usr/bin/env bash
# Writes narrate's man pages, generated from the command definitions by swift-argument-parser's
# generate-manual plugin (so they never drift from --help), into DIR: narrate.1 and one page a
# command, named as `man` finds them: narrate-log.1, narrate-store-copy.1.
#
# usage: scripts/man.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/man.sh DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift package --allow-writing-to-directory "$work" generate-manual --multi-page --output-directory "$work" >"$work/log" 2>&1 ||
    { cat "$work/log" >&2; exit 1; }
mkdir -p "$out"
for page in "$work"/narrate.1 "$work"/narrate.*.1; do
    name=$(basename "$page" .1)
    # The plugin names a command's page narrate.log; man(1) and Debian call it narrate-log.
    sed -E -e '/^\.(Dt|Xr) /{s/narrate\./narrate-/g; s/NARRATE\./NARRATE-/g}' \
        -e '/^\.(Dt|Xr) /{s/(narrate-[a-z-]+)\./\1-/g; s/(NARRATE-[A-Z-]+)\./\1-/g}' "$page" >"$out/${name//./-}.1"
done
ls "$out" | wc -l | xargs echo "man pages written to $out:"
