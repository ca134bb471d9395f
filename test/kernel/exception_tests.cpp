// Exceptions the kernel must survive or report: breakpoints return, page
// faults are reported with the right CR2 and error code, the section rights
// hold, and a kernel stack overflow lands in #DF on its own IST stack.
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/exception_fixups.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/boot/exceptions.h"
#include "kernel/debug/kernel_test.h"
#include "kernel/debug/log.h"
#include "kernel/mm/kernel_paging.h"
#include "test/kernel/jump_context.h"

extern "C" uint8_t boot_cpu_has_nx;

namespace {

// Page-fault error code bits (Intel SDM vol. 3A §4.7).
constexpr uint64_t kPfPresent = 1 << 0;
constexpr uint64_t kPfWrite = 1 << 1;
constexpr uint64_t kPfUser = 1 << 2;
constexpr uint64_t kPfInstructionFetch = 1 << 4;

const uint64_t kReadOnlyValue = 0x5eed;

}  // namespace

KERNEL_TEST(breakpoint_exception_returns) {
  uint64_t before = kernel::breakpoint_count();
  asm volatile("int3");
  KEXPECT(kernel::breakpoint_count() == before + 1);
}

KERNEL_TEST(page_fault_on_unmapped_address_reports_cr2) {
  const uint64_t address = KERNEL_TEST_AREA_BASE + 0x1238;
  uint64_t value = 0;
  uint64_t faults_before = arch::recovered_fault_count();
  KASSERT(safe_read_u64(reinterpret_cast<const uint64_t*>(address), &value) != 0);
  arch::FaultRecord fault = arch::last_recovered_fault();
  KEXPECT(arch::recovered_fault_count() == faults_before + 1);
  KEXPECT(fault.vector == arch::kPageFault);
  KEXPECT(fault.cr2 == address);
  KEXPECT((fault.error_code & (kPfPresent | kPfWrite | kPfUser)) == 0);
}

KERNEL_TEST(write_to_rodata_faults_as_protection_violation) {
  auto* target = const_cast<uint64_t*>(&kReadOnlyValue);
  KASSERT(safe_write_u64(target, 1) != 0);
  arch::FaultRecord fault = arch::last_recovered_fault();
  KEXPECT(fault.vector == arch::kPageFault);
  KEXPECT(fault.cr2 == reinterpret_cast<uint64_t>(target));
  KEXPECT((fault.error_code & (kPfPresent | kPfWrite)) == (kPfPresent | kPfWrite));
  KEXPECT(kReadOnlyValue == 0x5eed);
}

KERNEL_TEST(write_to_kernel_text_faults) {
  auto* text = reinterpret_cast<uint64_t*>(&jump_context_save);
  KEXPECT(safe_write_u64(text, 0) != 0);
  KEXPECT(arch::last_recovered_fault().cr2 == reinterpret_cast<uint64_t>(text));
}

KERNEL_TEST(non_canonical_access_raises_general_protection) {
  uint64_t value;
  KASSERT(safe_read_u64(reinterpret_cast<const uint64_t*>(0x0000800000000000), &value) != 0);
  KEXPECT(arch::last_recovered_fault().vector == arch::kGeneralProtection);
}

namespace {

volatile bool fetch_fault_seen;
volatile uint64_t fetch_fault_error;
volatile uint64_t fetch_fault_cr2;

// Pretends the faulting call returned: pop the return address it pushed.
void on_fetch_fault(arch::InterruptFrame& frame) {
  fetch_fault_seen = true;
  fetch_fault_error = frame.error_code;
  fetch_fault_cr2 = arch::read_cr2();
  frame.rip = *reinterpret_cast<uint64_t*>(frame.rsp);
  frame.rsp += 8;
}

uint8_t data_page_code[16] = {0xc3};  // "ret", in a data section (RW + NX)

}  // namespace

KERNEL_TEST(executing_data_faults_when_cpu_has_nx) {
  if (boot_cpu_has_nx == 0) {
    // Without NX the CPU cannot forbid it; the kernel says so at boot.
    kernel::kprintf("  CPU has no NX: data pages are executable on this machine\n");
    return;
  }
  fetch_fault_seen = false;
  arch::InterruptHandler previous = arch::set_interrupt_handler(arch::kPageFault, on_fetch_fault);
  reinterpret_cast<void (*)()>(data_page_code)();
  arch::set_interrupt_handler(arch::kPageFault, previous);
  KEXPECT(fetch_fault_seen);
  KEXPECT(fetch_fault_cr2 == reinterpret_cast<uint64_t>(data_page_code));
  KEXPECT((fetch_fault_error & kPfInstructionFetch) != 0);
}

namespace {

JumpContext before_overflow;
volatile bool double_fault_seen;
volatile uint64_t double_fault_handler_rsp;
volatile uint64_t recursion_limit = ~0ull;  // volatile: the recursion is not provably endless

[[noreturn]] void resume_after_double_fault() { jump_context_resume(&before_overflow, 1); }

// The overflowed stack is lost; continue the test on the part of the boot
// stack that was live when the test saved its context.
void on_double_fault(arch::InterruptFrame& frame) {
  double_fault_seen = true;
  double_fault_handler_rsp = arch::read_rsp();
  frame.rip = reinterpret_cast<uint64_t>(&resume_after_double_fault);
  frame.rsp = ((before_overflow.rsp - 1024) & ~15ull) - 8;
}

[[gnu::noinline]] uint64_t overflow_stack(uint64_t depth) {
  volatile uint8_t frame_filler[512];
  frame_filler[0] = static_cast<uint8_t>(depth);
  if (depth >= recursion_limit) return 0;
  return overflow_stack(depth + 1) + frame_filler[0];
}

}  // namespace

KERNEL_TEST(kernel_stack_overflow_reaches_double_fault_handler_on_ist_stack) {
  double_fault_seen = false;
  arch::InterruptHandler previous =
      arch::set_interrupt_handler(arch::kDoubleFault, on_double_fault);
  if (jump_context_save(&before_overflow) == 0) {
    overflow_stack(0);
  }
  arch::set_interrupt_handler(arch::kDoubleFault, previous);
  KEXPECT(double_fault_seen);
  KEXPECT(arch::double_fault_stack().contains(double_fault_handler_rsp));
  KEXPECT(!arch::boot_stack().contains(double_fault_handler_rsp));
}
