/* Counter CSRs (priv spec 3.1.10-3.1.13): enables, inhibit, mhpmevent/mhpmcounter
 * read-back, and counter access from S and U gated by mcounteren/scounteren. Counter
 * values are never printed, only comparisons. */
#include "fw.h"

#define HPM(X) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) \
	X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) \
	X(29) X(30) X(31)

#define EVENT(n) TRY("mhpmevent" #n " <- ~0", "csrw mhpmevent" #n ", t1\n csrr t0, mhpmevent" #n, ~0UL); \
	TRY("mhpmevent" #n " <- 0", "csrw mhpmevent" #n ", t1\n csrr t0, mhpmevent" #n, 0);
#define COUNTER(n) TRYQ("read mhpmcounter" #n, "csrr t0, mhpmcounter" #n, 0); \
	TRYQ("write mhpmcounter" #n, "csrw mhpmcounter" #n ", t1", 0);

static u64 user_reads(u64 arg)
{
	(void)arg;
	TRYQ("  cycle", "csrr t0, cycle", 0);
	TRYQ("  time", "csrr t0, time", 0);
	TRYQ("  instret", "csrr t0, instret", 0);
	TRYQ("  hpmcounter3", "csrr t0, hpmcounter3", 0);
	TRYQ("  hpmcounter31", "csrr t0, hpmcounter31", 0);
	return 0;
}

static void lower(u64 mpp, u64 mcen, u64 scen)
{
	csr_write(mcounteren, mcen);
	csr_write(scounteren, scen);
	puts_(mpp == MPP_S ? "S" : "U");
	puts_(" reads mcounteren=");
	put_hex(mcen);
	puts_(" scounteren=");
	put_hex(scen);
	putch('\n');
	run_lower(mpp, user_reads, 0);
}

int main(void)
{
	kv("mcounteren reset", csr_read(mcounteren));
	kv("scounteren reset", csr_read(scounteren));
	kv("mcountinhibit reset", csr_read(mcountinhibit));
	PROBE(mcounteren, ~0UL);
	PROBE(mcounteren, 0);
	PROBE(scounteren, ~0UL);
	PROBE(mcountinhibit, ~0UL);
	PROBE(mcountinhibit, 0);
	PROBE(mcountinhibit, 0x2UL);  /* bit 1 (time) is read-only zero */
	HPM(EVENT)
	HPM(COUNTER)

	/* mcycle/minstret are writable and keep counting from the written value */
	u64 w = 0x100000000UL;
	csr_write(mcycle, w);
	kvb("mcycle >= written", csr_read(mcycle) >= w);
	csr_write(minstret, w);
	kvb("minstret >= written", csr_read(minstret) >= w);
	u64 a = csr_read(cycle), b = csr_read(cycle);
	kvb("cycle monotonic", b >= a);
	a = csr_read(time);
	b = csr_read(time);
	kvb("time monotonic", b >= a);
	TRY("csrw cycle", "csrw cycle, t1", 0);
	TRY("csrw time", "csrw time, t1", 0);

	pmp_allow_all();
	lower(MPP_S, 0, 0);
	lower(MPP_S, ~0UL, 0);
	lower(MPP_S, 0x5, 0);
	lower(MPP_U, ~0UL, 0);
	lower(MPP_U, ~0UL, ~0UL);
	lower(MPP_U, 0, ~0UL);
	lower(MPP_U, 0x3, 0x6);
	csr_write(mcounteren, 0);
	csr_write(scounteren, 0);
	done("csr_counters");
}
