# QEMU virt. RAM is fixed by the run scripts (-m) so that the monitor can be linked at a
# fixed address: the last 2 MiB below the device tree QEMU puts at the top 2 MiB of RAM.
PLATFORM_RAM_MB      ?= 256
CONFIG_MONITOR_BASE  ?= 0x8fc00000
CONFIG_MONITOR_SIZE  ?= 0x200000
PLATFORM_QEMU        := qemu-system-riscv64
PLATFORM_QEMU_MACHINE:= -M virt -m $(PLATFORM_RAM_MB)M
PLATFORM_SOURCES     := platform/virt/platform.c
PLATFORM_BOOT_STUB   := platform/virt/flash.S

.PHONY: print-qemu-machine
print-qemu-machine:
	@echo $(PLATFORM_QEMU_MACHINE)
