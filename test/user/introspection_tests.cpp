// What a shell's ps, dmesg, mem, kill, halt and grants rely on: thread_list,
// log_read, system_power's capability, the kernel heap figures of
// system_info, and init's supervisor protocol (the suite's manifest line
// says control=yes). power(halt/reboot) itself is never sent: it would end
// the run.
#include "ipc/kernel_status.h"
#include "ipc/supervisor.h"
#include "lib/abi/heap_strategy.h"
#include "lib/abi/power.h"
#include "lib/abi/thread_record.h"
#include "lib/fmt/format.h"
#include "lib/fmt/string.h"
#include "test/user/helper_thread.h"
#include "test/user/suite.h"
#include "test/user/user_test.h"
#include "user/print.h"
#include "user/program_loader.h"
#include "user/supervisor_client.h"
#include "user/syscalls.h"

namespace {

using namespace user_tests;
using bm::abi::PowerAction;
using bm::abi::SystemInfo;
using bm::abi::ThreadRecord;
using bm::abi::ThreadRunState;
using bm::ipc::ProtocolStatus;
using user::raw_syscall;

// Every live thread, read page by page with first_index. Global: too big
// for a helper's stack, and only the suite's main thread uses it.
constexpr uint64_t kMaxThreads = 256;
struct ThreadSnapshot {
  ThreadRecord records[kMaxThreads];
  uint64_t count;
  uint64_t total;  // as the last call reported it
};
ThreadSnapshot snapshot;

Status take_snapshot() {
  snapshot.count = 0;
  snapshot.total = 0;
  for (;;) {
    auto page = user::thread_list(snapshot.count);
    if (!page.ok()) return page.error();
    snapshot.total = page->total;
    const uint64_t written = page->written;
    const auto* records = reinterpret_cast<const ThreadRecord*>(user::ipc_buffer());
    for (uint64_t i = 0; i < written && snapshot.count < kMaxThreads; ++i) {
      snapshot.records[snapshot.count++] = records[i];
    }
    if (written == 0 || snapshot.count >= snapshot.total || snapshot.count == kMaxThreads) {
      return Status::kOk;
    }
  }
}

const ThreadRecord* find_thread(uint64_t task_id, uint64_t thread_id) {
  for (uint64_t i = 0; i < snapshot.count; ++i) {
    const ThreadRecord& record = snapshot.records[i];
    if (record.task_id == task_id && record.thread_id == thread_id) return &record;
  }
  return nullptr;
}

const ThreadRecord* find_task_named(const char* name) {
  for (uint64_t i = 0; i < snapshot.count; ++i) {
    if (bm::string_equal(snapshot.records[i].task_name, name)) return &snapshot.records[i];
  }
  return nullptr;
}

uint64_t own_task() { return user::system_value(SystemInfo::kCurrentTask); }
uint64_t own_thread() { return user::system_value(SystemInfo::kCurrentThread); }

// --- thread_list --------------------------------------------------------

USER_TEST(introspection_thread_list_finds_the_calling_thread) {
  ASSERT_OK(take_snapshot());
  EXPECT_EQ(snapshot.count, snapshot.total);
  // Every live thread but the idle thread, which belongs to no task.
  EXPECT_LE(snapshot.total, user::thread_count());
  const ThreadRecord* self = find_thread(own_task(), own_thread());
  ASSERT_TRUE(self != nullptr);
  EXPECT_TRUE(bm::string_equal(self->task_name, "user_tests"));
  EXPECT_EQ(self->priority, kSuitePriority);
  EXPECT_EQ(static_cast<uint32_t>(self->state), static_cast<uint32_t>(ThreadRunState::kRunning));
  EXPECT_GT(self->user_ticks, 0);
  // Names are NUL-padded to the end of the field.
  for (size_t i = sizeof("user_tests") - 1; i < sizeof(self->task_name); ++i) {
    EXPECT_EQ(self->task_name[i], 0);
  }
  // Only the caller can be running, and the order is (task id, thread id).
  for (uint64_t i = 0; i < snapshot.count; ++i) {
    const ThreadRecord& record = snapshot.records[i];
    if (&record != self) EXPECT_NE(static_cast<uint32_t>(record.state), 0u);
    if (i == 0) continue;
    const ThreadRecord& before = snapshot.records[i - 1];
    EXPECT_TRUE(before.task_id < record.task_id ||
                (before.task_id == record.task_id && before.thread_id < record.thread_id));
  }
}

USER_TEST(introspection_thread_list_pages_with_first_index) {
  ASSERT_OK(take_snapshot());
  ASSERT_GT(snapshot.total, 1);
  uint64_t total = snapshot.total;
  user::ThreadListPage page{};
  // From index 1: the same records, one later.
  ASSERT_OK(take(user::thread_list(1), &page));
  EXPECT_EQ(page.total, total);
  ASSERT_EQ(page.written, total - 1 < bm::abi::kThreadRecordsPerCall
                              ? total - 1
                              : bm::abi::kThreadRecordsPerCall);
  const auto* records = reinterpret_cast<const ThreadRecord*>(user::ipc_buffer());
  for (uint64_t i = 0; i < page.written; ++i) {
    EXPECT_EQ(records[i].task_id, snapshot.records[i + 1].task_id);
    EXPECT_EQ(records[i].thread_id, snapshot.records[i + 1].thread_id);
  }
  // The last one alone.
  ASSERT_OK(take(user::thread_list(total - 1), &page));
  EXPECT_EQ(page.written, 1);
  EXPECT_EQ(records[0].thread_id, snapshot.records[total - 1].thread_id);
  // Past the end: nothing written, and the total still tells how many exist.
  const uint64_t past_end[] = {total, total + 1, uint64_t{1} << 40, ~uint64_t{0}};
  for (uint64_t first : past_end) {
    page.written = 99;
    ASSERT_OK(take(user::thread_list(first), &page));
    EXPECT_EQ(page.written, 0);
    EXPECT_EQ(page.total, total);
  }
}

// Blocked helpers say why they wait.
Handle blocked_notification;
volatile uint64_t waiting_thread_id;
volatile uint64_t sleeping_thread_id;

void wait_for_notification(uint64_t) {
  waiting_thread_id = own_thread();
  uint64_t bits = 0;
  (void)take(user::notification_wait(blocked_notification, bm::abi::kWaitForever), &bits);
}

void sleep_a_while(uint64_t ticks) {
  sleeping_thread_id = own_thread();
  (void)user::sleep(ticks);
}

// Takes snapshots until `thread_id` of this task shows `state` (the helper
// runs below the suite, so it blocks only once the suite sleeps).
const ThreadRecord* wait_for_state(volatile uint64_t* thread_id, ThreadRunState state) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    if (*thread_id != 0 && take_snapshot() == Status::kOk) {
      const ThreadRecord* record = find_thread(own_task(), *thread_id);
      if (record != nullptr && record->state == state) return record;
    }
    (void)user::sleep(1);
  }
  return nullptr;
}

USER_TEST(introspection_thread_list_shows_blocked_helpers) {
  OwnedHandle notification;
  ASSERT_OK(take(user::notification_create(), &notification));
  blocked_notification = notification.get();
  waiting_thread_id = 0;
  sleeping_thread_id = 0;
  HelperThread waiter;
  HelperThread sleeper;
  ASSERT_OK(waiter.start(wait_for_notification, 0, kPeerPriority));
  ASSERT_OK(sleeper.start(sleep_a_while, ticks_for_ms(200), kPeerPriority - 1));

  const ThreadRecord* waiting =
      wait_for_state(&waiting_thread_id, ThreadRunState::kWaitingNotification);
  EXPECT_TRUE(waiting != nullptr);
  if (waiting != nullptr) {
    EXPECT_EQ(waiting->priority, kPeerPriority);
    EXPECT_TRUE(bm::string_equal(waiting->task_name, "user_tests"));
  }
  const ThreadRecord* sleeping = wait_for_state(&sleeping_thread_id, ThreadRunState::kSleeping);
  EXPECT_TRUE(sleeping != nullptr);
  if (sleeping != nullptr) EXPECT_EQ(sleeping->priority, kPeerPriority - 1);

  // init waits for requests on its endpoint. (No ASSERT until the waiter
  // is released: it would stay blocked for good.)
  EXPECT_OK(take_snapshot());
  const ThreadRecord* init = find_task_named("init");
  EXPECT_TRUE(init != nullptr);
  if (init != nullptr) {
    EXPECT_EQ(static_cast<uint32_t>(init->state),
              static_cast<uint32_t>(ThreadRunState::kBlockedReceive));
    EXPECT_EQ(init->priority, 16);
  }

  EXPECT_OK(user::notification_signal(notification.get(), 1));
  EXPECT_TRUE(waiter.join(ticks_for_ms(1000)));
  EXPECT_TRUE(sleeper.join(ticks_for_ms(2000)));
}

USER_TEST(introspection_task_create_reports_the_task_id) {
  const Environment& env = environment();
  ASSERT_TRUE(env.peer_image != 0);
  static const char kName[] = "introspect_peer";
  // No bootstrap handle and a lower priority: it never runs before the kill.
  auto created = user::load_program({.image = env.peer_image,
                                     .image_bytes = env.peer_image_bytes,
                                     .name = kName,
                                     .name_length = sizeof(kName) - 1,
                                     .priority = kPeerPriority});
  ASSERT_EQ(created.error(), bm::ipc::ProtocolStatus::kOk);
  OwnedHandle task = bm::move(created->task);
  uint64_t task_id = created->id;
  EXPECT_GT(task_id, own_task());
  Status listed = take_snapshot();
  EXPECT_OK(user::task_kill(task.get()));
  ASSERT_OK(listed);
  const ThreadRecord* record = find_task_named(kName);
  ASSERT_TRUE(record != nullptr);
  EXPECT_EQ(record->task_id, task_id);
  EXPECT_EQ(record->priority, kPeerPriority);
  EXPECT_EQ(static_cast<uint32_t>(record->state), static_cast<uint32_t>(ThreadRunState::kReady));
  EXPECT_EQ(record->user_ticks, 0);
}

// --- log_read -----------------------------------------------------------

// The position after the last byte logged so far.
Status log_end(uint64_t* end) {
  uint64_t position = 0;
  for (int reads = 0; reads < 64; ++reads) {
    user::LogChunk chunk{};
    Status status = take(user::log_read(position), &chunk);
    if (status != Status::kOk) return status;
    if (chunk.copied == 0) {
      *end = chunk.next;
      return Status::kOk;
    }
    position = chunk.next;
  }
  return Status::kTimedOut;
}

bool contains(const char* text, size_t length, const char* needle) {
  size_t needle_length = 0;
  while (needle[needle_length] != '\0') ++needle_length;
  for (size_t at = 0; at + needle_length <= length; ++at) {
    size_t i = 0;
    while (i < needle_length && text[at + i] == needle[i]) ++i;
    if (i == needle_length) return true;
  }
  return false;
}

char log_text[8192];

USER_TEST(introspection_log_read_finds_a_printed_line) {
  uint64_t start = 0;
  ASSERT_OK(log_end(&start));
  char marker[64];
  bm::snprintf(marker, sizeof(marker), "introspection marker %lu.%lu", user::ticks(), start);
  user::printf("  %s\n", marker);

  size_t length = 0;
  uint64_t position = start;
  for (int reads = 0; reads < 8; ++reads) {
    user::LogChunk chunk{};
    ASSERT_OK(take(user::log_read(position), &chunk));
    EXPECT_LE(chunk.oldest, position);  // nothing lost since `start`
    EXPECT_LE(chunk.copied, bm::abi::kMaxLogRead);
    EXPECT_EQ(chunk.next, position + chunk.copied);
    if (chunk.copied == 0) break;
    const char* bytes = reinterpret_cast<const char*>(user::ipc_buffer());
    for (uint64_t i = 0; i < chunk.copied && length < sizeof(log_text); ++i)
      log_text[length++] = bytes[i];
    position = chunk.next;
  }
  EXPECT_TRUE(contains(log_text, length, marker));
}

USER_TEST(introspection_log_read_refuses_the_future) {
  uint64_t end = 0;
  ASSERT_OK(log_end(&end));
  // The end itself is fine: nothing to copy yet.
  user::LogChunk chunk{1, 0, 0};
  ASSERT_OK(take(user::log_read(end), &chunk));
  EXPECT_EQ(chunk.copied, 0);
  EXPECT_EQ(chunk.next, end);
  const uint64_t futures[] = {end + 1, end + 4096, ~uint64_t{0}};
  for (uint64_t future : futures) {
    user::SyscallResult result = raw_syscall(bm::abi::Syscall::log_read, future);
    EXPECT_STATUS(result.status, Status::kInvalidArgument);
    EXPECT_EQ(result.rdi, future);  // result registers untouched on failure
    EXPECT_EQ(result.rsi, 0);
    EXPECT_EQ(result.rdx, 0);
  }
}

USER_TEST(introspection_log_read_clamps_an_overwritten_position) {
  user::LogChunk chunk{};
  ASSERT_OK(take(user::log_read(0), &chunk));
  // Make sure the 16 KiB ring has wrapped (usually it has by now).
  static const char kPadding[] =
      "  introspection: padding the kernel log until its ring wraps ...................\n";
  for (int line = 0; chunk.oldest == 0 && line < 400; ++line) {
    EXPECT_OK(user::debug_write(kPadding, sizeof(kPadding) - 1));
    ASSERT_OK(take(user::log_read(0), &chunk));
  }
  ASSERT_GT(chunk.oldest, 0);
  // Position 0 was overwritten: the copy starts at the oldest byte still held.
  ASSERT_OK(take(user::log_read(0), &chunk));
  EXPECT_GT(chunk.oldest, 0);
  EXPECT_EQ(chunk.copied, bm::abi::kMaxLogRead);  // a full ring holds more than one read
  EXPECT_EQ(chunk.next, chunk.oldest + chunk.copied);
  // The same bytes as asking for the oldest position directly.
  static char first[bm::abi::kMaxLogRead];
  const char* bytes = reinterpret_cast<const char*>(user::ipc_buffer());
  for (uint64_t i = 0; i < chunk.copied; ++i) first[i] = bytes[i];
  user::LogChunk again{};
  ASSERT_OK(take(user::log_read(chunk.oldest), &again));
  EXPECT_EQ(again.oldest, chunk.oldest);
  ASSERT_EQ(again.copied, chunk.copied);
  uint64_t differing = 0;
  for (uint64_t i = 0; i < chunk.copied; ++i) differing += first[i] != bytes[i] ? 1 : 0;
  EXPECT_EQ(differing, 0);
}

// --- system_power and system_info ----------------------------------------

USER_TEST(introspection_system_power_needs_the_power_control_handle) {
  // Only init holds a power control handle, and cannot pass it on. The
  // handle check comes first, so even an unknown action fails on the handle
  // here: only init could see kInvalidArgument (the supervisor case below).
  OwnedHandle endpoint, closed;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  ASSERT_OK(take(user::endpoint_create(), &closed));
  const uint64_t stale = closed.get();
  closed.reset();
  const uint64_t actions[] = {static_cast<uint64_t>(PowerAction::kHalt),
                              static_cast<uint64_t>(PowerAction::kReboot), 2, ~uint64_t{0}};
  for (uint64_t action : actions) {
    EXPECT_STATUS(raw_syscall(bm::abi::Syscall::system_power, 0, action).status,
                  Status::kInvalidHandle);
    EXPECT_STATUS(raw_syscall(bm::abi::Syscall::system_power, stale, action).status,
                  Status::kInvalidHandle);
    EXPECT_STATUS(raw_syscall(bm::abi::Syscall::system_power, ~uint64_t{0}, action).status,
                  Status::kInvalidHandle);
    EXPECT_STATUS(
        raw_syscall(bm::abi::Syscall::system_power, (1ull << 32) | endpoint.get(), action).status,
        Status::kInvalidHandle);
    EXPECT_STATUS(raw_syscall(bm::abi::Syscall::system_power, endpoint.get(), action).status,
                  Status::kWrongType);
  }
  EXPECT_STATUS(user::system_power(endpoint.get(), PowerAction::kHalt), Status::kWrongType);
}

struct HeapFigures {
  uint64_t strategy, capacity, in_use, peak, free, blocks, allocations;
};
HeapFigures heap_figures() {
  return {user::system_value(SystemInfo::kHeapStrategy),
          user::system_value(SystemInfo::kHeapCapacity),
          user::system_value(SystemInfo::kHeapBytesInUse),
          user::system_value(SystemInfo::kHeapPeakBytes),
          user::system_value(SystemInfo::kHeapFreeBytes),
          user::system_value(SystemInfo::kHeapBlocksInUse),
          user::system_value(SystemInfo::kHeapAllocations)};
}

USER_TEST(introspection_system_info_reports_the_kernel_heap) {
  HeapFigures before = heap_figures();
  user::printf(
      "  kernel heap: strategy %lu, %lu of %lu bytes in use (peak %lu, %lu free), "
      "%lu blocks, %lu allocations\n",
      before.strategy, before.in_use, before.capacity, before.peak, before.free, before.blocks,
      before.allocations);
  EXPECT_TRUE(bm::abi::is_heap_strategy(before.strategy));
  EXPECT_GT(before.capacity, 0);
  EXPECT_GT(before.in_use, 0);
  EXPECT_LE(before.in_use, before.peak);
  EXPECT_LE(before.peak, before.capacity);
  EXPECT_LE(before.in_use + before.free, before.capacity);
  EXPECT_GT(before.blocks, 0);
  EXPECT_GE(before.allocations, before.blocks);

  // A new endpoint is a kernel allocation; closing it gives it back.
  OwnedHandle endpoint;
  ASSERT_OK(take(user::endpoint_create(), &endpoint));
  HeapFigures with = heap_figures();
  EXPECT_GT(with.allocations, before.allocations);
  EXPECT_GT(with.blocks, before.blocks);
  EXPECT_GT(with.in_use, before.in_use);
  EXPECT_GE(with.peak, with.in_use);
  endpoint.reset();
  HeapFigures after = heap_figures();
  EXPECT_EQ(after.blocks, before.blocks);
  EXPECT_EQ(after.in_use, before.in_use);
  EXPECT_EQ(after.strategy, before.strategy);

  // The first item past the list (kIpcFastPathDeclined, 22, is the last one).
  EXPECT_STATUS(raw_syscall(bm::abi::Syscall::system_info, 23).status, Status::kInvalidArgument);
}

// --- init's supervisor protocol -----------------------------------------

USER_TEST(introspection_supervisor_lists_the_suite_itself) {
  const Environment& env = environment();
  bm::ipc::ServerEntry entry{};
  ASSERT_EQ(user::list_server(env.bootstrap, 0, &entry), ProtocolStatus::kOk);
  EXPECT_TRUE(bm::string_equal(entry.module, "user_tests"));
  EXPECT_EQ(entry.task_id, own_task());
  EXPECT_EQ(entry.flags, bm::ipc::kServerRunning | bm::ipc::kServerControl);
  EXPECT_EQ(entry.priority, kSuitePriority);
  EXPECT_EQ(entry.restarts, 0);
  // Exactly what the manifest line grants, in kGetGrant's order:
  // ports=0xf4:1,0x80:1,0x3f8:8 irqs=4 modules=user_test_peer,hello,sleep,fault pool=4.
  ASSERT_EQ(entry.grant_count, 9);
  struct Expected {
    bm::ipc::GrantKind kind;
    uint64_t detail, count;
  } const expected[] = {
      {bm::ipc::GrantKind::kIoPorts, kExitPort, 1},
      {bm::ipc::GrantKind::kIoPorts, kPostPort, 1},
      {bm::ipc::GrantKind::kIoPorts, kCom1Base, 8},
      {bm::ipc::GrantKind::kIrq, kCom1Irq, 1},
      {bm::ipc::GrantKind::kModule, env.peer_image_bytes, env.peer_image_bytes},
      {bm::ipc::GrantKind::kModule, env.programs[kHelloProgram].bytes,
       env.programs[kHelloProgram].bytes},
      {bm::ipc::GrantKind::kModule, env.programs[kSleepProgram].bytes,
       env.programs[kSleepProgram].bytes},
      {bm::ipc::GrantKind::kModule, env.programs[kFaultProgram].bytes,
       env.programs[kFaultProgram].bytes},
      {bm::ipc::GrantKind::kMemoryPool, kPoolPages, kPoolPages},
  };
  for (uint32_t i = 0; i < 9; ++i) {
    EXPECT_EQ(static_cast<uint64_t>(entry.grants[i].kind), static_cast<uint64_t>(expected[i].kind));
    EXPECT_EQ(entry.grants[i].detail, expected[i].detail);
    EXPECT_EQ(entry.grants[i].count, expected[i].count);
  }
  // The manifest's other server: the program sleep, running without grants or a name until
  // startup_tests.cpp stops it; then no more.
  ASSERT_EQ(user::list_server(env.bootstrap, 1, &entry), ProtocolStatus::kOk);
  EXPECT_TRUE(bm::string_equal(entry.module, "sleep"));
  EXPECT_EQ(entry.flags, bm::ipc::kServerRunning);
  EXPECT_EQ(entry.priority, 2);
  EXPECT_EQ(entry.grant_count, 0);
  EXPECT_EQ(user::list_server(env.bootstrap, 2, &entry), ProtocolStatus::kBadValue);
  EXPECT_EQ(user::list_server(env.bootstrap, ~uint64_t{0}, &entry), ProtocolStatus::kBadValue);
}

USER_TEST(introspection_supervisor_kill_refuses_unknown_ids_and_init) {
  const Environment& env = environment();
  EXPECT_EQ(user::kill_server(env.bootstrap, 0), ProtocolStatus::kNotFound);
  EXPECT_EQ(user::kill_server(env.bootstrap, 0xdeadbeef), ProtocolStatus::kNotFound);
  EXPECT_EQ(user::kill_server(env.bootstrap, ~uint64_t{0}), ProtocolStatus::kNotFound);
  ASSERT_OK(take_snapshot());
  const ThreadRecord* init = find_task_named("init");
  ASSERT_TRUE(init != nullptr);
  EXPECT_EQ(user::kill_server(env.bootstrap, init->task_id), ProtocolStatus::kNoRights);
  // init is still there.
  ASSERT_OK(take_snapshot());
  EXPECT_TRUE(find_task_named("init") != nullptr);
}

// A raw supervisor request with `words` words (word 0 = `argument`).
ProtocolStatus supervisor_request(uint32_t label, uint32_t words, uint64_t argument) {
  user::Message request;
  request.label = label;
  request.words = words;
  request.word[0] = argument;
  user::Message reply;
  Status status = user::call(environment().bootstrap, request, &reply);
  if (status != Status::kOk) return bm::ipc::from_kernel(status);
  return static_cast<ProtocolStatus>(reply.word[0]);
}

USER_TEST(introspection_supervisor_rejects_wrong_word_counts) {
  // Power requests carry an unknown action, so even a broken check could
  // not halt the run.
  const uint32_t labels[] = {bm::ipc::kListServers, bm::ipc::kKillServer, bm::ipc::kPower};
  const uint32_t word_counts[] = {0, 2, 4, 9};
  for (uint32_t label : labels) {
    for (uint32_t words : word_counts) {
      EXPECT_EQ(supervisor_request(label, words, 99), ProtocolStatus::kBadValue);
    }
  }
  // And the server list is unchanged.
  bm::ipc::ServerEntry entry{};
  EXPECT_EQ(user::list_server(environment().bootstrap, 0, &entry), ProtocolStatus::kOk);
  EXPECT_EQ(entry.task_id, own_task());
}

USER_TEST(introspection_supervisor_power_passes_the_kernels_answer) {
  // init asks the kernel, which refuses an unknown action.
  EXPECT_EQ(user::request_power(environment().bootstrap, static_cast<PowerAction>(99)),
            ProtocolStatus::kBadValue);
}

}  // namespace
