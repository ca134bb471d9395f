// System-call stubs for ring-3 programs, one inline function per call of
// lib/abi/syscalls.h. Results other than the status come back in the
// argument registers, as docs/syscalls.md describes per call.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/power.h"
#include "lib/abi/syscalls.h"
#include "lib/abi/system_info.h"

namespace user {

using bm::abi::Status;
using bm::abi::Syscall;

// Registers after a system call: the status (rax) and the six argument
// registers, which some calls use for results.
struct SyscallResult {
  Status status;
  uint64_t rdi, rsi, rdx, r10, r8, r9;
};

inline SyscallResult raw_syscall(Syscall number, uint64_t a0 = 0, uint64_t a1 = 0,
                                 uint64_t a2 = 0, uint64_t a3 = 0, uint64_t a4 = 0,
                                 uint64_t a5 = 0) {
  uint64_t rax = static_cast<uint64_t>(number);
  register uint64_t r10 asm("r10") = a3;
  register uint64_t r8 asm("r8") = a4;
  register uint64_t r9 asm("r9") = a5;
  // syscall itself overwrites rcx (return RIP) and r11 (RFLAGS).
  asm volatile("syscall"
               : "+a"(rax), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8), "+r"(r9)
               :
               : "rcx", "r11", "memory");
  return {static_cast<Status>(rax), a0, a1, a2, r10, r8, r9};
}

inline Status debug_write(const char* text, size_t length) {
  return raw_syscall(Syscall::debug_write, reinterpret_cast<uint64_t>(text), length).status;
}
inline Status yield() { return raw_syscall(Syscall::yield).status; }
inline Status sleep(uint64_t ticks) { return raw_syscall(Syscall::sleep, ticks).status; }
[[noreturn]] inline void thread_exit() {
  raw_syscall(Syscall::thread_exit);
  __builtin_unreachable();
}
[[noreturn]] inline void task_exit(int64_t code) {
  raw_syscall(Syscall::task_exit, static_cast<uint64_t>(code));
  __builtin_unreachable();
}
inline uint64_t system_info(bm::abi::SystemInfo item) {
  return raw_syscall(Syscall::system_info, static_cast<uint64_t>(item)).rdi;
}

// thread_list: *written bm::abi::ThreadRecords are now at the start of this
// thread's IPC buffer (user::ipc_buffer()); *total counts every live thread.
// Copy the records out before the next message overwrites them.
inline Status thread_list(uint64_t first_index, uint64_t* written, uint64_t* total) {
  SyscallResult result = raw_syscall(Syscall::thread_list, first_index);
  if (result.status == Status::kOk) {
    *written = result.rdi;
    *total = result.rsi;
  }
  return result.status;
}
// log_read: *copied bytes of the kernel log from `position` (or from *oldest,
// if that is later) are at the start of this thread's IPC buffer; *next is
// the position to ask for next time.
inline Status log_read(uint64_t position, uint64_t* copied, uint64_t* next, uint64_t* oldest) {
  SyscallResult result = raw_syscall(Syscall::log_read, position);
  if (result.status == Status::kOk) {
    *copied = result.rdi;
    *next = result.rsi;
    *oldest = result.rdx;
  }
  return result.status;
}
// Returns only if it failed. `power` is the power control handle only init
// holds (InitBootInfo::power).
inline Status system_power(bm::abi::Handle power, bm::abi::PowerAction action) {
  return raw_syscall(Syscall::system_power, power, static_cast<uint64_t>(action)).status;
}

}  // namespace user
