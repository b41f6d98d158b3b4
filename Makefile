# Thin wrapper over CMake. `make demo` and `make test` install what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: all build deps demo test unit asan-build asan asan-integration fuzz bench format clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

# The console embeds Leaflet from node_modules: a fresh clone gets it from npm first.
node_modules/leaflet/dist/leaflet.js:
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

$(BUILD)/CMakeCache.txt: | node_modules/leaflet/dist/leaflet.js

build: $(BUILD)/CMakeCache.txt | node_modules/leaflet/dist/leaflet.js
	cmake --build $(BUILD) -j $(JOBS)

demo: deps build
	$(BUILD)/portguard demo --data var/demo

test: deps build
	cd $(BUILD) && ctest --output-on-failure

unit: build
	cd $(BUILD) && ctest --output-on-failure -L unit

# Unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
asan-build:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPG_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)

asan: asan-build
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -L unit

# The black-box tests again against the sanitizer build of the daemon: a leak, an
# overflow or undefined behaviour makes the daemon exit non-zero, which the tests check.
asan-integration: asan-build
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		PORTGUARD_BIN=build-asan/portguard node --test tests/integration/

# libFuzzer harnesses, each run for a bounded time (FUZZ_SECONDS).
FUZZ_SECONDS ?= 20
fuzz:
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DPG_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j $(JOBS) --target fuzzers
	scripts/run-fuzz build-fuzz $(FUZZ_SECONDS)

# Every benchmark, one after the other (several minutes; bench/README.md says what each does).
bench: build
	bench/http.sh
	bench/access.sh
	bench/inspect.sh
	bench/ais.sh
	bench/ais_ingest.sh
	bench/sensors.sh
	build/bench_alarms
	bench/training.sh

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'fuzz/*.c' 'bench/*.c')

clean:
	rm -rf $(BUILD) build-asan build-fuzz
