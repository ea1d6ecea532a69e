/* Machine information CSRs (priv spec 3.1.1-3.1.5, 3.1.17): values, ignored misa
 * writes, and illegal-instruction traps on writes to the read-only ids. */
#include "fw.h"

int main(void)
{
	u64 misa = csr_read(misa);
	kv("misa", misa);
	kv("mvendorid", csr_read(mvendorid));
	kv("marchid", csr_read(marchid));
	kv("mimpid", csr_read(mimpid));
	kv("mhartid", csr_read(mhartid));
	kv("mconfigptr", csr_read(mconfigptr));
	/* misa is WARL; writes that would remove I, C or change MXL must not take effect */
	kvw("misa", misa, csr_wr(misa, misa));
	kvw("misa", 0, csr_wr(misa, 0));
	kvw("misa", misa & ~(1UL << ('H' - 'A')), csr_wr(misa, misa & ~(1UL << ('H' - 'A'))));
	csr_write(misa, misa);
	kvw("misa", misa & ~(3UL << 62), csr_wr(misa, misa & ~(3UL << 62)));
	csr_write(misa, misa);
	kv("misa final", csr_read(misa));
	/* read-only CSRs: any write traps (priv spec 2.1) */
	TRY("csrw mvendorid", "csrw mvendorid, t1", 1);
	TRY("csrw marchid", "csrw marchid, t1", 0);
	TRY("csrw mimpid", "csrw mimpid, t1", ~0UL);
	TRY("csrw mhartid", "csrw mhartid, t1", 0);
	TRY("csrw mconfigptr", "csrw mconfigptr, t1", 0);
	TRY("csrrs mhartid t1=1", "csrrs t0, mhartid, t1", 1);
	TRY("csrrs mhartid x0", "csrrs t0, mhartid, x0", 0);
	TRY("csrrwi marchid 0", "csrrwi t0, marchid, 0", 0);
	TRY("csrrci mimpid 0", "csrrci t0, mimpid, 0", 0);
	TRY("csrrsi mvendorid 1", "csrrsi t0, mvendorid, 1", 0);
	done("csr_misa_ids");
}
