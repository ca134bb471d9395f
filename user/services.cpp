// Bootstrap-protocol client.
#include "user/services.h"

#include "ipc/names.h"

namespace user {

Status get_grant(Handle bootstrap, uint64_t index, Grant* out) {
  Message request;
  request.label = bm::ipc::kGetGrant;
  request.words = 1;
  request.word[0] = index;
  Message reply;
  Status status = call(bootstrap, request, &reply);
  if (status != Status::kOk) return status;
  auto answer = static_cast<Status>(reply.word[0]);
  if (answer != Status::kOk) return answer;
  if (!reply.has_handle) return Status::kInvalidArgument;
  *out = {static_cast<bm::ipc::GrantKind>(reply.word[1]), reply.word[2], reply.word[3],
          reply.handle};
  return Status::kOk;
}

Status register_service(Handle bootstrap, const char* name, Handle endpoint) {
  Message request;
  request.label = bm::ipc::kRegister;
  request.words = 4;
  if (!bm::ipc::pack_name(name, request.word)) return Status::kInvalidArgument;
  auto copy = handle_duplicate(endpoint, bm::abi::kRightWrite | bm::abi::kRightGrant);
  if (!copy.ok()) return copy.error();
  request.has_handle = true;
  request.handle = copy->get();
  Message reply;
  Status status = call(bootstrap, request, &reply);
  if (status != Status::kOk) return status;  // the message did not take it: `copy` closes it
  copy->release();                           // it moved to init
  return static_cast<Status>(reply.word[0]);
}

Status register_service(Handle bootstrap, const char* word, size_t length, Handle endpoint) {
  char name[bm::ipc::kMaxNameLength + 1];
  if (!copy_argument(word, length, name, sizeof(name))) return Status::kInvalidArgument;
  return register_service(bootstrap, name, endpoint);
}

Status lookup_service(Handle bootstrap, const char* name, uint64_t timeout_ticks, Handle* out) {
  constexpr uint64_t kRetryTicks = 5;
  Message request;
  request.label = bm::ipc::kLookup;
  request.words = 4;
  if (!bm::ipc::pack_name(name, request.word)) return Status::kInvalidArgument;
  uint64_t waited = 0;
  for (;;) {
    Message reply;
    Status status = call(bootstrap, request, &reply);
    if (status != Status::kOk) return status;
    auto answer = static_cast<Status>(reply.word[0]);
    if (answer == Status::kOk && reply.has_handle) {
      *out = reply.handle;
      return Status::kOk;
    }
    if (answer != Status::kNotFound || waited >= timeout_ticks) return answer;
    (void)sleep(kRetryTicks);
    waited += kRetryTicks;
  }
}

Status get_arguments(Handle bootstrap, char* out, size_t capacity) {
  Message request;
  request.label = bm::ipc::kGetArguments;
  request.words = 0;
  Message reply;
  Status status = call(bootstrap, request, &reply);
  if (status != Status::kOk) return status;
  auto answer = static_cast<Status>(reply.word[0]);
  if (answer != Status::kOk) return answer;
  uint64_t length = reply.word[1];
  if (reply.words < 2 || length > bm::ipc::kMaxArgumentsLength ||
      reply.words != 2 + (length + 7) / 8) {
    return Status::kInvalidArgument;
  }
  if (length + 1 > capacity) return Status::kTooLong;
  for (uint64_t i = 0; i < length; ++i) {
    uint64_t w = 2 + i / 8;
    uint64_t word = w < bm::abi::kRegisterWords ? reply.word[w]
                                                : ipc_buffer()->words[w - bm::abi::kRegisterWords];
    out[i] = static_cast<char>(word >> (8 * (i % 8)));
  }
  out[length] = '\0';
  return Status::kOk;
}

}  // namespace user
