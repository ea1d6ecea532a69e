/* mepc/sepc alignment (IALIGN=16 with C), mcause/scause WLRL, mtval, mscratch,
 * mtval2/mtinst (priv spec 3.1.14-3.1.16, 8.6.3). */
#include "fw.h"

#define PATS(csr) do { PROBE(csr, ~0UL); PROBE(csr, 0); PROBE(csr, 0x1UL); PROBE(csr, 0x3UL); \
	PROBE(csr, 0x8000000000000005UL); PROBE(csr, 0x5555555555555555UL); } while (0)

int main(void)
{
	PATS(mepc);
	PATS(sepc);
	PATS(mcause);
	PROBE(mcause, 0x8000000000000010UL);
	PROBE(mcause, 0x18UL);
	PATS(scause);
	PATS(mtval);
	PATS(stval);
	PATS(mscratch);
	PATS(sscratch);
	PATS(mtval2);
	PATS(mtinst);
	/* values survive when not restored */
	csr_write(mscratch, 0x123456789abcdef0UL);
	csr_write(mepc, 0x80001002UL);
	csr_write(mtval, 0xdeadbeefUL);
	kv("mscratch kept", csr_read(mscratch));
	kv("mepc kept", csr_read(mepc));
	kv("mtval kept", csr_read(mtval));
	done("csr_epc_cause_tval");
}
