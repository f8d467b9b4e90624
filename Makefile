# casefhir — quick start: `make run` converts the sample case report, `make test` runs every test.
# Both install what is missing (Debian packages), configure and build first.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SAMPLE     ?= samples/calcinosis-cutis.txt
# Debian 12 packages the C++ build needs (checked with dpkg): compiler and build tools, the three
# core libraries and CLI11; libcurl for `casefhir push`.
APT_PACKAGES = g++ make cmake pkg-config libxml2-dev zlib1g-dev nlohmann-json3-dev libboost-test-dev libcli11-dev libpoppler-cpp-dev libcurl4-openssl-dev groff qpdf
# Node.js runs the independent FHIR validator used by CI. Any `node` and `npm` on PATH will do (a
# NodeSource or nvm install, say): Debian's nodejs/npm are installed only for a missing command,
# because Debian's npm cannot be installed beside a node from elsewhere (apt reports held packages).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test test-asan test-slurm bench vocabulary clean

all: build

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/casefhir convert $(SAMPLE) --pretty

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# AddressSanitizer + UndefinedBehaviorSanitizer build of everything, then every test.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASEFHIR_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# deploy/slurm on a single-node Slurm cluster started on this machine (Debian's slurm-wlm and munge,
# installed if missing; daemons and jobs run as root): the array job in 4 shards, merged, must equal
# one `casefhir batch` run byte for byte. Skips without ../shared unless CASEFHIR_REQUIRE_SHARED=1.
test-slurm: build
	$(SUDO) env CASEFHIR_REQUIRE_SHARED=$${CASEFHIR_REQUIRE_SHARED:-0} tests/slurm/test-slurm.sh ./$(BUILD)/casefhir

# Rebuilds the default imported vocabulary from ../shared/terminology with casefhir's importers and
# merge (mappings/vocabulary/regenerate.sh), then the binary that embeds it.
TERMINOLOGY ?= ../shared/terminology
vocabulary: build
	mappings/vocabulary/regenerate.sh ./$(BUILD)/casefhir $(TERMINOLOGY) mappings/vocabulary/vocabulary.json.gz
	cmake --build $(BUILD) -j $(JOBS)

bench: build
	cmake --build $(BUILD) --target casefhir_bench -j $(JOBS)
	./$(BUILD)/bench/casefhir_bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
