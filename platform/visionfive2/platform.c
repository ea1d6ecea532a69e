/* StarFive VisionFive 2 (JH7110), from the SoC's public memory map (JH7110 datasheet and
 * the upstream jh7110.dtsi). Not yet run on hardware: see README.md. */
#include <miralis/arch.h>
#include <miralis/machine.h>
#include <miralis/vtimer.h>

#define UART0_BASE   0x10000000UL  /* DesignWare 8250: registers 4 bytes apart (reg-shift 2) */
#define UART_THR     0x00
#define UART_LSR     0x14
#define UART_LSR_THRE 0x20
#define CLINT_BASE   0x2000000UL

static void vf2_putc(char c)
{
    while (!(arch_mmio_read(UART0_BASE + UART_LSR, 4) & UART_LSR_THRE))
        ;
    arch_mmio_write(UART0_BASE + UART_THR, 4, (uint8_t)c);
}

/* No power-off device the monitor can drive on its own (the PMIC is behind I2C): stop
 * here; the message printed before says why. */
static void vf2_exit(unsigned code)
{
    (void)code;
    for (;;)
        __asm__ volatile("wfi");
}

static const struct vdevice vf2_devices[] = {
    {.name = "clint", .base = CLINT_BASE, .size = 0x10000, .access = VDEVICE_CLINT},
};

const struct platform platform_desc = {
    .name = "visionfive2",
    /* U-Boot SPL loads the "firmware" of its FIT at 0x40000000 and jumps there on every
     * hart: our stub is that firmware; the real one is staged and moved into place. */
    .firmware_entry = 0x40000000UL,
    .firmware_staging = 0x42000000UL,
    .firmware_max_size = 0x200000,    /* up to U-Boot proper at 0x40200000 */
    .devices = vf2_devices,
    .num_devices = sizeof(vf2_devices) / sizeof(vf2_devices[0]),
    .putc = vf2_putc,
    .timebase_hz = 4000000,
    .mtime_addr = CLINT_BASE + 0xbff8,
    .exit = vf2_exit,
    .quirks = 0,  /* real silicon: the spec's mret */
};
