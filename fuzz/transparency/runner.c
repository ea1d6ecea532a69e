/* Transparency differential: runs the steps of a generated program (prog.h, written by
 * fuzz/transparency/gen.py) one at a time in M-mode, natively or under the monitor, and
 * prints one line per step (the trap it took and a checksum of x5..x31), then a dump of
 * the trap CSRs. Each step: x5..x31 from the step's seed (xorshift), optionally one base
 * register pointed into a scratch buffer, the word alone in gbuf, traps come back with
 * mstatus restored first (the garbage_insns pattern), and the harness state is restored. */
#include "fw.h"
#include "prog.h"

struct gctx { u64 x[32], mstatus, trapped, cause, tval, epc; } ctx;
extern u32 gbuf[];
void run_buf(struct gctx *c);

asm(".text\n .balign 16\n .globl gbuf\ngbuf: .word 0x13, 0x8067, 0x73, 0x6f\n"
    ".globl run_buf\nrun_buf:\n addi sp, sp, -128\n sd ra, 0(sp)\n sd gp, 8(sp)\n sd tp, 16(sp)\n"
    " sd s0, 24(sp)\n sd s1, 32(sp)\n sd s2, 40(sp)\n sd s3, 48(sp)\n sd s4, 56(sp)\n sd s5, 64(sp)\n"
    " sd s6, 72(sp)\n sd s7, 80(sp)\n sd s8, 88(sp)\n sd s9, 96(sp)\n sd s10, 104(sp)\n sd s11, 112(sp)\n"
    " mv tp, a0\n ld gp, 256(tp)\n lla t0, gtrap\n csrw mtvec, t0\n csrw mstatus, gp\n lla ra, gret\n"
    " .irp r,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    " ld x\\r, \\r*8(tp)\n .endr\n j gbuf\n"
    "gret:\n csrw mstatus, gp\n"
    " .irp r,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
    " sd x\\r, \\r*8(tp)\n .endr\n lla t0, trap_entry\n csrw mtvec, t0\n"
    " ld ra, 0(sp)\n ld gp, 8(sp)\n ld tp, 16(sp)\n ld s0, 24(sp)\n ld s1, 32(sp)\n ld s2, 40(sp)\n"
    " ld s3, 48(sp)\n ld s4, 56(sp)\n ld s5, 64(sp)\n ld s6, 72(sp)\n ld s7, 80(sp)\n ld s8, 88(sp)\n"
    " ld s9, 96(sp)\n ld s10, 104(sp)\n ld s11, 112(sp)\n addi sp, sp, 128\n ret\n"
    " .balign 4\ngtrap:\n csrw mstatus, gp\n sd t0, -8(sp)\n li t0, 1\n sd t0, 264(tp)\n"
    " csrr t0, mcause\n sd t0, 272(tp)\n csrr t0, mtval\n sd t0, 280(tp)\n csrr t0, mepc\n"
    " sd t0, 288(tp)\n ld t0, -8(sp)\n j gret\n");

static u8 scratch[4096] __attribute__((aligned(4096)));
static u64 seed, sum;
static u64 rnd(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; }
static void fold(u64 v) { sum = (sum ^ v) * 0x100000001b3UL; sum ^= sum >> 29; }
static u64 rval(void)
{
	u64 r = rnd();
	switch (r & 7) {
	case 0: return 0;
	case 1: return ~0UL;
	case 2: return r >> 59;
	case 3: return 0x5555555555555555UL;
	default: return rnd();
	}
}

int main(void)
{
	u64 mtvec0 = csr_read(mtvec), medeleg0, mideleg0, base = (u64)gbuf, mst0;
	pmp_allow_all();
	csr_set(mstatus, 1UL << 13);
	mst0 = csr_read(mstatus) & ~(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPRV);
	medeleg0 = csr_read(medeleg); mideleg0 = csr_read(mideleg);
	for (unsigned i = 0; i < sizeof(prog) / sizeof(prog[0]); i++) {
		const struct step *s = &prog[i];
		seed = s->seed | 1;
		for (int j = 5; j < 32; j++) ctx.x[j] = rval();
		if (s->base) ctx.x[s->base] = (u64)scratch + s->off;
		u32 w = s->word, len2 = (w & 3) != 3;
		gbuf[0] = len2 ? ((w & 0xffff) | 0x00010000) : w;
		asm volatile("fence.i" ::: "memory");
		ctx.mstatus = mst0; ctx.trapped = 0; sum = 0xcbf29ce484222325UL;
		run_buf(&ctx);
		csr_write(mstatus, mst0); csr_write(mtvec, mtvec0); csr_write(mie, 0);
		csr_write(medeleg, medeleg0); csr_write(mideleg, mideleg0); csr_write(satp, 0);
		csr_write(mip, 0);
		if (s->mask_rd) ctx.x[s->mask_rd] &= ~s->mask;
		for (int j = 5; j < 32; j++) fold(ctx.x[j]);
		for (u64 j = 0; j < 512; j += 8) fold(*(u64 *)(scratch + j));
		puts_("step "); put_hex(i); putch(' '); put_hex(w);
		if (ctx.trapped) {
			puts_(" trap "); put_hex(ctx.cause); putch(' '); put_hex(ctx.tval); puts_(" epc+");
			put_hex(ctx.epc - base);
		}
		puts_(" sum "); put_hex(sum); putch('\n');
	}
	kv("mscratch", csr_read(mscratch)); kv("mcause", csr_read(mcause));
	kv("mtval", csr_read(mtval)); kv("sscratch", csr_read(sscratch));
	kv("mstatus", csr_read(mstatus));
	done("transparency");
}
