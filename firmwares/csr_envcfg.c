/* menvcfg / senvcfg / henvcfg WARL read-back (priv spec 3.1.18, 4.1.10, 8.2.5). */
#include "fw.h"

#define PATS(csr) do { PROBE(csr, ~0UL); PROBE(csr, 0); PROBE(csr, 0x1UL); PROBE(csr, 0xf0UL); \
	PROBE(csr, 1UL << 63); PROBE(csr, 1UL << 62); PROBE(csr, 0x30UL); } while (0)

int main(void)
{
	kv("menvcfg reset", csr_read(menvcfg));
	kv("senvcfg reset", csr_read(senvcfg));
	kv("henvcfg reset", csr_read(henvcfg));
	PATS(menvcfg);
	PATS(senvcfg);
	PATS(henvcfg);
	/* henvcfg.STCE/PBMTE are masked by menvcfg */
	u64 m = csr_read(menvcfg);
	csr_write(menvcfg, 0);
	PROBE(henvcfg, ~0UL);
	csr_write(menvcfg, ~0UL);
	PROBE(henvcfg, ~0UL);
	csr_write(menvcfg, m);
	kv("menvcfg final", csr_read(menvcfg));
	done("csr_envcfg");
}
