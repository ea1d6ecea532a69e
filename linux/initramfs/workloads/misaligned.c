/* misaligned: ordinary loads and stores of every width (integer 16/32/64 bits signed and
 * unsigned, float, double) at every misaligned offset of a buffer, checked byte by byte.
 * Hardware may do them or trap (then the SBI firmware emulates them): the values must be
 * right either way. A misaligned AMO and LR are not allowed (they raise an address
 * misaligned or access fault): they run in a child process, which must die of SIGBUS or
 * SIGSEGV, or, if the platform does support them, compute the right value. */
#include "../common.h"
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIS_ROUNDS 40u

static unsigned char buf[64] __attribute__((aligned(64)));

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

#define LOAD(insn, type, addr) ({ type v_; __asm__ volatile(insn " %0, 0(%1)" : "=r"(v_) : "r"(addr) : "memory"); v_; })
#define STORE(insn, val, addr) __asm__ volatile(insn " %0, 0(%1)" :: "r"(val), "r"(addr) : "memory")

static void fill(uint32_t seed)
{
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(seed * 131u + i * 29u + 7u);
}

/* Checks every width at offset `off`; returns the number of wrong results. */
static int check_offset(unsigned off, uint32_t seed)
{
	int bad = 0;
	unsigned char *p = buf + 8 + off;
	fill(seed);
	bad += LOAD("lh", int64_t, p) != (int64_t)(int16_t)le(p, 2);
	bad += LOAD("lhu", uint64_t, p) != le(p, 2);
	bad += LOAD("lw", int64_t, p) != (int64_t)(int32_t)le(p, 4);
	bad += LOAD("lwu", uint64_t, p) != le(p, 4);
	bad += LOAD("ld", uint64_t, p) != le(p, 8);
	/* floating point: load then move the raw bits to an integer register */
	{
		uint64_t bits;
		__asm__ volatile("flw ft0, 0(%1)\n\tfmv.x.w %0, ft0" : "=r"(bits) : "r"(p) : "ft0", "memory");
		bad += (uint32_t)bits != (uint32_t)le(p, 4);
		__asm__ volatile("fld ft0, 0(%1)\n\tfmv.x.d %0, ft0" : "=r"(bits) : "r"(p) : "ft0", "memory");
		bad += bits != le(p, 8);
	}
	/* stores: the bytes around must not change */
	const uint64_t v = 0x8877665544332211ull ^ ((uint64_t)seed << 40);
	static const int widths[] = { 2, 4, 8, 4, 8 };
	for (unsigned w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		unsigned char before[sizeof(buf)];
		fill(seed + w);
		memcpy(before, buf, sizeof(buf));
		switch (w) {
		case 0: STORE("sh", v, p); break;
		case 1: STORE("sw", v, p); break;
		case 2: STORE("sd", v, p); break;
		case 3: __asm__ volatile("fmv.w.x ft0, %0\n\tfsw ft0, 0(%1)" :: "r"(v), "r"(p) : "ft0", "memory"); break;
		case 4: __asm__ volatile("fmv.d.x ft0, %0\n\tfsd ft0, 0(%1)" :: "r"(v), "r"(p) : "ft0", "memory"); break;
		}
		int n = widths[w];
		for (int i = 0; i < n; i++)
			before[8 + off + i] = (unsigned char)(v >> (8 * i));
		bad += memcmp(before, buf, sizeof(buf)) != 0;
	}
	return bad;
}

/* In the child, a fault signal ends the process with status 128 + signal, so that the
 * kernel does not dump it as an unhandled signal on the console. */
static void fault_exit(int sig)
{
	_exit(128 + sig);
}

/* In a child: a misaligned amoadd.w (which = 0) or lr.w (1). Returns what happened;
 * clears *ok unless that was SIGBUS, SIGSEGV or the right value. */
static const char *misaligned_atomic(int which, int *ok)
{
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGBUS, fault_exit);
		signal(SIGSEGV, fault_exit);
		uint32_t *p = (uint32_t *)(buf + 9);
		fill(1);
		uint32_t old = (uint32_t)le(buf + 9, 4), got, now;
		if (which == 0) {
			__asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(got) : "r"(p), "r"(1) : "memory");
			now = (uint32_t)le(buf + 9, 4);
			_exit(got == old && now == old + 1 ? 0 : 1);
		}
		__asm__ volatile("lr.w %0, (%1)" : "=r"(got) : "r"(p) : "memory");
		_exit(got == old ? 0 : 1);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		*ok = 0;
		return "fork/wait failed";
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGBUS)
		return "SIGBUS";
	if (WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGSEGV)
		return "SIGSEGV";
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return "done in hardware, value right";
	*ok = 0;
	return WIFSIGNALED(st) ? strsignal(WTERMSIG(st)) : "wrong value";
}

int wl_misaligned(void)
{
	int ok = 1, bad = 0;
	uint64_t ops = 0;
	uint64_t t0 = now_ns();
	for (uint32_t r = 0; r < MIS_ROUNDS; r++)
		for (unsigned off = 0; off < 8; off++) {
			bad += check_offset(off, r * 8 + off);
			ops += 12;
		}
	uint64_t dt = now_ns() - t0;
	if (bad)
		ok = 0;
	printf("misaligned: %llu accesses, %d wrong\n", (unsigned long long)ops, bad);
	printf("misaligned: amoadd.w at +1: %s\n", misaligned_atomic(0, &ok));
	printf("misaligned: lr.w at +1: %s\n", misaligned_atomic(1, &ok));
	return report("misaligned", ops, dt, ok);
}
