// The ring of the last calls, and their one-line form.
#include "test/fuzz/call_log.h"

#include "lib/abi/syscalls.h"
#include "user/print.h"

namespace fuzz {

CallRecord& CallLog::begin(uint64_t index, uint64_t number, const uint64_t arguments[6],
                           uint64_t flags) {
  CallRecord& record = records_[written_ % kCapacity];
  ++written_;
  record.index = index;
  record.number = number;
  for (int i = 0; i < 6; ++i) record.arguments[i] = arguments[i];
  record.flags = flags;
  record.status = kPending;
  return record;
}

void CallLog::print(uint32_t count) const {
  uint64_t available = written_ < kCapacity ? written_ : kCapacity;
  if (count > available) count = static_cast<uint32_t>(available);
  for (uint64_t i = written_ - count; i < written_; ++i) {
    print_call("FUZZ LAST", records_[i % kCapacity]);
  }
}

void print_call(const char* prefix, const CallRecord& record) {
  const char* status = record.status == kPending
                           ? "(did not return)"
                           : bm::abi::status_text(static_cast<bm::abi::Status>(record.status));
  user::printf("%s #%lu nr=%lu args=%#lx,%#lx,%#lx,%#lx,%#lx,%#lx flags=%#lx -> %ld %s\n", prefix,
               record.index, record.number, record.arguments[0], record.arguments[1],
               record.arguments[2], record.arguments[3], record.arguments[4], record.arguments[5],
               record.flags, static_cast<int64_t>(record.status), status);
}

}  // namespace fuzz
