// Typed system calls for ring-3 programs: one inline function per call of
// lib/abi/syscalls.h (docs/syscalls.md describes each), over the one raw stub.
// Each returns a SysResult (user/sys_result.h): the value, or the kernel's
// status unchanged. Calls that create an object give an OwnedHandle
// (user/handle.h) that closes itself; calls that use a handle take its raw
// value. Results the kernel leaves in argument registers come back as named
// fields. raw_syscall is for the ABI's own tests and the fuzzer, which must
// pass arguments no typed wrapper would let through, and for the raw IPC
// benchmark's server, whose loop must be nothing but the stub.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/power.h"
#include "lib/abi/syscalls.h"
#include "lib/abi/system_info.h"
#include "user/handle.h"
#include "user/sys_result.h"

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

// What the typed wrappers below use: sets only the registers of the call's
// own arguments (the kernel reads no others), where raw_syscall zeroes all
// six at an instruction each on every call. Every argument register comes
// back as an output, because calls return results in them.
inline SyscallResult system_call(Syscall number) {
  uint64_t rax = static_cast<uint64_t>(number);
  uint64_t rdi, rsi, rdx;
  register uint64_t r10 asm("r10");
  register uint64_t r8 asm("r8");
  register uint64_t r9 asm("r9");
  asm volatile("syscall"
               : "+a"(rax), "=D"(rdi), "=S"(rsi), "=d"(rdx), "=r"(r10), "=r"(r8), "=r"(r9)
               :
               : "rcx", "r11", "memory");
  return {static_cast<Status>(rax), rdi, rsi, rdx, r10, r8, r9};
}
inline SyscallResult system_call(Syscall number, uint64_t rdi) {
  uint64_t rax = static_cast<uint64_t>(number);
  uint64_t rsi, rdx;
  register uint64_t r10 asm("r10");
  register uint64_t r8 asm("r8");
  register uint64_t r9 asm("r9");
  asm volatile("syscall"
               : "+a"(rax), "+D"(rdi), "=S"(rsi), "=d"(rdx), "=r"(r10), "=r"(r8), "=r"(r9)
               :
               : "rcx", "r11", "memory");
  return {static_cast<Status>(rax), rdi, rsi, rdx, r10, r8, r9};
}
inline SyscallResult system_call(Syscall number, uint64_t rdi, uint64_t rsi) {
  uint64_t rax = static_cast<uint64_t>(number);
  uint64_t rdx;
  register uint64_t r10 asm("r10");
  register uint64_t r8 asm("r8");
  register uint64_t r9 asm("r9");
  asm volatile("syscall"
               : "+a"(rax), "+D"(rdi), "+S"(rsi), "=d"(rdx), "=r"(r10), "=r"(r8), "=r"(r9)
               :
               : "rcx", "r11", "memory");
  return {static_cast<Status>(rax), rdi, rsi, rdx, r10, r8, r9};
}
inline SyscallResult system_call(Syscall number, uint64_t rdi, uint64_t rsi, uint64_t rdx) {
  uint64_t rax = static_cast<uint64_t>(number);
  register uint64_t r10 asm("r10");
  register uint64_t r8 asm("r8");
  register uint64_t r9 asm("r9");
  asm volatile("syscall"
               : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "=r"(r10), "=r"(r8), "=r"(r9)
               :
               : "rcx", "r11", "memory");
  return {static_cast<Status>(rax), rdi, rsi, rdx, r10, r8, r9};
}
inline SyscallResult system_call(Syscall number, uint64_t rdi, uint64_t rsi, uint64_t rdx,
                                 uint64_t a3) {
  uint64_t rax = static_cast<uint64_t>(number);
  register uint64_t r10 asm("r10") = a3;
  register uint64_t r8 asm("r8");
  register uint64_t r9 asm("r9");
  asm volatile("syscall"
               : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "=r"(r8), "=r"(r9)
               :
               : "rcx", "r11", "memory");
  return {static_cast<Status>(rax), rdi, rsi, rdx, r10, r8, r9};
}
// Five and six arguments: raw_syscall, whose zeroes are then at most one.
inline SyscallResult system_call(Syscall number, uint64_t a0, uint64_t a1, uint64_t a2,
                                 uint64_t a3, uint64_t a4, uint64_t a5 = 0) {
  return raw_syscall(number, a0, a1, a2, a3, a4, a5);
}

namespace detail {
inline SysResult<void> status_only(const SyscallResult& result) { return result.status; }
// Creation calls return the new handle in rdi.
inline SysResult<OwnedHandle> new_handle(const SyscallResult& result) {
  if (result.status != Status::kOk) return result.status;
  return OwnedHandle(static_cast<Handle>(result.rdi));
}
inline uint64_t address(const void* pointer) { return reinterpret_cast<uint64_t>(pointer); }
}  // namespace detail

// --- threads, time, the kernel log ----------------------------------------

// Writes `length` bytes to the kernel log (COM1 and port 0xE9).
inline SysResult<void> debug_write(const char* text, size_t length) {
  return detail::status_only(system_call(Syscall::debug_write, detail::address(text), length));
}
// Gives the rest of the time slice to another ready thread of the same priority.
// The one call that cannot fail, so it returns nothing.
inline void yield() { system_call(Syscall::yield); }
// Blocks for `ticks` timer ticks.
inline SysResult<void> sleep(uint64_t ticks) {
  return detail::status_only(system_call(Syscall::sleep, ticks));
}
// Ends the calling thread.
[[noreturn]] inline void thread_exit() {
  system_call(Syscall::thread_exit);
  __builtin_unreachable();
}
// Ends the calling task with `code`.
[[noreturn]] inline void task_exit(int64_t code) {
  system_call(Syscall::task_exit, static_cast<uint64_t>(code));
  __builtin_unreachable();
}

// --- handles --------------------------------------------------------------

// Drops one handle (OwnedHandle does this for you).
inline SysResult<void> handle_close(Handle handle) {
  return detail::status_only(system_call(Syscall::handle_close, handle));
}
// A copy of `handle` with `rights` (a subset of its own); a non-zero `badge`
// mints a badged copy of an unbadged endpoint handle.
inline SysResult<OwnedHandle> handle_duplicate(Handle handle, uint32_t rights, uint64_t badge = 0) {
  return detail::new_handle(system_call(Syscall::handle_duplicate, handle, rights, badge));
}

// --- IPC (user/ipc.h builds Messages on these) ----------------------------

// Words 0-3 of a message, which travel in rdx, r10, r8, r9.
using RegisterWords = uint64_t[4];

// What a receive leaves in registers: the sender's badge, the message tag and words 0-3.
struct ReceivedRegisters {
  uint64_t badge;
  uint64_t tag;
  uint64_t word[4];
};

namespace detail {
inline SysResult<ReceivedRegisters> received(const SyscallResult& result) {
  if (result.status != Status::kOk) return result.status;
  return ReceivedRegisters{result.rdi, result.rsi, {result.rdx, result.r10, result.r8, result.r9}};
}
}  // namespace detail

// Sends (tag, word) on `endpoint` and waits for the reply.
inline SysResult<ReceivedRegisters> ipc_call(Handle endpoint, uint64_t tag,
                                             const RegisterWords& word) {
  return detail::received(
      system_call(Syscall::ipc_call, endpoint, tag, word[0], word[1], word[2], word[3]));
}
// Sends (tag, word) on `endpoint` without waiting for a reply.
inline SysResult<void> ipc_send(Handle endpoint, uint64_t tag, const RegisterWords& word) {
  return detail::status_only(
      system_call(Syscall::ipc_send, endpoint, tag, word[0], word[1], word[2], word[3]));
}
// Waits up to `timeout` ticks (or kWaitForever / kDontWait) for a message on `endpoint`.
inline SysResult<ReceivedRegisters> ipc_recv(Handle endpoint, uint64_t timeout) {
  return detail::received(system_call(Syscall::ipc_recv, endpoint, timeout));
}
// Replies (tag, word) to the last caller, then waits for the next message.
inline SysResult<ReceivedRegisters> ipc_reply_recv(Handle endpoint, uint64_t tag,
                                                   const RegisterWords& word) {
  return detail::received(
      system_call(Syscall::ipc_reply_recv, endpoint, tag, word[0], word[1], word[2], word[3]));
}
// A new, empty reply object (write only: not duplicable, not transferable), to keep calls in.
inline SysResult<OwnedHandle> reply_create() {
  return detail::new_handle(system_call(Syscall::reply_create));
}
// Moves the call this thread received last (and has not answered) into the empty reply
// object `reply`, so the thread can receive other messages and answer this call later, from
// any thread of the task, with reply_send. kBusy if `reply` still holds a call.
inline SysResult<void> reply_take(Handle reply) {
  return detail::status_only(system_call(Syscall::reply_take, reply));
}
// Answers the call `reply` holds with (tag, word) and leaves `reply` empty for the next one.
// kNoCaller if it holds none (never taken, or answered already); kPeerGone, once, if the
// caller died meanwhile. On other errors the caller still waits.
inline SysResult<void> reply_send(Handle reply, uint64_t tag, const RegisterWords& word) {
  return detail::status_only(
      system_call(Syscall::reply_send, reply, tag, word[0], word[1], word[2], word[3]));
}
// A new endpoint (read + write + grant).
inline SysResult<OwnedHandle> endpoint_create() {
  return detail::new_handle(system_call(Syscall::endpoint_create));
}

// --- notifications and IRQs -----------------------------------------------

// A new notification word (read + write + grant).
inline SysResult<OwnedHandle> notification_create() {
  return detail::new_handle(system_call(Syscall::notification_create));
}
// Sets `bits` in the notification, waking a waiter.
inline SysResult<void> notification_signal(Handle notification, uint64_t bits) {
  return detail::status_only(system_call(Syscall::notification_signal, notification, bits));
}
// Waits up to `timeout` ticks (or kWaitForever) for bits, and takes them.
inline SysResult<uint64_t> notification_wait(Handle notification, uint64_t timeout) {
  SyscallResult result = system_call(Syscall::notification_wait, notification, timeout);
  if (result.status != Status::kOk) return result.status;
  return result.rdi;
}
// Takes the bits set now (maybe none), without blocking.
inline SysResult<uint64_t> notification_poll(Handle notification) {
  SyscallResult result = system_call(Syscall::notification_poll, notification);
  if (result.status != Status::kOk) return result.status;
  return result.rdi;
}
// Signals `bit` of `notification` whenever the IRQ line of `irq` fires.
inline SysResult<void> irq_bind(Handle irq, Handle notification, uint64_t bit) {
  return detail::status_only(system_call(Syscall::irq_bind, irq, notification, bit));
}
// Unmasks the line again once the driver has handled the interrupt.
inline SysResult<void> irq_ack(Handle irq) {
  return detail::status_only(system_call(Syscall::irq_ack, irq));
}

// --- memory ---------------------------------------------------------------

// A new memory object of `pages` zeroed frames (read + write + map + grant),
// charged to `payer`'s frame quota: kOwnAddressSpace, or a task handle with
// manage (a loader filling the image of a task it created).
inline SysResult<OwnedHandle> memory_create(uint64_t pages,
                                            Handle payer = bm::abi::kOwnAddressSpace) {
  return detail::new_handle(system_call(Syscall::memory_create, pages, payer));
}
// Maps all of `memory` at `address` in `space` (a task, or kOwnAddressSpace);
// `flags` are MapFlag bits.
inline SysResult<void> memory_map(Handle space, Handle memory, uint64_t address, uint64_t flags) {
  return detail::status_only(system_call(Syscall::memory_map, space, memory, address, flags));
}
// Maps `page_count` pages of `memory` from `first_page` on at `address` in `space`.
inline SysResult<void> memory_map_range(Handle space, Handle memory, uint64_t address,
                                        uint64_t flags, uint64_t first_page, uint64_t page_count) {
  return detail::status_only(system_call(Syscall::memory_map_range, space, memory, address, flags,
                                         first_page, page_count));
}
// Removes the mapping that starts at `address` in `space`.
inline SysResult<void> memory_unmap(Handle space, uint64_t address) {
  return detail::status_only(system_call(Syscall::memory_unmap, space, address));
}

// --- tasks and threads ----------------------------------------------------

// task_create's answer: the task handle (all rights), the task's id (as
// system_info kCurrentTask and thread_list report it) and the number the
// bootstrap handle has inside the new task (0 if none was given).
struct CreatedTask {
  OwnedHandle task;
  uint32_t id;
  Handle bootstrap;
};
// An empty task: no mappings, no thread. `bootstrap` (a handle with grant, or
// 0) is copied into it without grant, and if an endpoint receives its fault
// reports; `frame_limit` 0 = the caller's own limit. To run a program in it,
// use user::load_program (user/program_loader.h).
inline SysResult<CreatedTask> task_create(const char* name, size_t name_length, Handle bootstrap,
                                          uint64_t frame_limit = 0) {
  SyscallResult result = system_call(Syscall::task_create, detail::address(name), name_length,
                                     bootstrap, frame_limit);
  if (result.status != Status::kOk) return result.status;
  return CreatedTask{OwnedHandle(static_cast<Handle>(result.rdi)),
                     static_cast<uint32_t>(result.rsi), static_cast<Handle>(result.rdx)};
}
// Starts a thread in `task` (or kOwnAddressSpace) at `entry(argument)`.
inline SysResult<OwnedHandle> thread_create(Handle task, uint64_t entry, uint64_t argument,
                                            uint64_t priority) {
  return detail::new_handle(system_call(Syscall::thread_create, task, entry, argument, priority));
}
// Ends the task and every thread in it.
inline SysResult<void> task_kill(Handle task) {
  return detail::status_only(system_call(Syscall::task_kill, task));
}
// Signals `bit` of `notification` when the task ends.
inline SysResult<void> task_watch(Handle task, Handle notification, uint64_t bit) {
  return detail::status_only(system_call(Syscall::task_watch, task, notification, bit));
}
// Whether the task has ended and, once it has, its exit code (main's value, task_exit's
// argument, -1 when killed or when a supervisor ended it after a fault).
struct TaskStatus {
  bool ended;
  int64_t exit_code;  // 0 while it runs
};
inline SysResult<TaskStatus> task_status(Handle task) {
  SyscallResult result = system_call(Syscall::task_status, task);
  if (result.status != Status::kOk) return result.status;
  return TaskStatus{result.rdi != 0, static_cast<int64_t>(result.rsi)};
}
// Cuts the ports [first, first + count) out of the io-port range `parent`.
inline SysResult<OwnedHandle> io_port_range_create(Handle parent, uint64_t first, uint64_t count) {
  return detail::new_handle(system_call(Syscall::io_port_range_create, parent, first, count));
}

// --- introspection and power ----------------------------------------------

// One figure of the system (`argument` is the IRQ line for kLastIrqTsc).
inline SysResult<uint64_t> system_info(bm::abi::SystemInfo item, uint64_t argument = 0) {
  SyscallResult result = system_call(Syscall::system_info, static_cast<uint64_t>(item), argument);
  if (result.status != Status::kOk) return result.status;
  return result.rdi;
}
// An item named in the SystemInfo enum cannot fail: its value as a plain
// number (0 should the kernel refuse it all the same).
inline uint64_t system_value(bm::abi::SystemInfo item) { return system_info(item).value_or(0); }
inline uint64_t ticks() { return system_value(bm::abi::SystemInfo::kTicks); }
inline uint64_t timer_hz() { return system_value(bm::abi::SystemInfo::kTimerHz); }
inline uint64_t free_frames() { return system_value(bm::abi::SystemInfo::kFreeFrames); }
inline uint64_t task_count() { return system_value(bm::abi::SystemInfo::kTaskCount); }
inline uint64_t thread_count() { return system_value(bm::abi::SystemInfo::kThreadCount); }

// thread_list's answer: `written` bm::abi::ThreadRecords are now at the start
// of this thread's IPC buffer (user::ipc_buffer()); `total` counts every live
// thread. Copy the records out before the next message overwrites them.
struct ThreadListPage {
  uint64_t written;
  uint64_t total;
};
// Thread records from index `first_index` on.
inline SysResult<ThreadListPage> thread_list(uint64_t first_index) {
  SyscallResult result = system_call(Syscall::thread_list, first_index);
  if (result.status != Status::kOk) return result.status;
  return ThreadListPage{result.rdi, result.rsi};
}

// log_read's answer: `copied` bytes of the kernel log are at the start of this
// thread's IPC buffer, from the asked position or from `oldest` if that is
// later; `next` is the position to ask for next time.
struct LogChunk {
  uint64_t copied;
  uint64_t next;
  uint64_t oldest;
};
// Kernel log bytes from `position` on.
inline SysResult<LogChunk> log_read(uint64_t position) {
  SyscallResult result = system_call(Syscall::log_read, position);
  if (result.status != Status::kOk) return result.status;
  return LogChunk{result.rdi, result.rsi, result.rdx};
}

// Powers off or resets the machine; returns only if that failed. `power` is
// the power-control handle only init holds (InitBootInfo::power).
inline SysResult<void> system_power(bm::abi::Handle power, bm::abi::PowerAction action) {
  return detail::status_only(
      system_call(Syscall::system_power, power, static_cast<uint64_t>(action)));
}

}  // namespace user
