/* Shared runtime: UART output, exit, default trap handlers, PMP helper. */
#include "fw.h"

struct hart harts[MAX_HARTS] __attribute__((aligned(256)));
_Static_assert(sizeof(struct hart) <= 256, "crt0 assumes struct hart fits in 256 bytes");

static int failures;

void putch(char c)
{
	while (!(mmio_r8(UART_BASE + 5) & 0x20))
		;
	mmio_w8(UART_BASE, (u8)c);
}

void puts_(const char *s)
{
	while (*s)
		putch(*s++);
}

void put_hex(u64 v)
{
	int started = 0;
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4) {
		unsigned d = (v >> i) & 0xf;
		if (d || started || i == 0) {
			putch("0123456789abcdef"[d]);
			started = 1;
		}
	}
}

void put_addr(u64 v)
{
	if (v >= (u64)_img_start && v < (u64)_img_end) {
		puts_("img+");
		put_hex(v - (u64)_img_start);
	} else {
		put_hex(v);
	}
}

void kv(const char *key, u64 v)
{
	puts_(key);
	puts_(": ");
	put_hex(v);
	putch('\n');
}

void kvs(const char *key, const char *s)
{
	puts_(key);
	puts_(": ");
	puts_(s);
	putch('\n');
}

void kvb(const char *key, int b)
{
	kv(key, b ? 1 : 0);
}

void kvw(const char *name, u64 w, u64 r)
{
	puts_(name);
	puts_(" <- ");
	put_hex(w);
	puts_(": ");
	put_hex(r);
	putch('\n');
}

void fail(const char *reason)
{
	failures++;
	puts_("FAIL ");
	puts_(reason);
	putch('\n');
}

void check(int cond, const char *reason)
{
	if (!cond)
		fail(reason);
}

void poweroff(u32 code)
{
	fence();
	mmio_w32(TEST_BASE, code == 0 ? 0x5555 : ((code << 16) | 0x3333));
	for (;;)
		wfi();
}

void done(const char *name)
{
	puts_("DONE ");
	puts_(name);
	putch('\n');
	poweroff(failures ? 1 : 0);
}

/* main() returned without calling done(). */
void done_noname(void)
{
	fail("main returned");
	poweroff(1);
}

/* Park this hart's timer (mtimecmp resets to 0 on QEMU, which leaves MTIP to chance)
 * and clear its software interrupt, so every test starts from the same state. */
void hart_init(u64 hartid)
{
	mmio_w64(CLINT_MTIMECMP(hartid), ~0UL);
	mmio_w32(CLINT_MSIP(hartid), 0);
}

__attribute__((weak)) void hart_main(u64 hartid)
{
	(void)hartid;
	for (;;)
		wfi();
}

void wait_irq(volatile u64 *counter, u64 target)
{
	csr_clear(mstatus, MSTATUS_MIE);
	while (*counter < target) {
		wfi();
		csr_set(mstatus, MSTATUS_MIE);
		asm volatile("nop");
		csr_clear(mstatus, MSTATUS_MIE);
	}
}

void pmp_allow_all(void)
{
	/* Entry 7, lowest priority of the entries the tests use (priv spec 3.7.1). */
	csr_write(pmpaddr7, ~0UL);
	csr_clear(pmpcfg0, 0xffUL << 56);
	csr_set(pmpcfg0, 0x1fUL << 56); /* NAPOT | X | W | R */
}

void expect_trap(void)
{
	struct hart *h = this_hart();
	h->rec.count = 0;
	h->armed = 1;
}

static void report(const char *key, struct trap_rec *r, u64 pc, u64 val, int quiet)
{
	puts_(key);
	puts_(": ");
	if (!r->count) {
		if (quiet)
			puts_("ok");
		else
			put_hex(val);
	} else {
		puts_("trap cause=");
		put_hex(r->cause);
		puts_(" epc=+");
		put_hex(r->epc - pc);
		puts_(" tval=");
		if (r->cause == 2 || r->cause == 22)
			put_hex(r->tval);  /* instruction bits, not an address */
		else
			put_addr(r->tval);
	}
	putch('\n');
}

void trap_report(const char *key, u64 pc, u64 val)
{
	struct hart *h = this_hart();
	h->armed = 0;
	report(key, &h->rec, pc, val, 0);
}

void trap_report_q(const char *key, u64 pc)
{
	struct hart *h = this_hart();
	h->armed = 0;
	report(key, &h->rec, pc, 0, 1);
}

void strap_report(const char *key, u64 pc)
{
	report(key, &this_hart()->srec, pc, 0, 1);
}

static u64 insn_len(u64 epc)
{
	return ((*(volatile u16 *)epc) & 3) == 3 ? 4 : 2;
}

static void record(struct trap_rec *r, struct trap_frame *f)
{
	r->count++;
	r->cause = f->cause;
	r->epc = f->epc;
	r->tval = f->tval;
	r->status = f->status;
}

static void resume_after(struct trap_frame *f)
{
	u64 c = f->cause;
	if (c == 1 || c == 12 || c == 20)
		f->epc = f->x[REG_RA];  /* fetch fault: nothing to skip, return to caller */
	else
		f->epc += insn_len(f->epc);
}

static void unexpected(const char *what, struct trap_frame *f)
{
	puts_("FAIL unexpected ");
	puts_(what);
	puts_(" cause=");
	put_hex(f->cause);
	puts_(" epc=");
	put_addr(f->epc);
	puts_(" tval=");
	put_addr(f->tval);
	putch('\n');
	poweroff(2);
}

extern char lower_return[];

void trap_handler(struct trap_frame *f)
{
	struct hart *h = this_hart();
	if (f->cause & CAUSE_INTR) {
		if (!h->irq || !h->irq(f))
			unexpected("M interrupt", f);
		return;
	}
	if ((f->cause == 8 || f->cause == 9) && f->x[REG_A7] == LOWER_EXIT) {
		/* run_lower() done: resume M-mode at lower_return, a0 carries the result */
		h->exit_cause = f->cause;
		f->epc = (u64)lower_return;
		csr_set(mstatus, MPP_M);
		return;
	}
	if ((f->cause == 8 || f->cause == 9 || f->cause == 11) && h->ecall && h->ecall(f))
		return;
	if (!h->armed)
		unexpected("M trap", f);
	record(&h->rec, f);
	resume_after(f);
}

void strap_handler(struct trap_frame *f)
{
	struct hart *h = this_hart();
	if (f->cause & CAUSE_INTR) {
		if (!h->sirq || !h->sirq(f))
			unexpected("S interrupt", f);
		return;
	}
	if (f->cause == 8 && f->x[REG_A7] == LOWER_EXIT) {
		/* delegated run_lower() exit from U: pass it on to M-mode */
		register u64 a0 asm("a0") = f->x[REG_A0];
		register u64 a7 asm("a7") = LOWER_EXIT;
		asm volatile("ecall" :: "r"(a0), "r"(a7) : "memory");
	}
	record(&h->srec, f);
	resume_after(f);
}
