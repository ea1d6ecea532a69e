/* Physical CSR access by a number known only at run time: a switch generated from the CSR
 * list, one csrr/csrw per case (a CSR number must be an immediate in the instruction). */
#include <miralis/arch.h>

#define STR(x) #x
#define CSR_READ_CASE(n, num, k, f) \
    case num: { uint64_t v_; __asm__ volatile("csrr %0, " STR(num) : "=r"(v_)); return v_; }
#define CSR_WRITE_CASE(n, num, k, f) \
    case num: __asm__ volatile("csrw " STR(num) ", %0" ::"r"(val)); return;
#define CSR_SET_CASE(n, num, k, f) \
    case num: __asm__ volatile("csrs " STR(num) ", %0" ::"r"(bits)); return;
#define CSR_CLEAR_CASE(n, num, k, f) \
    case num: __asm__ volatile("csrc " STR(num) ", %0" ::"r"(bits)); return;
/* Probe: read under a guard; a fault (illegal instruction) lands on label 1. */
#define CSR_PROBE_CASE(n, num, k, f) \
    case num: __asm__ volatile("la t0, 1f\n sd t0, %1(tp)\n csrr t1, " STR(num) "\n" \
                               " sd zero, %1(tp)\n li %0, 1\n j 2f\n1: li %0, 0\n2:" \
                               : "=r"(ok) : "i"(VCPU_RECOVER) : "t0", "t1", "memory"); \
        return ok;

uint64_t arch_csr_read(unsigned num)
{
    switch (num) {
        MIRALIS_CSR_LIST(CSR_READ_CASE)
    case CSR_CYCLE: { uint64_t v_; __asm__ volatile("csrr %0, cycle" : "=r"(v_)); return v_; }
    default: return 0;
    }
}

void arch_csr_write(unsigned num, uint64_t val)
{
    switch (num) {
        MIRALIS_CSR_LIST(CSR_WRITE_CASE)
    default: return;
    }
}

void arch_csr_set(unsigned num, uint64_t bits)
{
    switch (num) {
        MIRALIS_CSR_LIST(CSR_SET_CASE)
    default: return;
    }
}

void arch_csr_clear(unsigned num, uint64_t bits)
{
    switch (num) {
        MIRALIS_CSR_LIST(CSR_CLEAR_CASE)
    default: return;
    }
}

bool arch_csr_probe(unsigned num)
{
    bool ok;
    switch (num) {
        MIRALIS_CSR_LIST(CSR_PROBE_CASE)
        CSR_PROBE_CASE(time, 0xc01, 0, 0)
    default: return false;
    }
}
