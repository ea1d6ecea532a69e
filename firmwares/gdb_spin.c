/* A firmware that runs without trapping, for the GDB stub's Ctrl-C test
 * (tests/integration/test_gdb.py): spin() loops on a flag, reading the time CSR (no trap
 * in U-mode), until a debugger sets `release` or spin_ticks of time pass. Around it, the
 * machine timer interrupt and mip.MTIP the firmware sees must be exactly the hardware's,
 * including while the monitor takes its own tick from the same CLINT. Natively and under
 * a plain monitor the spin just times out (0.1 s). */
#include "fw.h"

#define MIE_MTIE (1UL << 7)

volatile u64 release;
volatile u64 spin_ticks = 1000000;
static volatile u64 ticks;

static int on_irq(struct trap_frame *f)
{
	if (f->cause != (CAUSE_INTR | 7))
		return 0;
	ticks++;
	mmio_w64(CLINT_MTIMECMP(0), ~0UL);
	return 1;
}

static u64 rdtime(void)
{
	u64 t;
	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

static u64 mtip(void) { return (csr_read(mip) >> 7) & 1; }

/* A timer interrupt 1 ms ahead, taken through wfi; mip.MTIP before and after. */
static void timer_round(const char *key)
{
	u64 before = ticks;
	mmio_w64(CLINT_MTIMECMP(0), ~0UL);
	kv("mip.MTIP far", mtip());
	u64 cmp = mtime() + 10000;
	mmio_w64(CLINT_MTIMECMP(0), cmp);
	kvb("mtimecmp reads back", mmio_r64(CLINT_MTIMECMP(0)) == cmp);
	kvb("mtimecmp hi reads back", mmio_r32(CLINT_MTIMECMP(0) + 4) == (u32)(cmp >> 32));
	/* QEMU raises MTIP from its own timer callback: wait for the bit, bounded. */
	u64 seen = 0;
	for (u64 i = 0; i < 10000000 && !seen; i++)
		seen = mtip();
	kvb("mip.MTIP due", seen && mtime() >= cmp);
	csr_set(mie, MIE_MTIE);
	wait_irq(&ticks, before + 1);
	csr_clear(mie, MIE_MTIE);
	kv(key, ticks - before);
	kv("mip.MTIP after", mtip());
}

__attribute__((noinline)) int spin(void)
{
	u64 end = rdtime() + spin_ticks;
	while (!release)
		if (rdtime() >= end)
			return 0;
	return 1;
}

int main(void)
{
	this_hart()->irq = on_irq;
	timer_round("timer before spin");
	kvs("spin", spin() ? "released" : "timed out");
	timer_round("timer after spin");
	done("gdb_spin");
}
