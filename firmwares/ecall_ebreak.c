/* ecall / ebreak / c.ebreak from M-mode (priv spec 3.3.1): mcause, mepc relative to the
 * instruction, mtval, and the mstatus stacking (MPP=M, MPIE=old MIE, MIE=0) seen by the
 * handler, with MIE clear and set beforehand (mie=0, so no interrupt can fire). */
#include "fw.h"

static void stack_bits(void)
{
	struct trap_rec *r = &this_hart()->rec;
	kv("  MPP", (r->status >> 11) & 3);
	kv("  MPIE", (r->status >> 7) & 1);
	kv("  MIE", (r->status >> 3) & 1);
	kv("  count", r->count);
	kv("  mstatus.MIE after mret", (csr_read(mstatus) >> 3) & 1);
}

static void all(void)
{
	TRY("ecall", "ecall", 0);
	stack_bits();
	TRY("ebreak", ".option push\n .option norvc\n ebreak\n .option pop", 0);
	stack_bits();
	TRY("c.ebreak", ".option push\n .option rvc\n c.ebreak\n .option pop", 0);
	stack_bits();
}

int main(void)
{
	csr_write(mie, 0);
	csr_clear(mstatus, MSTATUS_MIE | MSTATUS_MPIE);
	puts_("with MIE=0\n");
	all();
	csr_set(mstatus, MSTATUS_MIE);
	puts_("with MIE=1\n");
	all();
	csr_clear(mstatus, MSTATUS_MIE);
	/* registers other than the handler's own survive the round trip */
	u64 a = 0x1111, b = 0x2222;
	expect_trap();
	asm volatile("mv a0, %0\n mv a1, %1\n li a7, 0\n ecall\n mv %0, a0\n mv %1, a1"
		     : "+r"(a), "+r"(b) :: "a0", "a1", "a7", "memory");
	this_hart()->armed = 0;
	kv("a0 after ecall", a);
	kv("a1 after ecall", b);
	done("ecall_ebreak");
}
