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

// What SYSCALL (DPL 0) and SYSRET (DPL 3) put in the descriptor caches: flat segments (base
// 0, limit 0xfffff in pages), code 64-bit, data with B set.
struct Expected {
  uint16_t selector;
  uint8_t type;
  bool long_mode;
  bool big;
};
constexpr uint8_t kExecuteReadAccessed = 11;
constexpr uint8_t kReadWriteAccessed = 3;

void expect_loaded_attributes(::kernel::TestContext& test_context, const Expected& expected) {
  const Descriptor segment = descriptor_at(expected.selector);
  KEXPECT(segment.base == 0);
  KEXPECT(segment.limit == 0xfffff);
  KEXPECT(segment.page_granular);
  KEXPECT(segment.code_or_data);
  KEXPECT(segment.present);
  KEXPECT(segment.dpl == (expected.selector & 3));
  KEXPECT(segment.type == expected.type);
  KEXPECT(segment.long_mode == expected.long_mode);
  KEXPECT(segment.big == expected.big);
}

}  // namespace

KERNEL_TEST(code_segments_match_what_syscall_and_sysret_load) {
  const uint16_t selectors[] = {arch::kKernelCodeSelector, arch::kUserCodeSelector};
  for (uint16_t selector : selectors) {
    expect_loaded_attributes(test_context, {.selector = selector, .type = kExecuteReadAccessed,
                                            .long_mode = true, .big = false});
  }
}

KERNEL_TEST(data_segments_match_what_syscall_and_sysret_load) {
  const uint16_t selectors[] = {arch::kKernelDataSelector, arch::kUserDataSelector};
  for (uint16_t selector : selectors) {
    expect_loaded_attributes(test_context, {.selector = selector, .type = kReadWriteAccessed,
                                            .long_mode = false, .big = true});
  }
}
