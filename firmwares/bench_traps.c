/* Cost of the monitor's trap paths, in retired instructions (minstret), for `make bench`.
 * Run under QEMU -icount so the count is exact and repeatable. Natively each operation is a
 * handful of instructions; under the monitor the difference is what the monitor executes. */
#include "fw.h"

#define N 1000
#define SBI_DONE 0x99

static u64 start;

static inline u64 instret(void) { return csr_read(minstret); }

static void report(const char *name, u64 begin, u64 end)
{
	puts_("bench ");
	puts_(name);
	puts_(": ");
	u64 per = (end - begin) / N, rem = ((end - begin) % N) * 10 / N;
	char buf[24];
	int i = 0;
	do { buf[i++] = '0' + per % 10; per /= 10; } while (per);
	while (i) putch(buf[--i]);
	putch('.');
	putch('0' + rem);
	putch('\n');
}

/* M-mode handler: skip the ecall and return; the final ecall from S (a7 = SBI_DONE) ends
 * the S-mode loop and continues in s_done() on the same stack. */
void bench_handler(void);
asm(".align 2\n"
    "bench_handler:\n"
    "  csrr t1, mepc\n"
    "  addi t1, t1, 4\n"
    "  csrw mepc, t1\n"
    "  li t2, 0x99\n"
    "  beq a7, t2, 1f\n"
    "  mret\n"
    "1: j s_done\n");

/* The S-mode loop: N ecalls (each one an OS -> firmware -> OS round trip), then done. */
void s_loop(void);
asm(".align 2\n"
    "s_loop:\n"
    "  li t0, 1000\n"
    "1: li a7, 0\n"
    "  ecall\n"
    "  addi t0, t0, -1\n"
    "  bnez t0, 1b\n"
    "  li a7, 0x99\n"
    "  ecall\n");

__attribute__((noreturn)) void s_done(void)
{
	u64 end = instret();
	report("os-ecall-roundtrip", start, end);
	done("bench_traps");
}

int main(void)
{
	u64 a, b;
	a = instret();
	for (int i = 0; i < N; i++)
		asm volatile("nop");
	b = instret();
	report("loop-baseline", a, b);

	a = instret();
	for (int i = 0; i < N; i++)
		asm volatile("csrr t0, mscratch" ::: "t0");
	b = instret();
	report("csr-read", a, b);

	a = instret();
	for (int i = 0; i < N; i++)
		asm volatile("csrw mscratch, %0" :: "r"(i));
	b = instret();
	report("csr-write", a, b);

	a = instret();
	for (int i = 0; i < N; i++)
		asm volatile("csrs mstatus, %0" :: "r"(MSTATUS_SUM));
	b = instret();
	report("mstatus-set", a, b);

	a = instret();
	for (int i = 0; i < N; i++)
		(void)mmio_r64(CLINT_MTIME);
	b = instret();
	report("clint-mtime-read", a, b);

	u64 old_tvec = csr_swap(mtvec, (u64)bench_handler);
	a = instret();
	for (int i = 0; i < N; i++)
		asm volatile("li a7, 0\n ecall" ::: "a7", "t1", "t2", "memory");
	b = instret();
	report("firmware-ecall-roundtrip", a, b);
	(void)old_tvec;

	/* S-mode loop: mret into S, N ecalls back to M, each returned with mret. */
	pmp_allow_all();
	csr_write(mepc, (u64)s_loop);
	csr_clear(mstatus, MSTATUS_MPP);
	csr_set(mstatus, MPP_S);
	start = instret();
	asm volatile("mret");
	__builtin_unreachable();
}
