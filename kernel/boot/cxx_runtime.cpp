// The little C++ runtime support a freestanding kernel needs: running global
// constructors and the hooks the compiler calls for virtuals and statics.
#include "kernel/debug/panic.h"

using Constructor = void (*)();
extern "C" Constructor __init_array_start[], __init_array_end[];

extern "C" void run_global_constructors() {
  for (Constructor* constructor = __init_array_start; constructor < __init_array_end;
       ++constructor) {
    (*constructor)();
  }
}

// Called if a pure virtual function is ever invoked (a destroyed object).
extern "C" void __cxa_pure_virtual() { kernel::panic("pure virtual function called"); }

// The kernel never exits, so destructors of globals are never registered.
extern "C" int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
extern "C" {
void* __dso_handle = nullptr;
}
