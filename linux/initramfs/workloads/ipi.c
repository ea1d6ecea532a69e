/* ipi: cross-CPU wakeups. One thread per online CPU (up to 8), each pinned to its CPU,
 * passes a token around a ring through futexes: every hop wakes the one thread sleeping
 * on the next CPU, which the kernel does with an IPI (SBI sbi_send_ipi or the IMSIC/CLINT).
 * With one CPU the threads share it and the ring still completes. */
#include "../common.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

#define IPI_HOPS 2000u
#define IPI_MAX_THREADS 8

/* slot[i]: the hop thread i is given (0: none yet). Hop HOPS+1 is the stop token, which
 * goes once around the ring. Every thread sleeps on its own word and is woken alone. */
static _Atomic uint32_t slot[IPI_MAX_THREADS];
static uint32_t nthreads;
static uint32_t hops_done[IPI_MAX_THREADS];
static int cpu_of[IPI_MAX_THREADS];

static long futex(_Atomic uint32_t *addr, int op, uint32_t val)
{
	return syscall(SYS_futex, (uint32_t *)addr, op, val, NULL, NULL, 0);
}

static void pass(uint32_t to, uint32_t hop)
{
	atomic_store(&slot[to], hop);
	futex(&slot[to], FUTEX_WAKE_PRIVATE, 1);
}

static void *ring_thread(void *arg)
{
	uint32_t me = (uint32_t)(uintptr_t)arg, next = (me + 1) % nthreads;
	cpu_of[me] = pin_to_cpu((int)me);
	for (;;) {
		uint32_t v;
		while ((v = atomic_exchange(&slot[me], 0)) == 0)
			futex(&slot[me], FUTEX_WAIT_PRIVATE, 0);
		if (v > IPI_HOPS) {
			pass(next, v);
			break;
		}
		hops_done[me]++;
		pass(next, v + 1);
	}
	return NULL;
}

int wl_ipi(void)
{
	int ncpu = online_cpus();
	nthreads = ncpu < 2 ? 2 : (ncpu > IPI_MAX_THREADS ? IPI_MAX_THREADS : (uint32_t)ncpu);
	pthread_t th[IPI_MAX_THREADS];
	uint64_t t0 = now_ns();
	int ok = 1;
	atomic_store(&slot[0], 1);
	for (uint32_t i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, ring_thread, (void *)(uintptr_t)i) != 0)
			ok = 0;
	for (uint32_t i = 0; ok && i < nthreads; i++)
		pthread_join(th[i], NULL);
	uint64_t dt = now_ns() - t0;
	uint32_t total = 0;
	for (uint32_t i = 0; i < nthreads; i++) {
		uint32_t h = hops_done[i];
		total += h;
		/* every thread takes exactly its share of the ring */
		if (h != IPI_HOPS / nthreads + (i < IPI_HOPS % nthreads))
			ok = 0;
	}
	printf("ipi: %u threads on cpus", nthreads);
	for (uint32_t i = 0; i < nthreads; i++)
		printf(" %d", cpu_of[i]);
	printf(", %u hops\n", total);
	ok = ok && total == IPI_HOPS;
	return report("ipi", total, dt, ok);
}
