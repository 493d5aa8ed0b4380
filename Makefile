# The front door. `make run` and `make test` are all a newcomer needs (JDK 17+ and Maven).
PORT ?= 8899
MVN  ?= mvn -B -Dstyle.color=never

.PHONY: build run test bench clean

build:
	./build.sh

run: build
	bin/chat-server $(PORT)

# Every test; then a plain list of what was skipped and why (MariaDB absent, no C compiler, ...).
test:
	$(MVN) test; status=$$?; test/skipped.sh; exit $$status

bench: build
	bench/run.sh

clean:
	rm -rf build bin
