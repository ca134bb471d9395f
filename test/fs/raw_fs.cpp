// Raw fs messages: built word by word, sent with user::call.
#include "test/fs/raw_fs.h"

#include "ipc/kernel_status.h"
#include "lib/fmt/string.h"
#include "user/services.h"

namespace fs_tests {

namespace {
constexpr uint64_t kLookupTicksMs = 3000;
}  // namespace

Handle raw_fs_handle() {
  Handle fs = 0;
  (void)user::lookup_service(environment().bootstrap, "fs", ticks_for_ms(kLookupTicksMs), &fs);
  return fs;
}

RawRequest& RawRequest::add_bytes(const char* bytes, size_t length, uint64_t length_word) {
  add(length_word);
  for (size_t i = 0; i < length; i += 8) {
    uint64_t packed = 0;
    for (size_t j = 0; j < 8 && i + j < length; ++j) {
      packed |= uint64_t{static_cast<uint8_t>(bytes[i + j])} << (8 * j);
    }
    add(packed);
  }
  return *this;
}

RawRequest& RawRequest::add_bytes(const char* text) {
  size_t length = bm::string_length(text);
  return add_bytes(text, length, length);
}

RawReply raw_call(Handle fs, const RawRequest& request) {
  user::Message message;
  message.label = request.label;
  message.words = request.count;
  for (uint32_t i = 0; i < request.count; ++i) user::set_message_word(&message, i, request.word[i]);
  user::Message reply;
  RawReply out;
  out.sent = user::call(fs, message, &reply);
  if (out.sent != bm::abi::Status::kOk) return out;
  if (reply.has_handle) (void)user::handle_close(reply.handle);
  out.label = reply.label;
  out.words = reply.words;
  for (uint32_t i = 0; i < 4; ++i) out.word[i] = reply.word[i];
  return out;
}

ProtocolStatus raw_status(Handle fs, const RawRequest& request) {
  RawReply reply = raw_call(fs, request);
  if (reply.sent != bm::abi::Status::kOk) return bm::ipc::from_kernel(reply.sent);
  return reply.status();
}

}  // namespace fs_tests
