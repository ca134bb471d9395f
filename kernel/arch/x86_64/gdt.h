// Global descriptor table and task-state segment (Intel SDM vol. 3A §3.4.5,
// §7.7). The selector order is fixed by syscall/sysret (§5.8.8): user data
// must sit 8 bytes below user code.
#pragma once

#include <stdint.h>

namespace arch {

constexpr uint16_t kKernelCodeSelector = 0x08;
constexpr uint16_t kKernelDataSelector = 0x10;
constexpr uint16_t kUserDataSelector = 0x18 | 3;
constexpr uint16_t kUserCodeSelector = 0x20 | 3;
constexpr uint16_t kTssSelector = 0x28;

// Interrupt stack table slots (1-based as in the IDT gate's IST field).
constexpr uint8_t kIstDoubleFault = 1;
constexpr uint8_t kIstNmi = 2;
constexpr uint8_t kIstMachineCheck = 3;

// Loads the GDT and TSS; reloads every segment register.
void gdt_init();

// The stack the CPU switches to on entry from ring 3 (TSS.RSP0).
void tss_set_kernel_stack(uint64_t stack_top);

// I/O permission bitmap: 65536 ports, one bit each, 1 = denied.
constexpr uint32_t kIoBitmapBytes = 65536 / 8;
// The bytes [begin, end) of a bitmap that may allow a port; every byte
// outside them is 0xff. A driver's ports span a few bytes of the 8 KiB.
struct IoBitmapSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
};
// Loads a task's bitmap into the TSS (null: deny every port). `owner` names
// whose bitmap it is, so switching back to the same task copies nothing
// unless `changed` says its grants changed. Only the spans of the old and
// the new bitmap are written: the copy costs a few bytes, not 8 KiB.
void tss_set_io_bitmap(const uint8_t* bitmap, IoBitmapSpan span, const void* owner,
                       bool changed);
// Denies every port (a task without port grants).
void tss_deny_every_port();
// Allows every port (a task holding the whole port space, init): the TSS
// points at a second bitmap of zeros, so nothing is copied either way.
void tss_allow_every_port();
// The owner is gone: its bitmap must not be mistaken for a later object's
// at the same address. Also closes every port.
void tss_forget_io_bitmap(const void* owner);

// Bounds of the IST stacks, so handlers and tests can tell where they run.
struct StackBounds {
  uint64_t bottom;
  uint64_t top;
  bool contains(uint64_t address) const { return address >= bottom && address < top; }
};
StackBounds double_fault_stack();
StackBounds boot_stack();

}  // namespace arch
