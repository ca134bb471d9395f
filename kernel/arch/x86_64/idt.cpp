// IDT set-up and the C++ side of interrupt entry: dispatch to the handler
// registered for the vector, or report an unexpected exception and halt.
#include "kernel/arch/x86_64/idt.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "lib/abi/exception_names.h"

static_assert(arch::kExceptionCount == bm::abi::kExceptionVectorCount);

extern "C" const uint64_t interrupt_stub_table[arch::kStubCount];

namespace arch {
namespace {

// 64-bit interrupt gate descriptor (Intel SDM vol. 3A §6.14.1, figure 6-8).
struct [[gnu::packed]] GateDescriptor {
  uint16_t offset_low;
  uint16_t selector;
  uint8_t ist;
  uint8_t type_attributes;
  uint16_t offset_middle;
  uint32_t offset_high;
  uint32_t reserved;
};
static_assert(sizeof(GateDescriptor) == 16);

// Present, DPL 0, type 0xE (64-bit interrupt gate: IF is cleared on entry).
constexpr uint8_t kInterruptGate = 0x8e;
// Same, DPL 3: int3 from ring 3 is allowed (debuggers), other vectors are not.
constexpr uint8_t kUserCallableInterruptGate = 0xee;

GateDescriptor idt[256];
InterruptHandler handlers[256];
InterruptHooks hooks;

[[noreturn]] void unexpected_exception(const InterruptFrame& frame) {
  if (hooks.unexpected != nullptr) hooks.unexpected(frame);
  halt_forever();  // before the hooks exist nothing can report it
}

struct [[gnu::packed]] IdtPointer {
  uint16_t limit;
  uint64_t base;
};

void set_gate(uint8_t vector, uint64_t entry, uint8_t ist, uint8_t attributes) {
  idt[vector] = GateDescriptor{
      static_cast<uint16_t>(entry & 0xffff), kKernelCodeSelector, ist, attributes,
      static_cast<uint16_t>((entry >> 16) & 0xffff), static_cast<uint32_t>(entry >> 32), 0};
}

}  // namespace

const char* exception_name(uint8_t vector) { return bm::abi::exception_name(vector); }
const char* exception_mnemonic(uint8_t vector) { return bm::abi::exception_mnemonic(vector); }

void idt_init() {
  for (uint8_t vector = 0; vector < kStubCount; ++vector) {
    uint8_t ist = 0;
    if (vector == kDoubleFault) ist = kIstDoubleFault;
    if (vector == kNmi) ist = kIstNmi;
    if (vector == kMachineCheck) ist = kIstMachineCheck;
    uint8_t attributes = vector == kBreakpoint ? kUserCallableInterruptGate : kInterruptGate;
    set_gate(vector, interrupt_stub_table[vector], ist, attributes);
  }
  IdtPointer pointer{sizeof(idt) - 1, reinterpret_cast<uint64_t>(idt)};
  asm volatile("lidt %0" : : "m"(pointer));
}

InterruptHandler set_interrupt_handler(uint8_t vector, InterruptHandler handler) {
  InterruptHandler previous = handlers[vector];
  handlers[vector] = handler;
  return previous;
}

void set_interrupt_hooks(const InterruptHooks& new_hooks) { hooks = new_hooks; }

}  // namespace arch

extern "C" void interrupt_dispatch(arch::InterruptFrame* frame) {
  uint8_t vector = static_cast<uint8_t>(frame->vector);
  bool from_user = (frame->cs & 3) != 0;
  if (from_user && vector < arch::kExceptionCount && vector != arch::kBreakpoint &&
      vector != arch::kNmi && vector != arch::kMachineCheck &&
      vector != arch::kDeviceNotAvailable) {
    // A ring-3 fault concerns only its task (NMI and #MC concern the machine;
    // #NM is the kernel's lazy FPU switching, not the task's fault).
    if (arch::hooks.user_fault == nullptr) arch::unexpected_exception(*frame);
    arch::hooks.user_fault(*frame);
  } else if (arch::InterruptHandler handler = arch::handlers[vector]) {
    handler(*frame);
  } else {
    // An exception we did not expect in the kernel. Continuing could corrupt
    // state, so report everything we know and stop.
    arch::unexpected_exception(*frame);
  }
  // Interrupts from ring 3 are the preemption points (the kernel itself runs
  // with interrupts off, idle excepted, which reschedules on its own).
  if (from_user && arch::hooks.returning_to_user != nullptr) arch::hooks.returning_to_user();
}
