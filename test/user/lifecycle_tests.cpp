// Task and thread life cycle: kill, exit through the last thread, threads
// started in another task, the bootstrap handle's rights, and exits that
// give every frame back (1000 create/exit cycles).
#include "test/user/helper_thread.h"
#include "test/user/peer_control.h"
#include "test/user/user_test.h"
#include "user/print.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;

// Frames, tasks and threads, to compare before and after.
struct Counts {
  uint64_t frames;
  uint64_t tasks;
  uint64_t threads;
};
Counts counts_now() { return {user::free_frames(), user::task_count(), user::thread_count()}; }

void expect_same_counts(TestContext& test_context, const Counts& before) {
  Counts after = counts_now();
  user::printf("  free frames %lu -> %lu, tasks %lu -> %lu, threads %lu -> %lu\n", before.frames,
               after.frames, before.tasks, after.tasks, before.threads, after.threads);
  EXPECT_EQ(after.frames, before.frames);
  EXPECT_EQ(after.tasks, before.tasks);
  EXPECT_EQ(after.threads, before.threads);
}

// One cycle: a peer starts, is told to exit, and is gone.
Status exit_cycle() {
  Peer peer;
  Status status = peer.start();
  if (status != Status::kOk) return status;
  return peer.exit_and_wait();
}

// A peer that maps 16 fresh pages, writes them and exits without unmapping
// or closing anything.
Status frame_user_cycle() {
  Peer peer;
  Status status = peer.start();
  if (status != Status::kOk) return status;
  uint64_t result = 0;
  status = peer.request(peer::kCmdMapFrames, 16, 0x40000000, 0, &result);
  if (status != Status::kOk) return status;
  if (result != static_cast<uint64_t>(Status::kOk)) return static_cast<Status>(result);
  return peer.exit_and_wait(3);
}

// A peer that faults and is killed while it waits for the verdict.
Status faulting_cycle() {
  Peer peer;
  Status status = peer.start();
  if (status != Status::kOk) return status;
  status = peer.send_command(peer::kCmdRun, peer::kSiteUd2);
  if (status != Status::kOk) return status;
  user::Message report;
  status = peer.next_message(&report);
  if (status != Status::kOk) return status;
  if (report.label != bm::abi::kFaultLabel) return Status::kInvalidArgument;
  return peer.kill();
}

// Runs `cycle` once so the kernel heap has room for one task's objects
// (the heap keeps pages it grew by: not a leak), then `cycles` times, and
// compares the counts: every cycle must give back exactly what it took.
void run_cycles(TestContext& test_context, const char* what, Status (*cycle)(), uint32_t cycles) {
  constexpr uint32_t kWarmUp = 1;
  for (uint32_t i = 0; i < kWarmUp; ++i) ASSERT_OK(cycle());
  Counts before = counts_now();
  uint64_t start = user::ticks();
  uint32_t failures = 0;
  for (uint32_t i = 0; i < cycles; ++i) {
    Status status = cycle();
    if (status != Status::kOk && ++failures <= 3) {
      user::printf("  cycle %u: %s\n", i, status_name(status));
    }
  }
  uint64_t ticks = user::ticks() - start;
  user::printf("  %u %s cycles in %lu ticks (%lu ms)\n", cycles, what, ticks,
               ticks * 1000 / environment().timer_hz);
  EXPECT_EQ(failures, 0);
  expect_same_counts(test_context, before);
}

}  // namespace

USER_TEST(lifecycle_task_kill_ends_a_spinning_task) {
  Counts before = counts_now();
  Peer peer;
  ASSERT_OK(peer.start());
  EXPECT_EQ(user::task_count(), before.tasks + 1);
  ASSERT_OK(peer.send_command(peer::kCmdSpin));  // no notification: spins for ever
  (void)user::sleep(5);
  EXPECT_OK(user::task_kill(peer.task()));
  EXPECT_STATUS(user::task_kill(peer.task()), Status::kPeerGone);
  EXPECT_STATUS(peer.wait_gone(), Status::kPeerGone);
  EXPECT_EQ(user::task_count(), before.tasks);
  EXPECT_EQ(user::thread_count(), before.threads);
}

USER_TEST(lifecycle_last_thread_exit_ends_the_task) {
  Counts before = counts_now();
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.send_command(peer::kCmdThreadExit));
  EXPECT_STATUS(peer.wait_gone(), Status::kPeerGone);
  EXPECT_STATUS(user::task_kill(peer.task()), Status::kPeerGone);
  EXPECT_EQ(user::task_count(), before.tasks);
  EXPECT_EQ(user::thread_count(), before.threads);
}

// thread_create with a task handle starts a thread in that task.
USER_TEST(lifecycle_thread_created_in_another_task) {
  Peer peer;
  ASSERT_OK(peer.start());
  Handle thread = 0;
  EXPECT_STATUS(take(user::thread_create(peer.task(), peer.info().thread_entry,
                                         peer.info().bootstrap, kSuitePriority + 1),
                     &thread),
                Status::kNoRights);
  ASSERT_OK(take(user::thread_create(peer.task(), peer.info().thread_entry, peer.info().bootstrap,
                                     kPeerPriority),
                 &thread));
  EXPECT_OK(user::handle_close(thread));
  user::Message report;
  ASSERT_OK(peer.next_message(&report));
  EXPECT_EQ(report.label, peer::kThreadReport);
  EXPECT_NE(report.word[0], peer.info().thread_id);
  EXPECT_NE(report.word[0], user::system_value(bm::abi::SystemInfo::kCurrentThread));
  // The main thread is still there and answers.
  uint64_t result = 0;
  EXPECT_OK(peer.run(peer::kSiteInt3, 0, &result));
}

// task_create passes the bootstrap handle on without the grant right.
USER_TEST(lifecycle_bootstrap_handle_cannot_be_passed_on) {
  Peer peer;
  ASSERT_OK(peer.start());
  uint64_t result = 0;
  ASSERT_OK(peer.request(peer::kCmdDuplicateBootstrap, 0, 0, 0, &result));
  EXPECT_STATUS(static_cast<Status>(result), Status::kNoRights);
}

USER_TEST(lifecycle_task_exit_frees_everything_1000_cycles) {
  run_cycles(test_context, "create/exit", exit_cycle, 1000);
}

USER_TEST(lifecycle_frames_mapped_by_a_task_are_freed_at_exit) {
  run_cycles(test_context, "map 16 pages/exit", frame_user_cycle, 100);
}

USER_TEST(lifecycle_killed_faulting_tasks_free_everything) {
  run_cycles(test_context, "fault/kill", faulting_cycle, 100);
}

// Killing a task takes each blocked thread out of the queue it waits in:
// nothing is delivered to it afterwards, no timer fires for it, and no
// signal is lost to it.
USER_TEST(lifecycle_killed_receiver_leaves_the_receive_queue) {
  OwnedHandle endpoint, for_peer;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  ASSERT_OK(take(user::handle_duplicate(endpoint.get(), bm::abi::kRightRead | bm::abi::kRightGrant),
                 &for_peer));
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.send_command(peer::kCmdServeEcho, 0, 0, for_peer.get()));
  for_peer.release();  // moved to the peer
  user::Message ping;
  ping.label = 0x5001;
  user::Message reply;
  ASSERT_OK(user::call(endpoint.get(), ping, &reply));  // served: now it waits for the next
  ASSERT_OK(peer.kill());
  EXPECT_STATUS(user::send(endpoint.get(), ping, true), Status::kWouldBlock);
}

USER_TEST(lifecycle_killed_caller_leaves_the_send_queue) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.give(endpoint.get(), bm::abi::kRightWrite));
  ASSERT_OK(peer.send_command(peer::kCmdCall, 0x5002));
  (void)user::sleep(2);  // the peer's call now waits in the queue
  ASSERT_OK(peer.kill());
  user::Message message;
  EXPECT_STATUS(user::receive(endpoint.get(), &message, bm::abi::kDontWait), Status::kWouldBlock);
}

USER_TEST(lifecycle_killed_sleeper_leaves_the_timer_queue) {
  Peer peer;
  ASSERT_OK(peer.start());
  constexpr uint64_t kSleep = 20;
  ASSERT_OK(peer.send_command(peer::kCmdExit, 0, kSleep));  // sleeps, then would exit
  (void)user::sleep(2);
  ASSERT_OK(peer.kill());
  (void)user::sleep(kSleep + 10);  // past its wake-up time
  Peer other;                // the kernel still works
  ASSERT_OK(other.start());
  uint64_t result = 0;
  EXPECT_OK(other.run(peer::kSiteInt3, 0, &result));
}

USER_TEST(lifecycle_killed_waiter_leaves_the_notification) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(peer.give(notification.get(), bm::abi::kRightRead));
  ASSERT_OK(peer.send_command(peer::kCmdWait));
  (void)user::sleep(2);  // the peer now waits on the notification
  ASSERT_OK(peer.kill());
  EXPECT_OK(user::notification_signal(notification.get(), 0x9));
  uint64_t bits = 0;
  EXPECT_OK(take(user::notification_poll(notification.get()), &bits));
  EXPECT_EQ(bits, 0x9);  // no dead waiter took them
}

namespace {
void do_nothing(uint64_t) {}

volatile uint64_t frame_misalignment;
void record_frame_alignment(uint64_t) {
  frame_misalignment = reinterpret_cast<uint64_t>(__builtin_frame_address(0)) % 16;
}
}  // namespace

// A thread starts as if its entry had been called (System V ABI §3.2.2:
// rsp + 8 is 16-byte aligned at entry), so every frame below it is aligned
// and compiled code may use aligned SSE stores on the stack.
USER_TEST(lifecycle_new_thread_starts_with_an_aligned_stack) {
  frame_misalignment = ~0ull;
  HelperThread thread;
  ASSERT_OK(thread.start(record_frame_alignment, 0, kPeerPriority));
  ASSERT_TRUE(thread.join(ticks_for_ms(1000)));
  EXPECT_EQ(frame_misalignment, 0);
}

// A thread that ends gives back its kernel stack, user stack and IPC buffer.
USER_TEST(lifecycle_thread_exit_frees_its_stacks) {
  {
    HelperThread warm_up;
    ASSERT_OK(warm_up.start(do_nothing, 0, kPeerPriority));
    ASSERT_TRUE(warm_up.join(ticks_for_ms(1000)));
  }
  (void)user::sleep(2);  // the thread is reaped once the CPU left it
  Counts before = counts_now();
  constexpr uint32_t kThreads = 8;
  for (uint32_t i = 0; i < kThreads; ++i) {
    HelperThread thread;
    ASSERT_OK(thread.start(do_nothing, 0, kPeerPriority));
    ASSERT_TRUE(thread.join(ticks_for_ms(1000)));
  }
  (void)user::sleep(2);
  expect_same_counts(test_context, before);
}

// task_watch: the notification bit is signalled when the task ends (killed or by itself),
// and at once for a task that has already ended.
USER_TEST(lifecycle_task_watch_signals_when_the_task_ends) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  Peer peer;
  ASSERT_OK(peer.start());
  ASSERT_OK(user::task_watch(peer.task(), notification.get(), 5));
  uint64_t bits = 0;
  EXPECT_STATUS(take(user::notification_poll(notification.get()), &bits), Status::kOk);
  EXPECT_EQ(bits, 0u);  // alive: nothing yet
  ASSERT_OK(peer.send_command(peer::kCmdThreadExit));
  EXPECT_OK(take(user::notification_wait(notification.get(), ticks_for_ms(2000)), &bits));
  EXPECT_EQ(bits, 1ull << 5);
  EXPECT_STATUS(peer.wait_gone(), Status::kPeerGone);
  // Already gone: signalled at once.
  ASSERT_OK(user::task_watch(peer.task(), notification.get(), 9));
  EXPECT_OK(take(user::notification_poll(notification.get()), &bits));
  EXPECT_EQ(bits, 1ull << 9);
}

USER_TEST(lifecycle_task_watch_checks_its_arguments) {
  OwnedHandle notification, reader, endpoint;
  ASSERT_OK(take(user::notification_create(), &notification));
  ASSERT_OK(take(user::handle_duplicate(notification.get(), bm::abi::kRightRead), &reader));
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  Peer peer;
  ASSERT_OK(peer.start());
  EXPECT_STATUS(user::task_watch(peer.task(), notification.get(), 64), Status::kInvalidArgument);
  EXPECT_STATUS(user::task_watch(peer.task(), reader.get(), 0), Status::kNoRights);
  EXPECT_STATUS(user::task_watch(peer.task(), endpoint.get(), 0), Status::kWrongType);
  EXPECT_STATUS(user::task_watch(endpoint.get(), notification.get(), 0), Status::kWrongType);
  EXPECT_STATUS(user::task_watch(0x1234567, notification.get(), 0), Status::kInvalidHandle);
  for (uint64_t i = 0; i < 4; ++i) ASSERT_OK(user::task_watch(peer.task(), notification.get(), i));
  EXPECT_STATUS(user::task_watch(peer.task(), notification.get(), 4), Status::kNoSlots);
  ASSERT_OK(user::task_kill(peer.task()));
  uint64_t bits = 0;
  EXPECT_OK(take(user::notification_poll(notification.get()), &bits));
  EXPECT_EQ(bits, 0xfu);  // all four watchers were told
}

// task_status: 0 while the task runs; once it ended, its exit code, whether it exited
// (task_exit's code) or was killed (-1).
USER_TEST(lifecycle_task_status_reports_the_exit_code) {
  Peer exiting;
  ASSERT_OK(exiting.start());
  user::TaskStatus status{true, 99};
  ASSERT_OK(take(user::task_status(exiting.task()), &status));
  EXPECT_EQ(status.ended, false);
  EXPECT_EQ(status.exit_code, 0);
  ASSERT_OK(exiting.send_command(peer::kCmdExit, 42));
  EXPECT_STATUS(exiting.wait_gone(), Status::kPeerGone);
  ASSERT_OK(take(user::task_status(exiting.task()), &status));
  EXPECT_EQ(status.ended, true);
  EXPECT_EQ(status.exit_code, 42);

  Peer killed;
  ASSERT_OK(killed.start());
  ASSERT_OK(user::task_kill(killed.task()));
  ASSERT_OK(take(user::task_status(killed.task()), &status));
  EXPECT_EQ(status.ended, true);
  EXPECT_EQ(status.exit_code, -1);
}

USER_TEST(lifecycle_task_status_checks_its_arguments) {
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  Peer peer;
  ASSERT_OK(peer.start());
  OwnedHandle no_read;
  ASSERT_OK(take(user::handle_duplicate(peer.task(), bm::abi::kRightManage), &no_read));
  user::TaskStatus status{};
  EXPECT_STATUS(take(user::task_status(no_read.get()), &status), Status::kNoRights);
  EXPECT_STATUS(take(user::task_status(endpoint.get()), &status), Status::kWrongType);
  EXPECT_STATUS(take(user::task_status(0x1234567), &status), Status::kInvalidHandle);
  EXPECT_STATUS(user::raw_syscall(bm::abi::Syscall::task_status, peer.task() | (1ull << 32)).status,
                Status::kInvalidHandle);
}

// A watch whose notification nobody else holds any more (its watcher ended, as a restarted
// server's old instance) gives its slot to a new watch; one still held never does.
USER_TEST(lifecycle_task_watch_reuses_a_slot_nobody_can_hear) {
  OwnedHandle held, new_watcher;
  ASSERT_OK(take(user::notification_create(), &held));
  ASSERT_OK(take(user::notification_create(), &new_watcher));
  Peer peer;
  ASSERT_OK(peer.start());
  for (uint64_t i = 0; i < 3; ++i) ASSERT_OK(user::task_watch(peer.task(), held.get(), i));
  {
    OwnedHandle dropped;
    ASSERT_OK(take(user::notification_create(), &dropped));
    ASSERT_OK(user::task_watch(peer.task(), dropped.get(), 3));
    EXPECT_STATUS(user::task_watch(peer.task(), new_watcher.get(), 7), Status::kNoSlots);
  }  // `dropped` closed: only its watch still holds that notification
  EXPECT_OK(user::task_watch(peer.task(), new_watcher.get(), 7));
  EXPECT_STATUS(user::task_watch(peer.task(), held.get(), 4), Status::kNoSlots);
  ASSERT_OK(user::task_kill(peer.task()));
  uint64_t bits = 0;
  EXPECT_OK(take(user::notification_poll(held.get()), &bits));
  EXPECT_EQ(bits, 0x7u);
  EXPECT_OK(take(user::notification_poll(new_watcher.get()), &bits));
  EXPECT_EQ(bits, 1ull << 7);
}
