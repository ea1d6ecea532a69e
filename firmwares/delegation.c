/* Trap delegation to S-mode (priv spec 3.1.8): illegal instruction and ecall-from-U
 * delegated through medeleg, SSIP through mideleg. They must land in stvec with the
 * right scause/sepc/stval/SPP; a non-delegated exception (ebreak) still goes to M. */
#include "fw.h"

static volatile u64 s_irqs, s_irq_cause, s_irq_spp;

static int s_irq(struct trap_frame *f)
{
	s_irqs++;
	s_irq_cause = f->cause;
	s_irq_spp = (f->status >> 8) & 1;
	csr_clear(sip, 1UL << IRQ_SSI);
	return 1;
}

static void spp(void)
{
	kv("  SPP", (this_hart()->srec.status >> 8) & 1);
}

static u64 in_u(u64 arg)
{
	STRYP("U ecall", "li a7, 0x33", "ecall", 0);
	spp();
	STRY("U illegal csrr mstatus", "csrr t0, mstatus", 0);
	spp();
	STRY("U c.unimp", ".half 0", 0);
	/* U always takes S interrupts (SIE is ignored below S, spec 3.1.6.1): set SSIP from
	 * S-mode beforehand with SIE=0, it fires on the first U instruction */
	return arg;
}

static u64 in_s(u64 arg)
{
	STRY("S illegal csrr mstatus", "csrr t0, mstatus", 0);
	spp();
	STRYP("S ecall (not delegated)", "li a7, 0x44", "ecall", 0);
	TRY("S ebreak (not delegated)", "ebreak", 0);
	/* SSIP with SIE=0: pending, not taken */
	csr_set(sie, 1UL << IRQ_SSI);
	csr_set(sip, 1UL << IRQ_SSI);
	kv("S sip with SIE=0", csr_read(sip));
	kv("S irqs with SIE=0", s_irqs);
	/* SIE=1: taken right away */
	csr_set(sstatus, MSTATUS_SIE);
	asm volatile("nop");
	csr_clear(sstatus, MSTATUS_SIE);
	kv("S irqs with SIE=1", s_irqs);
	kv("  scause", s_irq_cause);
	kv("  SPP", s_irq_spp);
	kv("  sip after", csr_read(sip));
	return arg + 1;
}

static int m_ecall(struct trap_frame *f)
{
	kv("M got ecall, cause", f->cause);
	f->epc += 4;
	return 1;
}

int main(void)
{
	struct hart *h = this_hart();
	pmp_allow_all();
	csr_write(stvec, (u64)strap_entry);
	csr_write(medeleg, (1UL << 2) | (1UL << 8));
	csr_write(mideleg, 1UL << IRQ_SSI);
	kv("medeleg", csr_read(medeleg));
	kv("mideleg", csr_read(mideleg));
	h->sirq = s_irq;
	h->ecall = m_ecall;
	kv("S ret", run_lower(MPP_S, in_s, 1));
	kv("U ret", run_lower(MPP_U, in_u, 2));

	/* SSIP pending while in U with sstatus.SIE=0 is taken (privilege is below S) */
	csr_clear(mstatus, MSTATUS_SIE);
	csr_set(mie, 1UL << IRQ_SSI);
	csr_set(mip, 1UL << IRQ_SSI);
	kv("M irqs before U", s_irqs);
	run_lower(MPP_U, in_u, 3);
	kv("irqs after U", s_irqs);
	kv("  scause", s_irq_cause);
	kv("  SPP", s_irq_spp);

	/* delegated interrupt pending in M with MIE=1: never taken in M */
	csr_set(mip, 1UL << IRQ_SSI);
	csr_set(mstatus, MSTATUS_MIE);
	asm volatile("nop");
	csr_clear(mstatus, MSTATUS_MIE);
	kv("M irqs with SSIP delegated", s_irqs);
	kv("mip", csr_read(mip));
	csr_clear(mip, 1UL << IRQ_SSI);
	csr_write(mie, 0);
	csr_write(medeleg, 0);
	csr_write(mideleg, 0);
	done("delegation");
}
