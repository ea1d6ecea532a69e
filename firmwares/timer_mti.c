/* Machine timer interrupt through the CLINT mtimecmp (priv spec 3.2.1): MTIP follows
 * mtime >= mtimecmp, is cleared only by rewriting mtimecmp, and traps with cause
 * 0x8000000000000007 once MTIE and MIE are set. No time values are printed. */
#include "fw.h"

#define DELTA 10000  /* 1 ms at 10 MHz */

static volatile u64 hits;

static int on_irq(struct trap_frame *f)
{
	if (f->cause != (CAUSE_INTR | IRQ_MTI))
		return 0;
	hits++;
	kv("handler cause", f->cause);
	kv("handler MPP", (f->status >> 11) & 3);
	kv("handler MPIE", (f->status >> 7) & 1);
	kv("handler mip.MTIP", (csr_read(mip) >> 7) & 1);
	mmio_w64(CLINT_MTIMECMP(0), ~0UL);
	kv("handler mip.MTIP after mtimecmp=-1", (csr_read(mip) >> 7) & 1);
	return 1;
}

static u64 mtip(void)
{
	return (csr_read(mip) >> IRQ_MTI) & 1;
}

int main(void)
{
	this_hart()->irq = on_irq;
	u64 t0 = mtime();
	while (mtime() == t0)
		;
	kvb("mtime advanced", 1);
	kv("mtip parked", mtip());
	kvb("mtimecmp reads back", mmio_r64(CLINT_MTIMECMP(0)) == ~0UL);

	/* pending without MTIE/MIE: no trap, just MTIP */
	mmio_w64(CLINT_MTIMECMP(0), mtime() + DELTA);
	while (!mtip())
		;
	kv("mtip before enable", mtip());
	csr_clear(mip, 1UL << IRQ_MTI);  /* read-only in mip: no effect */
	kv("mtip after csrc mip", mtip());
	mmio_w64(CLINT_MTIMECMP(0), ~0UL);
	kv("mtip after mtimecmp=-1", mtip());
	kv("hits", hits);

	/* MTIE alone (MIE=0): still no trap */
	csr_set(mie, 1UL << IRQ_MTI);
	mmio_w64(CLINT_MTIMECMP(0), 0);
	while (!mtip())
		;
	kv("hits with MIE=0", hits);
	mmio_w64(CLINT_MTIMECMP(0), ~0UL);

	/* armed in the future, wait in wfi */
	mmio_w64(CLINT_MTIMECMP(0), mtime() + DELTA);
	wait_irq(&hits, 1);
	kv("hits after wfi", hits);
	kv("mtip after handler", mtip());

	/* already expired: taken as soon as MIE is set */
	mmio_w64(CLINT_MTIMECMP(0), mtime());
	while (!mtip())
		;
	csr_set(mstatus, MSTATUS_MIE);
	asm volatile("nop");
	csr_clear(mstatus, MSTATUS_MIE);
	kv("hits after expired", hits);
	/* 32-bit halves: hi first to -1 avoids a spurious match (CLINT is byte-addressable) */
	mmio_w32(CLINT_MTIMECMP(0) + 4, ~0U);
	mmio_w32(CLINT_MTIMECMP(0), 0);
	kv("mtip after 32-bit writes", mtip());
	kv("mtimecmp hi", mmio_r32(CLINT_MTIMECMP(0) + 4));
	kv("mtimecmp lo", mmio_r32(CLINT_MTIMECMP(0)));
	mmio_w64(CLINT_MTIMECMP(0), ~0UL);
	csr_write(mie, 0);
	done("timer_mti");
}
