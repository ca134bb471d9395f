// A range of I/O ports a task may use. Holding a handle to one opens those
// ports in the task's TSS I/O permission bitmap (Intel SDM vol. 1 §19.5.2);
// every other port raises #GP in ring 3.
#pragma once

#include <stdint.h>

#include "kernel/obj/kernel_object.h"

namespace kernel {

class IoPortRange final : public KernelObject {
 public:
  static constexpr bm::abi::ObjectType kType = bm::abi::ObjectType::kIoPortRange;
  static constexpr uint32_t kPortCount = 65536;

  // Null on bad bounds or no memory.
  static IoPortRange* create(uint32_t first, uint32_t count) {
    if (count == 0 || first >= kPortCount || count > kPortCount - first) return nullptr;
    auto* range = new IoPortRange();
    if (range == nullptr) return nullptr;
    range->first_ = first;
    range->count_ = count;
    return range;
  }
  uint32_t first() const { return first_; }
  uint32_t count() const { return count_; }

 private:
  IoPortRange() : KernelObject(kType) {}
  uint32_t first_ = 0;
  uint32_t count_ = 0;
};

}  // namespace kernel
