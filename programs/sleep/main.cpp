// sleep: waits MS milliseconds (its one argument, decimal, at most 86400000: a day) and exits
// 0; with anything else it prints its usage and exits 2. Something to see in ps, and to end
// with Ctrl-C.
#include "user/program_arguments.h"
#include "user/program_output.h"
#include "user/syscalls.h"

namespace {

constexpr uint64_t kMaxMilliseconds = 86'400'000;

// A decimal number up to kMaxMilliseconds, or false.
bool parse_milliseconds(const char* text, uint64_t* out) {
  uint64_t value = 0;
  if (*text == '\0') return false;
  for (; *text != '\0'; ++text) {
    if (*text < '0' || *text > '9') return false;
    value = value * 10 + static_cast<uint64_t>(*text - '0');
    if (value > kMaxMilliseconds) return false;
  }
  *out = value;
  return true;
}

}  // namespace

int main(uint64_t bootstrap) {
  user::ProgramArguments arguments;
  uint64_t milliseconds = 0;
  if (user::read_program_arguments(bootstrap, &arguments) != user::ProtocolStatus::kOk ||
      arguments.count != 1 || !parse_milliseconds(arguments.word[0], &milliseconds)) {
    user::ProgramOutput(static_cast<user::Handle>(bootstrap))
        .printf("usage: sleep MS (0 to %lu)\n", kMaxMilliseconds);
    return 2;
  }
  uint64_t hz = user::timer_hz();
  (void)user::sleep((milliseconds * hz + 999) / 1000);
  return 0;
}
