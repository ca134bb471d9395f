// UMIP, SMEP and SMAP: CPUID leaf 7 (Intel SDM vol. 2A CPUID, table 3-8)
// says which the CPU has; CR4 bits 11, 20 and 21 turn them on (SDM vol. 3A
// §2.5, §4.6.1).
#include "kernel/arch/x86_64/cpu_protection.h"

#include <stdint.h>

namespace arch {
namespace {

constexpr uint32_t kCpuidMaxLeaf = 0;
constexpr uint32_t kCpuidExtendedFeatures = 7;
constexpr uint32_t kLeaf7EbxSmep = 1u << 7;
constexpr uint32_t kLeaf7EbxSmap = 1u << 20;
constexpr uint32_t kLeaf7EcxUmip = 1u << 2;

constexpr uint64_t kCr4Umip = 1ull << 11;
constexpr uint64_t kCr4Smep = 1ull << 20;
constexpr uint64_t kCr4Smap = 1ull << 21;

struct CpuidResult {
  uint32_t eax, ebx, ecx, edx;
};

CpuidResult cpuid(uint32_t leaf, uint32_t subleaf) {
  CpuidResult r;
  asm volatile("cpuid"
               : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
               : "a"(leaf), "c"(subleaf));
  return r;
}

CpuProtection enabled;

}  // namespace

CpuProtection cpu_protection_init() {
  CpuProtection found;
  if (cpuid(kCpuidMaxLeaf, 0).eax >= kCpuidExtendedFeatures) {
    CpuidResult features = cpuid(kCpuidExtendedFeatures, 0);
    found.smep = (features.ebx & kLeaf7EbxSmep) != 0;
    found.smap = (features.ebx & kLeaf7EbxSmap) != 0;
    found.umip = (features.ecx & kLeaf7EcxUmip) != 0;
  }
  uint64_t cr4;
  asm volatile("mov %%cr4, %0" : "=r"(cr4));
  if (found.umip) cr4 |= kCr4Umip;
  if (found.smep) cr4 |= kCr4Smep;
  if (found.smap) cr4 |= kCr4Smap;
  asm volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
  enabled = found;
  return found;
}

const CpuProtection& cpu_protection() { return enabled; }

}  // namespace arch
