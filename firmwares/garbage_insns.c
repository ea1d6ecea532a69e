/* Pseudo-random instruction stream in M-mode (fixed-seed xorshift): CSR instructions on
 * random CSR numbers, privileged encodings with random fields, loads/stores/AMOs/cbo to a
 * whitelist (scratch buffer, CLINT, unmapped space), random compressed and 32-bit words.
 * Each word runs alone in gbuf (in .text) with all of x5..x31 random; a trap or the
 * return path comes back to M with mstatus restored first (from gp). The harness state
 * (mstatus, mtvec, mie, deleg, satp, PMP 0..10, mip, hvip, hstatus, hgatp, vsatp, msip,
 * mtimecmp) is restored after each word. Skipped: jumps/branches, writes to x1..x4,
 * sp-relative compressed accesses, accesses outside the whitelist with base x0..x4,
 * pmpcfg2..15/pmpaddr11..63 (the monitor has 11 entries), trigger CSR writes. Not folded:
 * counter CSR reads, mtime loads, mip/sip/hip/hvip/vsip bits 5..7. */
#include "fw.h"
#include "run_word.h"

#define N 3000
#define CTX_MST 256
struct gctx ctx;

static u8 scratch[4096] __attribute__((aligned(4096)));
static u64 causes[24], intr, executed, skipped;
static int rd_ok(void) { int r; do r = rnd() & 31; while (r >= 1 && r <= 4); return r; }

/* Whitelisted access targets: [lo, lo+128) of a 64-byte aligned start is inside one region. */
static int safe(u64 a)
{
	u64 s = (u64)scratch, lo = a & ~63UL;
	if (lo > ~0UL - 256) return 0;
	return (lo >= s && lo + 128 <= s + sizeof(scratch)) ||
	       (lo >= CLINT_BASE && lo + 128 <= CLINT_BASE + 0x10000) ||
	       (lo >= 0x6000000 && lo + 128 <= 0xc000000) ||
	       (lo >= 0x90000000UL && lo + 128 <= 0x400000000UL) || lo >= 0x800000000UL;
}
static u64 target(void)
{
	u64 r = rnd(), m = (r >> 8) & 7 ? 0 : (r >> 12) & 7;  /* sometimes misaligned */
	static const u64 clint[] = { 0, 4, 0x3ffc, 0x4000, 0x4008, 0x7ff8, 0xbff8, 0xc000, 0xfe00 };
	switch (r % 10) {
	case 0: case 1: case 2: case 3: return (u64)scratch + (r >> 20) % 3968;
	case 4: return CLINT_BASE + clint[(r >> 20) % 9] + m;
	case 5: return CLINT_BASE + (r >> 20) % 0xff80;
	case 6: return 0x6000000 + (r >> 20) % 0x5ffff00;
	case 7: return 0x90000000UL + (r >> 20) % 0x300000000UL;
	default: return 0x800000000UL | (r >> 4);
	}
}

/* Decide how to run w: 0 skip, 1 run. May rewrite ctx.x[base] to a whitelisted address.
 * nofold_rd: rd left out of the checksum; mask_rd: rd with mask_bits cleared. mem():
 * 0 skip, 2 run, 3 run but the value read depends on mtime. */
static int nofold_rd, mask_rd; static u64 mask_bits;
static int mem(int base, long off)
{
	u64 a = (u64)off;
	if (base >= 1 && base <= 4) return 0;
	if (base) {
		if (!safe(ctx.x[base] + off)) ctx.x[base] = target() - off;
		a = ctx.x[base] + off;
	}
	if (!safe(a)) return 0;
	return 2 + (a + 16 > CLINT_MTIME && a < CLINT_MTIME + 8);
}
static int classify(u32 w)
{
	int rdf = (w >> 7) & 31, bad_rd = rdf >= 1 && rdf <= 4;
	if ((w & 3) != 3) {
		u32 h = w & 0xffff, q = h & 3, f3 = h >> 13, rs2 = (h >> 2) & 31;
		int rs1p = 8 + ((h >> 7) & 7);
		long offw = ((h >> 7) & 0x38) | ((h << 1) & 0x40) | ((h >> 4) & 4);
		long offd = ((h >> 7) & 0x38) | ((h << 1) & 0xc0);
		if (q == 0 && f3 && f3 != 4) {
			int r = mem(rs1p, (f3 & 3) == 2 ? offw : offd);
			if (r == 3 && f3 == 1) return 0;  /* c.fld of mtime: FP regs are not re-randomized */
			if (r == 3 && f3 < 4) nofold_rd = 8 + ((h >> 2) & 7);
			return r != 0;
		}
		if (q == 1) return f3 >= 5 ? 0 : !(f3 <= 3 && bad_rd);
		if (q == 2) {
			if (f3 != 0 && f3 != 4) return 0;
			if (f3 == 4 && rs2 == 0 && !((h >> 12) & 1 && rdf == 0)) return 0;
			return !bad_rd;
		}
		return 1;
	}
	u32 op = w & 0x7f, f3 = (w >> 12) & 7, rs1 = (w >> 15) & 31, csr = w >> 20;
	long immi = (int32_t)w >> 20, imms = (((int32_t)w >> 25) << 5) | rdf;
	int r;
	switch (op) {
	case 0x63: case 0x67: case 0x6f: return 0;
	case 0x23: case 0x27: return mem(rs1, imms) != 0;
	case 0x0f: return f3 == 2 ? mem(rs1, 0) != 0 : 1;
	case 0x03: case 0x07: case 0x2f:
		if (bad_rd) return 0;
		r = mem(rs1, op == 0x2f ? 0 : immi);
		if (r == 3 && op == 0x07) return 0;  /* fld of mtime: FP regs are not re-randomized */
		if (r == 3) nofold_rd = rdf;
		return r != 0;
	case 0x73:
		if (f3 == 0) return 1;
		if (bad_rd) return 0;
		if (f3 == 4) { r = mem(rs1, 0); if (r == 3) nofold_rd = rdf; return r != 0; }
		if ((csr >= 0x3a2 && csr <= 0x3af) || (csr >= 0x3bb && csr <= 0x3ef)) return 0;
		if (csr >= 0x7a0 && csr <= 0x7af && (f3 == 1 || f3 == 5 || rs1)) return 0;
		if ((csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xb00 && csr <= 0xb1f) ||
		    (csr >= 0xc80 && csr <= 0xc9f)) nofold_rd = rdf;
		if (csr == 0x344 || csr == 0x144 || csr == 0x644 || csr == 0x645 || csr == 0x244) {
			mask_rd = rdf; mask_bits = 0xe0;
		}
		if (csr == 0x3a0 && f3 < 4) {
			if (rs1 >= 1 && rs1 <= 4) return 0;
			ctx.x[rs1] &= ~0x8080808080808080UL;
		}
		return 1;
	default: return !bad_rd;
	}
}

static const u32 privs[] = { 0x00000073, 0x00100073, 0x10200073, 0x30200073, 0x10500073,
	0x12000073, 0x22000073, 0x62000073, 0x16000073, 0x18000073, 0x18100073, 0x70200073,
	0x7b200073, 0x00200073, 0x10400073, 0x22200073 };
static u32 gen(void)
{
	u64 r = rnd(), k = r % 100;
	u32 f3s[] = { 1, 2, 3, 5, 6, 7, 1, 2 };
	if (k < 40)
		return ((rnd() & 0xfff) << 20) | ((rnd() & 31) << 15) | (f3s[(r >> 8) & 7] << 12) |
		       (rd_ok() << 7) | 0x73;
	if (k < 50) {
		u32 w = privs[(r >> 8) & 15];
		switch ((r >> 12) & 7) {
		case 0: return w | ((rnd() & 31) << 7);
		case 1: return w | ((rnd() & 31) << 15);
		case 2: return w | ((rnd() & 31) << 20);
		case 3: return w ^ ((u32)rnd() & 0xfe000000);
		default: return w;
		}
	}
	if (k < 70) {
		static const u32 ops[] = { 0x03, 0x03, 0x23, 0x23, 0x07, 0x27, 0x2f, 0x0f, 0x73, 0x73, 0x01, 0x01 };
		u32 op = ops[(r >> 8) % 12], rs1 = 5 + rnd() % 27, rs2 = rnd() & 31, f3 = rnd() & 7;
		u32 imm = rnd() & 0xfff, rd = rd_ok();
		if (op == 0x01) {  /* c.lw/c.ld/c.fld/c.sw/c.sd/c.fsd */
			static const u32 cf[] = { 1, 2, 3, 5, 6, 7 };
			return (cf[rnd() % 6] << 13) | ((u32)rnd() & 0x1c7c) | (((rs1 & 7)) << 7);
		}
		if (op == 0x2f) { f3 = 2 + (f3 & 1); imm = (rnd() & 0xfe0) | rs2; }
		if (op == 0x0f) { f3 = 2; rd = 0; imm = (u32[]){ 0, 1, 2, 4 }[rnd() & 3]; }
		if (op == 0x73) {  /* hlv/hlvx/hsv */
			f3 = 4;
			imm = (u32[]){ 0x600, 0x601, 0x640, 0x641, 0x643, 0x680, 0x681, 0x683, 0x6c0,
				0x620, 0x660, 0x6a0, 0x6e0 }[rnd() % 13];
			if (imm & 0x20) { imm |= rs2; rd = 0; }
		}
		if (op == 0x07 || op == 0x27) f3 = 2 + (f3 & 1);
		if (op == 0x23) f3 &= 3;
		if (op == 0x03 && f3 == 7) f3 = 3;
		if (op == 0x23 || op == 0x27)
			return ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | op;
		return (imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
	}
	if (k < 80) return (u32)rnd() & 0xffff;
	return (u32)rnd();
}

int main(void)
{
	seed = 0x2545f4914f6cdd1dUL;
	sum = 0xcbf29ce484222325UL;
	u64 mst0, mtvec0 = csr_read(mtvec), medeleg0, mideleg0, hst0, pmpa[11], pmpc0;
	u64 base = (u64)gbuf;
	pmp_allow_all();
	csr_set(mstatus, 1UL << 13);  /* FS=Initial: FP instructions run */
	mst0 = csr_read(mstatus) & ~(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPRV);
	medeleg0 = csr_read(medeleg); mideleg0 = csr_read(mideleg); hst0 = csr_read(hstatus);
	pmpc0 = csr_read(pmpcfg0);
#define SAVEA(i) pmpa[i] = csr_read(pmpaddr##i);
#define RESTA(i) csr_write(pmpaddr##i, pmpa[i]);
	SAVEA(0) SAVEA(1) SAVEA(2) SAVEA(3) SAVEA(4) SAVEA(5) SAVEA(6) SAVEA(7) SAVEA(8) SAVEA(9) SAVEA(10)
	for (int i = 1; i <= N; i++) {
		for (int j = 5; j < 32; j++) ctx.x[j] = rval();
		u32 w = gen();
		nofold_rd = mask_rd = 0;
		if (!classify(w)) { skipped++; fold(w); goto check; }
		executed++;
#ifdef GTRACE
		u64 trs1 = ctx.x[(w >> 15) & 31];
#endif
		u32 len2 = (w & 3) != 3;
		gbuf[0] = len2 ? ((w & 0xffff) | 0x00010000) : w;
		asm volatile("fence.i" ::: "memory");
		ctx.mstatus = mst0; ctx.trapped = 0;
		if (w == 0x30200073 || w == 0x10200073) {  /* mret/sret: land on the ecall at gbuf+8 */
			u64 p = (u64[]){ MPP_U, MPP_S, MPP_M }[rnd() % 3];
			csr_write(mepc, base + 8); csr_write(sepc, base + 8);
			ctx.mstatus = (mst0 & ~(MPP_M | MSTATUS_SPP)) | p | ((p >> 3) & MSTATUS_SPP);
		}
		if (w == 0x10500073) { mmio_w32(CLINT_MSIP(0), 1); csr_write(mie, 1UL << IRQ_MSI); }
		run_buf(&ctx);
		csr_write(mstatus, mst0); csr_write(mtvec, mtvec0); csr_write(mie, 0);
		csr_write(medeleg, medeleg0); csr_write(mideleg, mideleg0); csr_write(satp, 0);
		csr_write(hstatus, hst0); csr_write(hgatp, 0); csr_write(vsatp, 0);
		csr_write(mip, 0); csr_write(hvip, 0);
		RESTA(0) RESTA(1) RESTA(2) RESTA(3) RESTA(4) RESTA(5) RESTA(6) RESTA(7) RESTA(8) RESTA(9) RESTA(10)
		csr_write(pmpcfg0, pmpc0);
		mmio_w32(CLINT_MSIP(0), 0); mmio_w64(CLINT_MTIMECMP(0), ~0UL);
		fold(w);
		if (ctx.trapped) {
			fold(ctx.cause); fold(ctx.tval); fold(ctx.epc - base);
			if (ctx.cause & CAUSE_INTR) intr++; else causes[ctx.cause < 24 ? ctx.cause : 23]++;
		}
		if (mask_rd) ctx.x[mask_rd] &= ~mask_bits;
		if (nofold_rd) ctx.x[nofold_rd] = 0;
		if (!len2 && (w & 0x7f) == 0x17) ctx.x[(w >> 7) & 31] -= base;  /* auipc */
		for (int j = 5; j < 32; j++) fold(ctx.x[j]);
#ifdef GTRACE  /* per-word trace: i word cause tval x[rs1] x[rd] sum */
		put_hex(i); putch(' '); put_hex(w); putch(' '); put_hex(ctx.trapped ? ctx.cause : 99); putch(' '); put_hex(ctx.tval); putch(' '); put_hex(trs1); putch(' '); put_hex(ctx.x[(w >> 7) & 31]); putch(' '); put_hex(sum); putch('\n');
#endif
check:
		if (i % 250 == 0) {
			u64 f, fcsr = csr_read(fcsr);
#define FF(n) asm volatile("fmv.x.d %0, f" #n : "=r"(f)); fold(f);
			FF(0) FF(1) FF(2) FF(3) FF(4) FF(5) FF(6) FF(7) FF(8) FF(9) FF(10) FF(11) FF(12) FF(13)
			FF(14) FF(15) FF(16) FF(17) FF(18) FF(19) FF(20) FF(21) FF(22) FF(23) FF(24) FF(25)
			FF(26) FF(27) FF(28) FF(29) FF(30) FF(31)
			fold(fcsr);
			for (u64 j = 0; j < sizeof(scratch); j += 8) fold(*(u64 *)(scratch + j));
			puts_("sum "); put_hex(i); kv("", sum);
		}
	}
	kv("executed", executed); kv("skipped", skipped);
	for (int c = 0; c < 24; c++)
		if (causes[c]) { puts_("traps cause "); put_hex(c); kv("", causes[c]); }
	kv("interrupts", intr);
	done("garbage_insns");
}
