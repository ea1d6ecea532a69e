/* The monitor's tick over a virtual mtimecmp (miralis/core/vtimer.c), on the host model:
 * host_hw.mmio is the CLINT (mtimecmp of hart 0 at 0x4000), host_hw.csr[CSR_TIME] the time. */
#include "unit.h"
#include "fixture.h"
#include <miralis/csr.h>
#include <miralis/vtimer.h>
#include <miralis/world.h>
#include <string.h>

#define PERIOD 1000
#define CMP0 (0x4000 / 8)      /* host_hw.mmio index of hart 0's mtimecmp */
#define MTIME (0xbff8 / 8)

/* A ticking hart at time 100 whose firmware left mtimecmp at 5000. */
static struct vcpu *ticking(void)
{
    struct vcpu *v = fixture_vcpu_with_clint();
    host_hw.mmio[CMP0] = 5000;
    host_hw.csr[CSR_TIME] = 100;
    vtimer_start(v, PERIOD);
    world_refresh(v);
    return v;
}

/* Run one load/store instruction word at the guest pc as a CLINT access fault. */
static void clint_access(struct vcpu *v, uint32_t insn, bool store, uint64_t addr)
{
    memcpy(&host_hw.ram[v->pc - HOST_RAM_BASE], &insn, 4);
    fixture_trap(v, store ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS, addr);
}

TEST(vtimer_start_keeps_the_firmware_value_and_arms_the_tick)
{
    struct vcpu *v = ticking();
    CHECK(vtimer_on(v));
    CHECK_EQ(v->tick_cmp, 5000);
    CHECK(v->tick_next > 100 && v->tick_next <= 100 + PERIOD + 2);
    /* The firmware runs with MIE = 0: only the tick may interrupt it. */
    CHECK_EQ(host_hw.mmio[CMP0], v->tick_next);
    CHECK(host_hw.csr[CSR_MIE] & MIP_MTIP);
}

TEST(vtimer_firmware_reads_back_what_it_wrote)
{
    struct vcpu *v = ticking();
    uint64_t pc = v->pc;
    /* sd a0, 0(a1) to mtimecmp, then ld a2, 0(a1) */
    v->x[11] = 0x2004000;
    v->x[10] = 0x123456789;
    clint_access(v, 0x00a5b023, true, 0x2004000);
    CHECK_EQ(v->pc, pc + 4);
    CHECK_EQ(v->tick_cmp, 0x123456789);
    CHECK_EQ(host_hw.mmio[CMP0], v->tick_next); /* MIE = 0: still the tick in the hardware */
    clint_access(v, 0x0005b603, false, 0x2004000);
    CHECK_EQ(v->x[12], 0x123456789);
    /* sw a0, 4(a1): the high half alone; lw a2, 4(a1) */
    v->x[10] = 0x7;
    clint_access(v, 0x00a5a223, true, 0x2004004);
    CHECK_EQ(v->tick_cmp, 0x723456789);
    clint_access(v, 0x0045a603, false, 0x2004004);
    CHECK_EQ(v->x[12], 0x7);
    CHECK_EQ(v->pc, pc + 16);
}

TEST(vtimer_hardware_compare_follows_what_the_guest_takes)
{
    struct vcpu *v = ticking();
    v->tick_cmp = 300; /* before the next tick */
    /* MTIE and MIE on: the firmware takes its timer interrupt, so its value goes in. */
    csr_rmw(v, CSR_MIE, MIP_MTIP, MIP_MTIP, &(uint64_t){0});
    csr_rmw(v, CSR_MSTATUS, MSTATUS_MIE, MSTATUS_MIE, &(uint64_t){0});
    world_refresh(v);
    CHECK_EQ(host_hw.mmio[CMP0], 300);
    /* MIE off again: the tick alone, so a due timer cannot storm a firmware that masks it. */
    csr_rmw(v, CSR_MSTATUS, 0, MSTATUS_MIE, &(uint64_t){0});
    world_refresh(v);
    CHECK_EQ(host_hw.mmio[CMP0], v->tick_next);
    /* The OS world takes M-level interrupts whatever MIE says (3.1.6.1). */
    v->priv = PRV_S;
    vtimer_program(v, false);
    CHECK_EQ(host_hw.mmio[CMP0], 300);
}

TEST(vtimer_mip_shows_the_firmware_timer_not_the_tick)
{
    struct vcpu *v = ticking();
    uint64_t old;
    host_hw.csr[CSR_MIP] |= MIP_MTIP;   /* the tick fired */
    host_hw.csr[CSR_TIME] = 2000;       /* before the firmware's 5000 */
    CHECK(csr_rmw(v, CSR_MIP, 0, 0, &old));
    CHECK(!(old & MIP_MTIP));
    host_hw.csr[CSR_MIP] &= ~MIP_MTIP;
    host_hw.csr[CSR_TIME] = 6000;       /* past it, the tick not pending */
    CHECK(csr_rmw(v, CSR_MIP, 0, 0, &old));
    CHECK(old & MIP_MTIP);
}

TEST(vtimer_tick_rearms_and_stop_gives_the_value_back)
{
    struct vcpu *v = ticking();
    host_hw.csr[CSR_TIME] = v->tick_next - 10;
    CHECK(!vtimer_tick(v));
    host_hw.csr[CSR_TIME] = v->tick_next + 5;
    uint64_t before = v->tick_next;
    CHECK(vtimer_tick(v));
    CHECK(v->tick_next > before);
    CHECK_EQ(host_hw.mmio[CMP0], v->tick_next);
    vtimer_stop(v);
    world_refresh(v);
    CHECK(!vtimer_on(v));
    CHECK_EQ(host_hw.mmio[CMP0], 5000);
    CHECK(!(host_hw.csr[CSR_MIE] & MIP_MTIP)); /* the firmware's mie again (MTIE off) */
}

TEST(vtimer_mtime_written_back_rearms_the_tick)
{
    struct vcpu *v = ticking();
    host_hw.csr[CSR_TIME] = 1000000;
    v->tick_next = 1000500;
    /* sd zero, 0(a1) to mtime: time goes back to 0 (the host model's time is a CSR) */
    v->x[11] = 0x200bff8;
    host_hw.csr[CSR_TIME] = 0;
    clint_access(v, 0x0005b023, true, 0x200bff8);
    CHECK_EQ(host_hw.mmio[MTIME], 0);
    CHECK(v->tick_next <= PERIOD + 4);
}

TEST(vtimer_other_widths_reach_the_device)
{
    struct vcpu *v = ticking();
    /* lhu a2, 0(a1): not a CLINT access width: the device's own answer, a fault */
    v->x[11] = 0x2004000;
    v->csr[CSR_ID_mtvec] = 0x80000300;
    clint_access(v, 0x0005d603, false, 0x2004000);
    CHECK_EQ(v->pc, 0x80000300);
    CHECK_EQ(v->csr[CSR_ID_mcause], CAUSE_LOAD_ACCESS);
    CHECK_EQ(v->tick_cmp, 5000);
}

TEST(vtimer_wfi_ended_by_the_tick_runs_again)
{
    struct vcpu *v = ticking();
    uint64_t pc = v->pc;
    csr_rmw(v, CSR_MIE, MIP_MTIP, MIP_MTIP, &(uint64_t){0});
    host_hw.csr[CSR_TIME] = 200;        /* the firmware's timer (5000) not due */
    fixture_exec(v, 0x10500073);        /* wfi: the host model returns at once, as a tick */
    CHECK_EQ(v->pc, pc);                /* not done: it runs again */
    CHECK(!v->tick_waiting);
    host_hw.csr[CSR_TIME] = 6000;       /* due: the wfi completes */
    fixture_exec(v, 0x10500073);
    CHECK_EQ(v->pc, pc + 4);
}

TEST(vtimer_os_cannot_see_or_change_mtie)
{
    struct vcpu *v = ticking();
    v->priv = PRV_S;
    world_enter(v);
    CHECK(host_hw.csr[CSR_MIE] & MIP_MTIP);   /* the tick's */
    world_leave_os(v);
    CHECK(!(v->csr[CSR_ID_mie] & MIP_MTIP));  /* the guest's own MTIE stays off */
}
