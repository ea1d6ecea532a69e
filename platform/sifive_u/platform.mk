# QEMU sifive_u (SiFive HiFive Unleashed): hart 0 is an E51 (M+U only), harts 1.. are U54.
# Same RAM layout as virt: 256 MiB, the device tree in the last 2 MiB, the monitor below it.
PLATFORM_RAM_MB      ?= 256
CONFIG_MONITOR_BASE  ?= 0x8fc00000
CONFIG_MONITOR_SIZE  ?= 0x200000
PLATFORM_SOURCES     := platform/sifive_u/platform.c
PLATFORM_STUB_BASE   := 0x80000000
PLATFORM_MONITOR_FILES :=
PLATFORM_QEMU_MACHINE := -M sifive_u -m $(PLATFORM_RAM_MB)M
# The boot ROM jumps to 0x80000000 (start-in-flash would load -bios into the flash too):
# the stub is the -bios there and jumps to the monitor; the firmware is staged at
# 0x8f800000 and copied to 0x80000000 by the monitor once all harts have left the stub.
# @FIRMWARE@ is replaced by scripts/run-qemu.
PLATFORM_QEMU_MONITOR = -bios $(abspath $(BUILD)/$(PLATFORM)/stub.bin) \
                        -device loader,file=@FIRMWARE@,addr=0x8f800000,force-raw=on \
                        -device loader,file=$(abspath $(BUILD)/$(PLATFORM)/miralis.elf)

.PHONY: print-qemu-machine print-qemu-monitor
print-qemu-machine:
	@echo $(PLATFORM_QEMU_MACHINE)
print-qemu-monitor:
	@echo $(PLATFORM_QEMU_MONITOR)

# The GDB stub's line (`make debug`): the second UART on a local TCP port, the console on
# the first.
PLATFORM_QEMU_DEBUG = -serial stdio -serial tcp:127.0.0.1:$(GDB_PORT),server=on,wait=on
print-qemu-debug:
	@echo $(PLATFORM_QEMU_DEBUG)
