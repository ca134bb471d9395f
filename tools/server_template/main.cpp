// @NAME@: registers "@NAME@" with init and answers every request with its own label and
// words. Made from tools/server_template; put your protocol in ipc/@NAME@.h and answer it in
// serve_one (docs/writing-a-server.md).
#include "ipc/protocol.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/protocol_server.h"
#include "user/services.h"
#include "user/syscalls.h"

namespace {

// One request in, one reply out; serve_protocol answers init's heartbeats itself.
void serve_one(const bm::ipc::WireMessage& request, uint64_t /*badge*/,
               bm::ipc::WireMessage* reply) {
  *reply = request;
}

}  // namespace

int main(uint64_t bootstrap) {
  auto endpoint = user::endpoint_create();  // an OwnedHandle: main never returns past here
  if (!endpoint.ok()) return 1;
  user::Handle service = endpoint->get();
  user::ProtocolStatus registered =
      user::register_service(static_cast<user::Handle>(bootstrap), "@NAME@", service);
  if (registered != user::ProtocolStatus::kOk) {
    user::printf("@NAME@: cannot register: %s\n", bm::ipc::protocol_status_text(registered));
    return 1;
  }
  user::printf("@NAME@: ready\n");
  user::serve_protocol(service, serve_one);
}
