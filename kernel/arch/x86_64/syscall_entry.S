/* Entry from ring 3 through `syscall` (Intel SDM vol. 2B SYSCALL; vol. 3A
 * §5.8.8). The CPU has put the user RIP in rcx and RFLAGS in r11, masked
 * IF/DF/TF/AC through IA32_FMASK, and left rsp pointing at the user stack.
 *
 * A system call saves only what it must: the return state (rip, rflags,
 * rsp) and the registers of the call's arguments and results (rax, rdi,
 * rsi, rdx, r10, r8, r9), plus rbp, which the entry clears so kernel
 * backtraces end at the user boundary. The callee-saved registers (rbx,
 * r12-r15) stay in the CPU: the kernel's C++ code preserves them like any
 * function (System V AMD64 ABI §3.2.1), and a context switch saves them on
 * the kernel stack. The frame keeps the InterruptFrame layout, so handlers
 * read arguments by name; its other slots are not written.
 *
 * On the way out every register ring 3 sees is either its own or a result:
 * rax-r9 and rbp from the frame, rcx and r11 the return state, the rest
 * preserved. Nothing of the kernel's leaks.
 *
 * Five calls have a fast path (kernel/ipc/fast_path.cpp): ipc_call and
 * ipc_reply_recv with a plain message to a waiting partner. It blocks the
 * caller and answers by returning straight into the partner's user code
 * from here, without the scheduler's queues or switch_context. yield to a
 * ready thread of the same priority switches the same way, and so does
 * notification_wait when it must block: to the next ready thread.
 * notification_signal finishes here, or switches to a waiter that outranks
 * the caller. */

/* Offsets in arch::InterruptFrame (interrupt_frame.h checks them). */
#define FRAME_R10 40
#define FRAME_R9 48
#define FRAME_R8 56
#define FRAME_RBP 64
#define FRAME_RDI 72
#define FRAME_RSI 80
#define FRAME_RDX 88
#define FRAME_RAX 112
#define FRAME_RIP 136
#define FRAME_RFLAGS 152
#define FRAME_RSP 160
#define FRAME_SIZE 176

#include "kernel/arch/x86_64/register_frame.inc"

/* Loads the user's registers from the frame at `frame`(%rsp) and returns
 * to ring 3. Leaves through sysret, which loads RIP from rcx and RFLAGS from r11.
 * A non-canonical RIP would make sysret raise #GP in ring 0 on Intel
 * CPUs (SDM vol. 2B SYSRET), with the user's GS loaded. None reaches
 * here: a frame's rip is where the user's `syscall` left off, and the
 * user half ends a page below the canonical boundary (kUserSpaceEnd).
 * The kernel never writes a system call frame's rip; new threads start
 * through interrupt_return's iretq instead. */
.macro RETURN_TO_USER frame
    movq (FRAME_RAX + \frame)(%rsp), %rax
    movq (FRAME_RDI + \frame)(%rsp), %rdi
    movq (FRAME_RSI + \frame)(%rsp), %rsi
    movq (FRAME_RDX + \frame)(%rsp), %rdx
    movq (FRAME_R10 + \frame)(%rsp), %r10
    movq (FRAME_R8 + \frame)(%rsp), %r8
    movq (FRAME_R9 + \frame)(%rsp), %r9
    movq (FRAME_RBP + \frame)(%rsp), %rbp
    movq (FRAME_RIP + \frame)(%rsp), %rcx
    movq (FRAME_RFLAGS + \frame)(%rsp), %r11
    movq (FRAME_RSP + \frame)(%rsp), %rsp  /* IF stays clear until sysret */
    swapgs
    sysretq
.endm


    .section .text
    .global syscall_entry
syscall_entry:
    swapgs
    movq %rsp, %gs:16                     /* CpuLocal.user_stack_scratch */
    movq %gs:8, %rsp                      /* CpuLocal.kernel_stack_top */
    subq $FRAME_SIZE, %rsp
    movq %rcx, FRAME_RIP(%rsp)
    movq %r11, FRAME_RFLAGS(%rsp)
    movq %gs:16, %rcx
    movq %rcx, FRAME_RSP(%rsp)
    movq %rax, FRAME_RAX(%rsp)
    movq %rdi, FRAME_RDI(%rsp)
    movq %rsi, FRAME_RSI(%rsp)
    movq %rdx, FRAME_RDX(%rsp)
    movq %r10, FRAME_R10(%rsp)
    movq %r8, FRAME_R8(%rsp)
    movq %r9, FRAME_R9(%rsp)
    movq %rbp, FRAME_RBP(%rsp)
    xorl %ebp, %ebp                       /* backtraces stop at the user boundary */
    movq %rsp, %rdi                       /* the frame: the C++ side's argument */
    /* Each call number has an entry point (fast_path.cpp's table): a fast
     * path, or general_path for the calls that have none and for every call
     * while the fast paths are off. A number past the table is the general
     * path's to refuse. */
    cmpq syscall_entry_point_count(%rip), %rax
    jae syscall_general_path
    jmpq *syscall_entry_points(,%rax,8)   /* the kernel code model: a 32-bit address */

    .global syscall_general_path
syscall_general_path:
    call syscall_dispatch

    .global syscall_exit
syscall_exit:
    RETURN_TO_USER 0

/* Each fast path returns the stack to switch to (the partner's saved rsp),
 * FAST_PATH_DONE when it has finished the call and the caller goes on, or 0
 * when the general path must take the call. */
#define FAST_PATH_DONE 1
#define FAST_PATH(label, function)   \
    .global label;                   \
label:                               \
    call function;                   \
    cmpq $FAST_PATH_DONE, %rax;      \
    ja switch_to_partner;            \
    je syscall_exit;                 \
    movq %rsp, %rdi;                 \
    jmp syscall_general_path

FAST_PATH(syscall_call_fast_path, ipc_fast_call)
FAST_PATH(syscall_reply_receive_fast_path, ipc_fast_reply_receive)
FAST_PATH(syscall_yield_fast_path, fast_yield)
FAST_PATH(syscall_notification_wait_fast_path, fast_notification_wait)
FAST_PATH(syscall_notification_signal_fast_path, fast_notification_signal)

/* The fast path has blocked this thread (or, for yield, queued it behind
 * the next) and made the partner the running one. This thread's kernel stack gets what switch_context would have left:
 * its callee-saved registers (still the user's values) and a continuation
 * that finishes the system call, so the general scheduler can resume it
 * too. Then rax, the partner's stack, is loaded. */
switch_to_partner:
    /* The kernel lies in the top 2 GiB, so its addresses fit a sign-extended
     * 32-bit immediate (the kernel code model). */
    pushq $resume_blocked_system_call
    PUSH_CALLEE_SAVED_REGISTERS
    movq %rax, %rsp
    POP_CALLEE_SAVED_REGISTERS
    /* A partner the fast path blocked too has nothing more to do in the
     * kernel: return to its user code directly. One the general path
     * blocked continues in its kernel code, as after its own switch_context
     * (context_switch.S). */
    cmpq $resume_blocked_system_call, (%rsp)
    jne 1f
    RETURN_TO_USER 8                      /* the frame lies just above the continuation */
1:  ret

/* A thread the fast path blocked, resumed by the general scheduler:
 * switch_context has restored its callee-saved registers and returned
 * here, with rsp at its frame, where the waker stored the results. */
resume_blocked_system_call:
    call finish_resumed_system_call
    jmp syscall_exit
