/* mstatus WARL behaviour (priv spec 3.1.6): each write is done, read back and undone
 * in one asm block, so odd values (MPRV with MPP=U, ...) never affect our own accesses. */
#include "fw.h"

/* write v to mstatus, return mstatus and sstatus as seen right after */
static void probe(u64 v)
{
	u64 o, m, s;
	asm volatile("csrrw %0, mstatus, %3\n csrr %1, mstatus\n csrr %2, sstatus\n csrw mstatus, %0"
		     : "=&r"(o), "=&r"(m), "=&r"(s) : "r"(v) : "memory");
	kvw("mstatus", v, m);
	kv("  sstatus", s);
}

int main(void)
{
	u64 base = csr_read(mstatus);
	kv("mstatus reset", base);
	kv("sstatus reset", csr_read(sstatus));
	probe(~0UL);
	probe(0);
	/* one field at a time (bit 0..39 and SD) */
	static const u8 bits[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				   17, 18, 19, 20, 21, 22, 23, 24, 31, 32, 33, 34, 35, 36, 37,
				   38, 39, 40, 62, 63 };
	for (unsigned i = 0; i < sizeof(bits); i++)
		probe(base | (1UL << bits[i]));
	/* multi-bit fields, every value */
	for (u64 v = 0; v < 4; v++) {
		probe((base & ~MSTATUS_MPP) | (v << 11));          /* MPP: 2 is reserved */
		probe((base & ~MSTATUS_FS) | (v << 13));           /* FS: 3 = dirty -> SD */
		probe((base & ~(3UL << 9)) | (v << 9));             /* VS */
		probe((base & ~(3UL << 15)) | (v << 15));           /* XS is read-only */
		probe((base & ~(3UL << 32)) | (v << 32));           /* UXL */
		probe((base & ~(3UL << 34)) | (v << 34));           /* SXL */
	}
	/* sstatus writes only reach the S view of the fields (priv spec 4.1.1) */
	u64 o, m, s;
	asm volatile("csrr %0, mstatus\n csrw sstatus, %3\n csrr %1, mstatus\n csrr %2, sstatus\n"
		     "csrw mstatus, %0" : "=&r"(o), "=&r"(m), "=&r"(s) : "r"(~0UL) : "memory");
	kv("sstatus <- ~0: mstatus", m);
	kv("sstatus <- ~0: sstatus", s);
	asm volatile("csrr %0, mstatus\n csrw sstatus, zero\n csrr %1, mstatus\n csrr %2, sstatus\n"
		     "csrw mstatus, %0" : "=&r"(o), "=&r"(m), "=&r"(s) :: "memory");
	kv("sstatus <- 0: mstatus", m);
	kv("sstatus <- 0: sstatus", s);
	/* set/clear forms on the FS field */
	csr_set(mstatus, MSTATUS_FS);
	kv("csrs FS: mstatus", csr_read(mstatus));
	csr_clear(mstatus, 1UL << 13);
	kv("csrc FS.0: mstatus", csr_read(mstatus));
	csr_clear(mstatus, MSTATUS_FS);
	kv("csrc FS: mstatus", csr_read(mstatus));
	check(csr_read(mstatus) == base, "mstatus not restored");
	done("csr_mstatus");
}
