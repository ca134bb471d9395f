// load_message: the message a system call's registers carry, checked, into the thread.
#include "kernel/syscall/message_registers.h"

#include "kernel/sched/scheduler.h"
#include "lib/abi/message.h"

namespace kernel {

using bm::abi::Status;

Status load_message(const arch::InterruptFrame& frame, bool is_reply, bool* non_blocking) {
  bm::abi::MessageTag tag;
  if (!bm::abi::decode_tag(frame.rsi, &tag)) {
    uint64_t words = (frame.rsi & bm::abi::kTagWordsMask) >> bm::abi::kTagWordsShift;
    return words > bm::abi::kMaxMessageWords ? Status::kTooLong : Status::kInvalidArgument;
  }
  if (!is_reply && tag.label >= bm::abi::kKernelLabelBase) return Status::kInvalidArgument;
  if (is_reply && tag.non_blocking) return Status::kInvalidArgument;
  Thread* self = current_thread();
  self->message.tag = frame.rsi & ~bm::abi::kTagNonBlockingBit;
  self->message.words[0] = frame.rdx;
  self->message.words[1] = frame.r10;
  self->message.words[2] = frame.r8;
  self->message.words[3] = frame.r9;
  *non_blocking = tag.non_blocking;
  return Status::kOk;
}

}  // namespace kernel
