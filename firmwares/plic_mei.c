/* Machine external interrupt through the PLIC (priv spec 3.1.9; PLIC spec): UART
 * (source 10) routed to hart 0's M context 0, raised by enabling the 16550's THR-empty
 * interrupt; claim/complete in the handler. */
#include "fw.h"

#define UART_IRQ 10
#define PLIC_PRIO(s)   (PLIC_BASE + 4UL * (s))
#define PLIC_PENDING   (PLIC_BASE + 0x1000UL)
#define PLIC_ENABLE0   (PLIC_BASE + 0x2000UL)
#define PLIC_THRESH0   (PLIC_BASE + 0x200000UL)
#define PLIC_CLAIM0    (PLIC_BASE + 0x200004UL)
#define UART_IER       (UART_BASE + 1)

static volatile u64 hits;

static int on_irq(struct trap_frame *f)
{
	if (f->cause != (CAUSE_INTR | IRQ_MEI))
		return 0;
	u32 id = mmio_r32(PLIC_CLAIM0);
	mmio_w8(UART_IER, 0);  /* quiet the source before printing */
	kv("handler cause", f->cause);
	kv("handler claim", id);
	kv("handler claim again", mmio_r32(PLIC_CLAIM0));
	mmio_w32(PLIC_CLAIM0, id);  /* complete */
	hits++;
	return 1;
}

static u64 meip(void)
{
	return (csr_read(mip) >> IRQ_MEI) & 1;
}

int main(void)
{
	this_hart()->irq = on_irq;
	kv("mip.MEIP reset", meip());
	mmio_w32(PLIC_PRIO(UART_IRQ), 1);
	mmio_w32(PLIC_ENABLE0, mmio_r32(PLIC_ENABLE0) | (1U << UART_IRQ));
	mmio_w32(PLIC_THRESH0, 0);
	kv("plic priority", mmio_r32(PLIC_PRIO(UART_IRQ)));
	kv("plic enable", mmio_r32(PLIC_ENABLE0));
	kv("plic threshold", mmio_r32(PLIC_THRESH0));

	/* threshold >= priority masks the source */
	mmio_w32(PLIC_THRESH0, 1);
	mmio_w8(UART_IER, 0x02);
	while (!((mmio_r32(PLIC_PENDING) >> UART_IRQ) & 1))
		;
	kv("plic pending bit", 1);
	kv("mip.MEIP with threshold 1", meip());
	mmio_w8(UART_IER, 0);
	mmio_w32(PLIC_THRESH0, 0);
	mmio_w32(PLIC_CLAIM0, mmio_r32(PLIC_CLAIM0));  /* drop any stale pending claim */
	kv("mip.MEIP after clear", meip());

	/* pending without MEIE: no trap */
	mmio_w8(UART_IER, 0x02);
	while (!meip())
		;
	kv("mip.MEIP pending", meip());
	csr_clear(mip, 1UL << IRQ_MEI);  /* read-only in mip */
	kv("mip.MEIP after csrc", meip());
	kv("hits", hits);
	csr_set(mie, 1UL << IRQ_MEI);
	wait_irq(&hits, 1);
	kv("hits after enable", hits);
	kv("mip.MEIP after complete", meip());
	kv("uart ier", mmio_r8(UART_IER));

	/* disable the route */
	mmio_w32(PLIC_ENABLE0, mmio_r32(PLIC_ENABLE0) & ~(1U << UART_IRQ));
	mmio_w32(PLIC_PRIO(UART_IRQ), 0);
	csr_write(mie, 0);
	kv("plic enable final", mmio_r32(PLIC_ENABLE0));
	done("plic_mei");
}
