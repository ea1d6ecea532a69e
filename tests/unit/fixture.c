#include "fixture.h"
#include <miralis/stats.h>
#include <miralis/vtimer.h>
#include <string.h>

struct machine fixture_machine;
static struct vcpu vcpu;

static struct vdevice devices[] = {
    {.name = "clint", .base = 0x2000000, .size = 0x10000, .access = vdevice_passthrough},
    {.name = "finisher", .base = 0x100000, .size = 0x1000, .access = vdevice_finisher},
};

static void no_exit(unsigned code) { (void)code; }

static const struct platform platform = {
    .name = "host",
    .firmware_entry = HOST_RAM_BASE,
    .devices = devices,
    .num_devices = 2,
    .exit = no_exit,
    .quirks = QUIRK_QEMU_MRET,
};

struct vcpu *fixture_vcpu(void)
{
    devices[0].access = vdevice_passthrough;
    host_hw_reset();
    memset(&fixture_machine, 0, sizeof(fixture_machine));
    memset(&vcpu, 0, sizeof(vcpu));
    fixture_machine.platform = &platform;
    fixture_machine.monitor_base = 0x8fc00000;
    fixture_machine.monitor_size = 0x200000;
    miralis_machine_init(&fixture_machine);
    struct reset_trap_csrs reset = {.mstatus = host_hw.csr[CSR_MSTATUS]};
    miralis_hart_init(&fixture_machine, &vcpu, 0, 0x8fe00000, 0x1028, &reset);
    fixture_machine.vcpus[0] = &vcpu;
    return &vcpu;
}

void fixture_trap(struct vcpu *v, uint64_t cause, uint64_t tval)
{
    v->trap_cause = cause;
    v->trap_tval = tval;
    miralis_handle_trap(v);
}

void fixture_exec(struct vcpu *v, uint32_t raw)
{
    uint64_t off = v->pc - HOST_RAM_BASE;
    memcpy(&host_hw.ram[off], &raw, 4);
    fixture_trap(v, CAUSE_ILLEGAL_INSN, raw);
}

struct vcpu *fixture_vcpu_with_clint(void)
{
    struct vcpu *v = fixture_vcpu();
    devices[0].access = vdevice_clint;
    return v;
}
