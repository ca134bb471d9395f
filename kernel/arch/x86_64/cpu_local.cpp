// GS-based per-CPU block. While in ring 0 GS_BASE holds it; on entry from
// ring 3 swapgs exchanges GS_BASE with KERNEL_GS_BASE (Intel SDM vol. 2B
// SWAPGS), so KERNEL_GS_BASE holds it while user code runs.
#include "kernel/arch/x86_64/cpu_local.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"

namespace arch {
namespace {

constexpr uint32_t kMsrGsBase = 0xc0000101;
constexpr uint32_t kMsrKernelGsBase = 0xc0000102;

CpuLocal boot_cpu;

}  // namespace

void cpu_local_init() {
  boot_cpu.self = &boot_cpu;
  write_msr(kMsrGsBase, reinterpret_cast<uint64_t>(&boot_cpu));
  // User code starts with a GS base of 0; swapgs on the way out puts it there.
  write_msr(kMsrKernelGsBase, 0);
}

CpuLocal& cpu_local() { return boot_cpu; }

void set_kernel_entry_stack(uint64_t stack_top) {
  boot_cpu.kernel_stack_top = stack_top;
  tss_set_kernel_stack(stack_top);
}

}  // namespace arch
