/* The only assembly of the monitor: reset entry, trap entry/exit, guarded-fault return.
 * Invariants: the monitor runs with mstatus.MIE = 0; mscratch holds the current vcpu while
 * a guest runs and 0 while the monitor runs; tp holds the current vcpu in the monitor. */
#include <miralis/vcpu_offsets.h>

#define REG(i) (8 * (i))

    .section .text.entry, "ax"
    .globl _start
_start:
    /* a0 = hart id, a1 = FDT, a2 = fw_dynamic info: keep them for the firmware. */
    csrr    s3, mtvec               /* the firmware's reset mtvec, before we change it */
    la      t0, monitor_trap_entry
    csrw    mtvec, t0
    csrw    mscratch, zero
    li      tp, 0
    /* Count arrivals: a platform that stages the firmware must not overwrite the boot stub
     * before every hart has left it. */
    la      t0, harts_arrived
    li      t1, 1
    amoadd.w zero, t1, (t0)
    mv      s0, a0
    mv      s1, a1
    mv      s2, a2
    li      t0, CONFIG_MAX_HARTS
    bgeu    a0, t0, hart_unsupported
    /* One hart wins the lottery and prepares the machine; the others wait for it. */
    la      t0, boot_lottery
    li      t1, 1
    amoswap.w t1, t1, (t0)
    bnez    t1, wait_boot
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  li      s4, 1
    j       hart_start
wait_boot:
    lw      t0, boot_done
    beqz    t0, wait_boot
    fence   rw, rw
    li      s4, 0
hart_start:
    /* sp = top of this hart's stack */
    la      sp, monitor_stacks
    li      t0, CONFIG_STACK_SIZE
    addi    t1, s0, 1
    mul     t0, t0, t1
    add     sp, sp, t0
    mv      a0, s0
    mv      a1, s1
    mv      a2, s2
    mv      a3, s3
    mv      a4, s4
    call    arch_hart_boot          /* returns the vcpu to run */
    j       monitor_resume

hart_unsupported:
    /* More harts than CONFIG_MAX_HARTS: this one cannot be given a context. Park it. */
    wfi
    j       hart_unsupported

    .align 2
    .globl monitor_trap_entry
monitor_trap_entry:
    csrrw   sp, mscratch, sp        /* sp = vcpu, or 0 if the monitor itself trapped */
    beqz    sp, monitor_fault
    sd      ra, REG(1)(sp)
    sd      gp, REG(3)(sp)
    sd      tp, REG(4)(sp)
    sd      t0, REG(5)(sp)
    sd      t1, REG(6)(sp)
    sd      t2, REG(7)(sp)
    sd      s0, REG(8)(sp)
    sd      s1, REG(9)(sp)
    sd      a0, REG(10)(sp)
    sd      a1, REG(11)(sp)
    sd      a2, REG(12)(sp)
    sd      a3, REG(13)(sp)
    sd      a4, REG(14)(sp)
    sd      a5, REG(15)(sp)
    sd      a6, REG(16)(sp)
    sd      a7, REG(17)(sp)
    sd      s2, REG(18)(sp)
    sd      s3, REG(19)(sp)
    sd      s4, REG(20)(sp)
    sd      s5, REG(21)(sp)
    sd      s6, REG(22)(sp)
    sd      s7, REG(23)(sp)
    sd      s8, REG(24)(sp)
    sd      s9, REG(25)(sp)
    sd      s10, REG(26)(sp)
    sd      s11, REG(27)(sp)
    sd      t3, REG(28)(sp)
    sd      t4, REG(29)(sp)
    sd      t5, REG(30)(sp)
    sd      t6, REG(31)(sp)
    csrrw   t0, mscratch, zero      /* guest sp; mscratch = 0: we are in the monitor */
    sd      t0, REG(2)(sp)
    csrr    t0, mepc
    sd      t0, VCPU_PC(sp)
    csrr    t0, mcause
    sd      t0, VCPU_CAUSE(sp)
    csrr    t0, mtval
    sd      t0, VCPU_TVAL(sp)
    mv      tp, sp
    mv      a0, sp
    ld      sp, VCPU_MONITOR_SP(sp)
    call    miralis_handle_trap
    mv      a0, tp

    .globl monitor_resume
monitor_resume:                     /* a0 = vcpu */
    mv      tp, a0
    ld      t0, VCPU_PC(a0)
    csrw    mepc, t0
    csrw    mscratch, a0
    mv      t6, a0
    ld      ra, REG(1)(t6)
    ld      sp, REG(2)(t6)
    ld      gp, REG(3)(t6)
    ld      tp, REG(4)(t6)
    ld      t0, REG(5)(t6)
    ld      t1, REG(6)(t6)
    ld      t2, REG(7)(t6)
    ld      s0, REG(8)(t6)
    ld      s1, REG(9)(t6)
    ld      a0, REG(10)(t6)
    ld      a1, REG(11)(t6)
    ld      a2, REG(12)(t6)
    ld      a3, REG(13)(t6)
    ld      a4, REG(14)(t6)
    ld      a5, REG(15)(t6)
    ld      a6, REG(16)(t6)
    ld      a7, REG(17)(t6)
    ld      s2, REG(18)(t6)
    ld      s3, REG(19)(t6)
    ld      s4, REG(20)(t6)
    ld      s5, REG(21)(t6)
    ld      s6, REG(22)(t6)
    ld      s7, REG(23)(t6)
    ld      s8, REG(24)(t6)
    ld      s9, REG(25)(t6)
    ld      s10, REG(26)(t6)
    ld      s11, REG(27)(t6)
    ld      t3, REG(28)(t6)
    ld      t4, REG(29)(t6)
    ld      t5, REG(30)(t6)
    ld      t6, REG(31)(t6)
    mret

/* A trap taken by the monitor itself. If the faulting code armed tp->recover_pc (a guarded
 * access), record the fault and resume there; this path clobbers t0 only. Otherwise it is
 * a monitor bug: report it and stop. */
monitor_fault:
    csrrw   sp, mscratch, sp        /* back to the monitor stack; mscratch = 0 again */
    beqz    tp, fatal
    ld      t0, VCPU_RECOVER(tp)
    beqz    t0, fatal
    csrw    mepc, t0
    sd      zero, VCPU_RECOVER(tp)
    csrr    t0, mcause
    sd      t0, VCPU_FAULT_CAUSE(tp)
    csrr    t0, mtval
    sd      t0, VCPU_FAULT_TVAL(tp)
    mret
fatal:
    csrr    a0, mcause
    csrr    a1, mepc
    csrr    a2, mtval
    mv      a3, tp
    call    arch_monitor_fault      /* never returns */
1:  wfi
    j       1b

    .section .data
    .align 3
    .globl boot_lottery, boot_done, harts_arrived
harts_arrived: .word 0
boot_lottery: .word 0
boot_done:    .word 0
