// stall: a test server that stops answering, to check that init's heartbeats find a hung
// driver (test/e2e/supervise_tests.py). It serves an empty protocol on the generic loop, so
// heartbeats are answered, until its args word `hang=MS` comes due: then a helper thread
// sends it a request whose handler blocks for ever, and its loop never turns again.
#include "ipc/protocol.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/protocol_server.h"
#include "user/services.h"
#include "user/syscalls.h"
#include "user/thread.h"

namespace {

constexpr uint32_t kHangLabel = 0x1;  // this server's only request
uint64_t hang_after_ms = 0;
user::Handle service = 0;

void serve_one(const bm::ipc::WireMessage& request, uint64_t, bm::ipc::WireMessage* reply) {
  if (request.label == kHangLabel) {
    user::printf("stall: hanging in my request loop\n");
    auto never = user::notification_create();
    for (;;) (void)user::notification_wait(never.ok() ? never->get() : 0, bm::abi::kWaitForever);
  }
  bm::ipc::encode_status_reply(request.label, bm::ipc::ProtocolStatus::kUnknownLabel, reply);
}

void hang_later(uint64_t) {
  uint64_t hz = user::system_value(bm::abi::SystemInfo::kTimerHz);
  (void)user::sleep(hang_after_ms * hz / 1000 == 0 ? 1 : hang_after_ms * hz / 1000);
  user::Message request;
  request.label = kHangLabel;
  user::Message reply;
  (void)user::call(service, request, &reply);  // never answered
}

}  // namespace

int main(uint64_t bootstrap_argument) {
  auto bootstrap = static_cast<user::Handle>(bootstrap_argument);
  char arguments[bm::ipc::kMaxArgumentsLength + 1] = {};
  (void)user::get_arguments(bootstrap, arguments, sizeof(arguments));
  user::for_each_argument(arguments, [](const char* word, size_t length) {
    size_t value_length = 0;
    const char* value = user::argument_value(word, length, "hang=", &value_length);
    for (size_t i = 0; value != nullptr && i < value_length; ++i) {
      hang_after_ms = hang_after_ms * 10 + static_cast<uint64_t>(value[i] - '0');
    }
  });
  auto endpoint = user::endpoint_create();
  if (!endpoint.ok()) return 1;
  service = endpoint->get();
  if (user::register_service(bootstrap, "stall", service) != user::ProtocolStatus::kOk) return 1;
  if (hang_after_ms != 0 &&
      user::start_thread(hang_later, 0, user::current_priority()) != user::Status::kOk) {
    return 1;
  }
  user::printf("stall: ready, hanging after %lu ms\n", hang_after_ms);
  user::serve_protocol(service, serve_one);
}
