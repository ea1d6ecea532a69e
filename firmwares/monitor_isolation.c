/* Monitor-only: the monitor's memory [0x8fc00000, 0x8fe00000) must stay out of the
 * firmware's reach. Loads, stores and jumps at three addresses inside it, then the same
 * after the firmware gives itself PMP entry 0 = NAPOT over all memory (RWX), then with a
 * locked TOR entry 1 over all memory (RWX, applies to M), then loads/stores with MPRV and
 * MPP=S. Under the monitor every attempt faults (5, 7 or 1 with tval = the address):
 * firmwares/expected/monitor_isolation.txt. Natively the region is plain RAM: nothing
 * faults (the stores write "jr ra" so that the jumps come back). */
#include "fw.h"

static const u64 addrs[] = { 0x8fc00000UL, 0x8fc01000UL, 0x8fdffff8UL };
#define JR_RA2 0x0000806700008067UL
#define MPRV_S (MSTATUS_MPRV | MPP_S)

static void report(const char *what, u64 a)
{
	struct hart *h = this_hart();
	h->armed = 0;
	puts_(what);
	putch(' ');
	put_hex(a);
	puts_(": ");
	if (!h->rec.count) {
		puts_("ok");
	} else {
		puts_("trap cause=");
		put_hex(h->rec.cause);
		puts_(" tval=");
		put_hex(h->rec.tval);
	}
	putch('\n');
}

/* t1 = address, t2 = value, t3 = mstatus bits for MPRV */
#define ATT(what, insn, a) do { expect_trap(); \
	asm volatile("mv t1, %0\n mv t2, %1\n li t3, %2\n" insn \
		:: "r"((u64)(a)), "r"(JR_RA2), "i"(MPRV_S) : TRAP_CLOBBERS, "t3"); \
	report(what, a); } while (0)

static void attempts(const char *phase)
{
	kvs("phase", phase);
	for (int i = 0; i < 3; i++) {
		u64 a = addrs[i];
		ATT("sd", "sd t2, 0(t1)", a);
		ATT("ld", "ld t0, 0(t1)", a);
		ATT("sw", "sw t2, 0(t1)", a);
		ATT("lw", "lw t0, 0(t1)", a);
		ATT("lb", "lb t0, 0(t1)", a);
		fence();
		asm volatile("fence.i" ::: "memory");
		ATT("jump", "jalr ra, 0(t1)", a);
		ATT("amoswap.d", "amoswap.d t0, t2, (t1)", a);
	}
}

static void mprv_attempts(void)
{
	kvs("phase", "mprv mpp=s");
	for (int i = 0; i < 3; i++) {
		u64 a = addrs[i];
#define MPRV(insn) "li t4, 3 << 11\n csrc mstatus, t4\n csrs mstatus, t3\n" insn \
		"\n li t4, (1 << 17) | (3 << 11)\n csrc mstatus, t4"
		expect_trap();
		asm volatile("mv t1, %0\n mv t2, %1\n li t3, %2\n" MPRV("sd t2, 0(t1)")
			:: "r"(a), "r"(JR_RA2), "i"(MPRV_S) : TRAP_CLOBBERS, "t3", "t4");
		report("mprv sd", a);
		expect_trap();
		asm volatile("mv t1, %0\n li t3, %1\n" MPRV("ld t0, 0(t1)")
			:: "r"(a), "i"(MPRV_S) : TRAP_CLOBBERS, "t3", "t4");
		report("mprv ld", a);
	}
}

int main(void)
{
	attempts("plain");

	/* entry 0: NAPOT over the whole address space, RWX, unlocked */
	csr_write(pmpaddr0, ~0UL);
	csr_write(pmpcfg0, 0x1fUL);
	kv("pmpcfg0", csr_read(pmpcfg0));
	attempts("pmp0 napot rwx");

	/* entry 1: TOR [0, top) RWX, locked (applies to M); entry 0 off */
	csr_write(pmpcfg0, 0);
	csr_write(pmpaddr0, 0);
	csr_write(pmpaddr1, ~0UL);
	csr_write(pmpcfg0, 0x8fUL << 8);
	kv("pmpcfg0", csr_read(pmpcfg0));
	attempts("pmp1 tor rwx locked");

	mprv_attempts();
	done("monitor_isolation");
}
