# The monitor: core (pure C) + arch/riscv + platform/$(PLATFORM), into build/$(PLATFORM)/.

CORE_SOURCES := $(wildcard miralis/core/*.c) tracer/trace.c tracer/trace_trap.c
GDB_SOURCES  := $(wildcard gdbstub/gdb_*.c)
ARCH_SOURCES := $(wildcard miralis/arch/riscv/*.c) miralis/arch/riscv/entry.S

CONFIG_MAX_HARTS  ?= 8
CONFIG_STACK_SIZE ?= 0x4000
CONFIG_TEST_HOOKS ?= 0
# GDB=1: the GDB stub is in and the monitor waits for a debugger before the firmware runs.
GDB ?= 0

# Tracer (tracer/README.md). TRACE: kinds recorded from boot (comma-separated: trap, csr,
# emul, device, irq, world, sbi, or all; empty: compiled in, off until switched on).
# TRACE_COMPILE=0 leaves the tracer out of the monitor entirely.
TRACE_COMPILE ?= 1
TRACE         ?=
TRACE_CSR     ?= 0x000-0xfff
TRACE_WORLDS  ?= firmware,os
TRACE_HARTS   ?= 0xffffffffffffffff
TRACE_RING    ?= 1024
TRACE_STREAM  ?= 1
trace_bit_trap := 1
trace_bit_csr := 2
trace_bit_emul := 4
trace_bit_device := 8
trace_bit_irq := 16
trace_bit_world := 32
trace_bit_sbi := 64
trace_bit_all := 127
trace_bit_firmware := 1
trace_bit_os := 2
comma := ,
trace_mask = $(shell echo $$(( 0 $(foreach k,$(subst $(comma), ,$(1)),+ $(or $(trace_bit_$(k)),$(error unknown trace name '$(k)'))) )))
TRACE_KINDS_MASK  := $(call trace_mask,$(TRACE))
TRACE_WORLDS_MASK := $(call trace_mask,$(TRACE_WORLDS))
TRACE_CSR_LO := $(word 1,$(subst -, ,$(TRACE_CSR)))
TRACE_CSR_HI := $(or $(word 2,$(subst -, ,$(TRACE_CSR))),$(TRACE_CSR_LO))
LOG_LEVEL_NUM := $(or $(if $(filter error,$(LOG_LEVEL)),0),$(if $(filter warn,$(LOG_LEVEL)),1),$(if $(filter info,$(LOG_LEVEL)),2),$(if $(filter debug,$(LOG_LEVEL)),3))
ifeq ($(LOG_LEVEL_NUM),)
$(error LOG_LEVEL must be one of error, warn, info, debug (got '$(LOG_LEVEL)'))
endif

MON_BUILD := $(BUILD)/$(PLATFORM)
MON_CONFIG := $(MON_BUILD)/config.h
MON_CONFIG_TEXT := \#define CONFIG_MAX_HARTS $(CONFIG_MAX_HARTS)\n\#define CONFIG_STACK_SIZE $(CONFIG_STACK_SIZE)\n\#define CONFIG_MONITOR_BASE $(CONFIG_MONITOR_BASE)\n\#define CONFIG_MONITOR_SIZE $(CONFIG_MONITOR_SIZE)\n\#define CONFIG_LOG_LEVEL $(LOG_LEVEL_NUM)\n\#define CONFIG_STATS $(STATS)\n\#define CONFIG_TEST_HOOKS $(CONFIG_TEST_HOOKS)\n\#define CONFIG_TRACE $(TRACE_COMPILE)\n\#define CONFIG_GDB $(GDB)\n\#define CONFIG_TRACE_KINDS $(TRACE_KINDS_MASK)\n\#define CONFIG_TRACE_CSR_LO $(TRACE_CSR_LO)\n\#define CONFIG_TRACE_CSR_HI $(TRACE_CSR_HI)\n\#define CONFIG_TRACE_WORLDS $(TRACE_WORLDS_MASK)\n\#define CONFIG_TRACE_HARTS $(TRACE_HARTS)ULL\n\#define CONFIG_TRACE_RING $(TRACE_RING)\n\#define CONFIG_TRACE_STREAM $(TRACE_STREAM)\n

RV_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -std=c11 -O2 -g \
             -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -fno-common -fno-stack-protector -fno-pie \
             -Wall -Wextra -Werror -Imiralis/include -Itracer -Igdbstub -include $(MON_CONFIG)
RV_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--no-warn-rwx-segments

MON_OBJS := $(patsubst %,$(MON_BUILD)/%.o,$(CORE_SOURCES) $(ARCH_SOURCES) $(PLATFORM_SOURCES) $(if $(filter 1,$(GDB)),$(GDB_SOURCES)))

.PHONY: monitor
monitor: $(MON_BUILD)/miralis.elf $(MON_BUILD)/stub.bin $(PLATFORM_MONITOR_FILES)

# The configuration header changes only when the configuration does, so objects rebuild
# exactly when needed.
$(MON_CONFIG): FORCE
	@mkdir -p $(@D)
	@printf '$(MON_CONFIG_TEXT)' > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

$(MON_BUILD)/%.c.o: %.c $(MON_CONFIG)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(RV_CC) $(RV_CFLAGS) -MMD -MP -c $< -o $@

$(MON_BUILD)/%.S.o: %.S $(MON_CONFIG)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(RV_CC) $(RV_CFLAGS) -MMD -MP -c $< -o $@

$(MON_BUILD)/monitor.ld: miralis/arch/riscv/monitor.ld.S $(MON_CONFIG)
	$(RV_CC) -E -P -x c -include $(MON_CONFIG) $< -o $@

$(MON_BUILD)/miralis.elf: $(MON_OBJS) $(MON_BUILD)/monitor.ld
	@echo "  LD      $@"
	@$(RV_CC) $(RV_CFLAGS) $(RV_LDFLAGS) -T $(MON_BUILD)/monitor.ld $(MON_OBJS) -o $@

# The boot stub QEMU jumps to (platform.mk may wrap it, e.g. into a pflash image).
$(MON_BUILD)/stub.elf: miralis/arch/riscv/boot_stub.S $(MON_CONFIG)
	@$(RV_CC) $(RV_CFLAGS) -nostdlib -Wl,-Ttext=$(PLATFORM_STUB_BASE) -Wl,--no-warn-rwx-segments $< -o $@

$(MON_BUILD)/stub.bin: $(MON_BUILD)/stub.elf
	@$(RV_OBJCOPY) -O binary $< $@

.PHONY: FORCE
FORCE:

-include $(MON_OBJS:.o=.d)
