// Start-up of a ring-3 program: global constructors, main, exit.
#include <stdint.h>

#include "user/runtime.h"
#include "user/syscalls.h"

int main(uint64_t argument);

namespace {
uint64_t the_startup_argument;
}  // namespace

uint64_t user::startup_argument() { return the_startup_argument; }

using Constructor = void (*)();
extern "C" Constructor __init_array_start[], __init_array_end[];

extern "C" [[noreturn]] void user_runtime_start(uint64_t argument) {
  the_startup_argument = argument;
  for (Constructor* constructor = __init_array_start; constructor < __init_array_end;
       ++constructor) {
    (*constructor)();
  }
  user::task_exit(main(argument));
}

// Called if a pure virtual function is ever invoked.
extern "C" void __cxa_pure_virtual() { user::task_exit(-1); }
