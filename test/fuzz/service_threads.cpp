// The partner, supervisor and helper threads of service_threads.h.
#include "test/fuzz/service_threads.h"

#include "lib/abi/message.h"
#include "user/ipc.h"

namespace fuzz {

using bm::abi::Status;
using bm::abi::Syscall;
using user::raw_syscall;

uint64_t fault_counts[32];
uint64_t partner_messages;
uint64_t helpers_finished;

namespace {

// Receives forever on `endpoint`, answering each message with answer(); a
// plain send owes no reply (kNoCaller), so the loop then receives anew.
template <typename Answer>
[[noreturn]] void serve(bm::abi::Handle endpoint, Answer answer) {
  user::Message message;
  Status status = user::receive(endpoint, &message);
  for (;;) {
    if (status != Status::kOk) {
      status = user::receive(endpoint, &message);
      continue;
    }
    // A handle that came along lands in this task's table: drop it so the
    // table does not fill up behind the fuzzer's back.
    if (message.has_handle) (void)raw_syscall(Syscall::handle_close, message.handle);
    user::Message reply;
    answer(message, &reply);
    status = user::reply_receive(endpoint, reply, &message);
  }
}

}  // namespace

Status start_service_thread(void (*body)(uint64_t), bm::abi::Handle endpoint, uint64_t priority) {
  auto result = raw_syscall(Syscall::thread_create, bm::abi::kOwnAddressSpace,
                            reinterpret_cast<uint64_t>(body), endpoint, priority);
  if (result.status == Status::kOk) (void)raw_syscall(Syscall::handle_close, result.rdi);
  return result.status;
}

void partner_thread(uint64_t endpoint) {
  serve(static_cast<bm::abi::Handle>(endpoint),
        [](const user::Message& message, user::Message* reply) {
          __atomic_fetch_add(&partner_messages, 1, __ATOMIC_RELAXED);
          reply->label = 0;
          reply->words = 4;
          for (int i = 0; i < 4; ++i) reply->word[i] = message.word[i];
        });
}

void supervisor_thread(uint64_t endpoint) {
  serve(static_cast<bm::abi::Handle>(endpoint),
        [](const user::Message& message, user::Message* reply) {
          if (message.label == bm::abi::kFaultLabel) {
            __atomic_fetch_add(&fault_counts[(message.word[1] >> 32) & 31], 1, __ATOMIC_RELAXED);
            reply->label = bm::abi::kFaultReplyKill;
          } else {
            reply->label = 0;
          }
          reply->words = 0;
        });
}

void helper_thread(uint64_t argument) {
  (void)raw_syscall(Syscall::yield);
  (void)raw_syscall(Syscall::system_info, argument & 31);
  (void)raw_syscall(Syscall::thread_list, argument & 0xff);
  __atomic_fetch_add(&helpers_finished, 1, __ATOMIC_RELAXED);
  raw_syscall(Syscall::thread_exit);
  __builtin_unreachable();
}

}  // namespace fuzz
