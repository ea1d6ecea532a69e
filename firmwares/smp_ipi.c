/* Two harts (run with -smp 2): hart 0 sends an IPI through hart 1's CLINT msip; hart 1
 * takes the MSI, then programs hart 0's mtimecmp and hart 0 takes the MTI. Only one
 * hart prints at a time: each waits for the other's flag in memory. */
#include "fw.h"

#define DELTA 10000

static volatile u64 h1_ready, h1_ipi, go_timer, h1_done, h0_mti;

static int h1_irq(struct trap_frame *f)
{
	if (f->cause != (CAUSE_INTR | IRQ_MSI))
		return 0;
	kv("hart1 irq cause", f->cause);
	kv("hart1 mhartid", csr_read(mhartid));
	kv("hart1 mip.MSIP", (csr_read(mip) >> IRQ_MSI) & 1);
	mmio_w32(CLINT_MSIP(1), 0);
	kv("hart1 mip.MSIP after clear", (csr_read(mip) >> IRQ_MSI) & 1);
	fence();
	h1_ipi = 1;
	return 1;
}

void hart_main(u64 hartid)
{
	if (hartid == 1) {
		this_hart()->irq = h1_irq;
		csr_write(mie, 1UL << IRQ_MSI);
		fence();
		h1_ready = 1;
		wait_irq(&h1_ipi, 1);
		while (!go_timer)
			;
		/* cross-hart: arm hart 0's timer */
		mmio_w64(CLINT_MTIMECMP(0), mtime() + DELTA);
		fence();
		h1_done = 1;
		csr_write(mie, 0);
	}
	for (;;)
		wfi();
}

static int h0_irq(struct trap_frame *f)
{
	if (f->cause != (CAUSE_INTR | IRQ_MTI))
		return 0;
	kv("hart0 irq cause", f->cause);
	mmio_w64(CLINT_MTIMECMP(0), ~0UL);
	h0_mti++;
	return 1;
}

int main(void)
{
	this_hart()->irq = h0_irq;
	while (!h1_ready)
		;
	fence();
	kvb("hart1 ready", 1);
	kv("hart1 msip before", mmio_r32(CLINT_MSIP(1)));
	kv("hart0 mip.MSIP", (csr_read(mip) >> IRQ_MSI) & 1);
	mmio_w32(CLINT_MSIP(1), 1);
	while (!h1_ipi)
		;
	fence();
	kv("hart1 msip after", mmio_r32(CLINT_MSIP(1)));
	kv("hart0 mip.MSIP after", (csr_read(mip) >> IRQ_MSI) & 1);

	csr_write(mie, 1UL << IRQ_MTI);
	fence();
	go_timer = 1;
	while (!h1_done)
		;
	fence();
	wait_irq(&h0_mti, 1);
	csr_write(mie, 0);
	kv("hart0 mti count", h0_mti);
	kvb("hart0 mtimecmp parked", mmio_r64(CLINT_MTIMECMP(0)) == ~0UL);
	done("smp_ipi");
}
