/* Every CSR number 0x000..0xfff: csrr under a trap handler, then (if it read) csrrw of
 * all-ones, 0 and 0x5555... each followed by a read-back, then the original value written
 * back. The instruction is patched into cbuf (in .text) and run from there. A 64-bit
 * checksum of (number, read trap or value, write trap or read-back) is printed every
 * 256 numbers, then the numbers whose read trapped, as ranges.
 * Not swept: cycle/time/instret and hpmcounters (0xb00-0xb1f, 0xc00-0xc1f, 0xc80-0xc9f:
 * they count), pmpcfg2..15 and pmpaddr11..63 (the monitor gives the firmware 11 entries),
 * the trigger CSRs 0x7a0-0x7af. Read but not written (the harness needs them): mtvec,
 * satp, pmpcfg0, pmpaddr0..10, mie, medeleg, mideleg; mstatus only has its harmless bits
 * flipped. The timer bits (5..7: STIP, VSTIP, MTIP) of mip, sip, hip, hvip and vsip are
 * masked out of every value. FS is set to Initial so that the FP CSRs are reachable. */
#include "fw.h"

extern u32 cbuf[];
asm(".text\n .balign 8\n .globl cbuf\ncbuf: .word 0x13, 0x8067\n");

static u64 sum = 0xcbf29ce484222325UL;
static void fold(u64 v) { sum = (sum ^ v) * 0x100000001b3UL; sum ^= sum >> 29; }

/* Runs the CSR instruction i (rd = t0, rs1 = t1 = in). Returns 1 if it trapped. */
static int run(u32 i, u64 in, u64 *out)
{
	u64 v;
	cbuf[0] = i;
	asm volatile("fence.i" ::: "memory");
	expect_trap();
	asm volatile("mv t1, %1\n li t0, 0\n jalr ra, 0(%2)\n mv %0, t0"
		: "=&r"(v) : "r"(in), "r"((u64)cbuf) : "t0", "t1", "ra", "memory");
	this_hart()->armed = 0;
	*out = v;
	return this_hart()->rec.count != 0;
}
#define CSRR(n)  (((n) << 20) | (2 << 12) | (5 << 7) | 0x73)           /* csrrs t0, n, x0 */
#define CSRW(n)  (((n) << 20) | (6 << 15) | (1 << 12) | (5 << 7) | 0x73) /* csrrw t0, n, t1 */

static int skipped(u32 n)
{
	return (n >= 0xb00 && n <= 0xb1f) || (n >= 0xc00 && n <= 0xc1f) ||
	       (n >= 0xc80 && n <= 0xc9f) || (n >= 0x3a2 && n <= 0x3af) ||
	       (n >= 0x3bb && n <= 0x3ef) || (n >= 0x7a0 && n <= 0x7af);
}
static int read_only(u32 n)
{
	return n == 0x305 || n == 0x180 || n == 0x3a0 || (n >= 0x3b0 && n <= 0x3ba) ||
	       n == 0x304 || n == 0x302 || n == 0x303;
}
static u64 mask_of(u32 n)
{
	return (n == 0x344 || n == 0x144 || n == 0x644 || n == 0x645 || n == 0x244) ? ~0xe0UL : ~0UL;
}
/* mstatus bits that do not matter to M-mode code: SIE SPIE MPIE SPP MPP FS VS SUM MXR TVM
 * TW TSR UXL SXL GVA MPV (not MIE, MPRV, MBE) */
#define MSTATUS_SAFE (0x2UL | 0x20 | 0x80 | 0x100 | 0x1800 | 0x6000 | 0x600 | (1UL << 18) | \
	(1UL << 19) | (1UL << 20) | (1UL << 21) | (1UL << 22) | (0xfUL << 32) | (3UL << 38))

static u8 rtrap[4096 / 8];

int main(void)
{
	u64 nskip = 0, nread = 0, nwrite = 0;
	csr_set(mstatus, 1UL << 13);
	for (u32 n = 0; n < 4096; n++) {
		u64 r0, r, w, m = mask_of(n);
		struct trap_rec *rec = &this_hart()->rec;
		if (skipped(n)) {
			nskip++;
			goto next;
		}
		fold(n);
		if (run(CSRR(n), 0, &r0)) {
			rtrap[n / 8] |= 1 << (n % 8);
			fold(rec->cause); fold(rec->tval);
			goto next;
		}
		nread++;
		fold(r0 & m);
		if (read_only(n))
			goto next;
		u64 vals[3] = { ~0UL, 0, 0x5555555555555555UL };
		if (n == 0x300) {
			vals[0] = r0 ^ MSTATUS_SAFE;
			vals[1] = r0 | MSTATUS_SAFE;
			vals[2] = r0 & ~MSTATUS_SAFE;
		}
		for (int k = 0; k < 3; k++) {
			if (run(CSRW(n), vals[k], &w)) {
				fold(rec->cause); fold(rec->tval);
				continue;
			}
			nwrite++;
			fold(w & m);
			if (run(CSRR(n), 0, &r)) {
				fold(0xbad); fold(rec->cause);
			} else {
				fold(r & m);
			}
		}
		if (run(CSRW(n), r0, &w))
			fold(0xdead);
next:
		if (n % 256 == 255) {
			puts_("sum ");
			put_hex(n);
			kv("", sum);
		}
	}
	kv("skipped", nskip);
	kv("readable", nread);
	kv("writes accepted", nwrite);
	for (u32 n = 0; n < 4096; n++) {
		if (!(rtrap[n / 8] & (1 << (n % 8))))
			continue;
		u32 e = n;
		while (e + 1 < 4096 && (rtrap[(e + 1) / 8] & (1 << ((e + 1) % 8))))
			e++;
		puts_("read traps: ");
		put_hex(n);
		if (e != n) {
			puts_("..");
			put_hex(e);
		}
		putch('\n');
		n = e;
	}
	done("csr_sweep");
}
