# CEA sensor pipeline. `make demo` runs the pipeline on the simulator; `make test` runs every test.
SHELL := /bin/bash
MVN ?= mvn
MVN_FLAGS ?=

.PHONY: all deps build cds test test-units test-window test-boot unit bench demo install clean

all: build

deps:
	@scripts/ensure-deps.sh test

build:
	$(MVN) $(MVN_FLAGS) -DskipTests -DskipITs package

# class-data-sharing archives of the four services beside their jars (bin/_tool maps them; ~15 s training run)
cds:
	scripts/cds-archives.sh

# Unit tests (*Test, surefire) then integration tests against private servers (*IT, failsafe).
test: deps test-units test-window
	$(MVN) $(MVN_FLAGS) verify

# systemd units: systemd-analyze verify, security exposure <= 4.0, the scripts they run (no systemd needed)
test-units:
	scripts/test-units.sh

# the failure handler's terminal window under Xvfb with xterm (screenshot: target/failure-window/window.png)
test-window:
	scripts/test-failure-window.sh

# real systemd as PID 1 in a QEMU guest: install, order, kill -9, failure handler, power cut (~15 min, TCG)
test-boot: build
	scripts/boot-vm/run-boot.sh

unit:
	$(MVN) $(MVN_FLAGS) test

bench:
	@scripts/ensure-deps.sh bench
	scripts/bench.sh

demo:
	@scripts/ensure-deps.sh demo
	scripts/demo.sh

install:
	scripts/install.sh

clean:
	$(MVN) $(MVN_FLAGS) -q clean
	rm -rf var
