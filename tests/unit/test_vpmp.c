/* Virtual PMP: layout, WARL/lock rules, and the physical images per world (3.7). */
#include "fixture.h"
#include "unit.h"
#include <miralis/csr.h>
#include <miralis/vpmp.h>

TEST(vpmp_layout_leaves_entries_to_the_firmware)
{
    struct vcpu *v = fixture_vcpu();
    /* monitor + 2 devices + zero entry first, allow/deny-all last */
    CHECK_EQ(fixture_machine.pmp_first_virtual, 4);
    CHECK_EQ(fixture_machine.pmp_virtual_count, 11);
    CHECK_EQ(host_hw.csr[CSR_PMPADDR0], (0x8fc00000ULL + 0x100000 - 1) >> 2); /* NAPOT 2 MiB */
    CHECK_EQ(host_hw.csr[CSR_PMPADDR0 + 3], 0);
    CHECK_EQ(host_hw.pmpcfg[0], PMP_A_NAPOT);        /* monitor: no access */
    CHECK_EQ(host_hw.pmpcfg[15], PMP_A_NAPOT | 7);   /* firmware world: allow the rest */
    uint64_t old;
    CHECK(csr_rmw(v, CSR_PMPADDR0 + 11, 0x1234, ~0ULL, &old)); /* beyond the count */
    CHECK(csr_rmw(v, CSR_PMPADDR0 + 11, 0, 0, &old));
    CHECK_EQ(old, 0);
    CHECK(!csr_rmw(v, CSR_PMPCFG0 + 1, 0, 0, &old));  /* odd pmpcfg: illegal on rv64 */
}

TEST(vpmp_images_per_world)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t old;
    /* entry 0: TOR R, entry 1: NAPOT locked R|X, entry 2: OFF */
    CHECK(csr_rmw(v, CSR_PMPCFG0, (uint64_t)(PMP_A_TOR | PMP_R) |
                  ((uint64_t)(PMP_L | PMP_A_NAPOT | PMP_R | PMP_X) << 8), ~0ULL, &old));
    vpmp_install(v, PMP_FIRMWARE);
    CHECK_EQ(host_hw.pmpcfg[4], PMP_A_TOR | 7);            /* unlocked: M has full access */
    CHECK_EQ(host_hw.pmpcfg[5], PMP_A_NAPOT | PMP_R | PMP_X); /* locked: binds M, never L */
    CHECK_EQ(host_hw.pmpcfg[6], 0);
    vpmp_install(v, PMP_OS);
    CHECK_EQ(host_hw.pmpcfg[4], PMP_A_TOR | PMP_R);
    CHECK_EQ(host_hw.pmpcfg[15], 0);                        /* S/U: no match, no access */
    CHECK_EQ(host_hw.pmpcfg[1], 0);                         /* devices: firmware's rules */
    CHECK_EQ(host_hw.pmpcfg[0], PMP_A_NAPOT);               /* the monitor stays hidden */
    vpmp_install(v, PMP_FIRMWARE_MPRV);
    CHECK_EQ(host_hw.pmpcfg[4], PMP_A_TOR | PMP_X);         /* data accesses must trap */
    CHECK_EQ(host_hw.pmpcfg[15], PMP_A_NAPOT | PMP_X);
    for (unsigned i = 0; i < 16; i++)
        CHECK_EQ(host_hw.pmpcfg[i] & PMP_L, 0);
}

TEST(vpmp_lock_rules)
{
    struct vcpu *v = fixture_vcpu();
    uint64_t old;
    CHECK(csr_rmw(v, CSR_PMPADDR0 + 0, 0x100, ~0ULL, &old));
    CHECK(csr_rmw(v, CSR_PMPADDR0 + 1, 0x200, ~0ULL, &old));
    /* entry 1 locked TOR: locks pmpaddr1 and pmpaddr0 */
    CHECK(csr_rmw(v, CSR_PMPCFG0, (uint64_t)(PMP_L | PMP_A_TOR | PMP_R) << 8, ~0ULL, &old));
    CHECK(csr_rmw(v, CSR_PMPADDR0 + 0, 0x999, ~0ULL, &old));
    CHECK(csr_rmw(v, CSR_PMPADDR0 + 1, 0x999, ~0ULL, &old));
    CHECK(csr_rmw(v, CSR_PMPADDR0 + 0, 0, 0, &old));
    CHECK_EQ(old, 0x100);
    CHECK(csr_rmw(v, CSR_PMPADDR0 + 1, 0, 0, &old));
    CHECK_EQ(old, 0x200);
    CHECK_EQ(host_hw.csr[CSR_PMPADDR0 + 4], 0x100);        /* physical copy unchanged */
    /* the locked cfg byte ignores writes; its neighbour does not */
    CHECK(csr_rmw(v, CSR_PMPCFG0, 0x0f, ~0ULL, &old));
    CHECK(csr_rmw(v, CSR_PMPCFG0, 0, 0, &old));
    CHECK_EQ(old, 0x0f | ((uint64_t)(PMP_L | PMP_A_TOR | PMP_R) << 8));
}
