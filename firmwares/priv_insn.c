/* Privileged instructions and CSRs from S and U (priv spec 3.1.6.5, 3.3): mret/sret/wfi/
 * sfence.vma/M-CSR access, and the TSR/TVM/TW traps from S. All land in M (nothing is
 * delegated) as illegal instruction with the instruction bits in mtval. */
#include "fw.h"

static u64 in_u(u64 arg)
{
	TRY("  mret", "mret", 0);
	TRY("  sret", "sret", 0);
	TRY("  wfi", "wfi", 0);
	TRY("  sfence.vma", "sfence.vma", 0);
	TRY("  csrr mstatus", "csrr t0, mstatus", 0);
	TRY("  csrr sstatus", "csrr t0, sstatus", 0);
	TRY("  csrr satp", "csrr t0, satp", 0);
	TRY("  csrw mscratch", "csrw mscratch, t1", 1);
	TRY("  hfence.gvma", ".word 0x62000073 /* hfence.gvma */", 0);
	/* QEMU 7.2 leaves a stale mtval for hlv.*: print the cause only */
	expect_trap();
	asm volatile(".word 0x680342f3 /* hlv.w t0, (t1) */" ::: "t0", "memory");
	this_hart()->armed = 0;
	kv("  hlv.w cause", this_hart()->rec.cause);
	return arg;
}

static u64 in_s(u64 arg)
{
	TRY("  mret", "mret", 0);
	TRY("  csrr mstatus", "csrr t0, mstatus", 0);
	TRY("  csrr mscratch", "csrr t0, mscratch", 0);
	TRY("  csrr medeleg", "csrr t0, medeleg", 0);
	TRY("  csrr sscratch", "csrr t0, sscratch", 0);
	TRY("  csrr satp", "csrr t0, satp", 0);
	TRY("  sfence.vma", "sfence.vma", 0);
	TRY("  csrr hstatus", "csrr t0, hstatus", 0);
	return arg;
}

static u64 in_s_trapped(u64 arg)
{
	TRY("  sret (TSR)", "sret", 0);
	TRY("  sfence.vma (TVM)", "sfence.vma", 0);
	TRY("  csrr satp (TVM)", "csrr t0, satp", 0);
	TRY("  csrw satp (TVM)", "csrw satp, x0", 0);
	TRY("  wfi (TW)", "wfi", 0);
	TRY("  hfence.gvma (TVM)", ".word 0x62000073 /* hfence.gvma */", 0);
	return arg;
}

int main(void)
{
	pmp_allow_all();
	csr_write(sscratch, 0x5c);
	puts_("U\n");
	run_lower(MPP_U, in_u, 0);
	puts_("S\n");
	run_lower(MPP_S, in_s, 0);
	puts_("S with TSR TVM TW\n");
	csr_set(mstatus, (1UL << 22) | (1UL << 20) | (1UL << 21));
	run_lower(MPP_S, in_s_trapped, 0);
	csr_clear(mstatus, (1UL << 22) | (1UL << 20) | (1UL << 21));
	done("priv_insn");
}
