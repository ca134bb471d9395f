// Check values for in-band allocator metadata. A header is trusted only when its stored check
// equals the one recomputed from its own address, its fields and a per-heap cookie, so stray
// writes, stale headers and pointers from another heap are refused instead of followed.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm::alloc_internal {

// splitmix64's finaliser: every input bit affects every output bit.
constexpr uint64_t mix64(uint64_t value) {
  value ^= value >> 30;
  value *= 0xbf58476d1ce4e5b9ull;
  value ^= value >> 27;
  value *= 0x94d049bb133111ebull;
  value ^= value >> 31;
  return value;
}

// Differs per allocator object and per range, so identical layouts in two heaps do not
// validate in each other.
inline uint64_t make_cookie(const void* allocator, uintptr_t base) {
  return mix64(reinterpret_cast<uintptr_t>(allocator) ^ mix64(base ^ 0x6a09e667f3bcc909ull));
}

// Runs on every allocate and free, so it is one multiply deep: each field enters through a
// multiplication by an odd constant (a bijection), so a change to any single input always changes
// the 64-bit result, and a header copied to another address or into another heap (another
// cookie) never validates. Not a MAC: a writer who knows the cookie can forge a header; the
// check is there to catch bugs (stray writes, stale pointers, double frees), not attackers.
constexpr uint64_t header_check(uint64_t cookie, uintptr_t address, uint64_t field_a,
                                uint64_t field_b) {
  return cookie ^ address ^ (field_a * 0x9e3779b97f4a7c15ull) ^ (field_b * 0xc2b2ae3d27d4eb4full);
}

constexpr uint32_t fold32(uint64_t value) { return static_cast<uint32_t>(value ^ (value >> 32)); }

inline uintptr_t address_of(const void* ptr) { return reinterpret_cast<uintptr_t>(ptr); }

}  // namespace bm::alloc_internal
