// ping: a client of echo. It finds echo through init's name service, makes
// round trips with short and long messages, checks every word, reports, and
// exits: a boot shows two ring-3 tasks talking through the kernel.
#include "ipc/echo.h"
#include "lib/abi/message.h"
#include "lib/fmt/format.h"
#include "user/console_client.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/services.h"

namespace {

constexpr int kRoundTrips = 100;
constexpr uint32_t kLabel = 0x70696e67;  // "ping"

bool short_round_trip(user::Handle echo, uint64_t seed) {
  user::Message request;
  request.label = kLabel;
  request.words = 4;
  for (int i = 0; i < 4; ++i) request.word[i] = seed * 4 + static_cast<uint64_t>(i);
  user::Message reply;
  if (user::call(echo, request, &reply) != user::Status::kOk) return false;
  if (reply.label != kLabel || reply.words != 4) return false;
  for (int i = 0; i < 4; ++i) {
    if (reply.word[i] != request.word[i]) return false;
  }
  return true;
}

// A message of the largest size, answered by echo in reverse order and
// checked against a copy of what was sent: request and reply share this
// thread's IPC buffer, so comparing the buffer with itself could not fail.
bool long_round_trip(user::Handle echo) {
  using bm::abi::kMaxMessageWords;
  static uint64_t sent[kMaxMessageWords];
  user::Message request;
  request.label = bm::ipc::echo::kReverseLabel;
  request.words = kMaxMessageWords;
  for (uint32_t i = 0; i < kMaxMessageWords; ++i) {
    sent[i] = 0x5eed'0000'0000ull + i * 0x9e37ull;
    user::set_message_word(&request, i, sent[i]);
  }
  user::Message reply;
  if (user::call(echo, request, &reply) != user::Status::kOk) return false;
  if (reply.label != request.label || reply.words != kMaxMessageWords) return false;
  for (uint32_t i = 0; i < kMaxMessageWords; ++i) {
    if (user::message_word(reply, i) != sent[kMaxMessageWords - 1 - i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(uint64_t bootstrap) {
  user::Handle echo = 0;
  user::ProtocolStatus found = user::lookup_service(static_cast<user::Handle>(bootstrap),
                                                    bm::ipc::echo::kServiceName, 1000, &echo);
  if (found != user::ProtocolStatus::kOk) {
    user::printf("ping: no echo service: %s\n", bm::ipc::protocol_status_text(found));
    return 1;
  }
  int good = 0;
  for (int i = 0; i < kRoundTrips; ++i) good += short_round_trip(echo, i) ? 1 : 0;
  bool long_ok = long_round_trip(echo);
  char line[120];
  size_t length = bm::snprintf(line, sizeof(line),
                               "ping: %d of %d round trips to echo correct; 512-word message %s\n",
                               good, kRoundTrips, long_ok ? "correct" : "WRONG");
  user::printf("%s", line);
  // Also on the screen, through whichever server answers "console".
  bm::ipc::ServiceConnection console{"console"};
  if (user::lookup_service(static_cast<user::Handle>(bootstrap), console.name, 200,
                           &console.handle) == user::ProtocolStatus::kOk) {
    user::console_write(&console, line, length < sizeof(line) ? length : sizeof(line) - 1);
  }
  return good == kRoundTrips && long_ok ? 0 : 1;
}
