/* medeleg / mideleg WARL read-back (priv spec 3.1.8). */
#include "fw.h"

int main(void)
{
	kv("medeleg reset", csr_read(medeleg));
	kv("mideleg reset", csr_read(mideleg));
	PROBE(medeleg, ~0UL);
	PROBE(medeleg, 0);
	PROBE(medeleg, 0xffffUL);
	PROBE(medeleg, 1UL << 11);  /* ecall from M can never be delegated */
	PROBE(medeleg, 1UL << 8);
	PROBE(medeleg, 1UL << 9);
	PROBE(medeleg, 1UL << 10);
	PROBE(medeleg, 0xb1ffUL);
	PROBE(medeleg, 0xf00000UL); /* H-extension guest faults 20..23 */
	PROBE(mideleg, ~0UL);
	PROBE(mideleg, 0);
	PROBE(mideleg, 0x222UL);    /* SSIP STIP SEIP */
	PROBE(mideleg, 0x888UL);    /* M-level bits are not delegatable */
	PROBE(mideleg, 0x1444UL);   /* VS bits and SGEIP */
	PROBE(mideleg, 1UL << 13);
	/* set/clear forms */
	csr_write(medeleg, 0);
	csr_set(medeleg, 0x100UL);
	csr_set(medeleg, 0x4UL);
	kv("medeleg after csrs", csr_read(medeleg));
	csr_clear(medeleg, 0x100UL);
	kv("medeleg after csrc", csr_read(medeleg));
	csr_write(medeleg, 0);
	csr_write(mideleg, 0);
	kv("medeleg final", csr_read(medeleg));
	kv("mideleg final", csr_read(mideleg));
	done("csr_deleg");
}
