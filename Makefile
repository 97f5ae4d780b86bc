# make demo   set up, build, and print + archive the demo team's report
# make test   set up, build, and run the test suite (what CI runs)
PREFIX ?= /usr/local
DEMO_STATE ?= .state/demo

.PHONY: setup build demo test clean templates

setup:
	@scripts/setup.sh

build: setup
	swift build

demo: build
	.build/debug/narrate demo --config config/narrate.example.toml --state-dir $(DEMO_STATE)

test: setup
	swift build --build-tests
	swift test --skip-build --disable-xctest

clean:
	rm -rf .build .state

# After editing templates/: refresh the copy compiled into the binary.
templates:
	python3 scripts/embed-templates.py
