// GDT with kernel and user segments and one TSS whose IST stacks catch #DF,
// NMI and #MC on known-good stacks (Intel SDM vol. 3A §6.14.5).
#include "kernel/arch/x86_64/gdt.h"

#include <stddef.h>
#include <stdint.h>

extern "C" char boot_stack_bottom[], boot_stack_top[];
extern "C" char double_fault_stack_bottom[], double_fault_stack_top[];
extern "C" char nmi_stack_top[], machine_check_stack_top[];

namespace arch {
namespace {

// 64-bit TSS (Intel SDM vol. 3A §7.7, figure 7-11).
struct [[gnu::packed]] TaskStateSegment {
  uint32_t reserved0;
  uint64_t rsp[3];
  uint64_t reserved1;
  uint64_t ist[7];
  uint64_t reserved2;
  uint16_t reserved3;
  uint16_t io_map_base;
};
static_assert(sizeof(TaskStateSegment) == 104);

struct [[gnu::packed]] DescriptorPointer {
  uint16_t limit;
  uint64_t base;
};

// Segment descriptor bits (Intel SDM vol. 3A §3.4.5).
constexpr uint64_t kPresent = 1ull << 47;
constexpr uint64_t kCodeOrData = 1ull << 44;  // S flag
constexpr uint64_t kExecutable = 1ull << 43;
constexpr uint64_t kReadWrite = 1ull << 41;
constexpr uint64_t kAccessed = 1ull << 40;
constexpr uint64_t kLongMode = 1ull << 53;    // L flag, code segments only
constexpr uint64_t kBig = 1ull << 54;         // D/B flag, data segments here
constexpr uint64_t kPageGranular = 1ull << 55;  // G flag
constexpr uint64_t kMaximumLimit = 0xfull << 48 | 0xffff;
constexpr uint64_t kDplUser = 3ull << 45;
constexpr uint64_t kTssAvailable = 0x9ull << 40;

// SYSCALL and SYSRET do not read these descriptors: they load fixed flat attributes (base 0,
// limit 0xfffff, G; SS with B set; type accessed), and the SDM leaves it to the kernel to make
// the GDT agree (vol. 2B, SYSCALL). Long mode ignores most of them, but an iretq loads SS from
// here, and with the same attributes both ways QEMU's TCG translates code once, not once per
// SS variant.
constexpr uint64_t kFlat = kPresent | kCodeOrData | kAccessed | kPageGranular | kMaximumLimit;
constexpr uint64_t kKernelCode = kFlat | kExecutable | kReadWrite | kLongMode;
constexpr uint64_t kKernelData = kFlat | kReadWrite | kBig;
constexpr uint64_t kUserCode = kKernelCode | kDplUser;
constexpr uint64_t kUserData = kKernelData | kDplUser;

// The TSS followed by its I/O permission bitmaps: one bit per port, 1 =
// denied, each followed by the all-ones byte the CPU may read past the last
// port. `io_bitmap` holds the running task's ports; `every_port` allows all
// of them and never changes (the I/O map base picks one of the two).
struct [[gnu::packed]] TssWithIoBitmap {
  TaskStateSegment tss;
  uint8_t io_bitmap[kIoBitmapBytes];
  uint8_t terminator;
  uint8_t every_port[kIoBitmapBytes];
  uint8_t every_port_terminator;
};

TssWithIoBitmap tss_block;
TaskStateSegment& tss = tss_block.tss;
const void* io_bitmap_owner;  // whose bitmap io_bitmap holds now
IoBitmapSpan io_bitmap_loaded;  // the bytes of io_bitmap that are not 0xff
uint64_t gdt[7];  // null, kcode, kdata, udata, ucode, tss (two slots)

// An I/O map base past the segment limit means "no bitmap": every ring-3
// in/out faults (§19.5.2). Used for tasks without port grants.
constexpr uint16_t kNoIoBitmap = sizeof(TssWithIoBitmap);
constexpr uint16_t kIoBitmapOffset = offsetof(TssWithIoBitmap, io_bitmap);
constexpr uint16_t kEveryPortOffset = offsetof(TssWithIoBitmap, every_port);
static_assert(sizeof(TssWithIoBitmap) <= 0xffff, "the I/O map base is 16 bits");

void set_tss_descriptor(uint64_t* slot, const TssWithIoBitmap* segment) {
  uint64_t base = reinterpret_cast<uint64_t>(segment);
  uint64_t limit = sizeof(TssWithIoBitmap) - 1;
  slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | kTssAvailable | kPresent |
            (((base >> 24) & 0xff) << 56);
  slot[1] = base >> 32;
}

}  // namespace

}  // namespace arch

// interrupt_stubs.S loads SS from here on entry from ring 3, so the selector has one definition.
extern "C" const uint16_t kernel_stack_selector = arch::kKernelDataSelector;

namespace arch {

void gdt_init() {
  gdt[0] = 0;
  gdt[kKernelCodeSelector / 8] = kKernelCode;
  gdt[kKernelDataSelector / 8] = kKernelData;
  gdt[kUserDataSelector / 8] = kUserData;
  gdt[kUserCodeSelector / 8] = kUserCode;

  tss.ist[kIstDoubleFault - 1] = reinterpret_cast<uint64_t>(double_fault_stack_top);
  tss.ist[kIstNmi - 1] = reinterpret_cast<uint64_t>(nmi_stack_top);
  tss.ist[kIstMachineCheck - 1] = reinterpret_cast<uint64_t>(machine_check_stack_top);
  tss.rsp[0] = reinterpret_cast<uint64_t>(boot_stack_top);
  tss.io_map_base = kNoIoBitmap;
  // Every port denied; tss_set_io_bitmap keeps it so outside the loaded span.
  __builtin_memset(tss_block.io_bitmap, 0xff, kIoBitmapBytes);
  tss_block.terminator = 0xff;
  tss_block.every_port_terminator = 0xff;  // every_port itself stays zero (.bss)
  set_tss_descriptor(&gdt[kTssSelector / 8], &tss_block);

  DescriptorPointer pointer{sizeof(gdt) - 1, reinterpret_cast<uint64_t>(gdt)};
  asm volatile(
      "lgdt %0\n\t"
      "pushq %1\n\t"
      "leaq 1f(%%rip), %%rax\n\t"
      "pushq %%rax\n\t"
      "lretq\n"  // reload CS with a far return
      "1:\n\t"
      "movw %w2, %%ax\n\t"
      "movw %%ax, %%ds\n\t"
      "movw %%ax, %%es\n\t"
      "movw %%ax, %%ss\n\t"
      "xorl %%eax, %%eax\n\t"
      "movw %%ax, %%fs\n\t"
      "movw %%ax, %%gs\n\t"
      "ltr %w3"
      :
      : "m"(pointer), "i"(static_cast<uint64_t>(kKernelCodeSelector)),
        "r"(static_cast<uint64_t>(kKernelDataSelector)), "r"(static_cast<uint64_t>(kTssSelector))
      : "rax", "memory");
}

void tss_set_kernel_stack(uint64_t stack_top) { tss.rsp[0] = stack_top; }

// Out of line: its copies need registers, and inlined into a context
// switch (the IPC fast path's among them) they would make every switch save
// and restore the callee-saved registers, for the few tasks that hold ports.
[[gnu::noinline]] void tss_set_io_bitmap(const uint8_t* bitmap, IoBitmapSpan span,
                                         const void* owner, bool changed) {
  if (bitmap == nullptr) {
    tss.io_map_base = kNoIoBitmap;
    return;
  }
  // Skip the copy when the same task's bitmap is still there; else deny the
  // old span again and copy the new one (under -icount each 8 bytes copied
  // is an instruction: the whole bitmap would be 1 024 per switch).
  if (owner != io_bitmap_owner || changed) {
    __builtin_memset(tss_block.io_bitmap + io_bitmap_loaded.begin, 0xff,
                     io_bitmap_loaded.end - io_bitmap_loaded.begin);
    __builtin_memcpy(tss_block.io_bitmap + span.begin, bitmap + span.begin,
                     span.end - span.begin);
    io_bitmap_loaded = span;
    io_bitmap_owner = owner;
  }
  tss.io_map_base = kIoBitmapOffset;
}

void tss_deny_every_port() { tss.io_map_base = kNoIoBitmap; }
void tss_allow_every_port() { tss.io_map_base = kEveryPortOffset; }

void tss_forget_io_bitmap(const void* owner) {
  if (io_bitmap_owner != owner) return;
  io_bitmap_owner = nullptr;
  tss.io_map_base = kNoIoBitmap;
}

StackBounds double_fault_stack() {
  return {reinterpret_cast<uint64_t>(double_fault_stack_bottom),
          reinterpret_cast<uint64_t>(double_fault_stack_top)};
}

StackBounds boot_stack() {
  return {reinterpret_cast<uint64_t>(boot_stack_bottom),
          reinterpret_cast<uint64_t>(boot_stack_top)};
}

}  // namespace arch
