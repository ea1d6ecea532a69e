/* QEMU virt jumps to the flash (0x20000000) instead of RAM when a pflash unit 0 is given,
 * with a0/a1/a2 as for a -bios. This stub, the whole flash image, jumps to the monitor, so
 * RAM at 0x80000000 stays the firmware's, exactly where QEMU loads it. */
    .section .text
    .globl _start
_start:
    li      t0, CONFIG_MONITOR_BASE
    jr      t0
