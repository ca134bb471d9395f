// The last calls the fuzzer made (number, arguments, flags, result), kept in
// a ring so a failure can print what led to it.
#pragma once

#include <stdint.h>

namespace fuzz {

struct CallRecord {
  uint64_t index;  // position in the run: replay with trace=<index>
  uint64_t number;
  uint64_t arguments[6];
  uint64_t flags;   // RFLAGS bits set before the call
  uint64_t status;  // rax after the call; kPending while it runs
};

constexpr uint64_t kPending = ~0ull;

class CallLog {
 public:
  static constexpr uint32_t kCapacity = 64;

  CallRecord& begin(uint64_t index, uint64_t number, const uint64_t arguments[6], uint64_t flags);
  // Prints the last `count` records, oldest first, prefixed "FUZZ LAST".
  void print(uint32_t count) const;

 private:
  CallRecord records_[kCapacity] = {};
  uint64_t written_ = 0;
};

// One record as a line on the kernel log.
void print_call(const char* prefix, const CallRecord& record);

}  // namespace fuzz
