// Start-up of a ring-3 program: global constructors, main, exit.
#include <stdint.h>

#include "user/syscalls.h"

int main(uint64_t argument);

using Constructor = void (*)();
extern "C" Constructor __init_array_start[], __init_array_end[];

extern "C" [[noreturn]] void user_runtime_start(uint64_t argument) {
  for (Constructor* constructor = __init_array_start; constructor < __init_array_end;
       ++constructor) {
    (*constructor)();
  }
  user::task_exit(main(argument));
}

// Called if a pure virtual function is ever invoked.
extern "C" void __cxa_pure_virtual() { user::task_exit(-1); }
