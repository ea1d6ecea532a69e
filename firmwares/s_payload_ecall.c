/* SBI-style round trip M -> S -> M -> S (priv spec 3.3.1; SBI calling convention):
 * the S payload ecalls with a7=EID, a6=FID, a0/a1 args; the M handler answers in a0
 * (error) / a1 (value) and steps mepc past the ecall. All other registers and the S
 * CSRs must come back unchanged. */
#include "fw.h"

struct call { u64 eid, fid, a0, a1, r0, r1, bad; };

/* void sbi_call(struct call *c): fills t0-t6, s1-s11, a2-a5 with patterns, ecalls,
 * and counts the registers that changed into c->bad. */
__asm__(
	"	.text\n"
	"	.balign 4\n"
	"sbi_call:\n"
	"	addi sp, sp, -112\n"
	"	sd ra, 0(sp)\n sd s0, 8(sp)\n sd s1, 16(sp)\n sd s2, 24(sp)\n sd s3, 32(sp)\n"
	"	sd s4, 40(sp)\n sd s5, 48(sp)\n sd s6, 56(sp)\n sd s7, 64(sp)\n sd s8, 72(sp)\n"
	"	sd s9, 80(sp)\n sd s10, 88(sp)\n sd s11, 96(sp)\n"
	"	mv s0, a0\n"
	"	ld a7, 0(s0)\n ld a6, 8(s0)\n ld a0, 16(s0)\n ld a1, 24(s0)\n"
	"	li t0, 0x105\n li t1, 0x106\n li t2, 0x107\n li t3, 0x11c\n li t4, 0x11d\n"
	"	li t5, 0x11e\n li t6, 0x11f\n li s1, 0x109\n li s2, 0x112\n li s3, 0x113\n"
	"	li s4, 0x114\n li s5, 0x115\n li s6, 0x116\n li s7, 0x117\n li s8, 0x118\n"
	"	li s9, 0x119\n li s10, 0x11a\n li s11, 0x11b\n li a2, 0x10c\n li a3, 0x10d\n"
	"	li a4, 0x10e\n li a5, 0x10f\n"
	"	ecall\n"
	"	sd a0, 32(s0)\n sd a1, 40(s0)\n"
	"	li a0, 0\n"
	"	addi t0, t0, -0x105\n snez t0, t0\n add a0, a0, t0\n"
	"	addi t1, t1, -0x106\n snez t1, t1\n add a0, a0, t1\n"
	"	addi t2, t2, -0x107\n snez t2, t2\n add a0, a0, t2\n"
	"	addi t3, t3, -0x11c\n snez t3, t3\n add a0, a0, t3\n"
	"	addi t4, t4, -0x11d\n snez t4, t4\n add a0, a0, t4\n"
	"	addi t5, t5, -0x11e\n snez t5, t5\n add a0, a0, t5\n"
	"	addi t6, t6, -0x11f\n snez t6, t6\n add a0, a0, t6\n"
	"	addi s1, s1, -0x109\n snez s1, s1\n add a0, a0, s1\n"
	"	addi s2, s2, -0x112\n snez s2, s2\n add a0, a0, s2\n"
	"	addi s3, s3, -0x113\n snez s3, s3\n add a0, a0, s3\n"
	"	addi s4, s4, -0x114\n snez s4, s4\n add a0, a0, s4\n"
	"	addi s5, s5, -0x115\n snez s5, s5\n add a0, a0, s5\n"
	"	addi s6, s6, -0x116\n snez s6, s6\n add a0, a0, s6\n"
	"	addi s7, s7, -0x117\n snez s7, s7\n add a0, a0, s7\n"
	"	addi s8, s8, -0x118\n snez s8, s8\n add a0, a0, s8\n"
	"	addi s9, s9, -0x119\n snez s9, s9\n add a0, a0, s9\n"
	"	addi s10, s10, -0x11a\n snez s10, s10\n add a0, a0, s10\n"
	"	addi s11, s11, -0x11b\n snez s11, s11\n add a0, a0, s11\n"
	"	addi a2, a2, -0x10c\n snez a2, a2\n add a0, a0, a2\n"
	"	addi a3, a3, -0x10d\n snez a3, a3\n add a0, a0, a3\n"
	"	addi a4, a4, -0x10e\n snez a4, a4\n add a0, a0, a4\n"
	"	addi a5, a5, -0x10f\n snez a5, a5\n add a0, a0, a5\n"
	"	sd a0, 48(s0)\n"
	"	ld ra, 0(sp)\n ld s0, 8(sp)\n ld s1, 16(sp)\n ld s2, 24(sp)\n ld s3, 32(sp)\n"
	"	ld s4, 40(sp)\n ld s5, 48(sp)\n ld s6, 56(sp)\n ld s7, 64(sp)\n ld s8, 72(sp)\n"
	"	ld s9, 80(sp)\n ld s10, 88(sp)\n ld s11, 96(sp)\n"
	"	addi sp, sp, 112\n"
	"	ret\n");
void sbi_call(struct call *c);

#define SBI_BASE 0x10
#define EID_ADD 0x0a000001UL  /* firmware-specific extension: a1 = a0 + a1 */

static int m_ecall(struct trap_frame *f)
{
	u64 eid = f->x[REG_A7], fid = f->x[REG_A6], a0 = f->x[REG_A0], a1 = f->x[REG_A1];
	if (f->cause != 9)
		return 0;
	puts_("M ecall eid=");
	put_hex(eid);
	puts_(" fid=");
	put_hex(fid);
	puts_(" MPP=");
	put_hex((f->status >> 11) & 3);
	putch('\n');
	f->x[REG_A0] = 0;
	if (eid == SBI_BASE && fid == 0) {
		f->x[REG_A1] = 0x01000000;   /* spec version 1.0 */
	} else if (eid == SBI_BASE && fid == 3) {
		f->x[REG_A1] = a0 == SBI_BASE || a0 == EID_ADD;
	} else if (eid == EID_ADD) {
		f->x[REG_A1] = a0 + a1;
	} else {
		f->x[REG_A0] = (u64)-2;      /* SBI_ERR_NOT_SUPPORTED */
		f->x[REG_A1] = 0;
	}
	f->epc += 4;
	return 1;
}

static void call(u64 eid, u64 fid, u64 a0, u64 a1)
{
	struct call c = { eid, fid, a0, a1, 0, 0, 0 };
	sbi_call(&c);
	kv("  error", c.r0);
	kv("  value", c.r1);
	kv("  clobbered regs", c.bad);
}

static u64 payload(u64 arg)
{
	csr_write(sscratch, 0x55);
	csr_write(sepc, 0x1234);
	csr_write(scause, 0x7);
	csr_write(stval, 0x99);
	csr_set(sstatus, MSTATUS_SPP | MSTATUS_SPIE);
	call(SBI_BASE, 0, 0, 0);
	call(SBI_BASE, 3, SBI_BASE, 0);
	call(SBI_BASE, 3, 0x54494d45, 0);
	call(EID_ADD, 0, 40, 2);
	call(0x12345678, 9, 0, 0);
	kv("sscratch", csr_read(sscratch));
	kv("sepc", csr_read(sepc));
	kv("scause", csr_read(scause));
	kv("stval", csr_read(stval));
	kv("sstatus.SPP/SPIE", csr_read(sstatus) & (MSTATUS_SPP | MSTATUS_SPIE));
	return arg + 1;
}

int main(void)
{
	pmp_allow_all();
	this_hart()->ecall = m_ecall;
	kv("payload returned", run_lower(MPP_S, payload, 0x41));
	kv("exit cause", this_hart()->exit_cause);
	done("s_payload_ecall");
}
