// The heap strategies the kernel can be built with; the build picks one and aliases its class.
#pragma once

namespace bm {

enum class HeapStrategy { kBump, kLinkedList, kFixedBlock };

constexpr const char* heap_strategy_name(HeapStrategy strategy) {
  switch (strategy) {
    case HeapStrategy::kBump:
      return "bump";
    case HeapStrategy::kLinkedList:
      return "linked-list";
    case HeapStrategy::kFixedBlock:
      return "fixed-block";
  }
  return "unknown";
}

}  // namespace bm
