/* AMOs, LR/SC and FP loads/stores (compressed too) under mstatus.MPRV (priv spec 3.1.6.3):
 * they use MPP's privilege like any load/store: PMP (satp bare), Sv39 with SUM/MXR, then
 * MPV=1 (two-stage, GVA, mtval2). Values, NaN-boxing (flw), FS and trap causes are printed
 * (QEMU 7.2 gives an AMO the load causes when the read is refused). Each access sets MPRV,
 * runs and clears MPRV inside one asm block (no other memory access). */
#include "fw.h"

#define SUM (1UL << 18)
#define MXR (1UL << 19)
#define FS_INITIAL (1UL << 13)
#define PAGE 4096

static u64 pt[512] __attribute__((aligned(PAGE)));
static u64 gpt[2048] __attribute__((aligned(4 * PAGE)));  /* Sv39x4 root: 16 KiB */
static u64 ro[PAGE / 8] __attribute__((aligned(PAGE)));  /* PMP entry 0: read-only */
static u64 nr[2] __attribute__((aligned(16)));            /* PMP entry 1: NAPOT 16, none */
static u64 cell[2] __attribute__((aligned(16)));

/* trap_report() with tval relative to va (the image may sit elsewhere under a monitor). */
static void show(const char *key, u64 pc, u64 v, u64 va)
{
	this_hart()->rec.tval -= va;
	trap_report(key, pc, v);
}

/* insn with t1 = va, t2 = src, result in t0; "pre" runs first, MPRV already set. */
#define OPP(key, pre, insn, va, src, bits) do { u64 __pc, __v; expect_trap(); \
	asm volatile("mv t1, %2\n mv t2, %3\n li t0, 0xe1800\n csrc mstatus, t0\n" \
		" csrs mstatus, %4\n li t0, 0\n " pre "\n lla %0, 1f\n1: " insn "\n" \
		" li t1, 0xe0000\n csrc mstatus, t1\n mv %1, t0" \
		: "=&r"(__pc), "=&r"(__v) : "r"((u64)(va)), "r"((u64)(src)), "r"((u64)(bits)) \
		: TRAP_CLOBBERS, "a0", "f1", "f10"); \
	show(key, __pc, __v, (u64)(va)); } while (0)
#define OP(key, insn, va, src, bits) OPP(key, "", insn, va, src, bits)

#define A0 0xffffffff80000005UL  /* .w: a negative word */
#define B0 0x0000000700000003UL

/* amo<op>.w/.d on cell = A0 with rs2 = B0: rd, then the memory word. */
#define AMO(name, bits) do { \
	cell[0] = A0; OP(name ".w", name ".w t0, t2, (t1)", cell, B0, bits); kv("  mem", cell[0]); \
	cell[0] = A0; OP(name ".d", name ".d t0, t2, (t1)", cell, B0, bits); kv("  mem", cell[0]); \
	} while (0)

/* lr, then sc (an ebreak between them if trap): the LR's value, the SC's rd, memory. A
 * trap ends the reservation: the SC fails. With nothing between, natively the SC succeeds;
 * under the monitor the trap return after the replayed LR has dropped it (an SC may fail
 * spuriously, unprivileged spec 8.3; docs/ARCHITECTURE.md): print that rd and memory agree. */
#define LRSC(insns, src, bits, lr, sc) asm volatile("mv t1, %2\n mv t2, %3\n li t0, 0xe1800\n" \
	" csrc mstatus, t0\n csrs mstatus, %4\n " insns "\n li t1, 0xe0000\n csrc mstatus, t1\n" \
	" mv %0, t3\n mv %1, t0" : "=&r"(lr), "=&r"(sc) : "r"(cell), "r"((u64)(src)), \
	"r"((u64)(bits)) : TRAP_CLOBBERS, "t3")

static void lrsc(const char *key, int kind, u64 src, u64 bits)
{
	u64 lr, sc, stored = kind == 1 ? (A0 & ~0xffffffffUL) | (src & 0xffffffffUL) : src;
	cell[0] = A0;
	expect_trap();
	if (kind == 0)
		LRSC("lr.d t3, (t1)\n sc.d t0, t2, (t1)", src, bits, lr, sc);
	else if (kind == 1)
		LRSC("lr.w t3, (t1)\n sc.w t0, t2, (t1)", src, bits, lr, sc);
	else
		LRSC("lr.d t3, (t1)\n ebreak\n sc.d t0, t2, (t1)", src, bits, lr, sc);
	this_hart()->armed = 0;
	puts_(key);
	puts_(": lr ");
	put_hex(lr);
	puts_(" traps ");
	put_hex(this_hart()->rec.count);
	if (kind == 2) {
		puts_(" sc ");
		put_hex(sc);
		puts_(" mem ");
		put_hex(cell[0]);
	} else {
		puts_(" sc agrees with memory ");
		put_hex((sc == 0 && cell[0] == stored) || (sc == 1 && cell[0] == A0));
	}
	putch('\n');
}

/* After OP with MPV=1: GVA (mstatus at the trap), mtval2 (gpa >> 2) and mtinst of its trap. */
static void gva(void)
{
	struct trap_rec *r = &this_hart()->rec;
	if (!r->count)
		return;
	kv("  gva", (r->status >> 38) & 1);
	kv("  mtval2", csr_read(mtval2));
	kv("  mtinst", csr_read(mtinst));
}

static u64 fs(void) { return (csr_read(mstatus) >> 13) & 3; }

int main(void)
{
	u64 S = MPP_S | MSTATUS_MPRV, U = MPP_U | MSTATUS_MPRV;
	ro[0] = 0x40;
	nr[0] = 0x41;
	pmp_allow_all();
	csr_write(pmpaddr0, ((u64)ro >> 2) | ((PAGE >> 3) - 1));
	csr_write(pmpaddr1, ((u64)nr >> 2) | 1);
	csr_set(pmpcfg0, (0x18UL | 0x1) | (0x18UL << 8));  /* NAPOT R, NAPOT none */

	puts_("satp bare, PMP: AMOs\n");
	AMO("amoadd", S);
	AMO("amoswap", S);
	AMO("amoxor", U);
	AMO("amoand", S);
	AMO("amoor", U);
	AMO("amomin", S);
	AMO("amomax", S);
	AMO("amominu", U);
	AMO("amomaxu", S);
	cell[0] = A0;
	OP("lr.w", "lr.w t0, (t1)", cell, 0, S);
	OP("lr.d", "lr.d t0, (t1)", cell, 0, U);
	lrsc("lr.d/sc.d", 0, B0, S);
	lrsc("lr.w/sc.w U", 1, 0x11, U);
	lrsc("lr.d/ebreak/sc.d", 2, 0x33, S);
	OP("sc.d alone", "sc.d t0, t2, (t1)", cell, 0x22, S);
	kv("  mem", cell[0]);
	OP("amoadd.d ro", "amoadd.d t0, t2, (t1)", ro, 1, S);
	OP("amoswap.w ro U", "amoswap.w t0, t2, (t1)", ro, 1, U);
	OP("lr.d ro", "lr.d t0, (t1)", ro, 0, S);
	OP("amoor.d nr", "amoor.d t0, t2, (t1)", nr, 1, S);
	OP("lr.d nr", "lr.d t0, (t1)", nr, 0, S);
	OP("lr.w nr U", "lr.w t0, (t1)", nr, 0, U);
	OP("sc.d nr", "sc.d t0, t2, (t1)", nr, 1, S);
	OP("amoadd.w misaligned", "amoadd.w t0, t2, (t1)", (u64)cell + 2, 1, S);
	OP("lr.d misaligned", "lr.d t0, (t1)", (u64)cell + 4, 0, S);
	OP("amoor.w clint msip", "amoor.w t0, t2, (t1)", CLINT_MSIP(0), 0, S);
	kv("ro[0]", ro[0]);
	kv("nr[0]", nr[0]);

	puts_("satp bare, PMP: FP\n");
	csr_set(mstatus, FS_INITIAL);
	kv("FS", fs());
	cell[0] = 0x400921fb54442d18UL;  /* pi */
	cell[1] = 0x0000000040490fdbUL;  /* (float)pi in the low word */
	OP("fld nr", "fld f1, 0(t1)", nr, 0, S);
	kv("FS after faulting fld", fs());
	OP("fld", "fld f1, 0(t1)\n fmv.x.d t0, f1", cell, 0, S);
	kv("FS after fld", fs());
	OP("flw (nan-boxed)", "flw f1, 0(t1)\n fmv.x.d t0, f1", (u64)cell + 8, 0, U);
	OPP("c.fld", "mv a0, t1", "c.fld fa0, 0(a0)\n fmv.x.d t0, fa0", cell, 0, U);
	OPP("c.fld nr", "mv a0, t1", "c.fld fa0, 0(a0)", nr, 0, S);
	OPP("fsd", "fmv.d.x f1, t2", "fsd f1, 0(t1)", cell, 0x1122334455667788UL, S);
	kv("  mem", cell[0]);
	OPP("fsw", "fmv.d.x f1, t2", "fsw f1, 4(t1)", cell, 0xffffffffaabbccddUL, U);
	kv("  mem", cell[0]);
	OPP("c.fsd", "mv a0, t1\n fmv.d.x fa0, t2", "c.fsd fa0, 8(a0)", cell, 0x55aa, S);
	kv("  mem", cell[1]);
	OPP("fsd ro", "fmv.d.x f1, t2", "fsd f1, 0(t1)", ro, 1, S);
	OPP("c.fsd nr", "mv a0, t1\n fmv.d.x fa0, t2", "c.fsd fa0, 0(a0)", nr, 1, U);
	OP("fsw nr", "fsw f1, 0(t1)", nr, 0, S);
	OP("flw nr U", "flw f1, 0(t1)", nr, 0, U);

	/* Sv39 gigapages onto the RAM at 0x80000000: identity (S), 0x40000000 (U),
	 * 0xc0000000 (execute-only), 0x140000000 (read-only) */
	u64 ppn = 0x80000000UL >> 12;
	pt[2] = (ppn << 10) | 0xcf;  /* D A - - X W R V */
	pt[1] = (ppn << 10) | 0xdf;  /* D A - U X W R V */
	pt[3] = (ppn << 10) | 0x49;  /*   A - - X - - V */
	pt[5] = (ppn << 10) | 0x43;  /*   A - - - - R V */
	u64 off = (u64)cell - 0x80000000UL;
	u64 vk = 0x80000000UL + off, vu = 0x40000000UL + off, vx = 0xc0000000UL + off;
	u64 vr = 0x140000000UL + off, vn = 0x180000000UL + off;
	csr_write(satp, (8UL << 60) | ((u64)pt >> 12));
	asm volatile("sfence.vma" ::: "memory");
	puts_("satp sv39: AMOs\n");
	cell[0] = A0;
	OP("amoadd.d kernel va", "amoadd.d t0, t2, (t1)", vk, 1, S);
	OP("amoadd.w user va U", "amoadd.w t0, t2, (t1)", vu, 1, U);
	OP("amoadd.d user va", "amoadd.d t0, t2, (t1)", vu, 1, S);
	OP("amoadd.d user va SUM", "amoadd.d t0, t2, (t1)", vu, 1, S | SUM);
	OP("lr.d user va", "lr.d t0, (t1)", vu, 0, S);
	OP("amoswap.d kernel va U", "amoswap.d t0, t2, (t1)", vk, 1, U);
	OP("amoor.d read-only va", "amoor.d t0, t2, (t1)", vr, 1, S);
	OP("lr.d read-only va", "lr.d t0, (t1)", vr, 0, S);
	OP("amoswap.d xonly va MXR", "amoswap.d t0, t2, (t1)", vx, 1, S | MXR);
	OP("lr.w xonly va MXR", "lr.w t0, (t1)", vx, 0, S | MXR);
	OP("lr.w xonly va", "lr.w t0, (t1)", vx, 0, S);
	OP("amomax.d unmapped va", "amomax.d t0, t2, (t1)", vn, 1, S);
	OP("lr.d unmapped va", "lr.d t0, (t1)", vn, 0, S);
	OP("sc.d unmapped va", "sc.d t0, t2, (t1)", vn, 1, S);
	OP("amoadd.d non-canonical va", "amoadd.d t0, t2, (t1)", 0x8000000000UL, 1, S);
	OP("amoand.d ro (pmp after translation)", "amoand.d t0, t2, (t1)", ro, 0, S);
	kv("cell[0]", cell[0]);

	puts_("satp sv39: FP\n");
	OP("fld user va U", "fld f1, 0(t1)\n fmv.x.d t0, f1", vu, 0, U);
	OP("fld user va", "fld f1, 0(t1)", vu, 0, S);
	OP("flw user va SUM", "flw f1, 0(t1)\n fmv.x.d t0, f1", vu, 0, S | SUM);
	OPP("fsd read-only va", "fmv.d.x f1, t2", "fsd f1, 0(t1)", vr, 1, S);
	OPP("c.fsd kernel va U", "mv a0, t1\n fmv.d.x fa0, t2", "c.fsd fa0, 0(a0)", vk, 1, U);
	OPP("c.fld xonly va MXR", "mv a0, t1", "c.fld fa0, 0(a0)\n fmv.x.d t0, fa0", vx, 0, S | MXR);
	OP("fsw unmapped va", "fsw f1, 0(t1)", vn, 0, S);
	OP("flw non-canonical va", "flw f1, 0(t1)", 0x8000000000UL, 0, S);
	csr_write(satp, 0);
	asm volatile("sfence.vma" ::: "memory");
	kv("cell[0]", cell[0]);
	kv("FS", fs());

	/* MPV=1 (priv spec 8.6): the VS-stage (vsatp, the same tables) then the G-stage
	 * (hgatp: only the gigapage at 0x80000000, with U as G-stage leaves need). A fault on
	 * a guest virtual address sets GVA; a guest-page fault gives mtval2 = gpa >> 2. */
	puts_("MPV=1: vsatp sv39, hgatp sv39x4\n");
	u64 V = S | (1UL << 39), vg = 0x1c0000000UL + off;
	gpt[2] = (ppn << 10) | 0xdf;
	pt[7] = 0xcf;  /* VA 0x1c0000000 -> GPA 0, which the G-stage does not map */
	csr_write(vsatp, (8UL << 60) | ((u64)pt >> 12));
	csr_write(hgatp, (8UL << 60) | ((u64)gpt >> 12));
	asm volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" ::: "memory");  /* hfence.gvma */
	cell[0] = A0;
	OP("amoadd.d kernel va", "amoadd.d t0, t2, (t1)", vk, 1, V);
	OP("ld kernel va", "ld t0, 0(t1)", vk, 0, V);
	OP("amoadd.d unmapped va", "amoadd.d t0, t2, (t1)", vn, 1, V); gva();
	OP("amoor.d read-only va", "amoor.d t0, t2, (t1)", vr, 1, V); gva();
	OP("ld unmapped va", "ld t0, 0(t1)", vn, 0, V); gva();
	OP("lr.w guest-page fault", "lr.w t0, (t1)", vg, 0, V); gva();
	OP("amoswap.w guest-page fault", "amoswap.w t0, t2, (t1)", vg, 1, V); gva();
	OPP("fsd guest-page fault", "fmv.d.x f1, t2", "fsd f1, 0(t1)", vg, 1, V); gva();
	OP("sw guest-page fault", "sw t2, 0(t1)", vg, 1, V); gva();
	csr_write(vsatp, 0);
	csr_write(hgatp, 0);
	asm volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" ::: "memory");
	kv("cell[0]", cell[0]);
	done("mprv_amo_fp");
}
