// Supervisor-protocol client: each call is user::call_init with the codecs init uses
// (ipc/supervisor.h).
#include "user/supervisor_client.h"

#include "user/services.h"

namespace user {

ProtocolStatus list_server(Handle bootstrap, uint64_t index, bm::ipc::ServerEntry* out) {
  bm::ipc::ListServersReply reply;
  ProtocolStatus status = call_init(bootstrap, bm::ipc::ListServersRequest{index}, &reply);
  if (status == ProtocolStatus::kOk) *out = reply.entry;
  return status;
}

ProtocolStatus kill_server(Handle bootstrap, uint64_t task_id) {
  bm::ipc::KillServerReply reply;
  return call_init(bootstrap, bm::ipc::KillServerRequest{task_id}, &reply);
}

ProtocolStatus stop_server(Handle bootstrap, uint64_t task_id) {
  bm::ipc::StopServerReply reply;
  return call_init(bootstrap, bm::ipc::StopServerRequest{task_id}, &reply);
}

ProtocolStatus restart_server(Handle bootstrap, uint64_t index) {
  bm::ipc::RestartServerReply reply;
  return call_init(bootstrap, bm::ipc::RestartServerRequest{index}, &reply);
}

ProtocolStatus request_power(Handle bootstrap, bm::abi::PowerAction action) {
  bm::ipc::PowerReply reply;
  return call_init(bootstrap, bm::ipc::PowerRequest{action}, &reply);
}

}  // namespace user
