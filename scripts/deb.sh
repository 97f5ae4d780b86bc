#!/usr/bin/env bash
# Builds narrate_VERSION-REVISION_amd64.deb into OUTDIR (default .build/deb) from the statically
# linked release build: the binary, templates, the example config, the systemd unit, a
# sysusers.d entry (the `narrate` system user and group; members of the group may use the
# check-in socket), a tmpfiles.d entry, man pages and bash/zsh/fish completions. Nothing is
# fetched when the package is installed. The maintainer scripts are in packaging/debian/.
#
# usage: scripts/deb.sh [OUTDIR] [--revision N] [--binary PATH]
#   --revision N   the Debian revision (default 1); the upgrade test builds two
#   --binary PATH  package this binary instead of building one (the test packages one build twice)
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/deb
revision=1
binary=""
while (($#)); do
    case "$1" in
        --revision) revision=${2:?}; shift 2 ;;
        --binary) binary=${2:?}; shift 2 ;;
        -*) echo "usage: scripts/deb.sh [OUTDIR] [--revision N] [--binary PATH]" >&2; exit 2 ;;
        *) out=$1; shift ;;
    esac
done
upstream=$(sed -nE 's/.*string = "([^"]+)".*/\1/p' Sources/NarrateModel/Support/NarrateVersion.swift)
version="$upstream-$revision"
arch=$(dpkg --print-architecture)

if [ -z "$binary" ]; then
    swift build -c release --static-swift-stdlib --product narrate
    binary=.build/release/narrate
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/DEBIAN"

install -D -m 0755 "$binary" "$root/usr/bin/narrate"
strip --strip-unneeded "$root/usr/bin/narrate" 2>/dev/null || true
mkdir -p "$root/usr/share/narrate"
cp -R templates "$root/usr/share/narrate/"
find "$root/usr/share/narrate" -type f -exec chmod 0644 {} +
install -D -m 0644 config/narrate.example.toml "$root/usr/share/doc/narrate/examples/narrate.example.toml"
install -D -m 0644 packaging/debian/copyright "$root/usr/share/doc/narrate/copyright"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -R -d @"$(git log -1 --format=%ct 2>/dev/null || date +%s)")/" \
    packaging/debian/changelog | gzip -9n >"$work/changelog.gz"
install -D -m 0644 "$work/changelog.gz" "$root/usr/share/doc/narrate/changelog.Debian.gz"

# The unit of `make install`, with the package's own user instead of a dynamic one: the group
# is who may use the socket, and the store outlives a removal (`apt purge` deletes it).
sed -e 's|@BINDIR@|/usr/bin|g' -e 's|@SYSCONFDIR@|/etc|g' \
    -e 's|^DynamicUser=yes|User=narrate\nGroup=narrate|' \
    -e 's|^RuntimeDirectoryMode=0755|RuntimeDirectoryMode=0750|' \
    -e 's|^# A user made up for the service;.*|# The package'"'"'s system user (sysusers.d); its state lives in /var/lib/narrate ($STATE_DIRECTORY).|' \
    -e 's|^# daemon reads their uid from the socket); the directory must be reachable by them.|# daemon reads their uid from the socket); members of the narrate group reach it.|' \
    -e 's|^After=network-online.target|After=network-online.target\n# Installed, not started, until there is a config: `narrate init --config /etc/narrate/narrate.toml`.\nConditionPathExists=/etc/narrate/narrate.toml|' \
    config/narrate.service >"$work/narrate.service"
install -D -m 0644 "$work/narrate.service" "$root/lib/systemd/system/narrate.service"
install -D -m 0644 packaging/debian/sysusers.conf "$root/usr/lib/sysusers.d/narrate.conf"
install -D -m 0644 packaging/debian/tmpfiles.conf "$root/usr/lib/tmpfiles.d/narrate.conf"
mkdir -p "$root/etc/narrate"

scripts/man.sh "$work/man" "$binary" >/dev/null
mkdir -p "$root/usr/share/man/man1"
for page in "$work"/man/*.1; do gzip -9n <"$page" >"$root/usr/share/man/man1/$(basename "$page").gz"; done
chmod 0644 "$root"/usr/share/man/man1/*
# bash-completion sources the script; a #! line would say it runs on its own.
"$binary" --generate-completion-script bash | sed '1{/^#!/d}' | install -D -m 0644 /dev/stdin "$root/usr/share/bash-completion/completions/narrate"
"$binary" --generate-completion-script zsh | install -D -m 0644 /dev/stdin "$root/usr/share/zsh/vendor-completions/_narrate"
"$binary" --generate-completion-script fish | install -D -m 0644 /dev/stdin "$root/usr/share/fish/vendor_completions.d/narrate.fish"

# The shared libraries the binary links (cmark-gfm, SQLite), as dpkg-shlibdeps finds them; libcurl is
# loaded at run time (Sources/CCurl/loader.c), so the control file names it.
mkdir -p "$work/src/debian"
printf 'Source: narrate\n\nPackage: narrate\nArchitecture: any\n' >"$work/src/debian/control"
depends=$(cd "$work/src" && dpkg-shlibdeps -O -e"$root/usr/bin/narrate" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" -e "s/@SIZE@/$size/" \
    packaging/debian/control >"$root/DEBIAN/control"
for script in postinst prerm postrm; do install -m 0755 "packaging/debian/$script" "$root/DEBIAN/$script"; done
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control"

mkdir -p "$out"
deb="$out/narrate_${version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
