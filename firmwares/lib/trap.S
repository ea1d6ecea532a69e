/* Trap entry points. Frames are pushed on the interrupted context's stack (our own
 * S/U code shares the image stacks), so no scratch CSR is needed: tests may freely
 * clobber mscratch/sscratch. */
#define FRAME (36 * 8)
#define LOWER_EXIT 0x4d49524c

.macro SAVE_REGS
	addi sp, sp, -FRAME
	sd x1, 1*8(sp)
	sd x3, 3*8(sp)
	sd x4, 4*8(sp)
	sd x5, 5*8(sp)
	sd x6, 6*8(sp)
	sd x7, 7*8(sp)
	sd x8, 8*8(sp)
	sd x9, 9*8(sp)
	sd x10, 10*8(sp)
	sd x11, 11*8(sp)
	sd x12, 12*8(sp)
	sd x13, 13*8(sp)
	sd x14, 14*8(sp)
	sd x15, 15*8(sp)
	sd x16, 16*8(sp)
	sd x17, 17*8(sp)
	sd x18, 18*8(sp)
	sd x19, 19*8(sp)
	sd x20, 20*8(sp)
	sd x21, 21*8(sp)
	sd x22, 22*8(sp)
	sd x23, 23*8(sp)
	sd x24, 24*8(sp)
	sd x25, 25*8(sp)
	sd x26, 26*8(sp)
	sd x27, 27*8(sp)
	sd x28, 28*8(sp)
	sd x29, 29*8(sp)
	sd x30, 30*8(sp)
	sd x31, 31*8(sp)
	addi t0, sp, FRAME
	sd t0, 2*8(sp)
.endm

.macro RESTORE_REGS
	ld x1, 1*8(sp)
	ld x3, 3*8(sp)
	ld x4, 4*8(sp)
	ld x5, 5*8(sp)
	ld x6, 6*8(sp)
	ld x7, 7*8(sp)
	ld x8, 8*8(sp)
	ld x9, 9*8(sp)
	ld x10, 10*8(sp)
	ld x11, 11*8(sp)
	ld x12, 12*8(sp)
	ld x13, 13*8(sp)
	ld x14, 14*8(sp)
	ld x15, 15*8(sp)
	ld x16, 16*8(sp)
	ld x17, 17*8(sp)
	ld x18, 18*8(sp)
	ld x19, 19*8(sp)
	ld x20, 20*8(sp)
	ld x21, 21*8(sp)
	ld x22, 22*8(sp)
	ld x23, 23*8(sp)
	ld x24, 24*8(sp)
	ld x25, 25*8(sp)
	ld x26, 26*8(sp)
	ld x27, 27*8(sp)
	ld x28, 28*8(sp)
	ld x29, 29*8(sp)
	ld x30, 30*8(sp)
	ld x31, 31*8(sp)
	ld x2, 2*8(sp)
.endm

	.text
	.balign 64
	.globl trap_entry
trap_entry:
	SAVE_REGS
	csrr t0, mepc
	sd t0, 32*8(sp)
	csrr t0, mcause
	sd t0, 33*8(sp)
	csrr t0, mtval
	sd t0, 34*8(sp)
	csrr t0, mstatus
	sd t0, 35*8(sp)
	mv a0, sp
	call trap_handler
	ld t0, 32*8(sp)
	csrw mepc, t0
	RESTORE_REGS
	mret

	.balign 64
	.globl strap_entry
strap_entry:
	SAVE_REGS
	csrr t0, sepc
	sd t0, 32*8(sp)
	csrr t0, scause
	sd t0, 33*8(sp)
	csrr t0, stval
	sd t0, 34*8(sp)
	csrr t0, sstatus
	sd t0, 35*8(sp)
	mv a0, sp
	call strap_handler
	ld t0, 32*8(sp)
	csrw sepc, t0
	RESTORE_REGS
	sret

/* Vectored mtvec table (priv spec 3.1.7): entry i at base + 4*i. Interrupt entries note
 * i+1 in hart->vec_idx, then join the common handler. */
.macro VEC n
	.balign 4
	j vec_\n
.endm
.macro VSTUB n
vec_\n:
	addi sp, sp, -16
	sd t0, 0(sp)
	li t0, \n + 1
	sd t0, 16(tp)
	ld t0, 0(sp)
	addi sp, sp, 16
	j trap_entry
.endm
	.balign 256
	.globl trap_vector_table
trap_vector_table:
	j trap_entry
	VEC 1
	VEC 2
	VEC 3
	VEC 4
	VEC 5
	VEC 6
	VEC 7
	VEC 8
	VEC 9
	VEC 10
	VEC 11
	VEC 12
	VEC 13
	VEC 14
	VEC 15
	VSTUB 1
	VSTUB 2
	VSTUB 3
	VSTUB 4
	VSTUB 5
	VSTUB 6
	VSTUB 7
	VSTUB 8
	VSTUB 9
	VSTUB 10
	VSTUB 11
	VSTUB 12
	VSTUB 13
	VSTUB 14
	VSTUB 15

/* u64 run_lower(u64 mpp, u64 (*fn)(u64), u64 arg) */
	.globl run_lower
run_lower:
	addi sp, sp, -112
	sd ra, 0(sp)
	sd s0, 8(sp)
	sd s1, 16(sp)
	sd s2, 24(sp)
	sd s3, 32(sp)
	sd s4, 40(sp)
	sd s5, 48(sp)
	sd s6, 56(sp)
	sd s7, 64(sp)
	sd s8, 72(sp)
	sd s9, 80(sp)
	sd s10, 88(sp)
	sd s11, 96(sp)
	csrr t0, mstatus
	sd t0, 104(sp)
	sd sp, 0(tp)
	csrw mepc, a1
	li t0, 3 << 11
	csrc mstatus, t0
	csrs mstatus, a0
	mv a0, a2
	li a7, 0
	/* lower code runs on the stack below the saved frame */
	addi sp, sp, -64
	la ra, lower_exit_stub
	mret
	.globl lower_exit_stub
lower_exit_stub:
	li a7, LOWER_EXIT
	ecall
1:	j 1b
	.globl lower_return
lower_return:
	ld sp, 0(tp)
	/* give M-mode back the MIE it had before run_lower() */
	li t0, 8
	csrc mstatus, t0
	ld t1, 104(sp)
	and t1, t1, t0
	csrs mstatus, t1
	ld ra, 0(sp)
	ld s0, 8(sp)
	ld s1, 16(sp)
	ld s2, 24(sp)
	ld s3, 32(sp)
	ld s4, 40(sp)
	ld s5, 48(sp)
	ld s6, 56(sp)
	ld s7, 64(sp)
	ld s8, 72(sp)
	ld s9, 80(sp)
	ld s10, 88(sp)
	ld s11, 96(sp)
	addi sp, sp, 112
	ret
