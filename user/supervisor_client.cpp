// Supervisor-protocol client: one-word requests, replies decoded with the
// codec init uses (ipc/supervisor.h).
#include "user/supervisor_client.h"

namespace user {
namespace {

// Sends a one-word request; the reply's status word, or the transport's.
Status one_word_call(Handle bootstrap, uint32_t label, uint64_t argument, Message* reply) {
  Message request;
  request.label = label;
  request.words = bm::ipc::kSupervisorRequestWords;
  request.word[0] = argument;
  Status status = call(bootstrap, request, reply);
  if (status != Status::kOk) return status;
  if (reply->words < 1) return Status::kInvalidArgument;
  return static_cast<Status>(reply->word[0]);
}

}  // namespace

Status list_server(Handle bootstrap, uint64_t index, bm::ipc::ServerEntry* out) {
  Message reply;
  Status status = one_word_call(bootstrap, bm::ipc::kListServers, index, &reply);
  if (status != Status::kOk) return status;
  if (reply.words > bm::ipc::kMaxListReplyWords) return Status::kInvalidArgument;
  uint64_t words[bm::ipc::kMaxListReplyWords] = {};
  for (uint32_t i = 0; i < reply.words; ++i) {
    words[i] = i < bm::abi::kRegisterWords ? reply.word[i]
                                           : ipc_buffer()->words[i - bm::abi::kRegisterWords];
  }
  bm::ipc::ServerEntry entry{};
  if (!bm::ipc::decode_server_entry(words, reply.words, &entry)) return Status::kInvalidArgument;
  *out = entry;
  return Status::kOk;
}

Status kill_server(Handle bootstrap, uint64_t task_id) {
  Message reply;
  return one_word_call(bootstrap, bm::ipc::kKillServer, task_id, &reply);
}

Status stop_server(Handle bootstrap, uint64_t task_id) {
  Message reply;
  return one_word_call(bootstrap, bm::ipc::kStopServer, task_id, &reply);
}

Status restart_server(Handle bootstrap, uint64_t index) {
  Message reply;
  return one_word_call(bootstrap, bm::ipc::kRestartServer, index, &reply);
}

Status request_power(Handle bootstrap, bm::abi::PowerAction action) {
  Message reply;
  return one_word_call(bootstrap, bm::ipc::kPower, static_cast<uint64_t>(action), &reply);
}

}  // namespace user
