// The other side of the raw IPC round-trip figure: a server loop as lean as
// a hand-written one can be (raw system calls, no message decoding), so the
// figure shows the kernel's path plus two minimal user loops, the way
// sel4bench measures seL4.
#include "user/ipc.h"
#include "user/services.h"

int main(uint64_t bootstrap) {
  auto endpoint = user::raw_syscall(user::Syscall::endpoint_create);
  if (endpoint.status != user::Status::kOk) return 1;
  auto service = static_cast<user::Handle>(endpoint.rdi);
  if (user::register_service(static_cast<user::Handle>(bootstrap), "bench_echo", service) !=
      user::Status::kOk) {
    return 1;
  }
  user::SyscallResult message = user::raw_syscall(user::Syscall::ipc_recv, service, 0);
  for (;;) {
    // Reply with the words received (a register-only message) and wait.
    message = user::raw_syscall(user::Syscall::ipc_reply_recv, service, message.rsi, message.rdx,
                                message.r10, message.r8, message.r9);
  }
}
