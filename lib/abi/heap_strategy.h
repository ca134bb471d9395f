// The heap strategies of lib/alloc, defined once: the kernel_heap and heap_policy build
// options, system_info's kHeapStrategy, memd's args and stats reply, the shell and the
// Python tools (tools/heap_strategies.py reads BM_HEAP_STRATEGIES) all use these names.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm::abi {

// X(enumerator, value, name). The value crosses the ABI and the memd protocol: never
// renumber. The name is how the build options and memd's policy= argument spell it.
#define BM_HEAP_STRATEGIES(X)      \
  X(kBump, 0, "bump")              \
  X(kLinkedList, 1, "linked_list") \
  X(kFixedBlock, 2, "fixed_block")

enum class HeapStrategy : uint64_t {
#define BM_HEAP_STRATEGY_ENUM(enumerator, value, name) enumerator = value,
  BM_HEAP_STRATEGIES(BM_HEAP_STRATEGY_ENUM)
#undef BM_HEAP_STRATEGY_ENUM
};

constexpr bool is_heap_strategy(uint64_t value) {
#define BM_HEAP_STRATEGY_KNOWN(enumerator, known, name) \
  if (value == known) return true;
  BM_HEAP_STRATEGIES(BM_HEAP_STRATEGY_KNOWN)
#undef BM_HEAP_STRATEGY_KNOWN
  return false;
}

constexpr const char* heap_strategy_name(HeapStrategy strategy) {
  switch (strategy) {
#define BM_HEAP_STRATEGY_NAME(enumerator, value, name) \
  case HeapStrategy::enumerator:                       \
    return name;
    BM_HEAP_STRATEGIES(BM_HEAP_STRATEGY_NAME)
#undef BM_HEAP_STRATEGY_NAME
  }
  return "unknown";
}

// The strategy spelled exactly `text` (`length` bytes, no NUL needed); false if none is.
constexpr bool heap_strategy_from_name(const char* text, size_t length, HeapStrategy* out) {
  constexpr HeapStrategy kAll[] = {
#define BM_HEAP_STRATEGY_VALUE(enumerator, value, name) HeapStrategy::enumerator,
      BM_HEAP_STRATEGIES(BM_HEAP_STRATEGY_VALUE)
#undef BM_HEAP_STRATEGY_VALUE
  };
  for (HeapStrategy strategy : kAll) {
    const char* name = heap_strategy_name(strategy);
    size_t i = 0;
    while (i < length && name[i] != '\0' && name[i] == text[i]) ++i;
    if (i == length && name[i] == '\0') {
      *out = strategy;
      return true;
    }
  }
  return false;
}

}  // namespace bm::abi
