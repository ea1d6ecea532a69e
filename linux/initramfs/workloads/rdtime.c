/* rdtime: the user-level counters. rdtime (and rdcycle, rdinstret when the kernel and the
 * firmware let user mode read them: a SIGILL is reported, not a failure) in a tight loop,
 * each strictly monotonic (time non-decreasing), and time advancing with CLOCK_MONOTONIC. */
#include "../common.h"
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#define RD_LOOPS 100000u

static sigjmp_buf on_sigill;
static void sigill(int sig)
{
	(void)sig;
	siglongjmp(on_sigill, 1);
}

#define RDCSR(name) ({ uint64_t v_; __asm__ volatile("rd" #name " %0" : "=r"(v_)); v_; })

/* Returns 1 if monotonic, 0 if not, -1 if the instruction is not allowed (SIGILL). */
static int check_counter(const char *name, int which, int strict)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sigill;
	sigaction(SIGILL, &sa, &old);
	volatile int res = 1;
	if (sigsetjmp(on_sigill, 1) == 0) {
		uint64_t prev = 0, first = 0;
		for (uint32_t i = 0; i < RD_LOOPS; i++) {
			uint64_t v = which == 0 ? RDCSR(time) : which == 1 ? RDCSR(cycle) : RDCSR(instret);
			if (i == 0)
				first = v;
			else if (v < prev || (strict && v == prev)) {
				printf("rdtime: rd%s not monotonic at %u: %llu then %llu\n", name, i,
				       (unsigned long long)prev, (unsigned long long)v);
				res = 0;
				break;
			}
			prev = v;
		}
		if (res == 1 && prev == first) {
			printf("rdtime: rd%s did not advance\n", name);
			res = 0;
		}
		if (res == 1)
			printf("rdtime: rd%s advanced by %llu over %u reads\n", name,
			       (unsigned long long)(prev - first), RD_LOOPS);
	} else {
		printf("rdtime: rd%s raised SIGILL (not enabled for user mode)\n", name);
		res = -1;
	}
	sigaction(SIGILL, &old, NULL);
	return res;
}

int wl_rdtime(void)
{
	uint64_t t0 = now_ns();
	uint64_t time0 = RDCSR(time);
	int t = check_counter("time", 0, 0);
	int c = check_counter("cycle", 1, 0);
	int n = check_counter("instret", 2, 0);
	uint64_t time1 = RDCSR(time);
	uint64_t dt = now_ns() - t0;
	/* rdtime must track CLOCK_MONOTONIC (timebase 1-100 MHz on the boards we run) */
	int tracks = time1 > time0 && dt > 0;
	printf("rdtime: %llu ticks in %llu ns\n", (unsigned long long)(time1 - time0),
	       (unsigned long long)dt);
	int ok = t == 1 && c != 0 && n != 0 && tracks;
	return report("rdtime", 3ull * RD_LOOPS, dt, ok);
}
