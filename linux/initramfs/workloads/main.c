/* /bin/workloads NAME...: runs each named workload (or `all`); exit status 0 if all were ok. */
#include "../common.h"
#include <sched.h>
#include <string.h>
#include <unistd.h>

static const struct { const char *name; int (*run)(void); } RUN[] = {
	{ "cpu", wl_cpu }, { "timers", wl_timers }, { "ipi", wl_ipi },
	{ "fences", wl_fences }, { "rdtime", wl_rdtime }, { "misaligned", wl_misaligned },
};

int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int pin_to_cpu(int cpu)
{
	/* The online CPUs are not necessarily 0..n-1: take the cpu-th CPU of our mask. */
	cpu_set_t all, one;
	if (sched_getaffinity(0, sizeof(all), &all) != 0)
		return -1;
	int n = CPU_COUNT(&all), k = cpu % (n ? n : 1);
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (CPU_ISSET(c, &all) && k-- == 0) {
			CPU_ZERO(&one);
			CPU_SET(c, &one);
			return sched_setaffinity(0, sizeof(one), &one) == 0 ? c : -1;
		}
	}
	return -1;
}

static int run_one(const char *name)
{
	for (size_t i = 0; i < sizeof(RUN) / sizeof(RUN[0]); i++)
		if (strcmp(RUN[i].name, name) == 0)
			return RUN[i].run();
	fprintf(stderr, "workloads: unknown workload %s\n", name);
	return 2;
}

int main(int argc, char **argv)
{
	int status = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: workloads all|NAME...\n");
		for (size_t i = 0; i < NWORKLOADS; i++)
			fprintf(stderr, "  %-11s %s\n", WORKLOADS[i].name, WORKLOADS[i].what);
		return 2;
	}
	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "all") == 0) {
			for (size_t i = 0; i < NWORKLOADS; i++)
				status |= run_one(WORKLOADS[i].name);
		} else {
			status |= run_one(argv[a]);
		}
	}
	return status ? 1 : 0;
}
