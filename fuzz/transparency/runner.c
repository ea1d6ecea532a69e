/* Transparency differential: runs the steps of a generated program (prog.h, written by
 * fuzz/transparency/gen.py) one at a time in M-mode, natively or under the monitor, and
 * prints one line per step (the trap it took and a checksum of x5..x31), then a dump of
 * the trap CSRs. Each step: x5..x31 from the step's seed (xorshift), optionally one base
 * register pointed into a scratch buffer, the word alone in gbuf, traps come back with
 * mstatus restored first (the garbage_insns pattern), and the harness state is restored. */
#include "fw.h"
#include "run_word.h"
#include "prog.h"

struct gctx ctx;

static u8 scratch[4096] __attribute__((aligned(4096)));

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
