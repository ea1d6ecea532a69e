/* Vectored mtvec (priv spec 3.1.7): interrupts enter at base + 4*cause, exceptions at
 * base. lib/trap.S notes which slot was used (vec_idx = slot + 1). */
#include "fw.h"

static volatile u64 last, hits;

static int on_irq(struct trap_frame *f)
{
	struct hart *h = this_hart();
	puts_("irq cause=");
	put_hex(f->cause);
	puts_(" slot=");
	if (h->vec_idx)
		put_hex(h->vec_idx - 1);
	else
		puts_("none");
	putch('\n');
	last = f->cause;
	hits++;
	h->vec_idx = 0;
	switch (f->cause & 0xff) {
	case IRQ_MSI: mmio_w32(CLINT_MSIP(0), 0); break;
	case IRQ_MTI: mmio_w64(CLINT_MTIMECMP(0), ~0UL); break;
	case IRQ_SSI: csr_clear(mip, 1UL << IRQ_SSI); break;
	default: return 0;
	}
	return 1;
}

static void fire(u64 irq)
{
	last = 0;
	csr_write(mie, 1UL << irq);
	switch (irq) {
	case IRQ_MSI: mmio_w32(CLINT_MSIP(0), 1); break;
	case IRQ_MTI: mmio_w64(CLINT_MTIMECMP(0), 0); break;
	case IRQ_SSI: csr_set(mip, 1UL << IRQ_SSI); break;
	}
	wait_irq(&hits, hits + 1);
	csr_write(mie, 0);
}

int main(void)
{
	struct hart *h = this_hart();
	h->irq = on_irq;
	h->vec_idx = 0;
	csr_write(mtvec, (u64)trap_vector_table | 1);
	puts_("mtvec: ");
	put_addr(csr_read(mtvec));
	putch('\n');
	fire(IRQ_MSI);
	fire(IRQ_MTI);
	fire(IRQ_SSI);
	/* exceptions ignore the vector: slot stays unset */
	TRY("ecall", "ecall", 0);
	kv("exception vec_idx", h->vec_idx);
	TRY("illegal", ".half 0", 0);
	kv("exception vec_idx", h->vec_idx);
	/* back to direct mode: no slot used */
	csr_write(mtvec, (u64)trap_entry);
	h->vec_idx = 0;
	last = 0;
	mmio_w32(CLINT_MSIP(0), 1);
	csr_write(mie, 1UL << IRQ_MSI);
	wait_irq(&hits, hits + 1);
	csr_write(mie, 0);
	done("mtvec_vectored");
}
