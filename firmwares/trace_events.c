/* Known trace events other than CSR accesses, for the tracer's end to end test
 * (tests/integration/test_trace.py, monitor built with TRACE=all): device stores and loads
 * of known values, an SBI call from S-mode answered by this firmware (call, world switches,
 * mret, return with a0/a1), and a machine software interrupt. Each group runs in its own
 * function so the test finds its records by symbol. Natively a plain dump. */
#include "fw.h"

#define SBI_EXT_TEST 0x54455354UL  /* "TEST" */
#define SBI_FN_TEST 7
#define TIMECMP_VALUE 0x123456789abcdef0UL

static volatile u64 hits;

static int on_irq(struct trap_frame *f)
{
	if (f->cause != (CAUSE_INTR | IRQ_MSI))
		return 0;
	hits++;
	mmio_w32(CLINT_MSIP(0), 0);
	return 1;
}

/* The SBI call's answer: a0 = 0 (success), a1 = the function number times 0x11. */
static int on_ecall(struct trap_frame *f)
{
	if (f->cause != 9 || f->x[REG_A7] != SBI_EXT_TEST)
		return 0;
	f->x[REG_A0] = 0;
	f->x[REG_A1] = f->x[REG_A6] * 0x11;
	f->epc += 4;
	return 1;
}

__attribute__((noinline)) void dev_store(void)
{
	mmio_w64(CLINT_MTIMECMP(0), TIMECMP_VALUE);     /* device store, 8 bytes */
}

__attribute__((noinline)) void dev_load(void)
{
	kv("dev_load mtimecmp", mmio_r64(CLINT_MTIMECMP(0)));      /* device load, 8 bytes */
	kv("dev_load mtimecmp hi", mmio_r32(CLINT_MTIMECMP(0) + 4)); /* 4 bytes */
}

static u64 s_mode_call(u64 arg)
{
	register u64 a0 asm("a0") = arg;
	register u64 a1 asm("a1") = 0;
	register u64 a6 asm("a6") = SBI_FN_TEST;
	register u64 a7 asm("a7") = SBI_EXT_TEST;
	asm volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
	return a1;
}

__attribute__((noinline)) void sbi_call(void)
{
	kv("sbi_call a1", run_lower(MPP_S, s_mode_call, 0));
}

__attribute__((noinline)) void software_irq(void)
{
	csr_set(mie, 1UL << IRQ_MSI);
	mmio_w32(CLINT_MSIP(0), 1);
	wait_irq(&hits, 1);
	csr_clear(mie, 1UL << IRQ_MSI);
	kv("software_irq hits", hits);
}

int main(void)
{
	this_hart()->irq = on_irq;
	this_hart()->ecall = on_ecall;
	pmp_allow_all();
	dev_store();
	dev_load();
	sbi_call();
	software_irq();
	mmio_w64(CLINT_MTIMECMP(0), ~0UL);
	done("trace_events");
}
