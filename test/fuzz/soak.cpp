// soak: IPC round trips with the echo server (another task) in a long loop,
// then a check that the kernel gave back everything the loop used: free
// frames, kernel heap bytes and blocks, tasks and threads all back at their
// baseline. Manifest args: trips=N (default 100000).
//
// Most trips are 4-word calls (the fast path); every 16th carries 512 words
// (the IPC-buffer copy), every 64th a fresh notification handle that echo
// sends back (handle transfer both ways, object create and destroy).
// Ends with "SOAK PASS ..." and isa-debug-exit 0x10, or "SOAK FAIL ..." and 0x11.
#include <stdint.h>

#include "ipc/bootstrap.h"
#include "lib/abi/message.h"
#include "lib/abi/system_info.h"
#include "lib/core/qemu_debug_exit.h"
#include "user/ipc.h"
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
constexpr auto kExitSuccess = static_cast<uint8_t>(bm::qemu::ExitCode::kSuccess);
constexpr auto kExitFailure = static_cast<uint8_t>(bm::qemu::ExitCode::kFailure);
constexpr uint64_t kWarmUpTrips = 1000;  // lets lazily made kernel state exist before the baseline
constexpr uint64_t kLongEvery = 16;
constexpr uint64_t kHandleEvery = 64;
constexpr uint64_t kProgressEvery = 100000;

struct Figures {
  uint64_t free_frames, heap_bytes, heap_blocks, tasks, threads;
};

Figures figures() {
  return {user::system_value(SystemInfo::kFreeFrames),
          user::system_value(SystemInfo::kHeapBytesInUse),
          user::system_value(SystemInfo::kHeapBlocksInUse),
          user::system_value(SystemInfo::kTaskCount), user::system_value(SystemInfo::kThreadCount)};
}

uint64_t read_trips(Handle bootstrap) {
  uint64_t trips = 100000;
  char arguments[bm::ipc::kMaxArgumentsLength + 1] = {};
  if (user::get_arguments(bootstrap, arguments, sizeof(arguments)) != ProtocolStatus::kOk)
    return trips;
  user::for_each_argument(arguments, [&](const char* word, size_t length) {
    size_t value_length = 0;
    if (const char* v = user::argument_value(word, length, "trips=", &value_length)) {
      trips = 0;
      for (size_t i = 0; i < value_length && v[i] >= '0' && v[i] <= '9'; ++i) {
        trips = trips * 10 + static_cast<uint64_t>(v[i] - '0');
      }
    }
  });
  return trips;
}

// One round trip; false (with a line saying why) if echo's answer is wrong.
bool round_trip(Handle echo, uint64_t trip) {
  user::Message request;
  request.label = static_cast<uint32_t>(trip);
  request.words = trip % kLongEvery == 0 ? bm::abi::kMaxMessageWords : 4;
  for (uint64_t i = 0; i < 4; ++i) request.word[i] = trip * 4 + i;
  bm::abi::IpcBuffer* buffer = user::ipc_buffer();
  if (request.words > 4) buffer->words[bm::abi::kMaxMessageWords - 5] = ~trip;
  if (trip % kHandleEvery == 0) {
    auto notification = raw_syscall(Syscall::notification_create);
    if (notification.status != Status::kOk) {
      user::printf("SOAK FAIL trip %lu: notification_create: %s\n", trip,
                   bm::abi::status_text(notification.status));
      return false;
    }
    request.has_handle = true;
    request.handle = static_cast<Handle>(notification.rdi);
  }
  user::Message reply;
  Status status = user::call(echo, request, &reply);
  if (status != Status::kOk) {
    user::printf("SOAK FAIL trip %lu: call: %s\n", trip, bm::abi::status_text(status));
    return false;
  }
  bool ok = reply.label == request.label && reply.words == request.words &&
            reply.word[3] == trip * 4 + 3 && reply.has_handle == request.has_handle &&
            (request.words == 4 || buffer->words[bm::abi::kMaxMessageWords - 5] == ~trip);
  if (reply.has_handle) (void)raw_syscall(Syscall::handle_close, reply.handle);
  if (!ok) user::printf("SOAK FAIL trip %lu: echo's answer differs from the request\n", trip);
  return ok;
}

}  // namespace

int main(uint64_t bootstrap_argument) {
  Handle bootstrap = static_cast<Handle>(bootstrap_argument);
  uint64_t trips = read_trips(bootstrap);
  Handle exit_port = 0;
  for (uint64_t index = 0; index < 8; ++index) {
    user::Grant grant;
    if (user::get_grant(bootstrap, index, &grant) != ProtocolStatus::kOk) break;
    if (grant.kind == bm::ipc::GrantKind::kIoPorts && grant.detail == kExitPort)
      exit_port = grant.handle;
  }
  Handle echo = 0;
  if (exit_port == 0 ||
      user::lookup_service(bootstrap, "echo", 2000, &echo) != ProtocolStatus::kOk) {
    user::printf("SOAK FAIL set-up: exit port %s, echo %s\n", exit_port ? "yes" : "no",
                 echo ? "yes" : "no");
    if (exit_port != 0) user::out8(kExitPort, kExitFailure);
    return 1;
  }
  bool ok = true;
  for (uint64_t trip = 1; trip <= kWarmUpTrips && ok; ++trip) ok = round_trip(echo, trip);
  const Figures before = figures();
  uint64_t start = user::system_value(SystemInfo::kTicks);
  user::printf("SOAK START trips=%lu\n", trips);
  for (uint64_t trip = 1; trip <= trips && ok; ++trip) {
    ok = round_trip(echo, trip);
    if (trip % kProgressEvery == 0) user::printf("SOAK progress %lu\n", trip);
  }
  const Figures after = figures();
  uint64_t ticks = user::system_value(SystemInfo::kTicks) - start;
  user::printf(
      "SOAK figures: free frames %lu -> %lu, kernel heap bytes %lu -> %lu, blocks %lu -> %lu, "
      "tasks %lu -> %lu, threads %lu -> %lu\n",
      before.free_frames, after.free_frames, before.heap_bytes, after.heap_bytes,
      before.heap_blocks, after.heap_blocks, before.tasks, after.tasks, before.threads,
      after.threads);
  if (ok && (after.free_frames != before.free_frames || after.heap_bytes != before.heap_bytes ||
             after.heap_blocks != before.heap_blocks || after.tasks != before.tasks ||
             after.threads != before.threads)) {
    user::printf("SOAK FAIL the figures did not return to their baseline\n");
    ok = false;
  }
  if (ok) user::printf("SOAK PASS trips=%lu ticks=%lu\n", trips, ticks);
  user::out8(kExitPort, ok ? kExitSuccess : kExitFailure);
  return ok ? 0 : 1;
}
