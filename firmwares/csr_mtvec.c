/* mtvec WARL (priv spec 3.1.7): direct/vectored modes, reserved modes 2/3, base
 * alignment. Read-backs inside the image print as img+offset. Each probe restores
 * mtvec before anything can trap. */
#include "fw.h"

static void probe(const char *key, u64 v)
{
	puts_(key);
	puts_(": ");
	put_addr(csr_probe(mtvec, v));
	putch('\n');
}

int main(void)
{
	u64 base = (u64)trap_vector_table;  /* 256-byte aligned */
	puts_("mtvec reset: ");
	put_addr(csr_read(mtvec));
	putch('\n');
	probe("direct", base);
	probe("vectored", base | 1);
	probe("mode 2", base | 2);
	probe("mode 3", base | 3);
	probe("base+4 direct", base + 4);
	probe("base+4 vectored", base + 5);
	probe("base+64 vectored", base + 65);
	probe("base+128 vectored", base + 129);
	probe("all-ones", ~0UL);
	probe("zero", 0);

	/* an exception in vectored mode still goes to base (priv spec 3.1.7) */
	csr_write(mtvec, base | 1);
	TRY("ecall vectored", "ecall", 0);
	kv("vec_idx", this_hart()->vec_idx);
	csr_write(mtvec, (u64)trap_entry);
	TRY("ebreak direct", "ebreak", 0);
	puts_("mtvec final: ");
	put_addr(csr_read(mtvec));
	putch('\n');
	done("csr_mtvec");
}
