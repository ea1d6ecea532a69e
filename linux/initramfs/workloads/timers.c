/* timers: a nanosleep storm. Many short relative sleeps and absolute clock_nanosleep()s,
 * each must return 0 and must not return early; the clock must advance. Every sleep
 * programs the timer (SBI set_timer or Sstc) and is woken by a timer interrupt. */
#include "../common.h"
#include <errno.h>
#include <string.h>

#define TIMER_SLEEPS 1000u
#define TIMER_NS 20000u /* 20 us (plus the default 50 us timer slack) */

int wl_timers(void)
{
	int ok = 1;
	uint64_t t0 = now_ns(), prev = t0;
	for (uint32_t i = 0; i < TIMER_SLEEPS; i++) {
		struct timespec req = { 0, TIMER_NS }, abs_t;
		int r;
		if (i & 1) {
			r = nanosleep(&req, NULL) == 0 ? 0 : errno;
		} else {
			clock_gettime(CLOCK_MONOTONIC, &abs_t);
			abs_t.tv_nsec += TIMER_NS;
			if (abs_t.tv_nsec >= 1000000000) {
				abs_t.tv_sec++;
				abs_t.tv_nsec -= 1000000000;
			}
			r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs_t, NULL);
		}
		uint64_t t = now_ns();
		if (r != 0 || t < prev + TIMER_NS) {
			printf("timers: sleep %u: error %s, slept %llu ns < %u\n", i, strerror(r),
			       (unsigned long long)(t - prev), TIMER_NS);
			ok = 0;
			break;
		}
		prev = t;
	}
	uint64_t dt = now_ns() - t0;
	if (dt < (uint64_t)TIMER_SLEEPS * TIMER_NS)
		ok = 0;
	printf("timers: %u sleeps of %u ns took %llu us (%llu ns each)\n", TIMER_SLEEPS, TIMER_NS,
	       (unsigned long long)(dt / 1000), (unsigned long long)(dt / TIMER_SLEEPS));
	return report("timers", TIMER_SLEEPS, dt, ok);
}
