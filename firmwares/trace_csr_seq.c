/* A known sequence of CSR accesses, one group per named function, for the tracer's end
 * to end test (tests/integration/test_trace.py): traced under a monitor built with
 * TRACE=csr, the decoded trace of step_one..step_six must be exactly this sequence, with
 * step_NAME+offset symbols from build/firmwares/trace_csr_seq.elf. Natively it is a plain
 * CSR read-back dump (native and monitor dumps are compared like every firmware's). */
#include "fw.h"

#define MIE_MSIE (1UL << 3)
#define MIE_MTIE (1UL << 7)

/* Each step is out of line, so that the trace's pcs fall inside it; the CSR instructions
 * are asm volatile, so that neither their number nor their order can change. */
__attribute__((noinline)) void step_one(void)
{
	csr_write(mscratch, 0x1111UL);                 /* write mscratch 0 -> 0x1111 */
	u64 old = csr_swap(mscratch, 0x2222UL);        /* write mscratch 0x1111 -> 0x2222 */
	kv("step_one old", old);
	kv("step_one mscratch", csr_read(mscratch));   /* read mscratch 0x2222 */
}

__attribute__((noinline)) void step_two(void)
{
	kv("step_two mstatus", csr_read(mstatus));     /* read mstatus */
}

__attribute__((noinline)) void step_three(void)
{
	u64 tvec = csr_read(mtvec);                    /* read mtvec */
	csr_write(mtvec, tvec | 1);                    /* write mtvec: vectored */
	csr_write(mtvec, tvec);                        /* write mtvec: direct again */
	kvb("step_three mtvec restored", csr_read(mtvec) == tvec); /* read mtvec */
}

__attribute__((noinline)) void step_four(void)
{
	u64 old;
	asm volatile("csrrs %0, mie, %1" : "=r"(old) : "r"(MIE_MSIE | MIE_MTIE) : "memory");
	kv("step_four mie before", old);
	asm volatile("csrrc %0, mie, %1" : "=r"(old) : "r"(MIE_MSIE | MIE_MTIE) : "memory");
	kv("step_four mie set", old);
}

__attribute__((noinline)) void step_five(void)
{
	u64 old;
	asm volatile("csrrwi %0, mscratch, 5" : "=r"(old) :: "memory"); /* 0x2222 -> 5 */
	kv("step_five old", old);
	kv("step_five mscratch", csr_read(mscratch));  /* read mscratch 5 */
}

__attribute__((noinline)) void step_six(void)
{
	csr_write(medeleg, ~0UL);                      /* WARL: the trace shows what stayed */
	kv("step_six medeleg", csr_read(medeleg));
	csr_write(medeleg, 0);
	csr_write(sscratch, 0x3333UL);                 /* an S CSR from M */
	kv("step_six sscratch", csr_read(sscratch));
}

int main(void)
{
	step_one();
	step_two();
	step_three();
	step_four();
	step_five();
	step_six();
	done("trace_csr_seq");
}
