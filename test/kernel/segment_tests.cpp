// The GDT's code and data descriptors agree with what SYSCALL and SYSRET load without reading
// them (Intel SDM vol. 2B, SYSCALL and SYSRET: "It is the responsibility of OS software to
// ensure" that they correspond).
// The fields are decoded here from the descriptor layout (vol. 3A §3.4.5), not from gdt.cpp's
// constants, so a wrong constant there fails.
#include <stdint.h>

#include "kernel/arch/x86_64/gdt.h"
#include "kernel/debug/kernel_test.h"

namespace {

struct [[gnu::packed]] TablePointer {
  uint16_t limit;
  uint64_t base;
};

struct Descriptor {
  uint32_t base;
  uint32_t limit;
  uint8_t type;  // bits 40-43
  bool code_or_data;
  uint8_t dpl;
  bool present;
  bool long_mode;
  bool big;  // D/B
  bool page_granular;
};

Descriptor descriptor_at(uint16_t selector) {
  TablePointer table{};
  asm volatile("sgdt %0" : "=m"(table));
  const uint64_t raw = reinterpret_cast<const uint64_t*>(table.base)[selector / 8];
  return Descriptor{
      static_cast<uint32_t>((raw >> 16 & 0xffffff) | (raw >> 56 & 0xff) << 24),
      static_cast<uint32_t>((raw & 0xffff) | (raw >> 48 & 0xf) << 16),
      static_cast<uint8_t>(raw >> 40 & 0xf),
      (raw >> 44 & 1) != 0,
      static_cast<uint8_t>(raw >> 45 & 3),
      (raw >> 47 & 1) != 0,
      (raw >> 53 & 1) != 0,
      (raw >> 54 & 1) != 0,
      (raw >> 55 & 1) != 0,
  };
}

// What SYSCALL (DPL 0) and SYSRET (DPL 3) put in the descriptor caches.
constexpr uint8_t kExecuteReadAccessed = 11;
constexpr uint8_t kReadWriteAccessed = 3;

bool is_flat(const Descriptor& segment, uint8_t dpl) {
  return segment.base == 0 && segment.limit == 0xfffff && segment.page_granular &&
         segment.code_or_data && segment.present && segment.dpl == dpl;
}

}  // namespace

KERNEL_TEST(code_segments_match_what_syscall_and_sysret_load) {
  const uint16_t selectors[] = {arch::kKernelCodeSelector, arch::kUserCodeSelector};
  for (uint16_t selector : selectors) {
    const Descriptor code = descriptor_at(selector);
    KEXPECT(is_flat(code, selector & 3));
    KEXPECT(code.type == kExecuteReadAccessed);
    KEXPECT(code.long_mode);
    KEXPECT(!code.big);
  }
}

KERNEL_TEST(data_segments_match_what_syscall_and_sysret_load) {
  const uint16_t selectors[] = {arch::kKernelDataSelector, arch::kUserDataSelector};
  for (uint16_t selector : selectors) {
    const Descriptor data = descriptor_at(selector);
    KEXPECT(is_flat(data, selector & 3));
    KEXPECT(data.type == kReadWriteAccessed);
    KEXPECT(data.big);
    KEXPECT(!data.long_mode);
  }
}
