/* Synchronous exceptions from M-mode (priv spec 3.1.15, table 3.6): illegal
 * instructions, misaligned and faulting loads/stores/AMOs, instruction access faults.
 * Faulting data addresses inside the image print as img+offset. */
#include "fw.h"

static u64 buf[4] __attribute__((aligned(16))) = { 0x8877665544332211UL, 0x00ffeeddccbbaa99UL };

static void fetch_fault(const char *key, u64 target)
{
	struct trap_rec *r = &this_hart()->rec;
	expect_trap();
	/* the handler resumes a fetch fault at ra, i.e. right after the jalr */
	asm volatile("jalr ra, 0(%0)" :: "r"(target) : "ra", "memory");
	this_hart()->armed = 0;
	puts_(key);
	puts_(": cause=");
	put_hex(r->cause);
	puts_(" epc=");
	put_addr(r->epc);
	puts_(" tval=");
	put_addr(r->tval);
	putch('\n');
}

int main(void)
{
	u64 b = (u64)buf;
	TRY("c.unimp 0x0000", ".half 0", 0);
	TRY("all-ones word", ".word 0xffffffff", 0);
	TRY("custom-0 opcode", ".word 0x0000000b", 0);
	TRY("reserved op 0x7f", ".word 0x0000007f", 0);
	TRY("fadd.d with FS=0", "fadd.d f0, f1, f2", 0);
	csr_set(mstatus, 1UL << 13);
	TRY("fadd.d with FS=1", "fadd.d f0, f1, f2", 0);
	kv("FS after fadd.d", (csr_read(mstatus) >> 13) & 3);
	csr_clear(mstatus, MSTATUS_FS);

	/* misaligned: plain loads/stores may be done by hardware; LR/SC/AMOs must trap */
	TRY("lw +1", "lw t0, 0(t1)", b + 1);
	TRY("ld +4", "ld t0, 0(t1)", b + 4);
	TRY("lh +3", "lh t0, 0(t1)", b + 3);
	TRY2("sw +1", "sw t2, 0(t1)\n ld t0, -1(t1)", b + 1, 0xdeadbeefUL);
	kv("buf[0]", buf[0]);
	TRY2("amoadd.w +2", "amoadd.w t0, t2, (t1)", b + 2, 1);
	TRY2("amoswap.d +4", "amoswap.d t0, t2, (t1)", b + 4, 1);
	TRY("lr.w +2", "lr.w t0, (t1)", b + 2);
	TRY2("sc.w +2", "sc.w t0, t2, (t1)", b + 2, 1);
	TRY("lr.d +4", "lr.d t0, (t1)", b + 4);
	kv("buf[0] after", buf[0]);
	kv("buf[1] after", buf[1]);

	/* access faults: unmapped physical addresses (QEMU virt: 0x40000000.. is PCIe MMIO
	 * and reads as ones, so it is avoided) */
	TRY("lw 0x0", "lw t0, 0(t1)", 0);
	TRY("lb 0x8000000", "lb t0, 0(t1)", 0x8000000UL);
	TRY2("sd 0x8000000", "sd t2, 0(t1)", 0x8000000UL, 1);
	TRY2("sw 0x100000000", "sw t2, 0(t1)", 0x100000000UL, 1);
	TRY2("amoor.w 0x8000000", "amoor.w t0, t2, (t1)", 0x8000000UL, 1);
	TRY("lr.w 0x8000000", "lr.w t0, (t1)", 0x8000000UL);
	TRY("ld 0x4", "ld t0, 0(t1)", 0x4UL);
	fetch_fault("fetch 0x0", 0);
	fetch_fault("fetch 0x8000000", 0x8000000UL);
	fetch_fault("fetch 0x100000000", 0x100000000UL);
	kv("exceptions count", this_hart()->rec.count);
	done("exceptions");
}
