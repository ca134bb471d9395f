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
//   notification_to_higher  signal until a waiting thread of higher priority runs
//                       (the signal switches to it directly)
//   context_switch      yield between two threads of one task, per switch
//   irq_to_driver       COM1 raises IRQ 4 (a thread enables its transmitter-empty
//                       interrupt) until the driver thread, bound to the line and of
//                       higher priority, returns from its notification wait
#include "lib/abi/message.h"
#include "lib/core/pc_layout.h"
#include "user/ipc.h"
#include "user/port_io.h"
#include "user/print.h"
#include "user/services.h"
#include "user/tsc.h"

namespace {

constexpr uint64_t kIterations = 1000;

void report(const char* name, uint64_t total) {
  user::printf("BENCH %s %lu\n", name, total / kIterations);
}

// A call with no arguments sets only rax: the loop is the number, the
// `syscall` and the count, so the figure is the kernel's entry, dispatch and
// exit. The number is deliberately one past the last call, so no typed
// wrapper exists for it and the kernel does no work beyond the range check.
void bench_null_syscall() {
  uint64_t start = user::read_tsc();
  for (uint64_t i = 0; i < kIterations; ++i) {
    uint64_t rax = bm::abi::kSyscallCount;
    asm volatile("syscall" : "+a"(rax) : : "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "r9",
                 "memory");
  }
  report("null_syscall", user::read_tsc() - start);
}

void bench_raw_round_trip(user::Handle server) {
  uint64_t tag = bm::abi::encode_tag({1, 4, false, false});
  (void)user::ipc_call(server, tag, {1, 2, 3, 4});  // warm up
  uint64_t start = user::read_tsc();
  for (uint64_t i = 0; i < kIterations; ++i) (void)user::ipc_call(server, tag, {i, 2, 3, 4});
  report("ipc_round_trip_raw", user::read_tsc() - start);
}

void bench_round_trip(user::Handle echo, uint32_t words, const char* name) {
  user::Message request;
  request.label = 1;
  request.words = words;
  user::Message reply;
  (void)user::call(echo, request, &reply);  // warm up: first touch of pages and queues
  uint64_t start = user::read_tsc();
  for (uint64_t i = 0; i < kIterations; ++i) (void)user::call(echo, request, &reply);
  report(name, user::read_tsc() - start);
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
      wake_time_total = wake_time_total + (user::read_tsc() - signal_time);
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
    signal_time = user::read_tsc();
    (void)user::notification_signal(notification, 1);
    user::yield();  // the waiter, now ready at our priority, runs
  }
  report("notification_wakeup", wake_time_total);
  stop_waiter = true;
  (void)user::notification_signal(notification, 1);
  user::yield();
}

// The driver's case: the waiter outranks the signaller, so the signal itself switches to it.
// This thread runs at 8 (the most the manifest gives): the waiter gets 8, the signaller 7.
volatile uint64_t higher_wake_total;
volatile uint64_t higher_wakeups;
user::Handle higher_done;

void higher_waiter(uint64_t) {
  while (higher_wakeups < kIterations) {
    if (!user::notification_wait(notification, bm::abi::kWaitForever).ok()) break;
    higher_wake_total = higher_wake_total + (user::read_tsc() - signal_time);
    higher_wakeups = higher_wakeups + 1;
  }
  user::thread_exit();
}

void lower_signaller(uint64_t) {
  for (uint64_t i = 0; i < kIterations; ++i) {
    signal_time = user::read_tsc();
    (void)user::notification_signal(notification, 1);  // the waiter has run when this returns
  }
  (void)user::notification_signal(higher_done, 1);
  user::thread_exit();
}

void bench_notification_to_higher() {
  auto made = user::notification_create();
  auto done = user::notification_create();
  if (!made.ok() || !done.ok()) return;
  notification = made->get();
  higher_done = done->get();
  auto waiter = user::thread_create(bm::abi::kOwnAddressSpace,
                                    reinterpret_cast<uint64_t>(&higher_waiter), 0, 8);
  user::yield();  // the waiter blocks in its wait before the signaller starts
  auto signaller = user::thread_create(bm::abi::kOwnAddressSpace,
                                       reinterpret_cast<uint64_t>(&lower_signaller), 0, 7);
  if (!waiter.ok() || !signaller.ok()) return;
  (void)user::notification_wait(higher_done, bm::abi::kWaitForever);
  if (higher_wakeups != kIterations) {
    user::printf("BENCH error notification_to_higher: %lu of %lu wakeups\n", higher_wakeups,
                 kIterations);
    return;
  }
  report("notification_to_higher", higher_wake_total);
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
  uint64_t start = user::read_tsc();
  uint64_t first = switches;
  while (switches < 2 * kIterations) {
    switches = switches + 1;
    user::yield();
  }
  uint64_t count = switches - first;
  // Each yield here and in the other thread is one switch.
  user::printf("BENCH context_switch %lu\n", (user::read_tsc() - start) / (count == 0 ? 1 : count));
}

// --- IRQ line to driver -------------------------------------------------

// 16550 registers and bits (PC16550D datasheet, table 2 and §8.4-8.6).
using bm::pc::kCom1Base;
using bm::pc::kCom1Irq;
constexpr uint16_t kInterruptEnable = kCom1Base + 1;  // IER
constexpr uint16_t kInterruptId = kCom1Base + 2;      // IIR (read)
constexpr uint16_t kModemControl = kCom1Base + 4;     // MCR
constexpr uint8_t kIerTransmitterEmpty = 0x02;  // raises the line at once while THR is empty
constexpr uint8_t kMcrOut2 = 0x08;              // gates the UART interrupt onto the ISA line

volatile uint64_t trigger_time;
volatile uint64_t irq_latency_total;
volatile uint64_t irq_deliveries;
user::Handle irq_notification;
user::Handle irq_bench_done;
user::Handle com1_irq;

// The driver: wakes for the line, notes the time, quiets the UART (reading IIR clears the
// interrupt; IER off stops it re-arming) and acknowledges, which unmasks the line.
void irq_driver(uint64_t) {
  while (irq_deliveries < kIterations) {
    if (!user::notification_wait(irq_notification, bm::abi::kWaitForever).ok()) break;
    uint64_t woke = user::read_tsc();
    irq_latency_total = irq_latency_total + (woke - trigger_time);
    irq_deliveries = irq_deliveries + 1;
    (void)user::in8(kInterruptId);
    user::out8(kInterruptEnable, 0);
    (void)user::irq_ack(com1_irq);
  }
  user::thread_exit();
}

// COM1's port range and IRQ 4 from the manifest's grants (ports=0x3f8:8 irqs=4).
bool take_com1_grants(user::Handle bootstrap) {
  bool have_ports = false;
  constexpr uint64_t kMaxGrants = 32;  // more than any manifest line grants
  for (uint64_t index = 0; index < kMaxGrants; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != user::ProtocolStatus::kOk) break;
    if (grant.kind == bm::ipc::GrantKind::kIoPorts && grant.detail == kCom1Base) have_ports = true;
    if (grant.kind == bm::ipc::GrantKind::kIrq && grant.detail == kCom1Irq) com1_irq = grant.handle;
  }
  return have_ports && com1_irq != 0;
}

// The device's side: makes COM1 raise its line, kIterations times. It runs below the
// driver's priority, so each interrupt's driver runs before the `out` returns.
void irq_trigger(uint64_t) {
  uint8_t modem_control = user::in8(kModemControl);
  user::out8(kModemControl, modem_control | kMcrOut2);
  for (uint64_t i = 0; i < kIterations; ++i) {
    trigger_time = user::read_tsc();
    user::out8(kInterruptEnable, kIerTransmitterEmpty);
  }
  user::out8(kModemControl, modem_control);
  (void)user::notification_signal(irq_bench_done, 1);
  user::thread_exit();
}

void bench_irq_to_driver(user::Handle bootstrap) {
  if (!take_com1_grants(bootstrap)) {
    user::printf("BENCH error no COM1 grants\n");
    return;
  }
  auto made = user::notification_create();
  auto bound = made.ok() ? user::irq_bind(com1_irq, made->get(), 0).error() : made.error();
  auto done = user::notification_create();
  if (bound != user::Status::kOk || !done.ok()) {
    user::printf("BENCH error irq_to_driver: cannot bind IRQ 4 (status %lu)\n",
                 static_cast<uint64_t>(bound));
    return;
  }
  irq_notification = made->release();
  irq_bench_done = done->get();
  // This thread runs at 8 (the manifest's priority, the most it may give): the driver gets 8,
  // the trigger 7, and this thread waits until the trigger is done.
  auto driver = user::thread_create(bm::abi::kOwnAddressSpace,
                                    reinterpret_cast<uint64_t>(&irq_driver), 0, 8);
  auto trigger = user::thread_create(bm::abi::kOwnAddressSpace,
                                     reinterpret_cast<uint64_t>(&irq_trigger), 0, 7);
  if (!driver.ok() || !trigger.ok()) {
    user::printf("BENCH error irq_to_driver: no threads\n");
    return;
  }
  (void)user::notification_wait(irq_bench_done, bm::abi::kWaitForever);
  if (irq_deliveries != kIterations) {
    user::printf("BENCH error irq_to_driver: %lu of %lu interrupts\n", irq_deliveries,
                 kIterations);
    return;
  }
  report("irq_to_driver", irq_latency_total);
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
  bench_notification_to_higher();
  bench_context_switch();
  bench_irq_to_driver(static_cast<user::Handle>(bootstrap));
  user::printf("BENCH done\n");
  return 0;
}
