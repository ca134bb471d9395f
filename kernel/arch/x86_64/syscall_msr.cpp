// Model-specific registers of the fast system-call mechanism (Intel SDM
// vol. 4, table 2-2: IA32_EFER, IA32_STAR, IA32_LSTAR, IA32_FMASK).
#include "kernel/arch/x86_64/syscall_msr.h"

#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "lib/core/rflags.h"

extern "C" void syscall_entry();

namespace arch {
namespace {

constexpr uint32_t kMsrEfer = 0xc0000080;
constexpr uint32_t kMsrStar = 0xc0000081;
constexpr uint32_t kMsrLstar = 0xc0000082;
constexpr uint32_t kMsrFmask = 0xc0000084;
constexpr uint64_t kEferSyscallEnable = 1 << 0;

// Everything but the reserved bit 1: the kernel runs every system call with
// RFLAGS = 0x2 whatever ring 3 left there. NT is the one that bites: iretq
// with NT set raises #GP in ring 0 (SDM vol. 2A IRET), and interrupt gates
// clear it but syscall does not. sysret restores the user's RFLAGS from r11.
constexpr uint64_t kSyscallFlagMask = bm::rflags::kUserSettable | bm::rflags::kInterrupt |
                                      bm::rflags::kIoPrivilege | bm::rflags::kResume;
static_assert(kSyscallFlagMask == 0x257fd5, "every RFLAGS bit but 1 and the VM/VIF/VIP bits");

}  // namespace

void syscall_init() {
  write_msr(kMsrEfer, read_msr(kMsrEfer) | kEferSyscallEnable);
  // syscall loads CS from STAR[47:32] (SS = +8); sysret loads CS from
  // STAR[63:48] + 16 and SS from STAR[63:48] + 8, both with RPL 3. So the
  // base 0x10 yields user SS 0x18 and CS 0x20, the order gdt.h fixes.
  constexpr uint64_t kSysretBase = kKernelDataSelector;
  write_msr(kMsrStar, (kSysretBase << 48) | (static_cast<uint64_t>(kKernelCodeSelector) << 32));
  write_msr(kMsrLstar, reinterpret_cast<uint64_t>(&syscall_entry));
  write_msr(kMsrFmask, kSyscallFlagMask);
}

}  // namespace arch
