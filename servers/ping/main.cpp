// ping: a client of echo. It finds echo through init's name service, makes
// round trips with short and long messages, checks every word, reports, and
// exits: a boot shows two ring-3 tasks talking through the kernel.
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

bool long_round_trip(user::Handle echo) {
  bm::abi::IpcBuffer* buffer = user::ipc_buffer();
  user::Message request;
  request.label = kLabel;
  request.words = bm::abi::kMaxMessageWords;
  for (uint32_t i = bm::abi::kRegisterWords; i < bm::abi::kMaxMessageWords; ++i) {
    buffer->words[i - bm::abi::kRegisterWords] = 0x1000 + i;
  }
  user::Message reply;
  if (user::call(echo, request, &reply) != user::Status::kOk) return false;
  if (reply.words != bm::abi::kMaxMessageWords) return false;
  for (uint32_t i = bm::abi::kRegisterWords; i < bm::abi::kMaxMessageWords; ++i) {
    if (buffer->words[i - bm::abi::kRegisterWords] != 0x1000 + i) return false;
  }
  return true;
}

}  // namespace

int main(uint64_t bootstrap) {
  user::Handle echo = 0;
  user::Status found =
      user::lookup_service(static_cast<user::Handle>(bootstrap), "echo", 1000, &echo);
  if (found != user::Status::kOk) {
    user::printf("ping: no echo service: %s\n", bm::abi::status_text(found));
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
                           &console.handle) == user::Status::kOk) {
    user::console_write(&console, line, length < sizeof(line) ? length : sizeof(line) - 1);
  }
  return good == kRoundTrips && long_ok ? 0 : 1;
}
