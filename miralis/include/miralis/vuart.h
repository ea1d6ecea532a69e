/* The virtual 16550 the guests use while the physical UART belongs to the GDB stub. */
#ifndef MIRALIS_VUART_H
#define MIRALIS_VUART_H

#include "machine.h"

enum mmio_result vdevice_uart16550(struct vcpu *v, const struct vdevice *dev, uint64_t offset,
                                   unsigned width, bool store, uint64_t *val,
                                   struct trap_info *fault);
/* Where the guests' transmitted bytes go. */
void vuart_set_sink(void (*sink)(const char *buf, unsigned len));

#endif
