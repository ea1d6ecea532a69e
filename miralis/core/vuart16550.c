/* A virtual 16550 UART (the PC16550D's register file) for the guests, used on platforms
 * whose only UART carries the GDB stub's traffic (virt). Transmit is polled: THR writes go
 * to a sink (GDB 'O' packets, or the physical UART when no debugger is attached), the
 * transmitter is always ready, nothing is ever received, and no interrupt is raised. */
#include <miralis/machine.h>
#include <miralis/vuart.h>

#define RBR_THR 0   /* DLL when LCR.DLAB */
#define IER     1   /* DLM when LCR.DLAB */
#define IIR_FCR 2
#define LCR     3
#define MCR     4
#define LSR     5
#define MSR     6
#define SCR     7
#define LCR_DLAB 0x80
#define LSR_THRE_TEMT 0x60
#define IIR_NO_INTERRUPT 0x01
#define IIR_FIFO_ENABLED 0xc0

static struct vuart_state {
    uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
    void (*sink)(const char *buf, unsigned len);
} uart = {.dll = 1};

void vuart_set_sink(void (*sink)(const char *buf, unsigned len))
{
    uart.sink = sink;
}

enum mmio_result vdevice_uart16550(struct vcpu *v, const struct vdevice *dev, uint64_t offset,
                                   unsigned width, bool store, uint64_t *val,
                                   struct trap_info *fault)
{
    (void)v;
    if (width != 1 || offset >= 8) {
        /* QEMU's 16550 on virt takes byte accesses to its 8 registers; others fault. */
        *fault = (struct trap_info){.cause = store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS,
                                    .tval = dev->base + offset};
        return MMIO_FAULT;
    }
    bool dlab = uart.lcr & LCR_DLAB;
    uint8_t b = (uint8_t)*val;
    if (store) {
        switch (offset) {
        case RBR_THR:
            if (dlab)
                uart.dll = b;
            else if (uart.sink)
                uart.sink((const char *)&b, 1);
            break;
        case IER: if (dlab) uart.dlm = b; else uart.ier = b & 0x0f; break;
        case IIR_FCR: uart.fcr = b; break;
        case LCR: uart.lcr = b; break;
        case MCR: uart.mcr = b & 0x1f; break;
        case SCR: uart.scr = b; break;
        default: break; /* LSR, MSR: read-only */
        }
        return MMIO_DONE;
    }
    switch (offset) {
    case RBR_THR: *val = dlab ? uart.dll : 0; break;
    case IER: *val = dlab ? uart.dlm : uart.ier; break;
    case IIR_FCR: *val = IIR_NO_INTERRUPT | ((uart.fcr & 1) ? IIR_FIFO_ENABLED : 0); break;
    case LCR: *val = uart.lcr; break;
    case MCR: *val = uart.mcr; break;
    case LSR: *val = LSR_THRE_TEMT; break;
    case MSR: *val = 0xb0; break; /* CTS, DSR, DCD: a cable is present */
    default: *val = uart.scr; break;
    }
    return MMIO_DONE;
}
