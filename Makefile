# The two commands of the README: `make demo` and `make test`.
# Both install what they need (scripts/install-deps.sh), configure and build.
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
DEMO_DIR ?= demo
DEMO_CLIENTS ?= 30000
# Point DATA at the Kaggle folder or zip to run the demo on the real data.
DATA ?=

.PHONY: deps configure build build-credo build-asan demo test test-release test-asan bench clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

# Everything: the binary, the tests, the benchmarks and the fuzz harnesses.
build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The binary alone, all that `make demo` runs: a newcomer's first build compiles the library and
# the commands (128 of the 205 compilations of `make build`), not the tests and benchmarks.
build-credo: configure
	@cmake --build $(BUILD) -j $(JOBS) --target credo

# The sanitizer build: asserts on, -O1 with line tables (enough for ASan's stack traces), and a
# unity build (8 files per compilation): half the time of a plain -O2 -g build. The release
# build stays one file per compilation, so a missing #include still fails there.
build-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
	  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 -DCREDO_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

demo: build-credo
	@bash scripts/demo.sh $(BUILD)/credo $(DEMO_DIR) $(DEMO_CLIENTS) $(DATA)

test-release: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) -LE slow

test: test-release test-asan

bench: build
	@bash scripts/bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
