// fault: a program that crashes on purpose, to see init report it and the shell carry on.
// Without arguments it writes through a pointer into the never-mapped first pages (#PF);
// `fault ud` runs an undefined instruction (#UD), `fault divide` divides by zero (#DE).
// Anything else prints its usage and exits 2.
#include "lib/fmt/string.h"
#include "user/program_arguments.h"
#include "user/program_output.h"

namespace {

[[noreturn]] void page_fault() {
  // Volatile: the compiler may not drop a store it can prove undefined.
  auto* volatile bad = reinterpret_cast<volatile uint64_t*>(0x1000);
  *bad = 0xbad;
  __builtin_unreachable();
}

[[noreturn]] void undefined_instruction() {
  asm volatile("ud2");
  __builtin_unreachable();
}

[[noreturn]] void divide_by_zero() {
  asm volatile("xor %%ecx, %%ecx\n\tdiv %%rcx" ::: "rax", "rcx", "rdx");
  __builtin_unreachable();
}

}  // namespace

int main(uint64_t bootstrap) {
  user::ProgramArguments arguments;
  bool read = user::read_program_arguments(bootstrap, &arguments) == user::ProtocolStatus::kOk;
  if (read && arguments.count == 0) page_fault();
  if (read && arguments.count == 1 && bm::string_equal(arguments.word[0], "ud")) {
    undefined_instruction();
  }
  if (read && arguments.count == 1 && bm::string_equal(arguments.word[0], "divide")) {
    divide_by_zero();
  }
  user::ProgramOutput(static_cast<user::Handle>(bootstrap)).printf("usage: fault [ud|divide]\n");
  return 2;
}
