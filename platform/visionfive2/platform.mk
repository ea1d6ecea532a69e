# StarFive VisionFive 2 (JH7110): DRAM at 0x40000000, the monitor at 0x43000000 (out of the
# way of the firmware at 0x40000000, U-Boot at 0x40200000 and U-Boot's default kernel, FDT
# and initrd addresses). No QEMU model: `make monitor PLATFORM=visionfive2` builds the
# binaries, `make board-image PLATFORM=visionfive2` the FIT image (README.md).
CONFIG_MONITOR_BASE  ?= 0x43000000
CONFIG_MONITOR_SIZE  ?= 0x200000
PLATFORM_SOURCES     := platform/visionfive2/platform.c
PLATFORM_STUB_BASE   := 0x40000000
PLATFORM_MONITOR_FILES := $(BUILD)/$(PLATFORM)/miralis.bin
PLATFORM_QEMU_MACHINE :=
PLATFORM_QEMU_MONITOR :=
VF2_FIRMWARE ?= /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
VF2_UBOOT    ?= u-boot.bin
VF2_DTB      ?= jh7110-starfive-visionfive-2-v1.3b.dtb

$(BUILD)/$(PLATFORM)/miralis.bin: $(BUILD)/$(PLATFORM)/miralis.elf
	@$(RV_OBJCOPY) -O binary $< $@

.PHONY: board-image print-qemu-machine print-qemu-monitor
board-image: monitor
	@command -v mkimage >/dev/null || { echo "board-image: mkimage missing (Debian package u-boot-tools)"; exit 1; }
	@sed -e 's|@STUB@|$(abspath $(BUILD)/$(PLATFORM)/stub.bin)|' \
	     -e 's|@MONITOR@|$(abspath $(BUILD)/$(PLATFORM)/miralis.bin)|' \
	     -e 's|@FIRMWARE@|$(abspath $(VF2_FIRMWARE))|' \
	     -e 's|@UBOOT@|$(abspath $(VF2_UBOOT))|' -e 's|@DTB@|$(abspath $(VF2_DTB))|' \
	     platform/visionfive2/miralis.its > $(BUILD)/$(PLATFORM)/miralis.its
	mkimage -f $(BUILD)/$(PLATFORM)/miralis.its -A riscv -O u-boot -T firmware $(BUILD)/$(PLATFORM)/visionfive2_fw_payload.img
print-qemu-machine:
	@echo $(PLATFORM_QEMU_MACHINE)
print-qemu-monitor:
	@echo $(PLATFORM_QEMU_MONITOR)
