// Bootstrap-protocol client: each call is encode, call_protocol, decode with the codecs init
// uses (ipc/bootstrap.h).
#include "user/services.h"

#include "ipc/kernel_status.h"
#include "ipc/names.h"

namespace user {
namespace {

bool copy_name(const char* name, char (&out)[bm::ipc::kMaxNameLength + 1]) {
  size_t length = 0;
  while (name[length] != '\0') {
    if (length >= bm::ipc::kMaxNameLength) return false;
    out[length] = name[length];
    ++length;
  }
  out[length] = '\0';
  return true;
}

}  // namespace

ProtocolStatus get_grant(Handle bootstrap, uint64_t index, Grant* out) {
  bm::ipc::GetGrantReply reply;
  ProtocolStatus status = call_init(bootstrap, bm::ipc::GetGrantRequest{index}, &reply);
  if (status != ProtocolStatus::kOk) return status;
  *out = {reply.kind, reply.detail, reply.count, reply.handle};
  return ProtocolStatus::kOk;
}

ProtocolStatus register_service(Handle bootstrap, const char* name, Handle endpoint) {
  bm::ipc::RegisterRequest request;
  if (!copy_name(name, request.name)) return ProtocolStatus::kBadValue;
  auto copy = handle_duplicate(endpoint, bm::abi::kRightWrite | bm::abi::kRightGrant);
  if (!copy.ok()) return bm::ipc::from_kernel(copy.error());
  request.endpoint = copy->get();
  bm::ipc::WireMessage wire;
  if (!bm::ipc::encode(request, &wire)) return ProtocolStatus::kBadValue;
  ProtocolStatus status = call_protocol(bootstrap, wire, &wire);
  if (status != ProtocolStatus::kOk)
    return status;        // the message did not take it: `copy` closes it
  (void)copy->release();  // it moved to init
  bm::ipc::RegisterReply reply;
  if (bm::ipc::decode(wire, &reply) != ProtocolStatus::kOk) {
    if (wire.has_handle) (void)handle_close(wire.handle);
    return ProtocolStatus::kBadValue;
  }
  return reply.status;
}

ProtocolStatus register_service(Handle bootstrap, const char* word, size_t length,
                                Handle endpoint) {
  char name[bm::ipc::kMaxNameLength + 1];
  if (!copy_argument(word, length, name, sizeof(name))) return ProtocolStatus::kBadValue;
  return register_service(bootstrap, name, endpoint);
}

ProtocolStatus lookup_service(Handle bootstrap, const char* name, uint64_t timeout_ticks,
                              Handle* out) {
  constexpr uint64_t kRetryTicks = 5;
  bm::ipc::LookupRequest request;
  if (!copy_name(name, request.name)) return ProtocolStatus::kBadValue;
  uint64_t waited = 0;
  for (;;) {
    bm::ipc::LookupReply reply;
    ProtocolStatus status = call_init(bootstrap, request, &reply);
    if (status == ProtocolStatus::kOk) {
      *out = reply.endpoint;
      return ProtocolStatus::kOk;
    }
    if (status != ProtocolStatus::kNotFound || waited >= timeout_ticks) return status;
    (void)sleep(kRetryTicks);
    waited += kRetryTicks;
  }
}

ProtocolStatus wait_for_startup(Handle bootstrap, uint64_t timeout_ticks) {
  if (timeout_ticks > bm::ipc::kMaxStartupWaitTicks) timeout_ticks = bm::ipc::kMaxStartupWaitTicks;
  const uint64_t deadline = ticks() + timeout_ticks;
  for (;;) {
    uint64_t now = ticks();
    bm::ipc::StartupDoneRequest request{.wait_ticks = deadline > now ? deadline - now : 0};
    bm::ipc::StartupDoneReply reply;
    ProtocolStatus status = call_init(bootstrap, request, &reply);
    if (status != ProtocolStatus::kWouldBlock || ticks() >= deadline) return status;
    (void)sleep(1);  // answered early: init could not keep the call (ipc/bootstrap.h)
  }
}

ProtocolStatus get_arguments(Handle bootstrap, char* out, size_t capacity) {
  // The reply's bytes point into this message, so it lives until they are copied.
  bm::ipc::WireMessage wire;
  if (!bm::ipc::encode(bm::ipc::GetArgumentsRequest{}, &wire)) return ProtocolStatus::kBadValue;
  ProtocolStatus status = call_protocol(bootstrap, wire, &wire);
  if (status != ProtocolStatus::kOk) return status;
  bm::ipc::GetArgumentsReply reply;
  if (bm::ipc::decode(wire, &reply) != ProtocolStatus::kOk) {
    if (wire.has_handle) (void)handle_close(wire.handle);
    return ProtocolStatus::kBadValue;
  }
  if (reply.status != ProtocolStatus::kOk) return reply.status;
  size_t length = reply.arguments.length;
  if (length + 1 > capacity) return ProtocolStatus::kTooLong;
  for (size_t i = 0; i < length; ++i) out[i] = static_cast<char>(reply.arguments.data[i]);
  out[length] = '\0';
  return ProtocolStatus::kOk;
}

}  // namespace user
