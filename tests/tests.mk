# Tests. Host unit tests: the core built for x86_64 from the same sources, over the array
# "hardware" of miralis/arch/host, with ASan+UBSan. Integration tests: QEMU (pytest).

HOST_BUILD  := $(BUILD)/host
HOST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
               -fno-sanitize-recover=all -Imiralis/include -Itracer -Igdbstub -Imiralis/arch/host -Itests/unit \
               -DCONFIG_MAX_HARTS=8 -DCONFIG_LOG_LEVEL=0 -DCONFIG_TEST_HOOKS=0 -DCONFIG_TRACE=1 \
               -DCONFIG_TRACE_RING=16 -DCONFIG_VTIMER=1
HOST_CORE   := $(CORE_SOURCES) $(wildcard miralis/arch/host/*.c)
UNIT_SOURCES:= $(wildcard tests/unit/*.c)
HOST_OBJS   := $(patsubst %.c,$(HOST_BUILD)/%.o,$(HOST_CORE) $(UNIT_SOURCES))

$(HOST_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	@$(HOST_CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(HOST_BUILD)/unit-tests: $(HOST_OBJS)
	@$(HOST_CC) $(HOST_CFLAGS) $^ -o $@

$(HOST_BUILD)/fdt-tool: tests/tools/fdt_tool.c miralis/core/fdt.c
	@mkdir -p $(@D)
	@$(HOST_CC) $(HOST_CFLAGS) $^ -o $@

.PHONY: test unit host-tools integration
host-tools: $(HOST_BUILD)/unit-tests $(HOST_BUILD)/fdt-tool

unit: $(HOST_BUILD)/unit-tests
	@$<

# The board platform's monitor (QEMU sifive_u).
.PHONY: monitor-boards
monitor-boards:
	@$(MAKE) -s --no-print-directory monitor PLATFORM=sifive_u
	@$(MAKE) -s --no-print-directory monitor PLATFORM=visionfive2

# A second monitor build with STATS=1, for the counters test.
.PHONY: monitor-stats
monitor-stats:
	@$(MAKE) -s --no-print-directory monitor STATS=1 BUILD=$(BUILD)/stats

# A monitor with the test hooks (tests/integration/test_panic.py).
.PHONY: monitor-hooks
monitor-hooks:
	@$(MAKE) -s --no-print-directory monitor CONFIG_TEST_HOOKS=1 BUILD=$(BUILD)/hooks

# Everything: unit tests (one pytest case each) and the QEMU tests, one closing line.
test: deps all host-tools monitor-stats monitor-hooks monitor-boards monitor-gdb trace-test-builds fuzz-test-builds
	@$(PYTHON) -m pytest -q tests/integration $(PYTEST_ARGS)

integration: all host-tools monitor-stats monitor-hooks monitor-boards monitor-gdb trace-test-builds fuzz-test-builds
	@$(PYTHON) -m pytest -q tests/integration $(PYTEST_ARGS)

-include $(HOST_OBJS:.o=.d)
