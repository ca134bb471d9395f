// Build-time choices from meson_options.txt, in one place. The build passes
// them as -D definitions; code reads these constants, never the macros.
#pragma once

#include "lib/alloc/heap_strategy.h"

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
constexpr bm::HeapStrategy kHeapStrategy = bm::HeapStrategy::BM_KERNEL_HEAP_STRATEGY;
constexpr unsigned kTimerHz = BM_TIMER_HZ;

}  // namespace kernel::config
