/* Linker script of the monitor: one region [CONFIG_MONITOR_BASE, +CONFIG_MONITOR_SIZE)
 * that holds everything, so one PMP entry protects it all. */
OUTPUT_ARCH(riscv)
ENTRY(_start)
SECTIONS
{
    . = CONFIG_MONITOR_BASE;
    __monitor_start = .;
    .text : { *(.text.entry) *(.text .text.*) }
    .rodata : { *(.rodata .rodata.* .srodata .srodata.*) }
    .data : { *(.data .data.* .sdata .sdata.*) }
    . = ALIGN(8);
    __bss_start = .;
    .bss : { *(.sbss .sbss.* .bss .bss.* COMMON) }
    . = ALIGN(8);
    __bss_end = .;
    __monitor_end = .;
    /DISCARD/ : { *(.comment) *(.riscv.attributes) *(.note*) *(.eh_frame*) }
}
