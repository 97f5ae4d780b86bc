# make demo   set up, build, and print + archive the demo team's report
# make test   set up, build, and run the test suite (what CI runs)
PREFIX ?= /usr/local
DEMO_STATE ?= .state/demo

BINDIR ?= $(PREFIX)/bin
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR ?=

.PHONY: setup build demo test clean templates install man completions deb deb-test

setup:
	@scripts/setup.sh test

# The demo needs only what the build needs (no Chromium, no Python test tools).
build:
	@scripts/setup.sh build
	swift build

demo: build
	.build/debug/narrate demo --config config/narrate.example.toml --state-dir $(DEMO_STATE)

# In parallel: tests wait for their child processes without holding a thread of Swift's
# cooperative pool (Tests/NarrateTests/Support/ChildProcess.swift); a test that blocks one of
# its two threads can starve Foundation's own process handling. The suite takes under a
# minute; a run past 15 minutes is stopped as a hang. scripts/postgres.sh runs it beside a
# throwaway PostgreSQL cluster, so the store contract suite runs against both stores.
test: setup
	swift build --build-tests
	scripts/postgres.sh timeout 900 swift test --skip-build --disable-xctest

# narrate_VERSION-1_amd64.deb from the static release build (scripts/deb.sh; docs/daemon.md).
deb:
	@scripts/setup.sh package
	scripts/deb.sh .build/deb

# The package installed, used, upgraded, removed and purged in a fresh Debian 12 root
# (debootstrap), its unit checked by systemd-analyze and the package by lintian. CI runs it.
deb-test: setup
	scripts/test-deb.sh

clean:
	rm -rf .build .state

# After editing templates/: refresh the copy compiled into the binary.
templates:
	python3 scripts/embed-templates.py

# Man pages from the command definitions (swift-argument-parser's generate-manual tool):
# narrate.1 and one page a command (narrate-log.1, narrate-store-copy.1).
man:
	scripts/man.sh .build/man

# Shell completions, from the same definitions.
completions: build
	mkdir -p .build/completions
	.build/debug/narrate --generate-completion-script bash > .build/completions/narrate.bash
	.build/debug/narrate --generate-completion-script zsh > .build/completions/_narrate
	.build/debug/narrate --generate-completion-script fish > .build/completions/narrate.fish

# Release build, binary, templates, example config, the systemd unit, man pages and shell
# completions under PREFIX. The Swift
# runtime and Foundation are linked in: every command starts about 7 ms sooner (docs/benchmarks.md).
install:
	@scripts/setup.sh build
	swift build -c release --static-swift-stdlib --product narrate
	install -D -m 0755 .build/release/narrate $(DESTDIR)$(BINDIR)/narrate
	mkdir -p $(DESTDIR)$(PREFIX)/share/narrate
	cp -R templates $(DESTDIR)$(PREFIX)/share/narrate/
	install -D -m 0644 config/narrate.example.toml $(DESTDIR)$(PREFIX)/share/narrate/narrate.example.toml
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' config/narrate.service > narrate.service.tmp
	install -D -m 0644 narrate.service.tmp $(DESTDIR)$(UNITDIR)/narrate.service
	rm -f narrate.service.tmp
	scripts/man.sh .build/man .build/release/narrate
	mkdir -p $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0644 .build/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	.build/release/narrate --generate-completion-script bash > narrate.completion.tmp
	install -D -m 0644 narrate.completion.tmp $(DESTDIR)$(PREFIX)/share/bash-completion/completions/narrate
	.build/release/narrate --generate-completion-script zsh > narrate.completion.tmp
	install -D -m 0644 narrate.completion.tmp $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_narrate
	.build/release/narrate --generate-completion-script fish > narrate.completion.tmp
	install -D -m 0644 narrate.completion.tmp $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/narrate.fish
	rm -f narrate.completion.tmp
	@echo "installed; next: copy the example to $(SYSCONFDIR)/narrate/narrate.toml, then systemctl enable --now narrate"
