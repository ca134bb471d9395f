// A minimal setjmp/longjmp for kernel tests: lets a test resume after an
// exception that cannot return to where it happened (a double fault).
#pragma once

#include <stdint.h>

struct JumpContext {
  uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

// Returns 0 when saving, and the value passed to jump_context_resume when
// control comes back through it.
extern "C" [[gnu::returns_twice]] int jump_context_save(JumpContext* context);
extern "C" [[noreturn]] void jump_context_resume(const JumpContext* context, int value);
