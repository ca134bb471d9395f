// The system-call ABI: numbers, status codes, rights and object types. This
// is the one definition that the kernel, user/ and the host tests include;
// docs/syscalls.md describes each call. Numbers and codes are stable: add
// at the end, never renumber.
//
// Convention (x86_64 `syscall`): rax = number; arguments in rdi, rsi, rdx,
// r10, r8, r9; on return rax = Status, further results in the registers each
// call documents. rcx and r11 are clobbered by the instruction itself.
#pragma once

#include <stdint.h>

namespace bm::abi {

// X(name, number): every system call, once. Dispatch tables, user stubs and
// the name table in docs follow from this list.
#define BM_SYSCALL_LIST(X)        \
  X(debug_write, 0)               \
  X(yield, 1)                     \
  X(sleep, 2)                     \
  X(thread_exit, 3)               \
  X(task_exit, 4)                 \
  X(handle_close, 5)              \
  X(handle_duplicate, 6)          \
  X(endpoint_create, 7)           \
  X(ipc_call, 8)                  \
  X(ipc_send, 9)                  \
  X(ipc_recv, 10)                 \
  X(ipc_reply_recv, 11)           \
  X(notification_create, 12)      \
  X(notification_signal, 13)      \
  X(notification_wait, 14)        \
  X(notification_poll, 15)        \
  X(irq_bind, 16)                 \
  X(irq_ack, 17)                  \
  X(memory_map, 18)               \
  X(memory_unmap, 19)             \
  X(task_create, 20)              \
  X(thread_create, 21)            \
  X(system_info, 22)              \
  X(task_kill, 23)                \
  X(memory_create, 24)            \
  X(io_port_range_create, 25)     \
  X(thread_list, 26)              \
  X(log_read, 27)                 \
  X(system_power, 28)             \
  X(task_watch, 29)               \
  X(memory_map_range, 30)         \
  X(reply_create, 31)             \
  X(reply_take, 32)               \
  X(reply_send, 33)               \
  X(task_status, 34)

enum class Syscall : uint64_t {
#define BM_SYSCALL_ENUM(name, number) name = number,
  BM_SYSCALL_LIST(BM_SYSCALL_ENUM)
#undef BM_SYSCALL_ENUM
};

#define BM_SYSCALL_COUNT_ONE(name, number) +1
constexpr uint64_t kSyscallCount = 0 BM_SYSCALL_LIST(BM_SYSCALL_COUNT_ONE);
#undef BM_SYSCALL_COUNT_ONE

// What a system call returns in rax. Each failure has its own code, and a
// call that fails changes nothing.
// Retired codes are never given a new meaning: 15 was kBadImage (task_create
// parsed ELF images until init took that over), so the next new code is 16.
#define BM_STATUS_LIST(X)                                                           \
  X(kOk, 0, "ok")                                                                   \
  X(kUnknownSyscall, 1, "unknown system call number")                               \
  X(kInvalidHandle, 2, "handle not open in this task")                              \
  X(kWrongType, 3, "handle names an object of another type")                        \
  X(kNoRights, 4, "handle lacks a right the call needs")                            \
  X(kBadAddress, 5, "pointer non-canonical, in the kernel half, unmapped or read-only") \
  X(kTooLong, 6, "length over the limit")                                           \
  X(kInvalidArgument, 7, "argument out of range")                                   \
  X(kNoCaller, 8, "reply with no caller waiting")                                   \
  X(kPeerGone, 9, "the other side of the endpoint is gone")                         \
  X(kWouldBlock, 10, "non-blocking call would have to wait")                        \
  X(kTimedOut, 11, "timeout expired")                                               \
  X(kOutOfMemory, 12, "no memory for the request")                                  \
  X(kNoSlots, 13, "handle table full")                                              \
  X(kBusy, 14, "resource already in use")

enum class Status : int64_t {
#define BM_STATUS_ENUM(name, value, text) name = value,
  BM_STATUS_LIST(BM_STATUS_ENUM)
#undef BM_STATUS_ENUM
};

constexpr const char* status_text(Status status) {
  switch (status) {
#define BM_STATUS_TEXT(name, value, text) \
  case Status::name:                      \
    return text;
    BM_STATUS_LIST(BM_STATUS_TEXT)
#undef BM_STATUS_TEXT
  }
  return "unknown status";
}

// Rights a handle carries. Duplicating or transferring a handle can only
// keep or drop rights, never add them.
enum Right : uint32_t {
  kRightRead = 1u << 0,    // receive / wait / read state
  kRightWrite = 1u << 1,   // send / call / signal
  kRightGrant = 1u << 2,   // pass the handle to another task (in a message, or duplicate)
  kRightMap = 1u << 3,     // map the memory into an address space
  kRightManage = 1u << 4,  // control: bind an IRQ, create threads in a task, ...
};
constexpr uint32_t kAllRights = kRightRead | kRightWrite | kRightGrant | kRightMap | kRightManage;

enum class ObjectType : uint32_t {
  kNone = 0,
  kTask,
  kThread,
  kEndpoint,
  kNotification,
  kIrq,
  kIoPortRange,
  kDeviceMemory,
  kMemory,
  kAddressSpace,
  kPowerControl,  // system_power's capability (init's alone)
  kReply,         // holds a kept call (reply_take) until reply_send answers it
};

// A handle: an index into the task's table plus a generation, so a closed
// and reused slot does not answer to the old handle value.
using Handle = uint32_t;
constexpr Handle kInvalidHandleValue = 0;  // slot 0 is never used

// memory_map and memory_unmap take this instead of a task handle to mean
// the caller's own address space.
constexpr Handle kOwnAddressSpace = 0;

// memory_map flags. Readable is implied; writable and executable together
// are refused (W^X).
enum MapFlag : uint64_t {
  kMapWritable = 1u << 0,
  kMapExecutable = 1u << 1,
};

// Limits of memory_create and task names.
constexpr uint64_t kMaxMemoryObjectPages = 65536;  // 256 MiB
constexpr uint64_t kMaxTaskNameLength = 23;

// Most bytes of the kernel log one log_read copies (one IPC buffer page).
constexpr uint64_t kMaxLogRead = 4096;

// Receive timeouts (ticks), besides a positive count of ticks.
constexpr uint64_t kWaitForever = 0;
constexpr uint64_t kDontWait = ~0ull;

// Virtual address layout seen by ring 3.
constexpr uint64_t kUserSpaceBase = 0x0000000000400000;  // first byte a task may map
// One page below the end of the lower canonical half, as Linux does: no
// instruction can end in the last canonical page, so a `syscall` never
// returns to a non-canonical address (see syscall_entry.S).
constexpr uint64_t kUserSpaceEnd = 0x00007ffffffff000;
// The two canonical halves of a 48-bit address space (SDM vol. 1 §3.3.7.1).
constexpr uint64_t kLowerHalfEnd = 0x0000800000000000;
constexpr uint64_t kUpperHalfStart = 0xffff800000000000;

}  // namespace bm::abi
