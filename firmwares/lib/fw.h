/* Shared runtime for the conformance test firmwares (see firmwares/README.md). */
#ifndef FW_H
#define FW_H
#include <stdint.h>

/* -std=c11 has no `asm` keyword */
#ifndef asm
#define asm __asm__
#endif

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

/* QEMU virt devices */
#define UART_BASE   0x10000000UL
#define CLINT_BASE  0x2000000UL
#define CLINT_MSIP(h)     (CLINT_BASE + 4UL * (h))
#define CLINT_MTIMECMP(h) (CLINT_BASE + 0x4000UL + 8UL * (h))
#define CLINT_MTIME       (CLINT_BASE + 0xbff8UL)
#define PLIC_BASE   0xc000000UL
#define TEST_BASE   0x100000UL

#define MAX_HARTS 4

/* mstatus fields (priv spec 3.1.6) */
#define MSTATUS_SIE  (1UL << 1)
#define MSTATUS_MIE  (1UL << 3)
#define MSTATUS_SPIE (1UL << 5)
#define MSTATUS_MPIE (1UL << 7)
#define MSTATUS_SPP  (1UL << 8)
#define MSTATUS_MPP  (3UL << 11)
#define MSTATUS_FS   (3UL << 13)
#define MSTATUS_MPRV (1UL << 17)
#define MSTATUS_SUM  (1UL << 18)
#define MSTATUS_MXR  (1UL << 19)
#define MPP_U 0UL
#define MPP_S (1UL << 11)
#define MPP_M (3UL << 11)

#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define CAUSE_INTR (1UL << 63)

#define CSR_STR(x) #x
#define csr_read(csr) ({ u64 __v; asm volatile("csrr %0, " CSR_STR(csr) : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, v) asm volatile("csrw " CSR_STR(csr) ", %0" :: "r"((u64)(v)) : "memory")
#define csr_set(csr, v) asm volatile("csrs " CSR_STR(csr) ", %0" :: "r"((u64)(v)) : "memory")
#define csr_clear(csr, v) asm volatile("csrc " CSR_STR(csr) ", %0" :: "r"((u64)(v)) : "memory")
#define csr_swap(csr, v) ({ u64 __v; asm volatile("csrrw %0, " CSR_STR(csr) ", %1" : "=r"(__v) : "r"((u64)(v)) : "memory"); __v; })
/* Write then read back: the basic WARL probe used everywhere. */
#define csr_wr(csr, v) ({ csr_write(csr, v); csr_read(csr); })
/* Write v, read back, restore the old value, all without touching memory (safe for
 * mstatus.MPRV, mtvec, satp...). Evaluates to the read-back value. */
#define csr_probe(csr, v) ({ u64 __o, __r; asm volatile("csrrw %0, " CSR_STR(csr) ", %2\n" \
	"csrr %1, " CSR_STR(csr) "\ncsrw " CSR_STR(csr) ", %0" \
	: "=&r"(__o), "=&r"(__r) : "r"((u64)(v)) : "memory"); __r; })
/* Prints "name <- 0xW: 0xR" for a csr_probe(). */
#define PROBE(csr, v) kvw(CSR_STR(csr), (v), csr_probe(csr, v))

static inline u32 mmio_r32(u64 a) { return *(volatile u32 *)a; }
static inline void mmio_w32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline u64 mmio_r64(u64 a) { return *(volatile u64 *)a; }
static inline void mmio_w64(u64 a, u64 v) { *(volatile u64 *)a = v; }
static inline u8 mmio_r8(u64 a) { return *(volatile u8 *)a; }
static inline void mmio_w8(u64 a, u8 v) { *(volatile u8 *)a = v; }

/* Trap frame built by trap_entry / strap_entry (lib/trap.S). x[2] is the interrupted sp. */
struct trap_frame {
	u64 x[32];
	u64 epc, cause, tval, status;
};
#define REG_RA 1
#define REG_SP 2
#define REG_A0 10
#define REG_A1 11
#define REG_A6 16
#define REG_A7 17

struct trap_rec {
	u64 count, cause, epc, tval, status;
};

typedef int (*trap_hook)(struct trap_frame *f);

/* Per-hart state, reached through tp (set by crt0; tp is never used by the compiler here). */
struct hart {
	u64 saved_sp;  /* M-mode sp while run_lower() code runs (offset 0: used by trap.S) */
	u64 hartid;    /* offset 8 */
	u64 vec_idx;   /* offset 16: last vectored-mode entry taken, +1 (0 = none) */
	u64 armed;     /* expect_trap() armed: record and skip instead of failing */
	struct trap_rec rec;   /* last M-mode trap recorded */
	struct trap_rec srec;  /* last S-mode trap recorded by the default S handler */
	trap_hook irq;         /* M-mode interrupt handler; return 1 if handled */
	trap_hook ecall;       /* M-mode ecall handler (cause 8/9/11); return 1 if handled */
	trap_hook sirq;        /* S-mode interrupt handler */
	u64 exit_cause;        /* mcause of the last run_lower() exit ecall (8: U, 9: S) */
};
static inline struct hart *this_hart(void)
{
	struct hart *h;
	asm volatile("mv %0, tp" : "=r"(h));
	return h;
}
extern struct hart harts[MAX_HARTS];

/* Output: every line is "key: value". */
void putch(char c);
void puts_(const char *s);
void put_hex(u64 v);
void put_addr(u64 v);               /* image addresses print as img+0x.. */
void kv(const char *key, u64 v);    /* "key: 0x.." */
void kvs(const char *key, const char *s);
void kvb(const char *key, int b);   /* "key: 0" / "key: 1" */
void kvw(const char *name, u64 w, u64 r);  /* "name <- 0xW: 0xR" */
void fail(const char *reason);      /* "FAIL reason" */
void check(int cond, const char *reason);
void done(const char *name) __attribute__((noreturn));
void poweroff(u32 code) __attribute__((noreturn));

extern char _img_start[], _img_end[];
static inline u64 img_off(u64 a) { return a - (u64)_img_start; }

/* Traps. Arm, execute, then report. Faulting instructions are skipped; instruction
 * fetch faults (cause 1/12/20) resume at ra instead. */
void expect_trap(void);
void trap_report(const char *key, u64 pc, u64 val);
void trap_report_q(const char *key, u64 pc);  /* like trap_report, prints "ok" for no trap */
void strap_report(const char *key, u64 pc);
#define TRAP_CLOBBERS "t0", "t1", "t2", "ra", "a7", "memory"
/* TRY(key, insn, in): t1 = in; run insn (may use t0 as result, t1/t2 as sources);
 * prints "key: 0x<t0>" if it did not trap, else "key: trap cause=.. epc=+.. tval=..". */
#define TRY(key, insn, in) do { u64 __pc, __v; expect_trap(); \
	asm volatile("mv t1, %2\n li t0, 0\n lla %0, 1f\n1: " insn "\n mv %1, t0" \
		: "=&r"(__pc), "=&r"(__v) : "r"((u64)(in)) : TRAP_CLOBBERS); \
	trap_report(key, __pc, __v); } while (0)
/* TRYQ: as TRY but the result is not printed ("ok"): for counters and the like. */
#define TRYQ(key, insn, in) do { u64 __pc; expect_trap(); \
	asm volatile("mv t1, %1\n li t0, 0\n lla %0, 1f\n1: " insn \
		: "=&r"(__pc) : "r"((u64)(in)) : TRAP_CLOBBERS); \
	trap_report_q(key, __pc); } while (0)
#define TRY2(key, insn, in1, in2) do { u64 __pc, __v; expect_trap(); \
	asm volatile("mv t1, %2\n mv t2, %3\n li t0, 0\n lla %0, 1f\n1: " insn "\n mv %1, t0" \
		: "=&r"(__pc), "=&r"(__v) : "r"((u64)(in1)), "r"((u64)(in2)) : TRAP_CLOBBERS); \
	trap_report(key, __pc, __v); } while (0)
/* TRYP: as TRY with setup instructions "pre" placed before the labelled instruction. */
#define TRYP(key, pre, insn, in) do { u64 __pc, __v; expect_trap(); \
	asm volatile("mv t1, %2\n li t0, 0\n " pre "\n lla %0, 1f\n1: " insn "\n mv %1, t0" \
		: "=&r"(__pc), "=&r"(__v) : "r"((u64)(in)) : TRAP_CLOBBERS); \
	trap_report(key, __pc, __v); } while (0)
/* Same for code whose traps are delegated to S (recorded by the default S handler);
 * prints "ok" when nothing trapped. */
#define STRYP(key, pre, insn, in) do { u64 __pc; this_hart()->srec.count = 0; \
	asm volatile("mv t1, %1\n li t0, 0\n " pre "\n lla %0, 1f\n1: " insn \
		: "=&r"(__pc) : "r"((u64)(in)) : TRAP_CLOBBERS); \
	strap_report(key, __pc); } while (0)
#define STRY(key, insn, in) STRYP(key, "", insn, in)

/* Run fn(arg) in U (MPP_U) or S (MPP_S) mode through mret; it comes back with an ecall
 * (a7 = LOWER_EXIT) when fn returns. Returns fn's return value. Needs pmp_allow_all(). */
#define LOWER_EXIT 0x4d49524cUL
u64 run_lower(u64 mpp, u64 (*fn)(u64), u64 arg);
void pmp_allow_all(void);  /* PMP entry 7 = NAPOT whole address space, RWX */

/* S-mode trap vector (default handler records into srec and skips the instruction). */
extern char strap_entry[];
extern char trap_entry[];
extern char trap_vector_table[];

static inline void wfi(void) { asm volatile("wfi" ::: "memory"); }
static inline void fence(void) { asm volatile("fence rw, rw" ::: "memory"); }
/* Sleep until *counter >= target, taking interrupts only between wfi's with MIE briefly
 * set: no race between the check and the wfi. Leaves MIE clear. */
void wait_irq(volatile u64 *counter, u64 target);
static inline u64 mtime(void) { return mmio_r64(CLINT_MTIME); }

int main(void);
void hart_main(u64 hartid);  /* weak: harts != 0 park */
void hart_init(u64 hartid);  /* called by crt0 before main/hart_main */
#endif
