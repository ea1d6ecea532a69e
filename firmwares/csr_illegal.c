/* Illegal CSR accesses (priv spec 2.1, 2.2; unpriv Zicsr): a sweep of unallocated or
 * unimplemented CSR numbers, writes to read-only CSRs, and the forms that do not write
 * (csrrs/csrrc rs1=x0, csrrsi/csrrci uimm=0) which must not trap. Values of readable
 * CSRs are not printed (some count), only "ok" or the trap. */
#include "fw.h"

#define R(n) TRYQ("csrr " #n, "csrr t0, " #n, 0);
#define W(n) TRYQ("csrw " #n, "csrrw t0, " #n ", t0", 0);

int main(void)
{
	/* read sweep (40 numbers across the space, incl. debug/trigger and RV32-only) */
	R(0x000) R(0x001) R(0x004) R(0x005) R(0x015) R(0x040) R(0x044) R(0x0ff)
	R(0x101) R(0x102) R(0x103) R(0x10c) R(0x181) R(0x1ff) R(0x2ff) R(0x30c)
	R(0x310) R(0x312) R(0x31f) R(0x3a1) R(0x3a3) R(0x5a8) R(0x6a8) R(0x7a0)
	R(0x7a1) R(0x7a2) R(0x7a3) R(0x7a4) R(0x7a8) R(0x7b0) R(0x7b1) R(0x7b2)
	R(0x747) R(0x757) R(0x7c0) R(0x800) R(0x8ff) R(0xb01) R(0xb80) R(0xb82)
	R(0xbc0) R(0xc80) R(0xcc0) R(0xdc0) R(0xe00) R(0xf10) R(0xf16) R(0xfc0)
	R(0xfff)
	/* the same numbers written with their current value */
	W(0x001) W(0x3a1) W(0x7a0) W(0x747) W(0x7b0) W(0xb80) W(0xc80) W(0xf16)

	/* read-only CSRs: writes trap, non-writing forms do not */
	TRY("csrrw x0 mhartid", "csrrw x0, mhartid, t1", 0);
	TRY("csrrw x0 cycle", "csrrw x0, cycle, t1", 0);
	TRY("csrrwi x0 mvendorid", "csrrwi x0, mvendorid, 0", 0);
	TRY("csrrs mhartid x0", "csrrs t0, mhartid, x0", 0);
	TRY("csrrc mhartid x0", "csrrc t0, mhartid, x0", 0);
	TRY("csrrsi mhartid 0", "csrrsi t0, mhartid, 0", 0);
	TRY("csrrci mhartid 0", "csrrci t0, mhartid, 0", 0);
	TRYQ("csrrs cycle x0", "csrrs t0, cycle, x0", 0);
	TRYQ("csrrc time x0", "csrrc t0, time, x0", 0);
	TRYQ("csrrsi instret 0", "csrrsi t0, instret, 0", 0);
	TRY("csrrs mimpid x0 rd=x0", "csrrs x0, mimpid, x0", 0);
	/* rs1 != x0 is a write (QEMU 7.2 only traps when the register is non-zero) */
	TRY("csrrs mhartid t1=1", "csrrs t0, mhartid, t1", 1);
	TRY("csrrc marchid t1=~0", "csrrc t0, marchid, t1", ~0UL);
	TRY("csrrsi mhartid 1", "csrrsi t0, mhartid, 1", 0);
	TRY("csrrci mhartid 1", "csrrci t0, mhartid, 1", 0);
	TRY("csrrs mconfigptr x0", "csrrs t0, mconfigptr, x0", 0);
	TRY("csrrw hgeip", "csrrw t0, hgeip, t1", 0);
	TRY("csrrs hgeip x0", "csrrs t0, hgeip, x0", 0);
	done("csr_illegal");
}
