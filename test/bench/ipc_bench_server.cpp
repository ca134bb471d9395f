// The other side of the raw IPC round-trip figure: a server loop as lean as
// a hand-written one can be (bare IPC calls, no message decoding), so the
// figure shows the kernel's path plus two minimal user loops, the way
// sel4bench measures seL4.
#include "user/ipc.h"
#include "user/services.h"

int main(uint64_t bootstrap) {
  auto endpoint = user::endpoint_create();
  if (!endpoint.ok()) return 1;
  user::Handle service = endpoint->get();
  if (user::register_service(static_cast<user::Handle>(bootstrap), "bench_echo", service) !=
      user::ProtocolStatus::kOk) {
    return 1;
  }
  user::ReceivedRegisters message = user::ipc_recv(service, bm::abi::kWaitForever).value_or({});
  for (;;) {
    // Reply with the words received (a register-only message) and wait.
    message = user::ipc_reply_recv(service, message.tag, message.word).value_or({});
  }
}
