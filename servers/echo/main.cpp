// echo: the smallest real server. It registers "echo" with init and answers
// every call with the same message: label, words (long words are already in
// its IPC buffer, where the reply takes them from) and attached handle;
// kReverseLabel gets its words back in reverse order (ipc/echo.h).
#include "ipc/echo.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/services.h"
#include "user/syscalls.h"

int main(uint64_t bootstrap) {
  auto endpoint = user::endpoint_create();
  if (!endpoint.ok()) return 1;
  user::Handle service = endpoint->get();
  user::ProtocolStatus registered = user::register_service(static_cast<user::Handle>(bootstrap),
                                                           bm::ipc::echo::kServiceName, service);
  if (registered != user::ProtocolStatus::kOk) {
    user::printf("echo: cannot register: %s\n", bm::ipc::protocol_status_text(registered));
    return 1;
  }
  user::Message message;
  user::Status status = user::receive(service, &message);
  for (;;) {
    if (status != user::Status::kOk) {
      status = user::receive(service, &message);
      continue;
    }
    // The reply is the message itself: same label, words and handle.
    if (message.label == bm::ipc::echo::kReverseLabel) {
      bm::ipc::echo::reverse_words(message.word, user::ipc_buffer(), message.words);
    }
    status = user::answer_and_receive(service, message, &message);
  }
}
