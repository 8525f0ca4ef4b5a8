# The two commands of the README:
#   make run   install what is missing, build izde, create a demo vault, show it
#   make test  build and run the whole test suite (what CI runs)
BUILD ?= build
BUILD_ASAN ?= build-asan
JOBS ?= $(shell nproc)

.PHONY: run test test-sanitize deps build bench clean

deps:
	@./scripts/install-deps

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(JOBS)

run: build
	@./scripts/run-demo $(BUILD)/izde

test: build
	ctest --test-dir $(BUILD) -j $(JOBS) --output-on-failure --timeout 600

# The unit tests once more under AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: deps
	cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIZDE_SANITIZE=ON -DIZDE_BENCH=OFF
	ninja -C $(BUILD_ASAN) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(BUILD_ASAN) -j $(JOBS) --output-on-failure --timeout 1200

bench: build
	@./scripts/run-benchmarks $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN)
