/* Shared by /init and /bin/workloads: timing and the one RESULT line per workload. */
#ifndef MIRALIS_INITRAMFS_COMMON_H
#define MIRALIS_INITRAMFS_COMMON_H
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Prints "RESULT <name> ops=<n> ops_per_sec=<n> ok=<0|1>"; returns the exit status (0 = ok). */
static inline int report(const char *name, uint64_t ops, uint64_t elapsed_ns, int ok)
{
	uint64_t rate = elapsed_ns ? (uint64_t)((double)ops * 1e9 / (double)elapsed_ns) : 0;
	printf("RESULT %s ops=%llu ops_per_sec=%llu ok=%d\n", name, (unsigned long long)ops,
	       (unsigned long long)rate, ok ? 1 : 0);
	fflush(stdout);
	return ok ? 0 : 1;
}

/* Number of online CPUs (sysconf reads /sys/devices/system/cpu/online). */
int online_cpus(void);
/* Pin the calling thread to CPU `cpu` modulo the online CPUs; returns the CPU used. */
int pin_to_cpu(int cpu);

/* The workloads (workloads/<name>.c); each prints its RESULT line and returns 0 if ok. */
int wl_timers(void);
int wl_ipi(void);
int wl_fences(void);
int wl_rdtime(void);
int wl_misaligned(void);
int wl_cpu(void);

/* The workloads in the order `all` runs them (init and workloads share this list). */
static const struct { const char *name, *what; } WORKLOADS[] = {
	{ "cpu", "CPU-bound baseline loop (checksum)" },
	{ "timers", "nanosleep storm: short sleeps return and time advances" },
	{ "ipi", "futex ping-pong in a ring of threads pinned to every CPU" },
	{ "fences", "munmap/mmap/mprotect while threads on other CPUs read: remote TLB shootdowns" },
	{ "rdtime", "rdtime/rdcycle/rdinstret loop: monotonic" },
	{ "misaligned", "misaligned loads/stores of every width; misaligned AMO/LR in a child" },
};
#define NWORKLOADS (sizeof(WORKLOADS) / sizeof(WORKLOADS[0]))
#endif
