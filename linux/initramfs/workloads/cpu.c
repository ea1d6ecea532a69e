/* cpu: a CPU-bound baseline (integer multiply/xor/shift recurrence) with a known checksum. */
#include "../common.h"

#define CPU_ITERS 4000000u
/* xorshift64* over CPU_ITERS steps from the seed below (computed on the host, same code). */
#define CPU_EXPECTED 0xa5f6c70497a732fcull

static uint64_t cpu_loop(uint64_t x, uint32_t n)
{
	uint64_t sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		sum += x * 0x2545F4914F6CDD1Dull;
	}
	return sum;
}

int wl_cpu(void)
{
	/* volatile: the compiler may not fold the loop to a constant */
	volatile uint64_t seed = 0x9E3779B97F4A7C15ull;
	uint64_t t0 = now_ns();
	uint64_t sum = cpu_loop(seed, CPU_ITERS);
	uint64_t dt = now_ns() - t0;
	printf("cpu: checksum %#llx\n", (unsigned long long)sum);
	return report("cpu", CPU_ITERS, dt, sum == CPU_EXPECTED);
}
