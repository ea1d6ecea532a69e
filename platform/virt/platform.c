/* QEMU virt (hw/riscv/virt.c): the facts the core needs, as plain data. */
#include <miralis/arch.h>
#include <miralis/machine.h>
#include <miralis/vtimer.h>
#include <miralis/stats.h>
#include <miralis/vuart.h>

#define UART_BASE     0x10000000UL  /* ns16550a */
#define UART_THR      0
#define UART_LSR      5
#define UART_LSR_THRE 0x20
#define CLINT_BASE    0x2000000UL
#define TEST_BASE     0x100000UL    /* sifive_test: power-off / reboot */

static void virt_putc(char c)
{
    while (!(arch_mmio_read(UART_BASE + UART_LSR, 1) & UART_LSR_THRE))
        ;
    arch_mmio_write(UART_BASE + UART_THR, 1, (uint8_t)c);
}

/* With the GDB stub (CONFIG_GDB) the only UART carries the debugger's packets; the guests
 * get a virtual 16550 at its address, whose output goes to GDB as 'O' packets. */
static int virt_gdb_getc(void)
{
    if (!(arch_mmio_read(UART_BASE + UART_LSR, 1) & 0x01)) /* data ready */
        return -1;
    return (int)arch_mmio_read(UART_BASE + UART_THR, 1);
}

static void virt_exit(unsigned code)
{
    arch_mmio_write(TEST_BASE, 4, code ? (code << 16) | 0x3333 : 0x5555);
    for (;;)
        ;
}

static const struct vdevice virt_devices[] = {
    /* The CLINT (msip, mtimecmp, mtime) is the monitor's: the firmware's accesses trap and
     * are served on its behalf, for its own and other harts. */
    {.name = "clint", .base = CLINT_BASE, .size = 0x10000, .access = VDEVICE_CLINT},
    /* The power-off device: seen so that the counters can be printed before QEMU exits. */
    {.name = "finisher", .base = TEST_BASE, .size = 0x1000, .access = vdevice_finisher},
#if CONFIG_GDB
    {.name = "uart", .base = UART_BASE, .size = 0x100, .access = vdevice_uart16550},
#endif
};

const struct platform platform_desc = {
    .name = "qemu-virt",
    .firmware_entry = 0x80000000UL,
    .devices = virt_devices,
    .num_devices = sizeof(virt_devices) / sizeof(virt_devices[0]),
    .putc = virt_putc,
    .timebase_hz = 10000000,
    .mtime_addr = CLINT_BASE + 0xbff8,
    .exit = virt_exit,
    .gdb_getc = virt_gdb_getc,
    .gdb_putc = virt_putc,
    .quirks = QUIRK_QEMU_MRET,
};
