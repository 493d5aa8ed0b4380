# The front door. `make run` and `make test` are all a newcomer needs (JDK 17+ and Maven).
PORT ?= 8899
MVN  ?= mvn -B -Dstyle.color=never

.PHONY: build run desktop test cluster-failures fuzz screenshots bench clean

build:
	./build.sh

run: build
	bin/chat-server $(PORT)

# The desktop client (Swing with FlatLaf); its login window asks for the server.
desktop: build
	bin/chat-desktop

# Every test (the desktop ones on $DISPLAY, or on a private Xvfb when it is installed); then a
# plain list of what was skipped and why (MariaDB absent, no C compiler, no X display, ...).
test:
	test/with-display.sh $(MVN) test; status=$$?; test/skipped.sh; exit $$status

# Issue 14's failure tests of a cluster of real node processes (kill -9, SIGSTOP, Redis killed and
# restarted empty, subscribers cut), which `make test` runs once with the rest, alone and REPEAT
# times in a row (default 1), stopping at the first run that fails: to hunt a flake
# (docs/ARCHITECTURE.md, Testing). CLUSTER_LOG=DEBUG sets the nodes' log level (a failure prints
# their logs).
REPEAT      ?= 1
CLUSTER_LOG ?=
cluster-failures:
	for i in $$(seq $(REPEAT)); do \
	    echo "cluster-failures: run $$i of $(REPEAT)"; \
	    $(MVN) test -Dtest=ClusterFailureTest -Dsurefire.failIfNoSpecifiedTests=false \
	        $(if $(CLUSTER_LOG),-Dcluster.log=$(CLUSTER_LOG)) || exit 1; \
	done
	test/skipped.sh

# The fuzz campaign at length: ServerFuzzTest's property (which `make test` runs for 6,000 tries,
# about 25 s) with many more tries against a real server process, on SQLite, then MariaDB (skipped
# without one): six to ten minutes on two cores. A failure prints the try shrunk to a short one.
FUZZ_TRIES         ?= 150000
FUZZ_TRIES_MARIADB ?= 15000
fuzz:
	$(MVN) test -Dtest=ServerFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.tries=$(FUZZ_TRIES)
	$(MVN) test -Dtest=ServerFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.tries=$(FUZZ_TRIES_MARIADB) \
	    -Dfuzz.db=mariadb
	test/skipped.sh

# The desktop client's windows, light and dark, English and Chinese, as PNGs in docs/screenshots/
# (the README shows them). Needs an X display or Xvfb, like the desktop tests.
screenshots: build
	$(MVN) -q test-compile
	test/with-display.sh java -cp 'build/classes:build/test-classes:build/lib/*' \
	    chat.client.desktop.Screenshots docs/screenshots

bench: build
	bench/run.sh

clean:
	rm -rf build bin
