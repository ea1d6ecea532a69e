/* Boot glue: per-hart storage, the first hart's machine set-up, fatal-fault reporting. */
#include <miralis/arch.h>
#include <miralis/dispatch.h>
#include <miralis/fdt.h>
#include <miralis/log.h>
#include <miralis/machine.h>
#include "gdb_target.h"
#include "trace.h"

extern const struct platform platform_desc;
extern char __monitor_start[], __monitor_end[];
extern volatile uint32_t boot_done, harts_arrived;

/* Storage of the monitor, all in its own PMP-protected region. */
__attribute__((aligned(16))) char monitor_stacks[CONFIG_MAX_HARTS][CONFIG_STACK_SIZE];
static struct vcpu vcpus[CONFIG_MAX_HARTS];
static struct machine machine;

static void machine_setup(uint64_t fdt)
{
    machine.platform = &platform_desc;
    machine.monitor_base = (uint64_t)__monitor_start;
    machine.monitor_size = CONFIG_MONITOR_SIZE;
    machine.stats_enabled = CONFIG_STATS;
    machine.trace_stream = CONFIG_TRACE_STREAM;
    /* With the GDB stub the console UART may carry the debugger's packets: the monitor's
     * messages go to GDB as console output once it is attached (gdb_boot), not before. */
    log_init(CONFIG_GDB && platform_desc.gdb_putc == platform_desc.putc ? 0 : platform_desc.putc);
    /* What the build configuration asks to trace (TRACE=... in docs/CONFIG.md). */
    arch_time_init(platform_desc.mtime_addr);
    const struct trace_filter boot_filter = {
        .kinds = CONFIG_TRACE_KINDS, .csr_lo = CONFIG_TRACE_CSR_LO, .csr_hi = CONFIG_TRACE_CSR_HI,
        .worlds = CONFIG_TRACE_WORLDS, .harts = CONFIG_TRACE_HARTS,
    };
    trace_init(&machine, &boot_filter, platform_desc.timebase_hz);
    miralis_machine_init(&machine);
    log_info("Miralis-C monitor on %s, memory [0x%lx, 0x%lx), %u PMP entries, "
             "%u for the firmware\n", platform_desc.name, machine.monitor_base,
             machine.monitor_base + machine.monitor_size, machine.pmp_phys_count,
             machine.pmp_virtual_count);
    if ((uint64_t)__monitor_end > machine.monitor_base + machine.monitor_size)
        monitor_panic(0, "image (%p) larger than CONFIG_MONITOR_SIZE", __monitor_end);
    /* Hide the monitor from the firmware and the OS in the device tree they receive: the
     * RAM they are told of ends below it, and the range is reserved (no-map) as well. */
    int err = fdt_trim_memory((void *)fdt, machine.monitor_base, 4 << 20);
    if (err < 0)
        monitor_panic(0, "cannot trim /memory in the device tree at 0x%lx: %s", fdt,
                      fdt_strerror(err));
    err = fdt_add_reserved_memory((void *)fdt, fdt_total_size((void *)fdt) + 1024,
                                      "miralis", machine.monitor_base, machine.monitor_size);
    if (err)
        monitor_panic(0, "cannot reserve the monitor in the device tree at 0x%lx: %s", fdt,
                      fdt_strerror(err));
    int cpus = fdt_count_cpus((void *)fdt);
    if (cpus > CONFIG_MAX_HARTS)
        log_warn("the device tree has %d harts; this monitor was built for %d "
                 "(CONFIG_MAX_HARTS): the others are parked and will never start\n",
                 cpus, CONFIG_MAX_HARTS);
    if (platform_desc.firmware_staging) {
        /* Every hart must have left the stub at the firmware's address before the
         * firmware replaces it. */
        while (cpus > 0 && __atomic_load_n(&harts_arrived, __ATOMIC_ACQUIRE) < (uint32_t)cpus)
            ;
        const uint64_t *src = (const uint64_t *)platform_desc.firmware_staging;
        uint64_t *dst = (uint64_t *)platform_desc.firmware_entry;
        for (uint64_t i = 0; i < platform_desc.firmware_max_size / 8; i++)
            dst[i] = src[i];
        __asm__ volatile("fence.i" ::: "memory");
    }
    log_info("firmware entry 0x%lx\n", platform_desc.firmware_entry);
}

struct vcpu *arch_hart_boot(uint64_t hartid, uint64_t fdt, uint64_t fw_info,
                            uint64_t reset_mtvec, uint64_t first)
{
    struct reset_trap_csrs reset = {
        .mstatus = arch_csr_read(CSR_MSTATUS), .mepc = arch_csr_read(CSR_MEPC),
        .mcause = arch_csr_read(CSR_MCAUSE), .mtval = arch_csr_read(CSR_MTVAL),
        .mtvec = reset_mtvec,
    };
    struct vcpu *v = &vcpus[hartid];
    v->monitor_sp = (uint64_t)monitor_stacks[hartid] + CONFIG_STACK_SIZE;
    __asm__ volatile("mv tp, %0" ::"r"(v));
    if (first) {
        machine_setup(fdt);
        gdb_init(&machine, (unsigned)hartid);
        __atomic_store_n(&boot_done, 1, __ATOMIC_RELEASE);
    }
    machine.vcpus[hartid] = v;
    trace_hart_init(v);
    miralis_hart_init(&machine, v, (unsigned)hartid, fdt, fw_info, &reset);
    gdb_boot(&machine, v, first); /* with a debugger: wait for it before the firmware runs */
    return v;
}

__attribute__((noreturn))
void monitor_panic(const struct vcpu *v, const char *fmt, ...)
{
    va_list ap;
    uint64_t hart;
    __asm__ volatile("csrr %0, mhartid" : "=r"(hart));
    log_printf("\nmiralis: PANIC on hart %lu", hart);
    if (v)
        log_printf(" (guest pc 0x%lx, cause 0x%lx, tval 0x%lx, %s world)", v->pc,
                   v->trap_cause, v->trap_tval, v->priv == PRV_M ? "firmware" : "OS");
    log_printf(": ");
    va_start(ap, fmt);
    log_vprintf(fmt, ap);
    va_end(ap);
    log_printf("\n");
    platform_desc.exit(1);
    for (;;)
        __asm__ volatile("wfi");
}

__attribute__((noreturn))
void arch_monitor_fault(uint64_t cause, uint64_t epc, uint64_t tval, const struct vcpu *v)
{
    monitor_panic(v, "monitor fault: mcause 0x%lx at monitor pc 0x%lx, mtval 0x%lx", cause,
                  epc, tval);
}
