// Protections the CPU offers against a ring-3 program that probes or tricks
// the kernel: UMIP, SMEP and SMAP, each turned on when CPUID reports it.
#pragma once

namespace arch {

struct CpuProtection {
  bool umip = false;  // sgdt/sidt/sldt/smsw/str fault in ring 3
  bool smep = false;  // the kernel cannot execute user pages
  bool smap = false;  // the kernel cannot read or write user pages
};

// Enables what the CPU has and returns what is on. The kernel reaches user
// memory only through the direct map (AddressSpace::copy_*_user), so SMAP
// needs no stac/clac anywhere.
CpuProtection cpu_protection_init();
const CpuProtection& cpu_protection();

}  // namespace arch
