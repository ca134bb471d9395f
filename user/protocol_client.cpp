// call_protocol: WireMessage -> Message, call, Message -> WireMessage; call_service adds
// the recovery of ipc/client_recovery.h over the real system calls.
#include "user/protocol_client.h"

#include "ipc/kernel_status.h"
#include "user/runtime.h"
#include "user/services.h"

namespace user {

ProtocolStatus call_protocol(Handle server, const bm::ipc::WireMessage& request,
                             bm::ipc::WireMessage* reply) {
  Message message;
  store_message(request, &message);
  Message answer;
  Status status = call(server, message, &answer);
  if (status != Status::kOk) return bm::ipc::from_kernel(status);
  if (!load_message(answer, reply)) {
    if (answer.has_handle) (void)handle_close(answer.handle);
    return ProtocolStatus::kTooLong;
  }
  return ProtocolStatus::kOk;
}

namespace {

struct SyscallTransport {
  ProtocolStatus call(Handle server, const bm::ipc::WireMessage& request,
                      bm::ipc::WireMessage* reply) {
    return call_protocol(server, request, reply);
  }
  ProtocolStatus lookup(const char* name, uint64_t wait_ticks, Handle* out) {
    return lookup_service(static_cast<Handle>(startup_argument()), name, wait_ticks, out);
  }
  void close(Handle handle) { (void)handle_close(handle); }
};

}  // namespace

ProtocolStatus call_service(bm::ipc::ServiceConnection* service,
                            const bm::ipc::WireMessage& request, bm::ipc::WireMessage* reply) {
  SyscallTransport transport;
  return bm::ipc::recovering_call(transport, service, request, reply);
}

}  // namespace user
