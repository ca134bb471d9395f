// Human-readable exception report. The page-fault error code bits are from
// Intel SDM vol. 3A §4.7, figure 4-12.
#include "kernel/debug/fault_report.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/debug/backtrace.h"
#include "kernel/debug/log.h"
#include "kernel/debug/panic.h"

namespace kernel {
namespace {

constexpr uint64_t kPfPresent = 1 << 0;     // 0: page not present, 1: protection violation
constexpr uint64_t kPfWrite = 1 << 1;
constexpr uint64_t kPfUser = 1 << 2;
constexpr uint64_t kPfReservedBit = 1 << 3;
constexpr uint64_t kPfInstructionFetch = 1 << 4;

void print_page_fault_details(uint64_t error_code, uint64_t cr2) {
  kprintf("  CR2=0x%016lx  (%s, %s, %s mode, %s%s)\n", cr2,
          error_code & kPfPresent ? "protection violation" : "page not present",
          error_code & kPfWrite ? "write" : "read", error_code & kPfUser ? "user" : "kernel",
          error_code & kPfInstructionFetch ? "instruction fetch" : "data access",
          error_code & kPfReservedBit ? ", reserved bit set" : "");
}

}  // namespace

void print_fault_report(const arch::InterruptFrame& f) {
  uint8_t vector = static_cast<uint8_t>(f.vector);
  kprintf("\n*** CPU exception %u %s (%s), error code %#lx ***\n", vector,
          arch::exception_mnemonic(vector), arch::exception_name(vector), f.error_code);
  if (vector == arch::kPageFault) {
    print_page_fault_details(f.error_code, arch::read_cr2());
  } else {
    kprintf("  CR2=0x%016lx\n", arch::read_cr2());
  }
  kprintf("  RIP=0x%016lx  CS=0x%04lx  RFLAGS=0x%08lx\n", f.rip, f.cs, f.rflags);
  kprintf("  RSP=0x%016lx  SS=0x%04lx  CR3=0x%016lx\n", f.rsp, f.ss, arch::read_cr3());
  // Three registers a line keeps the dump inside the 80-column screen.
  kprintf("  RAX=%016lx RBX=%016lx RCX=%016lx\n", f.rax, f.rbx, f.rcx);
  kprintf("  RDX=%016lx RSI=%016lx RDI=%016lx\n", f.rdx, f.rsi, f.rdi);
  kprintf("  RBP=%016lx R8 =%016lx R9 =%016lx\n", f.rbp, f.r8, f.r9);
  kprintf("  R10=%016lx R11=%016lx R12=%016lx\n", f.r10, f.r11, f.r12);
  kprintf("  R13=%016lx R14=%016lx R15=%016lx\n", f.r13, f.r14, f.r15);
  print_backtrace(f.rbp);
}

void report_fault_and_halt(const arch::InterruptFrame& frame) {
  log_enter_panic_mode();
  print_fault_report(frame);
  halt_after_fatal_error();
}

}  // namespace kernel
