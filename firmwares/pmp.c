/* Physical memory protection with entries 0..7 only (priv spec 3.7): WARL read-back,
 * TOR / NA4 / NAPOT checks on S-mode accesses, and the lock bit (applies to M-mode,
 * freezes the entry and, for TOR, the previous pmpaddr). Entry 7 = allow-all fallback.
 * Addresses print relative to the image (img+..). */
#include "fw.h"

#define R 0x01UL
#define W 0x02UL
#define X 0x04UL
#define TOR 0x08UL
#define NA4 0x10UL
#define NAPOT 0x18UL
#define L 0x80UL
#define PAGE 4096

static u8 area[8][PAGE] __attribute__((aligned(8 * PAGE)));
#define A ((u64)area[0])  /* TOR (entries 0-1), read-only */
#define B ((u64)area[1])  /* NA4 (entry 2), no access */
#define C ((u64)area[2])  /* NAPOT 4K (entry 3), RW, no X */
#define D ((u64)area[3])  /* only entry 7: RWX */
#define E ((u64)area[4])  /* locked TOR (entries 4-5), R */
#define F ((u64)area[5])  /* locked NAPOT (entry 6), none */

static u64 napot(u64 base, u64 size)
{
	return (base >> 2) | ((size >> 3) - 1);
}

static void cfg(int i, u64 v)
{
	csr_clear(pmpcfg0, 0xffUL << (8 * i));
	csr_set(pmpcfg0, v << (8 * i));
}

static void show_addr(const char *k, u64 pmpaddr)
{
	puts_(k);
	puts_(": ");
	put_addr(pmpaddr << 2);
	putch('\n');
}

static void warl(void)
{
	PROBE(pmpaddr0, ~0UL);
	PROBE(pmpaddr0, 0);
	PROBE(pmpaddr1, 0x5555555555555555UL);
	csr_write(pmpaddr0, 0);
	PROBE(pmpcfg0, 0x02UL);   /* R=0 W=1 is reserved */
	PROBE(pmpcfg0, 0x03UL);
	PROBE(pmpcfg0, 0x1aUL);   /* NAPOT, W only */
	PROBE(pmpcfg0, 0x60UL);   /* reserved bits 5-6 */
	PROBE(pmpcfg0, 0x1f1f1f1f1f1f1f1fUL);
	PROBE(pmpcfg0, 0x0f0e0d0c0b0a0908UL);
	csr_write(pmpcfg0, 0);
	/* entries 8..10: written, read back, cleared (not used otherwise) */
	PROBE(pmpaddr8, 0x12345UL);
	PROBE(pmpaddr9, 0x23456UL);
	PROBE(pmpaddr10, 0x34567UL);
	u64 c2 = csr_probe(pmpcfg2, 0x070301UL);  /* A=OFF: no rule becomes active */
	kvw("pmpcfg2 entries 8-10", 0x070301UL, c2 & 0xffffffUL);
}

static u64 s_checks(u64 arg)
{
	TRY("S ld A", "ld t0, 0(t1)", A);
	TRY2("S sd A", "sd t2, 0(t1)", A, 1);
	TRY("S lw A", "lw t0, 0(t1)", A);
	TRY("S ld A+4K-8", "ld t0, 0(t1)", A + PAGE - 8);
	TRY("S lw B", "lw t0, 0(t1)", B);
	TRY2("S sb B+3", "sb t2, 0(t1)", B + 3, 1);
	TRY("S lw B+4", "lw t0, 0(t1)", B + 4);
	TRY("S ld C", "ld t0, 0(t1)", C);
	TRY2("S sd C+8", "sd t2, 0(t1)\n ld t0, 0(t1)", C + 8, 0x77);
	TRY("S exec C", "jalr ra, 0(t1)", C);
	TRY("S exec D", "jalr ra, 0(t1)", D);
	TRY2("S sd E", "sd t2, 0(t1)", E, 1);
	return arg;
}

int main(void)
{
	warl();
	/* code for the execute checks: c.ret at C, D, F */
	*(volatile u16 *)C = 0x8082;
	*(volatile u16 *)D = 0x8082;
	*(volatile u16 *)F = 0x8082;
	*(volatile u64 *)A = 0xa;
	*(volatile u64 *)E = 0xe;
	asm volatile("fence.i" ::: "memory");

	pmp_allow_all();
	csr_write(pmpaddr0, A >> 2);
	csr_write(pmpaddr1, (A + PAGE) >> 2);
	csr_write(pmpaddr2, B >> 2);
	csr_write(pmpaddr3, napot(C, PAGE));
	cfg(1, TOR | R);
	cfg(2, NA4);
	cfg(3, NAPOT | R | W);
	kv("pmpcfg0", csr_read(pmpcfg0));
	show_addr("pmpaddr0", csr_read(pmpaddr0));
	show_addr("pmpaddr1", csr_read(pmpaddr1));
	show_addr("pmpaddr2", csr_read(pmpaddr2));
	show_addr("pmpaddr3", csr_read(pmpaddr3));
	kv("pmpaddr7", csr_read(pmpaddr7));
	/* M-mode ignores unlocked entries */
	TRY2("M sd A", "sd t2, 0(t1)\n ld t0, 0(t1)", A, 0xa0);
	TRY("M lw B", "lw t0, 0(t1)", B);
	TRY("M exec C", "jalr ra, 0(t1)", C);
	puts_("S-mode\n");
	run_lower(MPP_S, s_checks, 0);

	/* lock: entries 4-5 TOR R locked, 6 NAPOT locked with no access */
	csr_write(pmpaddr4, E >> 2);
	csr_write(pmpaddr5, (E + PAGE) >> 2);
	csr_write(pmpaddr6, napot(F, PAGE));
	cfg(5, TOR | R | L);
	cfg(6, NAPOT | L);
	kv("pmpcfg0 locked", csr_read(pmpcfg0));
	TRY("M ld E", "ld t0, 0(t1)", E);
	TRY2("M sd E", "sd t2, 0(t1)", E, 1);
	TRY2("M sd D (unlocked)", "sd t2, 8(t1)", D, 1);
	TRY("M lw F", "lw t0, 0(t1)", F);
	TRY("M exec F", "jalr ra, 0(t1)", F);
	/* locked entries ignore writes; TOR also locks pmpaddr4 */
	csr_write(pmpaddr4, 0);
	csr_write(pmpaddr5, 0);
	csr_write(pmpaddr6, 0);
	show_addr("pmpaddr4 after write", csr_read(pmpaddr4));
	show_addr("pmpaddr5 after write", csr_read(pmpaddr5));
	show_addr("pmpaddr6 after write", csr_read(pmpaddr6));
	csr_write(pmpcfg0, csr_read(pmpcfg0) & ~(0xffffUL << 40));
	kv("pmpcfg0 after clearing 5-6", csr_read(pmpcfg0));
	csr_write(pmpcfg0, (csr_read(pmpcfg0) & ~0xffUL) | (NA4 | R));
	kv("pmpcfg0 after entry 0 write", csr_read(pmpcfg0));
	puts_("S-mode after lock (entry 0 is now NA4 R: 8-byte loads at A match partially)\n");
	run_lower(MPP_S, s_checks, 0);
	done("pmp");
}
