/* mie / mip and their S views sie / sip, which depend on mideleg (priv spec 3.1.9,
 * 4.1.3). mtimecmp is parked at -1 so MTIP is stable; MIE stays 0 so nothing traps. */
#include "fw.h"

static void views(const char *what)
{
	puts_(what);
	putch('\n');
	kv("  mie", csr_read(mie));
	kv("  mip", csr_read(mip));
	kv("  sie", csr_read(sie));
	kv("  sip", csr_read(sip));
}

int main(void)
{
	mmio_w64(CLINT_MTIMECMP(0), ~0UL);
	kv("mie reset", csr_read(mie));
	kv("mip reset", csr_read(mip));
	PROBE(mie, ~0UL);
	PROBE(mie, 0);
	PROBE(mip, ~0UL);
	PROBE(mip, 0);
	PROBE(mip, 0x222UL);

	static const u64 delegs[] = { 0, 0x222, 0x2, ~0UL };
	for (unsigned i = 0; i < 4; i++) {
		csr_write(mideleg, delegs[i]);
		kv("mideleg", csr_read(mideleg));
		csr_write(mie, ~0UL);
		csr_write(mip, 0x222UL);
		views("all set via mie/mip");
		PROBE(sie, 0);
		PROBE(sie, ~0UL);
		PROBE(sip, 0);
		PROBE(sip, ~0UL);
		csr_write(mie, 0);
		csr_write(mip, 0);
		csr_write(sie, ~0UL);
		csr_write(sip, ~0UL);
		views("all set via sie/sip");
		csr_write(mie, 0);
		csr_write(mip, 0);
	}
	csr_write(mideleg, 0);
	views("final");
	done("csr_mie_mip");
}
