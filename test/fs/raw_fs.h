// Raw messages to fs, for what user/fs_client.h would refuse to send: any label, any word count,
// length words that do not match, bytes the codecs never write.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "test/fs/fs_test.h"

namespace fs_tests {

// fs's endpoint badged for this task (the handle init hands out; fs_client holds a copy).
Handle raw_fs_handle();

// A message being built: label and words (words 4 and up go through the IPC buffer).
struct RawRequest {
  uint32_t label = 0;
  uint32_t count = 0;
  uint64_t word[bm::abi::kMaxMessageWords] = {};

  RawRequest& add(uint64_t value) {
    word[count++] = value;
    return *this;
  }
  // A byte string: the length word `length_word` (normally `length`), then the bytes, eight to
  // a word, little-endian.
  RawRequest& add_bytes(const char* bytes, size_t length, uint64_t length_word);
  RawRequest& add_bytes(const char* text);
};

// What came back: the kernel's status of the call and the reply.
struct RawReply {
  bm::abi::Status sent = bm::abi::Status::kOk;
  uint32_t label = 0;
  uint32_t words = 0;
  uint64_t word[4] = {};
  ProtocolStatus status() const {
    return words == 0 ? ProtocolStatus::kTooShort : static_cast<ProtocolStatus>(word[0]);
  }
};

RawReply raw_call(Handle fs, const RawRequest& request);
// The status of the reply, or the failed call's (bm::ipc::from_kernel).
ProtocolStatus raw_status(Handle fs, const RawRequest& request);

}  // namespace fs_tests
