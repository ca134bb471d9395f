// The fuzzing step: choice of call and arguments, safety rewrites, checks.
#include "test/fuzz/engine.h"

#include "lib/abi/message.h"
#include "lib/abi/syscalls.h"
#include "test/fuzz/arguments.h"
#include "test/fuzz/fuzz_syscall.h"
#include "test/fuzz/service_threads.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/program_loader.h"

namespace fuzz {

using bm::abi::Status;
using bm::abi::Syscall;

// The end of the fuzzer's own image (.bss included), which the linker defines.
extern "C" char _end[];

namespace {

// A value the kernel's status list has (lib/abi/syscalls.h).
constexpr bool is_kernel_status(uint64_t value) {
  switch (value) {
#define FUZZ_STATUS_CASE(name, value, text) case value:
    BM_STATUS_LIST(FUZZ_STATUS_CASE)
#undef FUZZ_STATUS_CASE
    return true;
  }
  return false;
}

constexpr uint64_t n(Syscall call) { return static_cast<uint64_t>(call); }

// The longest timeout the fuzzer lets itself wait (ticks).
constexpr uint64_t kMaxWait = 2;
constexpr uint64_t kMaxTimeout = 1ull << 32;         // the ABI's limit; above it is invalid
constexpr uint64_t kBadgeBase = 0x6368696c64000000;  // "child"

}  // namespace

uint64_t Engine::pick_number() {
  if (!random_.one_in(12)) return random_.below(bm::abi::kSyscallCount);
  const uint64_t outside[] = {bm::abi::kSyscallCount,
                              bm::abi::kSyscallCount + 1,
                              63,
                              64,
                              255,
                              256,
                              1ull << 32,
                              ~0ull,
                              1ull << 63};
  return random_.one_in(4) ? any_value(random_) : outside[random_.below(9)];
}

void Engine::typed_arguments(uint64_t number, uint64_t a[6]) {
  Prng& r = random_;
  const World& w = world_;
  switch (static_cast<Syscall>(number)) {
    case Syscall::debug_write:
      if (r.one_in(3)) {
        a[0] = pointer_value(r);
        a[1] = length_value(r, 4096);
      } else {
        uint64_t offset = r.below(sizeof(kText));
        a[0] = reinterpret_cast<uint64_t>(kText) + offset;
        a[1] = r.below(sizeof(kText) - offset);
      }
      break;
    case Syscall::sleep:
      a[0] = r.one_in(3) ? any_value(r) : r.below(kMaxWait + 1);
      break;
    case Syscall::handle_close:
      a[0] = handle_value(r, w, true);
      break;
    case Syscall::handle_duplicate:
      a[0] = handle_value(r, w, false);
      a[1] = rights_value(r);
      a[2] = r.one_in(3) ? any_value(r) : 0;
      break;
    case Syscall::ipc_call:
    case Syscall::ipc_send:
    case Syscall::ipc_reply_recv:
    case Syscall::reply_send:
      a[0] = handle_value(r, w, false);
      a[1] = tag_value(r);
      break;
    case Syscall::reply_take:
      a[0] = handle_value(r, w, false);
      break;
    case Syscall::ipc_recv:
    case Syscall::notification_wait:
      a[0] = handle_value(r, w, false);
      a[1] = timeout_value(r);
      break;
    case Syscall::notification_signal:
      a[0] = handle_value(r, w, false);
      a[1] = r.one_in(4) ? 0 : r.one_in(2) ? 1ull << r.below(64) : any_value(r);
      break;
    case Syscall::notification_poll:
    case Syscall::irq_ack:
    case Syscall::task_kill:
    case Syscall::task_status:
      a[0] = handle_value(r, w, false);
      break;
    case Syscall::irq_bind:
    case Syscall::task_watch:
      a[0] = handle_value(r, w, false);
      a[1] = handle_value(r, w, false);
      a[2] = r.one_in(4) ? any_value(r) : r.below(70);
      break;
    case Syscall::memory_map:
    case Syscall::memory_map_range:
      a[0] = r.one_in(3) ? handle_value(r, w, false) : bm::abi::kOwnAddressSpace;
      a[1] = handle_value(r, w, false);
      a[2] = map_address(r);
      a[3] = r.one_in(4) ? any_value(r) : r.below(4);
      a[4] = r.one_in(4) ? any_value(r) : r.below(5);
      a[5] = r.one_in(4) ? any_value(r) : r.below(5);
      break;
    case Syscall::memory_unmap:
      a[0] = r.one_in(3) ? handle_value(r, w, false) : bm::abi::kOwnAddressSpace;
      a[1] = r.one_in(2) ? kMapArea + r.below(kMapAreaPages) * 4096 : map_address(r);
      break;
    case Syscall::task_create:
      // An empty task: the fuzzer's children kill it in time (or it ends when its handle
      // closes). Loading a program into one is user::load_program's job (spawn_child).
      a[0] = r.one_in(2) ? reinterpret_cast<uint64_t>(kText) : pointer_value(r);
      a[1] = length_value(r, bm::abi::kMaxTaskNameLength);
      a[2] = r.one_in(2) ? 1 /* a fresh supervisor handle, see make_safe */
                         : handle_value(r, w, false);
      a[3] = r.one_in(2) ? 0 : r.one_in(2) ? 1 + r.below(64) : any_value(r);
      break;
    case Syscall::thread_create:
      a[0] = r.one_in(2) ? bm::abi::kOwnAddressSpace : handle_value(r, w, false);
      a[1] = r.one_in(2) ? reinterpret_cast<uint64_t>(&helper_thread) : pointer_value(r);
      a[3] = r.one_in(4) ? any_value(r) : r.below(10);
      break;
    case Syscall::system_info:
      a[0] = r.one_in(4) ? any_value(r) : r.below(20);
      a[1] = r.one_in(4) ? any_value(r) : r.below(18);
      break;
    case Syscall::memory_create:
      // The payer: mostly the fuzzer itself, sometimes any handle (a child task pays).
      a[1] = r.one_in(2) ? bm::abi::kOwnAddressSpace : handle_value(r, w, false);
      switch (r.below(10)) {
        case 0:
          a[0] = 0;
          break;
        case 1:
          a[0] = bm::abi::kMaxMemoryObjectPages + r.below(2);
          break;
        case 2:
          a[0] = any_value(r);
          break;
        default:
          a[0] = 1 + r.below(4);
          break;
      }
      break;
    case Syscall::io_port_range_create:
      a[0] = r.one_in(2) ? (r.one_in(2) ? w.keep.post_port : w.keep.exit_port)
                         : handle_value(r, w, false);
      a[1] = r.one_in(2) ? (r.one_in(2) ? 0x80 : 0xf4) : any_value(r);
      a[2] = r.one_in(2) ? r.below(3) : any_value(r);
      break;
    case Syscall::thread_list:
      a[0] = r.one_in(3) ? any_value(r) : r.below(100);
      break;
    case Syscall::system_power:
      a[0] = handle_value(r, w, false);
      a[1] = r.one_in(2) ? r.below(3) : any_value(r);
      break;
    default:
      break;  // yield, endpoint_create, notification_create, log_read, reply_create: any values
  }
}

bool Engine::served(uint64_t handle) const {
  const Protected& k = world_.keep;
  if (handle == 0) return false;
  return handle == k.echo || handle == k.served || handle == k.supervisor ||
         handle == k.bootstrap || world_.pool.served(handle);
}

uint64_t Engine::mint_supervisor_handle() {
  auto copy =
      user::raw_syscall(Syscall::handle_duplicate, world_.keep.supervisor,
                        bm::abi::kRightWrite | bm::abi::kRightGrant, kBadgeBase | next_badge_++);
  return copy.status == Status::kOk ? copy.rdi : 0;
}

void Engine::make_safe(uint64_t* number, uint64_t a[6]) {
  switch (*number) {
    case n(Syscall::thread_exit):
      // The fuzzer's own thread must go on: a helper thread exits instead.
      *number = n(Syscall::thread_create);
      a[0] = bm::abi::kOwnAddressSpace;
      a[1] = reinterpret_cast<uint64_t>(&helper_thread);
      a[3] = 8;
      break;
    case n(Syscall::task_exit):
      // ... and a child task (role 0 returns from main) ends itself: step() starts one.
      break;
    case n(Syscall::sleep):
      if (a[0] <= kMaxTimeout && a[0] > kMaxWait) a[0] %= kMaxWait + 1;
      break;
    case n(Syscall::handle_close):
      if (world_.keep.contains(a[0]) || world_.children.contains(a[0])) a[0] = 0;
      break;
    case n(Syscall::ipc_call):
    case n(Syscall::ipc_send):
      // Only endpoints some thread always receives on may block: on any
      // other, nobody would ever take the message.
      if (!served(a[0])) a[1] |= bm::abi::kTagNonBlockingBit;
      break;
    case n(Syscall::ipc_recv):
    case n(Syscall::notification_wait):
      if (a[1] != bm::abi::kDontWait && a[1] <= kMaxTimeout && (a[1] == 0 || a[1] > kMaxWait)) {
        a[1] = 1 + a[1] % kMaxWait;
      }
      break;
    case n(Syscall::memory_unmap):
      // Its own program image is object mappings its loader made (user/program_loader.h),
      // which memory_unmap would take away from under the running code.
      if (a[0] == bm::abi::kOwnAddressSpace && a[1] >= bm::abi::kUserSpaceBase &&
          a[1] < reinterpret_cast<uint64_t>(_end)) {
        a[1] = kMapArea;
      }
      break;
    case n(Syscall::thread_create):
      // A thread of the fuzzer's own task that faults would end the fuzzer:
      // in its own task it runs the helper, or an entry the kernel refuses.
      if (a[0] == bm::abi::kOwnAddressSpace && a[1] >= bm::abi::kUserSpaceBase &&
          a[1] < bm::abi::kUserSpaceEnd) {
        a[1] = reinterpret_cast<uint64_t>(&helper_thread);
      }
      break;
    default:
      break;
  }
  if (*number == n(Syscall::task_create)) {
    if (a[2] == 1) a[2] = minted_ = mint_supervisor_handle();
    if (world_.children.size() == Children::kCapacity) world_.children.kill_oldest();
  }
}

bool Engine::step(uint64_t index) {
  uint64_t number = pick_number();
  uint64_t a[6];
  for (uint64_t& value : a) value = any_value(random_);
  if (!random_.one_in(4)) typed_arguments(number, a);
  uint64_t flags = 0;
  if (random_.one_in(4)) {
    if (random_.one_in(2)) flags |= kFlagAlignmentCheck;
    if (random_.one_in(2)) flags |= kFlagDirection;
    if (world_.nested_task_flag && random_.one_in(2)) flags |= kFlagNestedTask;
  }
  // Words 4 and up of a long message come from the IPC buffer: sometimes new ones.
  if (random_.one_in(32)) {
    bm::abi::IpcBuffer* buffer = user::ipc_buffer();
    for (uint64_t& word : buffer->words) word = random_.next();
  }
  make_safe(&number, a);
  if (number == n(Syscall::task_exit)) {
    // A task_exit of the fuzzer's own would end the run: a child does it instead.
    (void)spawn_child(0);
    return true;
  }
  return run(index, number, a, flags);
}

bool Engine::run(uint64_t index, uint64_t number, uint64_t a[6], uint64_t flags) {
  // The handle a message carries is whatever the IPC buffer's slot holds.
  uint64_t sent_handle = 0;
  bool sends = number == n(Syscall::ipc_call) || number == n(Syscall::ipc_send) ||
               number == n(Syscall::ipc_reply_recv) || number == n(Syscall::reply_send);
  if (sends && (a[1] & bm::abi::kTagHandleBit) != 0) {
    sent_handle = handle_value(random_, world_, true);
    user::ipc_buffer()->handle = sent_handle;
  }
  CallRecord& record = log_.begin(index, number, a, flags);
  if (index >= trace_from_) print_call("FUZZ CALL", record);

  Registers registers = {number, a[0], a[1], a[2], a[3], a[4], a[5], 0};
  uint64_t lost = fuzz_syscall(&registers, flags);
  record.status = registers.rax;
  if (index >= trace_from_) user::printf("FUZZ   -> %ld\n", static_cast<int64_t>(registers.rax));

  if (lost != 0) {
    user::printf("FUZZ FAIL callee-saved registers changed by call #%lu (mask %#lx)\n", index,
                 lost);
    return false;
  }
  if ((registers.rflags & flags) != flags) {
    user::printf("FUZZ FAIL call #%lu lost RFLAGS bits: set %#lx, back %#lx\n", index, flags,
                 registers.rflags);
    return false;
  }
  if (!is_kernel_status(registers.rax)) {
    user::printf("FUZZ FAIL call #%lu returned unknown status %#lx\n", index, registers.rax);
    return false;
  }
  // Only init holds the power control: the fuzzer's calls must all fail on
  // the handle, before the action is even looked at.
  if (number == n(Syscall::system_power) &&
      (registers.rax == static_cast<uint64_t>(Status::kOk) ||
       registers.rax == static_cast<uint64_t>(Status::kInvalidArgument))) {
    user::printf("FUZZ FAIL call #%lu: system_power got past the capability check\n", index);
    return false;
  }
  ++by_status_[registers.rax];
  const uint64_t results[6] = {registers.rdi, registers.rsi, registers.rdx,
                               registers.r10, registers.r8,  registers.r9};
  keep_books(number, a, sent_handle, results, registers.rax);
  if (minted_ != 0) {
    // The child (if any) has its own copy of the supervisor handle.
    (void)user::raw_syscall(Syscall::handle_close, minted_);
    minted_ = 0;
  }
  return true;
}

void Engine::keep_books(uint64_t number, const uint64_t a[6], uint64_t sent_handle,
                        const uint64_t results[6], uint64_t status) {
  HandlePool& pool = world_.pool;
  auto adopt = [&](uint64_t handle, bool is_served) {
    if (!pool.add(static_cast<Handle>(handle), is_served)) {
      (void)user::raw_syscall(Syscall::handle_close, handle);
    }
  };
  if (status != static_cast<uint64_t>(Status::kOk)) return;
  switch (static_cast<Syscall>(number)) {
    case Syscall::handle_close:
      pool.retire(static_cast<Handle>(a[0]));
      break;
    case Syscall::handle_duplicate:
      adopt(results[0], served(a[0]));
      break;
    case Syscall::endpoint_create:
    case Syscall::notification_create:
    case Syscall::memory_create:
    case Syscall::io_port_range_create:
    case Syscall::thread_create:
    case Syscall::reply_create:
      adopt(results[0], false);
      break;
    case Syscall::reply_send:
      if (sent_handle != 0) pool.retire(static_cast<Handle>(sent_handle));
      break;
    case Syscall::task_create:
      world_.children.add(static_cast<Handle>(results[0]), kEmptyTask);
      break;
    case Syscall::ipc_call:
    case Syscall::ipc_send:
      if (sent_handle != 0) pool.retire(static_cast<Handle>(sent_handle));
      if (number == n(Syscall::ipc_call) && (results[1] & bm::abi::kTagHandleBit) != 0) {
        adopt(user::ipc_buffer()->handle, false);
      }
      break;
    case Syscall::ipc_recv:
    case Syscall::ipc_reply_recv:
      if ((results[1] & bm::abi::kTagHandleBit) != 0) adopt(user::ipc_buffer()->handle, false);
      drop_owed_reply();
      break;
    default:
      break;
  }
}

void Engine::drop_owed_reply() {
  world_.children.kill_all();
  // With its caller gone the thread owes nothing: this must not block.
  auto result = user::raw_syscall(Syscall::ipc_reply_recv, world_.keep.served, 0);
  if (result.status != Status::kNoCaller) {
    user::printf("FUZZ note: reply_recv after the callers ended gave %s\n",
                 bm::abi::status_text(result.status));
  }
}

bm::ipc::ProtocolStatus Engine::spawn_child(uint64_t role) {
  if (world_.children.size() == Children::kCapacity) world_.children.kill_oldest();
  user::OwnedHandle supervisor(static_cast<Handle>(mint_supervisor_handle()));
  static const char kName[] = "fuzz_child";
  // The role is the main thread's priority (test/fuzz/child.cpp).
  auto loaded = user::load_program({.image = world_.keep.child_image,
                                    .image_bytes = world_.keep.child_image_bytes,
                                    .name = kName,
                                    .name_length = sizeof(kName) - 1,
                                    .priority = role,
                                    .bootstrap = supervisor.get()});
  if (!loaded.ok()) return loaded.error();
  world_.children.add(loaded->task.release(), role);
  ++children_started_;
  return bm::ipc::ProtocolStatus::kOk;
}

}  // namespace fuzz
