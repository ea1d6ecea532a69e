/* Zicsr instruction semantics on a plain read/write CSR (mscratch): every form, with
 * rd=x0 and rs1=x0/uimm=0 variants; old and new values are printed. */
#include "fw.h"

/* mscratch = init; run insn (t1 = operand, t0 = rd); print old value (t0) and new */
#define F(key, insn, init, op) do { u64 __old, __new; csr_write(mscratch, init); \
	asm volatile("li t0, 0x77\n mv t1, %2\n " insn "\n mv %0, t0\n csrr %1, mscratch" \
		: "=&r"(__old), "=&r"(__new) : "r"((u64)(op)) : "t0", "t1", "memory"); \
	puts_(key); puts_(": rd="); put_hex(__old); puts_(" csr="); put_hex(__new); putch('\n'); \
	} while (0)

#define INIT 0xf0f0f0f00000ff00UL

int main(void)
{
	F("csrrw", "csrrw t0, mscratch, t1", INIT, 0x123456789abcdef0UL);
	F("csrrw rd=x0", "csrrw x0, mscratch, t1", INIT, 0x55UL);
	F("csrrw rs1=x0", "csrrw t0, mscratch, x0", INIT, 0);
	F("csrrs", "csrrs t0, mscratch, t1", INIT, 0xffUL);
	F("csrrs rd=x0", "csrrs x0, mscratch, t1", INIT, 0x0fUL << 60);
	F("csrrs rs1=x0", "csrrs t0, mscratch, x0", INIT, 0);
	F("csrrc", "csrrc t0, mscratch, t1", INIT, 0xf000UL);
	F("csrrc rd=x0", "csrrc x0, mscratch, t1", INIT, ~0UL);
	F("csrrc rs1=x0", "csrrc t0, mscratch, x0", INIT, 0);
	F("csrrwi", "csrrwi t0, mscratch, 31", INIT, 0);
	F("csrrwi 0", "csrrwi t0, mscratch, 0", INIT, 0);
	F("csrrwi rd=x0", "csrrwi x0, mscratch, 17", INIT, 0);
	F("csrrsi", "csrrsi t0, mscratch, 0x15", INIT, 0);
	F("csrrsi 0", "csrrsi t0, mscratch, 0", INIT, 0);
	F("csrrsi rd=x0", "csrrsi x0, mscratch, 1", INIT, 0);
	F("csrrci", "csrrci t0, mscratch, 0x1f", ~0UL, 0);
	F("csrrci 0", "csrrci t0, mscratch, 0", INIT, 0);
	F("csrrci rd=x0", "csrrci x0, mscratch, 3", ~0UL, 0);
	/* rd == rs1: the old value is read before the source is used */
	u64 v = 0xabcUL;
	csr_write(mscratch, 0x111UL);
	asm volatile("csrrw %0, mscratch, %0" : "+r"(v) :: "memory");
	kv("csrrw rd=rs1 rd", v);
	kv("csrrw rd=rs1 csr", csr_read(mscratch));
	v = 0x0f0UL;
	asm volatile("csrrs %0, mscratch, %0" : "+r"(v) :: "memory");
	kv("csrrs rd=rs1 rd", v);
	kv("csrrs rd=rs1 csr", csr_read(mscratch));
	v = 0x00fUL;
	asm volatile("csrrc %0, mscratch, %0" : "+r"(v) :: "memory");
	kv("csrrc rd=rs1 rd", v);
	kv("csrrc rd=rs1 csr", csr_read(mscratch));
	/* the same forms on sscratch (an S CSR accessed from M) */
	csr_write(sscratch, INIT);
	asm volatile("csrrsi x0, sscratch, 7\n csrrci x0, sscratch, 0x18" ::: "memory");
	kv("sscratch", csr_read(sscratch));
	done("csr_imm_forms");
}
