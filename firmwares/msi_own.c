/* Machine software interrupt from the hart's own CLINT msip (priv spec 3.1.9):
 * mip.MSIP mirrors msip, is read-only in mip, and traps with cause 0x8000000000000003. */
#include "fw.h"

static volatile u64 hits;

static int on_irq(struct trap_frame *f)
{
	if (f->cause != (CAUSE_INTR | IRQ_MSI))
		return 0;
	hits++;
	kv("handler cause", f->cause);
	kv("handler mip.MSIP", (csr_read(mip) >> IRQ_MSI) & 1);
	mmio_w32(CLINT_MSIP(0), 0);
	kv("handler mip.MSIP after clear", (csr_read(mip) >> IRQ_MSI) & 1);
	return 1;
}

static u64 msip_bit(void)
{
	return (csr_read(mip) >> IRQ_MSI) & 1;
}

int main(void)
{
	this_hart()->irq = on_irq;
	kv("msip reset", mmio_r32(CLINT_MSIP(0)));
	kv("mip.MSIP reset", msip_bit());
	mmio_w32(CLINT_MSIP(0), 1);
	kv("msip", mmio_r32(CLINT_MSIP(0)));
	kv("mip.MSIP", msip_bit());
	csr_clear(mip, 1UL << IRQ_MSI);  /* read-only: no effect, no trap */
	kv("mip.MSIP after csrc", msip_bit());
	mmio_w32(CLINT_MSIP(0), 0);
	kv("mip.MSIP after msip=0", msip_bit());
	csr_set(mip, 1UL << IRQ_MSI);
	kv("mip.MSIP after csrs", msip_bit());
	mmio_w32(CLINT_MSIP(0), 0xfffffffe);  /* only bit 0 matters */
	kv("msip <- 0xfffffffe", mmio_r32(CLINT_MSIP(0)));
	kv("mip.MSIP", msip_bit());

	/* enabled: MSIE then MIE */
	csr_set(mie, 1UL << IRQ_MSI);
	mmio_w32(CLINT_MSIP(0), 1);
	kv("hits with MIE=0", hits);
	csr_set(mstatus, MSTATUS_MIE);
	asm volatile("nop");
	kv("hits with MIE=1", hits);
	/* and again through wfi */
	csr_clear(mstatus, MSTATUS_MIE);
	mmio_w32(CLINT_MSIP(0), 1);
	wait_irq(&hits, 2);
	kv("hits", hits);
	kv("msip final", mmio_r32(CLINT_MSIP(0)));
	kv("mip.MSIP final", msip_bit());
	csr_write(mie, 0);
	done("msi_own");
}
