// The other side of the raw IPC round-trip figure: a server loop as lean as
// a hand-written one can be (the raw system-call stub, no message
// decoding), so the figure shows the kernel's path plus two minimal user
// loops, the way sel4bench measures seL4.
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
  // The raw stub, as sel4bench's loops use seL4's: the message stays in the
  // registers it arrived in (tag in rsi, words in rdx, r10, r8, r9) and goes
  // straight back as the reply, so the loop is four instructions and the
  // figure is the kernel's path.
  user::SyscallResult message =
      user::raw_syscall(user::Syscall::ipc_recv, service, bm::abi::kWaitForever);
  for (;;) {
    message = user::raw_syscall(user::Syscall::ipc_reply_recv, service, message.rsi, message.rdx,
                                message.r10, message.r8, message.r9);
  }
}
