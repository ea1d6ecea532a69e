/* Run one instruction word alone, for the firmwares that execute random words
 * (garbage_insns, fuzz/transparency/runner.c): the word is patched into gbuf (in .text),
 * run_buf() loads x5..x31 from the context, jumps to it, and comes back through the return
 * path or, on a trap, through gtrap (mstatus restored first, from gp = ctx.mstatus), saving
 * x5..x31 and the trap's mcause/mtval/mepc. Include in one file per firmware: it defines
 * gbuf, run_buf and gtrap. */
#ifndef FW_RUN_WORD_H
#define FW_RUN_WORD_H

#include "fw.h"

/* Offsets used by the assembly: mstatus at 256, trapped 264, cause 272, tval 280, epc 288. */
struct gctx { u64 x[32], mstatus, trapped, cause, tval, epc; };
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

/* The random stream (xorshift64) and the checksum (an FNV-1a-like fold) both firmwares use:
 * set seed and sum before use. rval() favours edge values. */
static u64 seed, sum;
static inline u64 rnd(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; }
static inline void fold(u64 v) { sum = (sum ^ v) * 0x100000001b3UL; sum ^= sum >> 29; }
static inline u64 rval(void)
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

#endif
