# QEMU virt. RAM is fixed by the run scripts (-m) so that the monitor can be linked at a
# fixed address: the last 2 MiB below the device tree QEMU puts at the top 2 MiB of RAM.
PLATFORM_RAM_MB      ?= 256
CONFIG_MONITOR_BASE  ?= 0x8fc00000
CONFIG_MONITOR_SIZE  ?= 0x200000
PLATFORM_SOURCES     := platform/virt/platform.c
PLATFORM_STUB_BASE   := 0x20000000
# virt starts at the flash when a pflash unit 0 is given: the stub, padded to the 32 MiB
# the flash must have.
PLATFORM_MONITOR_FILES := $(BUILD)/$(PLATFORM)/flash.img
PLATFORM_QEMU_MACHINE := -M virt -m $(PLATFORM_RAM_MB)M
PLATFORM_QEMU_MONITOR = -bios @FIRMWARE@ -drive if=pflash,unit=0,format=raw,readonly=on,file=$(abspath $(BUILD)/$(PLATFORM)/flash.img) \
                        -device loader,file=$(abspath $(BUILD)/$(PLATFORM)/miralis.elf)

$(BUILD)/$(PLATFORM)/flash.img: $(BUILD)/$(PLATFORM)/stub.bin
	@cp $< $@
	@truncate -s 32M $@

.PHONY: print-qemu-machine print-qemu-monitor
print-qemu-machine:
	@echo $(PLATFORM_QEMU_MACHINE)
print-qemu-monitor:
	@echo $(PLATFORM_QEMU_MONITOR)

# The GDB stub's line (`make debug`): the only UART, on a local TCP port.
PLATFORM_QEMU_DEBUG = -serial tcp:127.0.0.1:$(GDB_PORT),server=on,wait=on
print-qemu-debug:
	@echo $(PLATFORM_QEMU_DEBUG)
