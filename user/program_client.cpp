// Program-protocol client: each call is user::call_init with the codecs init uses
// (ipc/programs.h).
#include "user/program_client.h"

#include "user/services.h"

namespace user {

ProtocolStatus run_program(Handle bootstrap, Handle image, uint64_t image_bytes, const char* name,
                           const char* arguments, size_t arguments_length, uint64_t* program) {
  OwnedHandle owned(image);  // closed unless it moved to init
  bm::ipc::RunProgramRequest request;
  request.image_bytes = image_bytes;
  request.image = image;
  size_t length = 0;
  for (; name[length] != '\0'; ++length) {
    if (length == bm::ipc::kMaxNameLength) return ProtocolStatus::kBadValue;
    request.name[length] = name[length];
  }
  if (arguments_length > bm::ipc::kMaxProgramArgumentsLength) return ProtocolStatus::kBadValue;
  request.arguments = {reinterpret_cast<const uint8_t*>(arguments),
                       static_cast<uint32_t>(arguments_length)};
  bm::ipc::WireMessage wire;
  if (!bm::ipc::encode(request, &wire)) return ProtocolStatus::kBadValue;
  (void)owned.release();  // from here the call moves it
  bm::ipc::RunProgramReply reply;
  ProtocolStatus status = call_protocol(bootstrap, wire, &wire);
  if (status != ProtocolStatus::kOk) {
    // Still ours if the call failed before init received it; if it moved, this is a stale value
    // and closing it does nothing (kInvalidHandle).
    (void)handle_close(image);
    return status;
  }
  if (bm::ipc::decode(wire, &reply) != ProtocolStatus::kOk) {
    if (wire.has_handle) (void)handle_close(wire.handle);
    return ProtocolStatus::kBadValue;
  }
  if (reply.status == ProtocolStatus::kOk) *program = reply.program;
  return reply.status;
}

ProtocolStatus wait_program(Handle bootstrap, uint64_t program, bm::ipc::WaitProgramReply* out) {
  return call_init(bootstrap, bm::ipc::WaitProgramRequest{program}, out);
}

ProtocolStatus kill_program(Handle bootstrap, uint64_t program) {
  bm::ipc::KillProgramReply reply;
  return call_init(bootstrap, bm::ipc::KillProgramRequest{program}, &reply);
}

ProtocolStatus list_program(Handle bootstrap, uint64_t index, bm::ipc::ListProgramsReply* out) {
  return call_init(bootstrap, bm::ipc::ListProgramsRequest{index}, out);
}

}  // namespace user
