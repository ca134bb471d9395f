// In-guest microbenchmarks of the core, run under QEMU -icount shift=0
// where one TSC tick is one guest instruction (tools/bench boots it). Each
// figure is printed as "BENCH <name> <instructions>".
//   null_syscall        an unknown system call number, nothing but rax set: entry,
//                       range check, exit
//   ipc_round_trip_raw  call + reply_recv, 4 words, raw stubs on both sides (the
//                       kernel's path plus two minimal loops, as sel4bench measures)
//   ipc_round_trip      call + reply_recv with echo in another address space, 4 words,
//                       through user::call and echo's user::Message loop
//   ipc_round_trip_512  the same with 512 words (IPC buffers on both sides)
//   notification_wakeup signal + yield until the waiting thread runs
//   context_switch      yield between two threads of one task, per switch
#include "lib/abi/message.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/services.h"

namespace {

constexpr uint64_t kIterations = 1000;

inline uint64_t read_tsc() {
  uint32_t low, high;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return (static_cast<uint64_t>(high) << 32) | low;
}

void report(const char* name, uint64_t total) {
  user::printf("BENCH %s %lu\n", name, total / kIterations);
}

// A call with no arguments sets only rax: the loop is the number, the
// `syscall` and the count, so the figure is the kernel's entry, dispatch and
// exit. The number is deliberately one past the last call, so no typed
// wrapper exists for it and the kernel does no work beyond the range check.
void bench_null_syscall() {
  uint64_t start = read_tsc();
  for (uint64_t i = 0; i < kIterations; ++i) {
    uint64_t rax = bm::abi::kSyscallCount;
    asm volatile("syscall" : "+a"(rax) : : "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "r9",
                 "memory");
  }
  report("null_syscall", read_tsc() - start);
}

void bench_raw_round_trip(user::Handle server) {
  uint64_t tag = bm::abi::encode_tag({1, 4, false, false});
  (void)user::ipc_call(server, tag, {1, 2, 3, 4});  // warm up
  uint64_t start = read_tsc();
  for (uint64_t i = 0; i < kIterations; ++i) (void)user::ipc_call(server, tag, {i, 2, 3, 4});
  report("ipc_round_trip_raw", read_tsc() - start);
}

void bench_round_trip(user::Handle echo, uint32_t words, const char* name) {
  user::Message request;
  request.label = 1;
  request.words = words;
  user::Message reply;
  (void)user::call(echo, request, &reply);  // warm up: first touch of pages and queues
  uint64_t start = read_tsc();
  for (uint64_t i = 0; i < kIterations; ++i) (void)user::call(echo, request, &reply);
  report(name, read_tsc() - start);
}

// Threads of this task share these.
volatile uint64_t wakeups;
volatile uint64_t wake_time_total;
volatile uint64_t signal_time;
volatile bool stop_waiter;
volatile uint64_t switches;
user::Handle notification;

void waiter(uint64_t) {
  while (!stop_waiter) {
    if (user::notification_wait(notification, bm::abi::kWaitForever).ok()) {
      wake_time_total = wake_time_total + (read_tsc() - signal_time);
      wakeups = wakeups + 1;
    }
  }
  user::thread_exit();
}

void bench_notification_wakeup() {
  auto made = user::notification_create();
  if (!made.ok()) return;
  notification = made->get();
  uint64_t priority = 8;
  auto thread = user::thread_create(bm::abi::kOwnAddressSpace, reinterpret_cast<uint64_t>(&waiter),
                                    0, priority);
  if (!thread.ok()) return;
  user::yield();  // let the waiter block in wait
  for (uint64_t i = 0; i < kIterations; ++i) {
    signal_time = read_tsc();
    (void)user::notification_signal(notification, 1);
    user::yield();  // the waiter, now ready at our priority, runs
  }
  report("notification_wakeup", wake_time_total);
  stop_waiter = true;
  (void)user::notification_signal(notification, 1);
  user::yield();
}

void yielder(uint64_t) {
  while (switches < 2 * kIterations) {
    switches = switches + 1;
    user::yield();
  }
  user::thread_exit();
}

void bench_context_switch() {
  auto thread =
      user::thread_create(bm::abi::kOwnAddressSpace, reinterpret_cast<uint64_t>(&yielder), 0, 8);
  if (!thread.ok()) return;
  user::yield();
  uint64_t start = read_tsc();
  uint64_t first = switches;
  while (switches < 2 * kIterations) {
    switches = switches + 1;
    user::yield();
  }
  uint64_t count = switches - first;
  // Each yield here and in the other thread is one switch.
  user::printf("BENCH context_switch %lu\n", (read_tsc() - start) / (count == 0 ? 1 : count));
}

}  // namespace

int main(uint64_t bootstrap) {
  user::Handle echo = 0;
  if (user::lookup_service(static_cast<user::Handle>(bootstrap), "echo", 1000, &echo) !=
      user::ProtocolStatus::kOk) {
    user::printf("BENCH error no echo service\n");
    return 1;
  }
  user::Handle bench_echo = 0;
  if (user::lookup_service(static_cast<user::Handle>(bootstrap), "bench_echo", 1000, &bench_echo) !=
      user::ProtocolStatus::kOk) {
    user::printf("BENCH error no bench_echo service\n");
    return 1;
  }
  bench_null_syscall();
  bench_raw_round_trip(bench_echo);
  bench_round_trip(echo, 4, "ipc_round_trip");
  bench_round_trip(echo, bm::abi::kMaxMessageWords, "ipc_round_trip_512");
  bench_notification_wakeup();
  bench_context_switch();
  user::printf("BENCH done\n");
  return 0;
}
