/* Smoke test of the runtime: printing, an expected trap, a U and an S round trip. */
#include "fw.h"

static u64 plus_one(u64 a)
{
	return a + 1;
}

int main(void)
{
	kv("hello", 0x1234);
	TRY("csrw mvendorid", "csrw mvendorid, t1", 1);
	pmp_allow_all();
	kv("u round trip", run_lower(MPP_U, plus_one, 5));
	kv("s round trip", run_lower(MPP_S, plus_one, 7));
	done("hello");
}
