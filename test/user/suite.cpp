// The shared state and small helpers of suite.h.
#include "test/user/suite.h"

#include "user/syscalls.h"

namespace user_tests {

namespace {
Environment the_environment;
}  // namespace

Environment& environment() { return the_environment; }

uint64_t ticks_for_ms(uint64_t milliseconds) {
  uint64_t ticks = (milliseconds * the_environment.timer_hz + 999) / 1000;
  return ticks == 0 ? 1 : ticks;
}

uint64_t message_word(const user::Message& message, uint32_t index) {
  if (index < bm::abi::kRegisterWords) return message.word[index];
  return user::ipc_buffer()->words[index - bm::abi::kRegisterWords];
}

void set_message_word(user::Message* message, uint32_t index, uint64_t value) {
  if (index < bm::abi::kRegisterWords) {
    message->word[index] = value;
  } else {
    user::ipc_buffer()->words[index - bm::abi::kRegisterWords] = value;
  }
}

}  // namespace user_tests
