/* QEMU sifive_u (hw/riscv/sifive_u.c), a model of the SiFive HiFive Unleashed (FU540). */
#include <miralis/arch.h>
#include <miralis/machine.h>
#include <miralis/vtimer.h>

#define UART0_BASE   0x10010000UL  /* SiFive UART: txdata at +0, bit 31 = FIFO full */
#define CLINT_BASE   0x2000000UL
#define UART1_BASE   0x10011000UL  /* the second UART: the GDB stub's own line */
#define UART_RXDATA  0x04          /* bit 31: FIFO empty */
#define GPIO_BASE    0x10060000UL  /* pin 10 resets the board (gpio-restart) */
#define GPIO_OUTPUT_EN  0x08
#define GPIO_OUTPUT_VAL 0x0c
#define GPIO_RESET_PIN  (1u << 10)

static void sifive_u_putc(char c)
{
    while (arch_mmio_read(UART0_BASE, 4) & 0x80000000u)
        ;
    arch_mmio_write(UART0_BASE, 4, (uint8_t)c);
}

static int sifive_u_gdb_getc(void)
{
    uint32_t r = (uint32_t)arch_mmio_read(UART1_BASE + UART_RXDATA, 4);
    return (r & 0x80000000u) ? -1 : (int)(r & 0xff);
}

static void sifive_u_gdb_putc(char c)
{
    while (arch_mmio_read(UART1_BASE, 4) & 0x80000000u)
        ;
    arch_mmio_write(UART1_BASE, 4, (uint8_t)c);
}

/* The board has no power-off device: the only way out is its reset line, which ends QEMU
 * when it runs with -no-reboot. The exit code cannot be passed on; the message says it. */
static void sifive_u_exit(unsigned code)
{
    (void)code;
    arch_mmio_write(GPIO_BASE + GPIO_OUTPUT_VAL, 4, GPIO_RESET_PIN);
    arch_mmio_write(GPIO_BASE + GPIO_OUTPUT_EN, 4, GPIO_RESET_PIN);
    for (;;)
        ;
}

static const struct vdevice sifive_u_devices[] = {
    {.name = "clint", .base = CLINT_BASE, .size = 0x10000, .access = VDEVICE_CLINT},
};

const struct platform platform_desc = {
    .name = "qemu-sifive_u",
    .firmware_entry = 0x80000000UL,
    .firmware_staging = 0x8f800000UL,   /* see platform.mk: the firmware's loader address */
    .firmware_max_size = 0x200000,      /* up to the -kernel address, 0x80200000 */
    .devices = sifive_u_devices,
    .num_devices = sizeof(sifive_u_devices) / sizeof(sifive_u_devices[0]),
    .putc = sifive_u_putc,
    .timebase_hz = 1000000,
    .mtime_addr = CLINT_BASE + 0xbff8,
    .exit = sifive_u_exit,
    .gdb_getc = sifive_u_gdb_getc,
    .gdb_putc = sifive_u_gdb_putc,
    .quirks = QUIRK_QEMU_MRET,
};
