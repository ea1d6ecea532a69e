/* A firmware to be debugged (tests/integration/test_gdb.py): named functions, a global to
 * watch, a local to print, a CSR state to inspect. Natively it just runs and prints. */
#include "fw.h"

volatile u64 watched;          /* written once by bump(): the watchpoint test */
u64 counter;                   /* a global to print and set */

__attribute__((noinline)) u64 add(u64 a, u64 b)
{
	u64 sum = a + b;       /* a local to print from `finish`/`frame` */
	return sum;
}

__attribute__((noinline)) void bump(u64 by)
{
	watched = watched + by;
}

__attribute__((noinline)) u64 work(u64 n)
{
	u64 total = 0;
	for (u64 i = 0; i < n; i++)
		total = add(total, i);
	return total;
}

int main(void)
{
	csr_write(mscratch, 0x5ca1ab1e);
	csr_write(mepc, 0x80000abc);
	counter = work(5);
	bump(7);
	kv("counter", counter);
	kv("watched", watched);
	done("gdb_target");
}
