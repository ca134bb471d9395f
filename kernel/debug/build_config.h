// Build-time choices from meson_options.txt, in one place. The build passes
// them as -D definitions; code reads these constants, never the macros.
#pragma once

#include "lib/abi/heap_strategy.h"

#ifndef BM_KERNEL_TESTS
#error "the build must define BM_KERNEL_TESTS"
#endif
#ifndef BM_KERNEL_HEAP_STRATEGY
#error "the build must define BM_KERNEL_HEAP_STRATEGY"
#endif
#ifndef BM_TIMER_HZ
#error "the build must define BM_TIMER_HZ"
#endif

namespace kernel::config {

constexpr bool kTestBuild = BM_KERNEL_TESTS;
// BM_KERNEL_HEAP_STRATEGY is the kernel_heap option's value, a name from heap_strategy.h.
constexpr bm::abi::HeapStrategy heap_strategy_named(const char* name) {
  size_t length = 0;
  while (name[length] != '\0') ++length;
  bm::abi::HeapStrategy strategy{};
  // Not constant (so a compile error) when the name is not in BM_HEAP_STRATEGIES.
  if (!bm::abi::heap_strategy_from_name(name, length, &strategy)) __builtin_unreachable();
  return strategy;
}
constexpr bm::abi::HeapStrategy kHeapStrategy = heap_strategy_named(BM_KERNEL_HEAP_STRATEGY);
constexpr unsigned kTimerHz = BM_TIMER_HZ;

}  // namespace kernel::config
