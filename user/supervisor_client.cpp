// Supervisor-protocol client: each call is user::call_init with the codecs init uses
// (ipc/supervisor.h).
#include "user/supervisor_client.h"

#include "user/services.h"

namespace user {

Status list_server(Handle bootstrap, uint64_t index, bm::ipc::ServerEntry* out) {
  bm::ipc::ListServersReply reply;
  Status status = call_init(bootstrap, bm::ipc::ListServersRequest{index}, &reply);
  if (status == Status::kOk) *out = reply.entry;
  return status;
}

Status kill_server(Handle bootstrap, uint64_t task_id) {
  bm::ipc::KillServerReply reply;
  return call_init(bootstrap, bm::ipc::KillServerRequest{task_id}, &reply);
}

Status stop_server(Handle bootstrap, uint64_t task_id) {
  bm::ipc::StopServerReply reply;
  return call_init(bootstrap, bm::ipc::StopServerRequest{task_id}, &reply);
}

Status restart_server(Handle bootstrap, uint64_t index) {
  bm::ipc::RestartServerReply reply;
  return call_init(bootstrap, bm::ipc::RestartServerRequest{index}, &reply);
}

Status request_power(Handle bootstrap, bm::abi::PowerAction action) {
  bm::ipc::PowerReply reply;
  return call_init(bootstrap, bm::ipc::PowerRequest{action}, &reply);
}

}  // namespace user
