/* mstatus.MPRV (priv spec 3.1.6.3): M-mode loads/stores with the privilege in MPP,
 * checked by PMP (satp bare) and by Sv39 translation incl. SUM and MXR. Each access
 * sets MPRV, does the access and clears MPRV inside one asm block. */
#include "fw.h"

#define MPRV (1UL << 17)
#define SUM (1UL << 18)
#define MXR (1UL << 19)
#define PAGE 4096

static u64 pt[512] __attribute__((aligned(PAGE)));
static u64 ro[PAGE / 8] __attribute__((aligned(PAGE)));  /* PMP entry 0: read-only */
static u64 nr[2] __attribute__((aligned(16)));            /* PMP entry 1: NAPOT 16, none */
static u64 target[2] __attribute__((aligned(16))) = { 0x7a5, 0 };

/* access with mstatus |= bits (MPP, MPRV, SUM, MXR); tval printed relative to va */
static void acc(const char *key, int store, u64 va, u64 bits)
{
	struct trap_rec *r = &this_hart()->rec;
	u64 v;
	expect_trap();
	if (store)
		asm volatile("li t0, 0xe1800\n csrc mstatus, t0\n csrs mstatus, %2\n li %0, 0x5a\n"
			     "sd %0, 8(%1)\n li t0, 0xe0000\n csrc mstatus, t0"
			     : "=&r"(v) : "r"(va), "r"(bits) : "t0", "memory");
	else
		asm volatile("li t0, 0xe1800\n csrc mstatus, t0\n csrs mstatus, %2\n li %0, 0\n"
			     "ld %0, 0(%1)\n li t0, 0xe0000\n csrc mstatus, t0"
			     : "=&r"(v) : "r"(va), "r"(bits) : "t0", "memory");
	this_hart()->armed = 0;
	puts_(key);
	puts_(": ");
	if (r->count) {
		puts_("trap cause=");
		put_hex(r->cause);
		puts_(" tval=va+");
		put_hex(r->tval - va - (store ? 8 : 0));
	} else {
		put_hex(store ? 0x5a : v);
	}
	putch('\n');
}

static u64 lower_ecall(u64 a)
{
	TRY("  ecall", "ecall", 0);
	return a;
}

int main(void)
{
	u64 S = MPP_S | MPRV, U = MPP_U | MPRV, M = MPP_M | MPRV;
	ro[0] = 0x40;
	pmp_allow_all();
	csr_write(pmpaddr0, ((u64)ro >> 2) | ((PAGE >> 3) - 1));
	csr_write(pmpaddr1, ((u64)nr >> 2) | 1);
	csr_set(pmpcfg0, (0x18UL | 0x1) | (0x18UL << 8));  /* NAPOT R, NAPOT none */

	puts_("satp bare, PMP\n");
	acc("MPRV=0 sd ro", 1, (u64)ro, 0);
	acc("MPP=M sd ro", 1, (u64)ro, M);
	acc("MPP=S ld ro", 0, (u64)ro, S);
	acc("MPP=S sd ro", 1, (u64)ro, S);
	acc("MPP=U ld ro", 0, (u64)ro, U);
	acc("MPP=U sd ro", 1, (u64)ro, U);
	acc("MPP=S ld nr", 0, (u64)nr, S);
	acc("MPP=M ld nr", 0, (u64)nr, M);
	acc("MPP=S, MPRV=0 ld nr", 0, (u64)nr, MPP_S);
	acc("MPP=S ld target", 0, (u64)target, S);

	/* Sv39 gigapages onto the RAM at 0x80000000: identity (S), 0x40000000 (U),
	 * 0xc0000000 (execute-only) */
	u64 ppn = 0x80000000UL >> 12;
	pt[2] = (ppn << 10) | 0xcf;  /* D A - - X W R V */
	pt[1] = (ppn << 10) | 0xdf;  /* D A - U X W R V */
	pt[3] = (ppn << 10) | 0x49;  /*   A - - X - - V */
	u64 off = (u64)target - 0x80000000UL;
	u64 vk = 0x80000000UL + off, vu = 0x40000000UL + off, vx = 0xc0000000UL + off;
	csr_write(satp, (8UL << 60) | ((u64)pt >> 12));
	asm volatile("sfence.vma" ::: "memory");
	puts_("satp sv39\n");
	acc("MPRV=0 ld target", 0, (u64)target, 0);
	acc("MPP=S ld kernel va", 0, vk, S);
	acc("MPP=S ld user va", 0, vu, S);
	acc("MPP=S ld user va SUM", 0, vu, S | SUM);
	acc("MPP=S sd user va", 1, vu, S);
	acc("MPP=S sd user va SUM", 1, vu, S | SUM);
	acc("MPP=S ld xonly va", 0, vx, S);
	acc("MPP=S ld xonly va MXR", 0, vx, S | MXR);
	acc("MPP=S sd xonly va MXR", 1, vx, S | MXR);
	acc("MPP=U ld user va", 0, vu, U);
	acc("MPP=U ld kernel va", 0, vk, U);
	acc("MPP=U ld kernel va SUM", 0, vk, U | SUM);
	acc("MPP=U ld xonly va MXR", 0, vx, U | MXR);
	acc("MPP=S ld unmapped va", 0, 0x140000000UL, S);
	acc("MPP=S ld non-canonical va", 0, 0x8000000000UL, S);
	acc("MPP=S ld ro (pmp after translation)", 0, (u64)ro, S);
	acc("MPP=S sd ro (pmp after translation)", 1, (u64)ro, S);
	csr_write(satp, 0);
	asm volatile("sfence.vma" ::: "memory");
	kv("target[1]", target[1]);

	/* mret to S/U with MPRV set (spec 1.12: xRET to a mode below M clears MPRV) */
	csr_set(mstatus, MPRV);
	run_lower(MPP_S, lower_ecall, 0);
	kv("MPRV seen by ecall from S", (this_hart()->rec.status >> 17) & 1);
	csr_clear(mstatus, MPRV);
	done("mprv");
}
