/* The code QEMU starts every hart at when the platform boots from flash (virt with a pflash
 * unit 0, sifive_u with start-in-flash), with a0/a1/a2 as it would give a -bios: it jumps to
 * the monitor, so RAM at the firmware's address stays the firmware's. */
    .section .text
    .globl _start
_start:
    li      t0, CONFIG_MONITOR_BASE
    jr      t0
