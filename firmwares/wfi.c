/* wfi (priv spec 3.3.3): resumes when an enabled interrupt is pending even if MIE=0
 * (no trap is taken), and with MIE=1 the interrupt is taken after the wfi. TW does not
 * affect M-mode. */
#include "fw.h"

#define DELTA 10000

static volatile u64 hits;

static int on_irq(struct trap_frame *f)
{
	hits++;
	if (f->cause == (CAUSE_INTR | IRQ_MTI))
		mmio_w64(CLINT_MTIMECMP(0), ~0UL);
	else if (f->cause == (CAUSE_INTR | IRQ_MSI))
		mmio_w32(CLINT_MSIP(0), 0);
	else
		return 0;
	kv("handler cause", f->cause);
	return 1;
}

static u64 pend(void)
{
	return csr_read(mip) & ((1UL << IRQ_MTI) | (1UL << IRQ_MSI));
}

int main(void)
{
	this_hart()->irq = on_irq;
	csr_clear(mstatus, MSTATUS_MIE);

	/* MIE=0, MTIE=1: wfi wakes up on MTIP, no trap */
	csr_write(mie, 1UL << IRQ_MTI);
	mmio_w64(CLINT_MTIMECMP(0), mtime() + DELTA);
	while (!pend())
		wfi();
	kv("pending after wfi (MIE=0)", pend());
	kv("hits (MIE=0)", hits);
	/* enabling MIE now takes it */
	csr_set(mstatus, MSTATUS_MIE);
	asm volatile("nop");
	csr_clear(mstatus, MSTATUS_MIE);
	kv("hits after MIE=1", hits);

	/* wfi, then the trap once MIE is set (see wait_irq) */
	mmio_w64(CLINT_MTIMECMP(0), mtime() + DELTA);
	wait_irq(&hits, 2);
	kv("hits after wfi (MIE=1)", hits);

	/* already pending MSI, MIE=0: wfi returns at once */
	csr_write(mie, 1UL << IRQ_MSI);
	mmio_w32(CLINT_MSIP(0), 1);
	wfi();
	kv("pending after wfi (MSI)", pend());
	/* TW=1 only concerns modes below M */
	csr_set(mstatus, 1UL << 21);
	TRY("wfi with TW=1 in M", "wfi", 0);
	csr_clear(mstatus, 1UL << 21);
	csr_set(mstatus, MSTATUS_MIE);
	asm volatile("nop");
	csr_clear(mstatus, MSTATUS_MIE);
	kv("hits (MSI)", hits);
	kv("pending final", pend());
	csr_write(mie, 0);
	done("wfi");
}
