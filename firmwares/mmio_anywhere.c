/* CLINT accesses of every width and form: lb/lbu/lh/lhu/lw/lwu/ld and sb/sh/sw/sd at msip
 * of hart 0 and of absent harts, mtimecmp of hart 0 and of absent harts, mtime, the
 * reserved gap after mtime (0xc000..0xffff, no device), misaligned and boundary-crossing
 * addresses and the last bytes of the region; compressed c.lw/c.ld/c.sw/c.sd and
 * c.lwsp/c.ldsp/c.swsp/c.sdsp with sp pointed at the CLINT; AMOs and LR/SC on msip.
 * Only values read from the msip range are printed (mtime and mtimecmp are "ok"). Keys
 * name the offset from the CLINT base. mtimecmp is left at -1, msip at 0. */
#include "fw.h"

#define TRYQ2(key, insn, in1, in2) do { u64 __pc; expect_trap(); \
	asm volatile("mv t1, %1\n mv t2, %2\n li t0, 0\n lla %0, 1f\n1: " insn \
		: "=&r"(__pc) : "r"((u64)(in1)), "r"((u64)(in2)) : TRAP_CLOBBERS); \
	trap_report_q(key, __pc); } while (0)
/* compressed forms need x8..x15: a0 = address, a1 = value */
#define CTRY(key, insn, in1, in2, show) do { u64 __pc, __v; expect_trap(); \
	asm volatile("mv a0, %2\n mv a1, %3\n li t0, 0\n lla %0, 1f\n1: " insn "\n mv %1, a1" \
		: "=&r"(__pc), "=&r"(__v) : "r"((u64)(in1)), "r"((u64)(in2)) : TRAP_CLOBBERS, "a0", "a1"); \
	if (show) trap_report(key, __pc, __v); else trap_report_q(key, __pc); } while (0)

/* FP loads/stores (ft0); the loaded bits go to t0 through fmv.x.d */
#define FTRY(key, insn, in1, in2, show) do { u64 __pc, __v; expect_trap(); \
	asm volatile("mv t1, %2\n fmv.d.x ft0, %3\n li t0, 0\n lla %0, 1f\n1: " insn "\n fmv.x.d t0, ft0\n mv %1, t0" \
		: "=&r"(__pc), "=&r"(__v) : "r"((u64)(in1)), "r"((u64)(in2)) : TRAP_CLOBBERS, "ft0"); \
	if (show) trap_report(key, __pc, __v); else trap_report_q(key, __pc); } while (0)

static char keybuf[64];
static const char *key(const char *op, u64 off)
{
	char *p = keybuf;
	while (*op) *p++ = *op++;
	*p++ = ' '; *p++ = '+'; *p++ = '0'; *p++ = 'x';
	int started = 0;
	for (int i = 12; i >= 0; i -= 4) {
		unsigned d = (off >> i) & 0xf;
		if (d || started || i == 0) { *p++ = "0123456789abcdef"[d]; started = 1; }
	}
	*p = 0;
	return keybuf;
}

static int in_msip(u64 off, u64 size) { return off + size <= 0x4000; }

static void loads(u64 off)
{
	u64 a = CLINT_BASE + off;
#define L(op, sz) if (in_msip(off, sz)) TRY(key(#op, off), #op " t0, 0(t1)", a); \
		else TRYQ(key(#op, off), #op " t0, 0(t1)", a);
	L(lb, 1) L(lbu, 1) L(lh, 2) L(lhu, 2) L(lw, 4) L(lwu, 4) L(ld, 8)
}

static u64 store_val(u64 off)
{
	if (off < 0x4000) return ~0UL;
	if (off >= 0xbff8 && off < 0xc000) return mtime() >> (8 * (off - 0xbff8));
	if (off < 0xc000) return ~0UL;  /* mtimecmp: stay parked */
	return 0;
}

static void stores(u64 off)
{
	u64 a = CLINT_BASE + off;
#define S(op, sz) TRYQ2(key(#op, off), #op " t2, 0(t1)", a, store_val(off)); \
		if (in_msip(off, sz)) { u64 w = CLINT_BASE + (off & ~3UL); \
			TRY(key("  msip word", off & ~3UL), "lw t0, 0(t1)", w); mmio_w32(w, 0); }
	S(sb, 1) S(sh, 2) S(sw, 4) S(sd, 8)
}

static const u64 offsets[] = {
	0x0, 0x1, 0x2, 0x3, 0x4, 0x8, 0xc, 0x10, 0xfc, 0x100, 0x3fc, 0xffc, 0x1000, 0x3ff8,
	0x3ffa, 0x3ffc, 0x3ffe, 0x3fff,
	0x4000, 0x4001, 0x4002, 0x4004, 0x4006, 0x4007, 0x4008, 0x400c, 0x4010, 0x4ff8, 0x8000,
	0xbff0, 0xbff4, 0xbff6,
	0xbff8, 0xbff9, 0xbffa, 0xbffc, 0xbffe, 0xbfff,
	0xc000, 0xc004, 0xe000, 0xfff0, 0xfff8, 0xfffa, 0xfffc, 0xfffe, 0xffff,
};

extern char sp_trap[];
asm(".text\n .balign 4\n .globl sp_trap\nsp_trap:\n csrr t4, mcause\n csrr t5, mtval\n"
    " csrr t6, mepc\n addi t6, t6, 2\n csrw mepc, t6\n mret\n");
/* sp-relative compressed forms with sp = addr. A trap goes to sp_trap, which uses no
 * memory (sp is not a stack here) and skips the 2-byte instruction. */
#define SPTRY(k, insn, addr, val, show) do { u64 __v, __c, __t; \
	asm volatile("lla t3, sp_trap\n csrrw t3, mtvec, t3\n mv t2, sp\n mv a1, %4\n li t4, -1\n" \
		"li t5, 0\n mv sp, %3\n .option push\n .option rvc\n " insn "\n .option pop\n" \
		" mv sp, t2\n csrw mtvec, t3\n mv %0, a1\n mv %1, t4\n mv %2, t5" \
		: "=&r"(__v), "=&r"(__c), "=&r"(__t) : "r"((u64)(addr)), "r"((u64)(val)) \
		: "t2", "t3", "t4", "t5", "t6", "a1", "memory"); \
	puts_(k); puts_(": "); \
	if (__c != ~0UL) { puts_("trap cause="); put_hex(__c); puts_(" tval="); put_hex(__t); } \
	else if (show) put_hex(__v); else puts_("ok"); \
	putch('\n'); } while (0)

int main(void)
{
	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		loads(offsets[i]);
		stores(offsets[i]);
	}

	/* compressed, register base (a0) */
	u64 m = CLINT_BASE, c = CLINT_MTIMECMP(0);
	CTRY("c.lw msip0", "c.lw a1, 0(a0)", m, 0, 1);
	CTRY("c.lw msip1", "c.lw a1, 4(a0)", m, 0, 1);
	CTRY("c.ld msip0", "c.ld a1, 0(a0)", m, 0, 1);
	CTRY("c.sw msip0 1", "c.sw a1, 0(a0)", m, 1, 0);
	kv("  msip0", mmio_r32(m));
	CTRY("c.sw msip0 0", "c.sw a1, 0(a0)", m, 0, 0);
	kv("  msip0", mmio_r32(m));
	CTRY("c.sd msip0 ~0", "c.sd a1, 0(a0)", m, ~0UL, 0);
	kv("  msip0", mmio_r32(m));
	mmio_w32(m, 0);
	CTRY("c.lw mtimecmp0", "c.lw a1, 0(a0)", c, 0, 0);
	CTRY("c.ld mtimecmp0", "c.ld a1, 0(a0)", c, 0, 0);
	CTRY("c.ld mtimecmp1", "c.ld a1, 8(a0)", c, 0, 0);
	CTRY("c.sw mtimecmp0", "c.sw a1, 4(a0)", c, ~0UL, 0);
	CTRY("c.sd mtimecmp0", "c.sd a1, 0(a0)", c, ~0UL, 0);
	CTRY("c.lw mtime", "c.lw a1, 120(a0)", CLINT_MTIME - 120, 0, 0);
	CTRY("c.ld gap", "c.ld a1, 248(a0)", CLINT_BASE + 0xc000 - 248 + 8, 0, 0);

	/* compressed, sp base */
	SPTRY("c.lwsp msip0", "c.lwsp a1, 0(sp)", m, 0, 1);
	SPTRY("c.ldsp msip0", "c.ldsp a1, 0(sp)", m, 0, 1);
	SPTRY("c.swsp msip0 1", "c.swsp a1, 0(sp)", m, 1, 0);
	kv("  msip0", mmio_r32(m));
	SPTRY("c.sdsp msip0 0", "c.sdsp a1, 0(sp)", m, 0, 0);
	kv("  msip0", mmio_r32(m));
	SPTRY("c.lwsp msip1", "c.lwsp a1, 4(sp)", m, 0, 1);
	SPTRY("c.lwsp mtimecmp0", "c.lwsp a1, 0(sp)", c, 0, 0);
	SPTRY("c.ldsp mtimecmp0", "c.ldsp a1, 0(sp)", c, 0, 0);
	SPTRY("c.swsp mtimecmp0", "c.swsp a1, 4(sp)", c, ~0UL, 0);
	SPTRY("c.sdsp mtimecmp0", "c.sdsp a1, 0(sp)", c, ~0UL, 0);
	SPTRY("c.ldsp mtime", "c.ldsp a1, 0(sp)", CLINT_MTIME, 0, 0);
	SPTRY("c.lwsp gap", "c.lwsp a1, 0(sp)", CLINT_BASE + 0xc000, 0, 0);
	SPTRY("c.sdsp gap", "c.sdsp a1, 8(sp)", CLINT_BASE + 0xc000, 0, 0);

	/* FP loads and stores (NaN-boxed flw results print as 0xffffffff........) */
	csr_set(mstatus, 1UL << 13);
	FTRY("flw msip0", "flw ft0, 0(t1)", m, 0, 1);
	FTRY("fld msip0", "fld ft0, 0(t1)", m, 0, 1);
	FTRY("flw msip1", "flw ft0, 0(t1)", m + 4, 0, 1);
	FTRY("fsw msip0 1", "fsw ft0, 0(t1)", m, 1, 0);
	kv("  msip0", mmio_r32(m));
	FTRY("fsw msip0 0", "fsw ft0, 0(t1)", m, 0, 0);
	kv("  msip0", mmio_r32(m));
	FTRY("fsd msip0", "fsd ft0, 0(t1)", m, 1, 0);
	kv("  msip0", mmio_r32(m));
	FTRY("fld +0x3ffc", "fld ft0, 0(t1)", m + 0x3ffc, 0, 0);
	FTRY("fsd +0x3ffc", "fsd ft0, 0(t1)", m + 0x3ffc, ~0UL, 0);
	FTRY("flw +0x3ffe", "flw ft0, 0(t1)", m + 0x3ffe, 0, 0);
	FTRY("flw mtimecmp0", "flw ft0, 0(t1)", c, 0, 0);
	FTRY("fld mtimecmp0", "fld ft0, 0(t1)", c, 0, 0);
	FTRY("fsd mtimecmp0", "fsd ft0, 0(t1)", c, ~0UL, 0);
	FTRY("fsw mtimecmp0+4", "fsw ft0, 0(t1)", c + 4, ~0UL, 0);
	FTRY("fld mtime", "fld ft0, 0(t1)", CLINT_MTIME, 0, 0);
	FTRY("fld gap", "fld ft0, 0(t1)", CLINT_BASE + 0xc000, 0, 0);
	FTRY("fsd gap", "fsd ft0, 0(t1)", CLINT_BASE + 0xfff8, 0, 0);
	mmio_w32(m, 0);

	/* AMOs and LR/SC on msip (old value in t0) */
	TRY2("amoswap.w msip0 1", "amoswap.w t0, t2, (t1)", m, 1);
	kv("  msip0", mmio_r32(m));
	TRY2("amoswap.w msip0 0", "amoswap.w t0, t2, (t1)", m, 0);
	kv("  msip0", mmio_r32(m));
	TRY2("amoor.w msip0 1", "amoor.w t0, t2, (t1)", m, 1);
	kv("  msip0", mmio_r32(m));
	TRY2("amoor.w msip0 0", "amoor.w t0, t2, (t1)", m, 0);
	kv("  msip0", mmio_r32(m));
	TRY2("amoand.w msip0 0", "amoand.w t0, t2, (t1)", m, 0);
	kv("  msip0", mmio_r32(m));
	TRY2("amoswap.w msip1 1", "amoswap.w t0, t2, (t1)", m + 4, 1);
	TRY2("amoswap.w msip0+2", "amoswap.w t0, t2, (t1)", m + 2, 1);
	TRY2("amoswap.d msip0", "amoswap.d t0, t2, (t1)", m, 0);
	TRY2("amoadd.w gap", "amoadd.w t0, t2, (t1)", CLINT_BASE + 0xc000, 1);
	TRY2("lr.w msip0", "lr.w t0, (t1)", m, 0);
	/* sc.w after it is not compared: under the monitor the LR is emulated and QEMU drops
	 * the hardware reservation on the trap, so the SC fails (allowed by the spec; see
	 * docs/ARCHITECTURE.md, known gaps). */
	TRYQ2("amoswap.d mtimecmp0", "amoswap.d t0, t2, (t1)", c, ~0UL);
	TRYQ2("amoswap.w mtimecmp0", "amoswap.w t0, t2, (t1)", c, ~0UL);

	mmio_w32(m, 0);
	mmio_w64(c, ~0UL);
	kv("msip0 final", mmio_r32(m));
	kv("mip.MSIP", (csr_read(mip) >> IRQ_MSI) & 1);
	done("mmio_anywhere");
}
