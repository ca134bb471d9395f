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

}  // namespace user_tests
