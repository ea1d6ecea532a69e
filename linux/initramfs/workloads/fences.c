/* fences: remote TLB shootdowns. Reader threads run on the other CPUs in our address
 * space; the main thread repeatedly maps a fresh region (usually at the virtual address
 * it just unmapped, backed by other physical pages), fills it with this round's pattern,
 * changes its protection, and has every reader check the pattern through its own TLB.
 * munmap/mprotect of memory the other CPUs may have cached in their TLBs makes Linux
 * flush them remotely (SBI remote sfence.vma, or IPIs). A stale translation shows up as
 * a reader seeing an old round's pattern. */
#include "../common.h"
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FENCE_ROUNDS 150u
#define FENCE_PAGES 4u
#define FENCE_MAX_READERS 7
#define PAGE 4096u

static _Atomic(uint64_t *) region;   /* published region, NULL between rounds */
static _Atomic uint32_t round_no;     /* futex: round whose pattern the region holds */
static _Atomic uint32_t acks;         /* futex: readers that checked the current round */
static _Atomic uint32_t errors;
static _Atomic int stop;
static uint32_t nreaders;

static long futex(_Atomic uint32_t *addr, int op, uint32_t val)
{
	return syscall(SYS_futex, (uint32_t *)addr, op, val, NULL, NULL, 0);
}

static uint64_t pattern(uint32_t r, uint32_t i)
{
	return ((uint64_t)r << 32) ^ (i * 0x9E3779B97F4A7C15ull);
}

/* Readers sleep between rounds (their CPU keeps our mm in its TLB, lazily): the kernel
 * still has to fence them remotely, and waking them is an IPI too. */
static void *reader(void *arg)
{
	pin_to_cpu((int)(uintptr_t)arg);
	uint32_t seen = 0;
	for (;;) {
		uint32_t r = atomic_load(&round_no);
		if (r == seen) {
			futex(&round_no, FUTEX_WAIT_PRIVATE, r);
			continue;
		}
		if (atomic_load(&stop))
			break;
		const uint64_t *p = atomic_load(&region);
		const uint32_t words = FENCE_PAGES * PAGE / 8;
		for (uint32_t i = 0; i < words; i += 61)
			if (p[i] != pattern(r, i)) {
				atomic_fetch_add(&errors, 1);
				break;
			}
		seen = r;
		if (atomic_fetch_add(&acks, 1) + 1 == nreaders)
			futex(&acks, FUTEX_WAKE_PRIVATE, 1);
	}
	return NULL;
}

static void publish(uint32_t r)
{
	atomic_store(&round_no, r);
	futex(&round_no, FUTEX_WAKE_PRIVATE, INT32_MAX);
}

static void wait_acks(void)
{
	uint32_t a;
	while ((a = atomic_load(&acks)) < nreaders)
		futex(&acks, FUTEX_WAIT_PRIVATE, a);
}

int wl_fences(void)
{
	int ncpu = online_cpus();
	nreaders = ncpu <= 1 ? 1 : (uint32_t)(ncpu - 1 > FENCE_MAX_READERS ? FENCE_MAX_READERS : ncpu - 1);
	pin_to_cpu(0);
	pthread_t th[FENCE_MAX_READERS];
	int ok = 1;
	for (uint32_t i = 0; i < nreaders; i++)
		if (pthread_create(&th[i], NULL, reader, (void *)(uintptr_t)(i + 1)) != 0)
			return report("fences", 0, 1, 0);
	const size_t len = FENCE_PAGES * PAGE;
	const uint32_t words = (uint32_t)(len / 8);
	uint32_t reused = 0;
	uint64_t *last = NULL;
	uint64_t t0 = now_ns();
	for (uint32_t r = 1; r <= FENCE_ROUNDS && ok; r++) {
		uint64_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			ok = 0;
			break;
		}
		reused += p == last;
		last = p;
		for (uint32_t i = 0; i < words; i++)
			p[i] = pattern(r, i);
		/* Write-protect: the readers only read, so their accesses still succeed. */
		if (mprotect(p, len, PROT_READ) != 0)
			ok = 0;
		atomic_store(&acks, 0);
		atomic_store(&region, p);
		publish(r);
		wait_acks();
		atomic_store(&region, NULL);
		/* And back: the data must have survived both protection changes. */
		if (mprotect(p, len, PROT_READ | PROT_WRITE) != 0)
			ok = 0;
		for (uint32_t i = 0; i < words; i++)
			if (p[i] != pattern(r, i))
				ok = 0;
		if (munmap(p, len) != 0)
			ok = 0;
	}
	uint64_t dt = now_ns() - t0;
	atomic_store(&stop, 1);
	publish(FENCE_ROUNDS + 1);
	for (uint32_t i = 0; i < nreaders; i++)
		pthread_join(th[i], NULL);
	uint32_t e = atomic_load(&errors);
	printf("fences: %u rounds, %u readers, address reused %u times, %u stale reads\n",
	       FENCE_ROUNDS, nreaders, reused, e);
	return report("fences", FENCE_ROUNDS, dt, ok && e == 0);
}
