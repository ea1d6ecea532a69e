/* mret into S and U (priv spec 3.3.2): the lower code ecalls back; the handler sees
 * cause 9/8 and MPP=S/U. mret to a mode below M clears MPRV; mret sets MPP to U and MPIE
 * to 1; sret from S drops to U. PMP entry 7 grants S/U all memory. */
#include "fw.h"

static u64 lower_ecall(u64 arg)
{
	TRY("  ecall", "ecall", 0);
	return arg + 1;
}

static void show(u64 ret)
{
	struct trap_rec *r = &this_hart()->rec;
	kv("  ret", ret);
	kv("  MPP at trap", (r->status >> 11) & 3);
	kv("  MPRV at trap", (r->status >> 17) & 1);
	kv("  MPIE at trap", (r->status >> 7) & 1);
	kv("  exit cause", this_hart()->exit_cause);
}

extern char lower_exit_stub[];

/* S-mode: sret to U at the run_lower exit stub, so the exit ecall comes from U */
static u64 s_to_u(u64 arg)
{
	csr_write(sepc, (u64)lower_exit_stub);
	csr_clear(sstatus, MSTATUS_SPP);
	register u64 a0 asm("a0") = arg + 0x100;
	asm volatile("sret" :: "r"(a0) : "memory");
	return 0;
}

int main(void)
{
	pmp_allow_all();
	csr_clear(mstatus, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPRV);
	puts_("S\n");
	show(run_lower(MPP_S, lower_ecall, 1));
	puts_("U\n");
	show(run_lower(MPP_U, lower_ecall, 2));
	csr_set(mstatus, MSTATUS_MPRV);
	puts_("S with MPRV\n");
	show(run_lower(MPP_S, lower_ecall, 3));
	kv("  MPRV after", (csr_read(mstatus) >> 17) & 1);
	csr_set(mstatus, MSTATUS_MPRV);
	puts_("U with MPRV\n");
	show(run_lower(MPP_U, lower_ecall, 4));
	kv("  MPRV after", (csr_read(mstatus) >> 17) & 1);
	puts_("S sret to U\n");
	show(run_lower(MPP_S, s_to_u, 5));

	/* mret to M: MPRV stays, MPP becomes U, MIE <- MPIE, MPIE <- 1 */
	u64 before, after;
	asm volatile("li t0, 0x1888\n csrc mstatus, t0\n li t0, 0x21880\n csrs mstatus, t0\n"
		     "csrr %0, mstatus\n lla t0, 1f\n csrw mepc, t0\n mret\n"
		     "1: csrr %1, mstatus\n li t0, 0x20000\n csrc mstatus, t0"
		     : "=&r"(before), "=&r"(after) :: "t0", "memory");
	kv("mret to M: mstatus before", before);
	kv("mret to M: mstatus after", after);
	csr_clear(mstatus, MSTATUS_MIE);
	done("mret_s_u");
}
