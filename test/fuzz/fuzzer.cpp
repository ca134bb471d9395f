// fuzz: a seeded random-syscall fuzzer in ring 3 (docs/reliability.md).
// Manifest args: seed=N (the run replays exactly from it), calls=N,
// trace=N (print every call from number N on: for a seed that crashed the
// kernel), nt=1 (also set RFLAGS.NT before calls).
//
// It makes `calls` system calls with biased arguments and random RFLAGS
// bits, starts child tasks that fault on purpose, exhausts handle slots,
// memory and threads once, and checks on the way that the companion echo
// server and init still answer. It ends with "FUZZ PASS ..." and
// isa-debug-exit 0x10, or prints the seed and its last calls, "FUZZ FAIL",
// and exits with 0x11. tools/fuzz.py boots it and judges the serial log.
#include <stdint.h>

#include "ipc/bootstrap.h"
#include "lib/abi/system_info.h"
#include "lib/core/qemu_debug_exit.h"
#include "test/fuzz/call_log.h"
#include "test/fuzz/engine.h"
#include "test/fuzz/exhaustion.h"
#include "test/fuzz/prng.h"
#include "test/fuzz/service_threads.h"
#include "test/fuzz/world.h"
#include "user/port_io.h"
#include "user/print.h"
#include "user/services.h"

namespace {

using bm::abi::Handle;
using bm::abi::Status;
using bm::abi::Syscall;
using bm::abi::SystemInfo;
using user::ProtocolStatus;
using user::raw_syscall;

constexpr uint16_t kExitPort = bm::qemu::kDebugExitPort;
constexpr uint16_t kPostPort = 0x80;
constexpr auto kExitSuccess = static_cast<uint8_t>(bm::qemu::ExitCode::kSuccess);
constexpr auto kExitFailure = static_cast<uint8_t>(bm::qemu::ExitCode::kFailure);

constexpr uint64_t kEchoEvery = 256;   // calls between echo round trips
constexpr uint64_t kInitEvery = 2048;  // calls between name lookups through init
constexpr uint64_t kChildEvery = 500;  // calls between deliberate faulting children
constexpr uint64_t kProgressEvery = 5000;
constexpr uint64_t kChildRoles = 9;
constexpr uint64_t kSettleTicks = 500;  // at the end, for children and helpers to finish

struct Options {
  uint64_t seed = 1;
  uint64_t calls = 20000;
  uint64_t trace_from = ~0ull;
  bool nested_task_flag = false;
};

uint64_t parse_number(const char* text, size_t length) {
  uint64_t value = 0;
  uint64_t base = 10;
  size_t i = 0;
  if (length > 2 && text[0] == '0' && text[1] == 'x') {
    base = 16;
    i = 2;
  }
  for (; i < length; ++i) {
    char c = text[i];
    uint64_t digit = c >= '0' && c <= '9'   ? static_cast<uint64_t>(c - '0')
                     : c >= 'a' && c <= 'f' ? static_cast<uint64_t>(c - 'a' + 10)
                                            : 99;
    if (digit >= base) break;
    value = value * base + digit;
  }
  return value;
}

Options read_options(Handle bootstrap) {
  Options options;
  char arguments[bm::ipc::kMaxArgumentsLength + 1] = {};
  if (user::get_arguments(bootstrap, arguments, sizeof(arguments)) != ProtocolStatus::kOk)
    return options;
  user::for_each_argument(arguments, [&](const char* word, size_t length) {
    size_t value_length = 0;
    if (const char* v = user::argument_value(word, length, "seed=", &value_length)) {
      options.seed = parse_number(v, value_length);
    } else if (const char* v = user::argument_value(word, length, "calls=", &value_length)) {
      options.calls = parse_number(v, value_length);
    } else if (const char* v = user::argument_value(word, length, "trace=", &value_length)) {
      options.trace_from = parse_number(v, value_length);
    } else if (const char* v = user::argument_value(word, length, "nt=", &value_length)) {
      options.nested_task_flag = parse_number(v, value_length) != 0;
    }
  });
  return options;
}

void take_grants(Handle bootstrap, fuzz::Protected* keep) {
  for (uint64_t index = 0; index < 16; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != ProtocolStatus::kOk) break;
    switch (grant.kind) {
      case bm::ipc::GrantKind::kIoPorts:
        if (grant.detail == kExitPort) keep->exit_port = grant.handle;
        if (grant.detail == kPostPort) keep->post_port = grant.handle;
        break;
      case bm::ipc::GrantKind::kIrq:
        keep->irq = grant.handle;
        break;
      case bm::ipc::GrantKind::kModule:
        keep->child_image = grant.handle;
        keep->child_image_bytes = grant.detail;
        break;
      default:
        break;
    }
  }
}

// Scratch memory for pointer arguments: writable pages, a read-only page
// after a gap, unmapped space around them (world.h).
bool map_scratch() {
  auto writable = raw_syscall(Syscall::memory_create, fuzz::kScratchPages);
  auto read_only = raw_syscall(Syscall::memory_create, 1);
  if (writable.status != Status::kOk || read_only.status != Status::kOk) return false;
  bool ok = raw_syscall(Syscall::memory_map, bm::abi::kOwnAddressSpace, writable.rdi,
                        fuzz::kScratchBase, bm::abi::kMapWritable)
                    .status == Status::kOk &&
            raw_syscall(Syscall::memory_map, bm::abi::kOwnAddressSpace, read_only.rdi,
                        fuzz::kReadOnlyPage, 0)
                    .status == Status::kOk;
  // The mappings keep the objects alive.
  (void)raw_syscall(Syscall::handle_close, writable.rdi);
  (void)raw_syscall(Syscall::handle_close, read_only.rdi);
  return ok;
}

struct Figures {
  uint64_t free_frames, heap_bytes, heap_blocks, tasks, threads, heap_capacity;
};

Figures figures() {
  return {user::system_value(SystemInfo::kFreeFrames),
          user::system_value(SystemInfo::kHeapBytesInUse),
          user::system_value(SystemInfo::kHeapBlocksInUse),
          user::system_value(SystemInfo::kTaskCount),
          user::system_value(SystemInfo::kThreadCount),
          user::system_value(SystemInfo::kHeapCapacity)};
}

uint64_t faults(uint32_t vector) {
  return __atomic_load_n(&fuzz::fault_counts[vector], __ATOMIC_RELAXED);
}
uint64_t all_faults() {
  uint64_t total = 0;
  for (uint32_t v = 0; v < 32; ++v) total += faults(v);
  return total;
}

// Lets a new child run (it is below the fuzzer's priority) until its fault
// has been reported or a few ticks passed.
void let_child_run(uint64_t faults_before) {
  for (int tick = 0; tick < 5 && all_faults() == faults_before; ++tick) {
    (void)raw_syscall(Syscall::sleep, 1);
  }
}

// What outlives the pool's handles: mappings made by fuzzed memory_map calls
// (where map_address aims them) and an IRQ binding (it holds its
// notification until the irq handle closes). Without this the figures at the
// end would differ from the start for reasons that are no leak.
void release_mappings_and_bindings() {
  for (uint64_t page = 0; page < fuzz::kMapAreaPages; ++page) {
    (void)raw_syscall(Syscall::memory_unmap, bm::abi::kOwnAddressSpace,
                      fuzz::kMapArea + page * 4096);
  }
  for (uint64_t page = 1; page <= 4; ++page) {
    (void)raw_syscall(Syscall::memory_unmap, bm::abi::kOwnAddressSpace,
                      bm::abi::kUserSpaceEnd - page * 4096);
  }
}

[[noreturn]] void finish(const fuzz::World& world, bool passed) {
  if (world.keep.exit_port == 0) {
    user::printf("FUZZ port 0xf4 not granted: cannot leave QEMU\n");
    user::task_exit(passed ? 0 : 1);
  }
  user::out8(kExitPort, passed ? kExitSuccess : kExitFailure);
  user::task_exit(passed ? 0 : 1);
}

fuzz::World world;
fuzz::CallLog call_log;

constexpr uint64_t kLeakCheckChildren = 48;

// Starts a round of children in every role, lets each fault or exit, kills
// the rest and waits until the task count is back at `tasks`.
void child_round(fuzz::Engine& engine, uint64_t count, uint64_t tasks) {
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t faults_before = all_faults();
    (void)engine.spawn_child(1 + i % (kChildRoles - 1));
    let_child_run(faults_before);
    if (world.children.size() == fuzz::Children::kCapacity) world.children.kill_all();
  }
  world.children.kill_all();
  uint64_t settle_end = user::system_value(SystemInfo::kTicks) + kSettleTicks;
  while (user::system_value(SystemInfo::kTaskCount) > tasks &&
         user::system_value(SystemInfo::kTicks) < settle_end) {
    (void)raw_syscall(Syscall::sleep, 1);
  }
}

// Child tasks are whole address spaces that fault, exit or get killed: once
// they are gone, every frame and kernel heap block they used must be free
// again. (The fuzzer's own figures say nothing: its task lives on.) A first
// round lets the kernel heap grow to what the rounds need.
bool children_leave_nothing(fuzz::Engine& engine) {
  const Figures start = figures();
  child_round(engine, kChildRoles - 1, start.tasks);
  const Figures before = figures();
  child_round(engine, kLeakCheckChildren, start.tasks);
  const Figures after = figures();
  user::printf(
      "FUZZ leak check: %lu children: free frames %lu -> %lu, kernel heap bytes %lu -> %lu, "
      "blocks %lu -> %lu, tasks %lu -> %lu, threads %lu -> %lu\n",
      kLeakCheckChildren, before.free_frames, after.free_frames, before.heap_bytes,
      after.heap_bytes, before.heap_blocks, after.heap_blocks, before.tasks, after.tasks,
      before.threads, after.threads);
  // Frames the kernel heap mapped meanwhile are not lost: the bump strategy
  // never reuses memory, so its heap grows with every round, and may need
  // a page-table frame per 512 new pages to map them.
  uint64_t heap_growth = (after.heap_capacity - before.heap_capacity) / 4096;
  uint64_t page_tables = heap_growth == 0 ? 0 : heap_growth / 512 + 1;
  if (heap_growth != 0) {
    user::printf("FUZZ leak check: the kernel heap mapped %lu more frames\n", heap_growth);
  }
  uint64_t accounted = after.free_frames + heap_growth;
  return accounted <= before.free_frames && accounted + page_tables >= before.free_frames &&
         before.heap_bytes == after.heap_bytes && before.heap_blocks == after.heap_blocks &&
         before.tasks == after.tasks && before.threads == after.threads;
}

[[noreturn]] void fail(const Options& options, uint64_t index, const char* what) {
  user::printf("FUZZ FAIL seed=%lu at call #%lu: %s\n", options.seed, index, what);
  user::printf("FUZZ the last calls (replay: tools/fuzz.py --seed %lu --calls %lu --trace %lu):\n",
               options.seed, options.calls, index > 64 ? index - 64 : 0);
  call_log.print(fuzz::CallLog::kCapacity);
  finish(world, false);
}

}  // namespace

int main(uint64_t bootstrap_argument) {
  Handle bootstrap = static_cast<Handle>(bootstrap_argument);
  Options options = read_options(bootstrap);
  world.keep.bootstrap = bootstrap;
  world.nested_task_flag = options.nested_task_flag;
  take_grants(bootstrap, &world.keep);
  user::printf("FUZZ START seed=%lu calls=%lu nt=%d\n", options.seed, options.calls,
               options.nested_task_flag ? 1 : 0);
  if (world.keep.exit_port == 0 || world.keep.child_image == 0) {
    user::printf("FUZZ FAIL missing grants (exit port, fuzz_child module)\n");
    finish(world, false);
  }
  if (user::lookup_service(bootstrap, "echo", 2000, &world.keep.echo) != ProtocolStatus::kOk) {
    user::printf("FUZZ FAIL no echo service\n");
    finish(world, false);
  }
  uint64_t priority = user::system_value(SystemInfo::kCurrentPriority);
  auto served = raw_syscall(Syscall::endpoint_create);
  auto supervisor = raw_syscall(Syscall::endpoint_create);
  if (served.status != Status::kOk || supervisor.status != Status::kOk || !map_scratch() ||
      fuzz::start_service_thread(fuzz::partner_thread, static_cast<Handle>(served.rdi), priority) !=
          Status::kOk ||
      fuzz::start_service_thread(fuzz::supervisor_thread, static_cast<Handle>(supervisor.rdi),
                                 priority) != Status::kOk) {
    user::printf("FUZZ FAIL set-up\n");
    finish(world, false);
  }
  world.keep.served = static_cast<Handle>(served.rdi);
  world.keep.supervisor = static_cast<Handle>(supervisor.rdi);
  // A served duplicate in the pool: the fuzzer may close or send that one.
  auto copy = raw_syscall(Syscall::handle_duplicate, world.keep.served, bm::abi::kAllRights, 0);
  if (copy.status == Status::kOk) world.pool.add(static_cast<Handle>(copy.rdi), true);

  const Figures before = figures();
  uint64_t start_ticks = user::system_value(SystemInfo::kTicks);
  fuzz::Prng random(options.seed);
  fuzz::Engine engine(world, random, call_log, options.trace_from);

  // Every deliberate fault once up front, so each run sees them all.
  for (uint64_t role = 1; role < kChildRoles; ++role) {
    uint64_t faults_before = all_faults();
    (void)engine.spawn_child(role);
    let_child_run(faults_before);
  }

  for (uint64_t index = 0; index < options.calls; ++index) {
    if (!engine.step(index)) fail(options, index, "a check after the call failed");
    if (index % kEchoEvery == kEchoEvery - 1 && !fuzz::echo_answers(world, index << 8)) {
      fail(options, index, "echo stopped answering");
    }
    if (index % kInitEvery == kInitEvery - 1) {
      Handle found = 0;
      ProtocolStatus status = user::lookup_service(bootstrap, "echo", 100, &found);
      if (status != ProtocolStatus::kOk)
        fail(options, index, "init's name service stopped answering");
      (void)raw_syscall(Syscall::handle_close, found);
    }
    if (index % kChildEvery == kChildEvery - 1) {
      uint64_t faults_before = all_faults();
      (void)engine.spawn_child(1 + (index / kChildEvery) % (kChildRoles - 1));
      let_child_run(faults_before);
    }
    if (index == options.calls / 2 && !fuzz::exhaust(world)) {
      fail(options, index, "exhaustion round");
    }
    if (index % kProgressEvery == kProgressEvery - 1) {
      user::printf("FUZZ progress seed=%lu calls=%lu faults=%lu children=%lu\n", options.seed,
                   index + 1, all_faults(), engine.children_started());
    }
  }

  // Give everything back, then compare with the figures from the start.
  world.children.kill_all();
  world.pool.close_all();
  release_mappings_and_bindings();
  (void)raw_syscall(Syscall::handle_close, world.keep.irq);
  uint64_t settle_end = user::system_value(SystemInfo::kTicks) + kSettleTicks;
  while (user::system_value(SystemInfo::kThreadCount) > before.threads &&
         user::system_value(SystemInfo::kTicks) < settle_end) {
    (void)raw_syscall(Syscall::sleep, 1);
  }
  if (!fuzz::echo_answers(world, 0x400)) fail(options, options.calls, "echo at the end");
  const Figures after = figures();
  uint64_t ticks = user::system_value(SystemInfo::kTicks) - start_ticks;
  user::printf(
      "FUZZ figures seed=%lu: free frames %lu -> %lu, kernel heap bytes %lu -> %lu, "
      "blocks %lu -> %lu, tasks %lu -> %lu, threads %lu -> %lu\n",
      options.seed, before.free_frames, after.free_frames, before.heap_bytes, after.heap_bytes,
      before.heap_blocks, after.heap_blocks, before.tasks, after.tasks, before.threads,
      after.threads);
  user::printf(
      "FUZZ faults seed=%lu: #DE %lu #DB %lu #UD %lu #GP %lu #PF %lu (all %lu) from %lu children\n",
      options.seed, faults(0), faults(1), faults(6), faults(13), faults(14), all_faults(),
      engine.children_started());
  user::printf("FUZZ statuses seed=%lu:", options.seed);
  for (uint32_t s = 0; s <= 16; ++s) user::printf(" %u:%lu", s, engine.calls_by_status(s));
  user::printf("\n");
  if (after.tasks != before.tasks || after.threads != before.threads) {
    fail(options, options.calls, "tasks or threads left over after the children ended");
  }
  // Every deliberate fault must have reached the supervisor thread.
  if (faults(0) == 0 || faults(6) == 0 || faults(13) == 0 || faults(14) == 0 || faults(1) == 0) {
    fail(options, options.calls, "a deliberate fault was not reported");
  }
  if (!children_leave_nothing(engine)) {
    fail(options, options.calls, "child tasks left frames or kernel heap behind");
  }
  user::printf("FUZZ PASS seed=%lu calls=%lu ticks=%lu\n", options.seed, options.calls, ticks);
  finish(world, true);
}
