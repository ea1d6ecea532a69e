/* S-mode CSRs accessed from M-mode (priv spec 4.1): stvec modes, scratch/epc/cause/
 * tval, satp modes (WARL: unsupported modes make the whole write ignored, 4.1.11),
 * stimecmp (Sstc), scounteren. */
#include "fw.h"

static void satp_probe(const char *key, u64 v)
{
	csr_write(satp, 0);
	csr_write(satp, v);
	asm volatile("sfence.vma" ::: "memory");
	kvw(key, v, csr_read(satp));
	csr_write(satp, 0);
	asm volatile("sfence.vma" ::: "memory");
}

int main(void)
{
	u64 base = (u64)strap_entry;  /* 64-byte aligned */
	puts_("stvec direct: ");
	put_addr(csr_probe(stvec, base));
	puts_("\nstvec vectored: ");
	put_addr(csr_probe(stvec, base | 1));
	puts_("\nstvec mode 2: ");
	put_addr(csr_probe(stvec, base | 2));
	puts_("\nstvec mode 3: ");
	put_addr(csr_probe(stvec, base | 3));
	putch('\n');
	PROBE(stvec, ~0UL);
	PROBE(stvec, 0);
	PROBE(sscratch, ~0UL);
	PROBE(sepc, ~0UL);
	PROBE(sepc, 0x80000003UL);
	PROBE(scause, ~0UL);
	PROBE(scause, 0x800000000000000fUL);
	PROBE(stval, ~0UL);
	kv("satp reset", csr_read(satp));
	satp_probe("satp bare", 0);
	satp_probe("satp bare+asid", 0xffffUL << 44);
	satp_probe("satp sv39", (8UL << 60) | 0x80000UL);
	satp_probe("satp sv39 asid", (8UL << 60) | (0xffffUL << 44) | 0x80000UL);
	satp_probe("satp sv39 all", (8UL << 60) | ((1UL << 60) - 1));
	satp_probe("satp sv48", (9UL << 60) | 0x80000UL);
	satp_probe("satp sv57", (10UL << 60) | 0x80000UL);
	satp_probe("satp sv64", (11UL << 60) | 0x80000UL);
	satp_probe("satp mode 1", (1UL << 60) | 0x80000UL);
	satp_probe("satp mode 15", (15UL << 60) | 0x80000UL);
	csr_write(satp, (8UL << 60) | 0x80001UL);
	satp_probe("satp sv39->mode 5", (5UL << 60) | 0x1234UL);
	/* stimecmp: park at -1 first so STIP stays quiet */
	PROBE(stimecmp, ~0UL);
	PROBE(stimecmp, 0x123456789UL);
	csr_write(stimecmp, ~0UL);
	kv("stimecmp", csr_read(stimecmp));
	PROBE(scounteren, ~0UL);
	PROBE(scounteren, 0);
	PROBE(scounteren, 0x5UL);
	done("csr_smode");
}
