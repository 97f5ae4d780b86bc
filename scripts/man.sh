#!/usr/bin/env bash
# Writes narrate's man pages, generated from the command definitions of BINARY by
# swift-argument-parser's generate-manual tool (so they never drift from --help), into DIR:
# narrate.1 and one page a command, named as `man` finds them: narrate-log.1, narrate-store-copy.1.
#
# usage: scripts/man.sh DIR [BINARY]     BINARY: default .build/debug/narrate, built if missing
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/man.sh DIR [BINARY]}
binary=${2:-.build/debug/narrate}
[ -x "$binary" ] || swift build --product narrate
# The tool alone (a product of swift-argument-parser), in a build folder of its own: its plugin
# would build every product again, and in .build/release it would undo a static build's flags.
swift build -c release --product generate-manual --scratch-path .build-tools >/dev/null 2>&1 ||
    swift build -c release --product generate-manual --scratch-path .build-tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.build-tools/release/generate-manual "$binary" --multi-page --output-directory "$work"
mkdir -p "$out"
for page in "$work"/narrate.1 "$work"/narrate.*.1; do
    name=$(basename "$page" .1)
    # The tool names a command's page narrate.log; man(1) and Debian call it narrate-log.
    # whatis and apropos read the NAME section's first word as the page's name (one word, as the
    # file is named); the synopsis keeps the command as it is typed (`narrate log`).
    sed -E -e '/^\.(Dt|Xr) /{s/narrate\./narrate-/g; s/NARRATE\./NARRATE-/g}' \
        -e '/^\.(Dt|Xr) /{s/(narrate-[a-z-]+)\./\1-/g; s/(NARRATE-[A-Z-]+)\./\1-/g}' "$page" |
        awk -v page="${name//./-}" '
            /^\.Sh NAME/ { naming = 1 }
            naming && /^\.Nm "/ { typed = $0; sub(/^\.Nm /, "", typed); print ".Nm " page; naming = 0; next }
            /^\.Sh SYNOPSIS/ { synopsis = 1 }
            synopsis && $0 == ".Nm" && typed != "" { print ".Nm " typed; synopsis = 0; next }
            { print }' >"$out/${name//./-}.1"
done
ls "$out" | wc -l | xargs echo "man pages written to $out:"
