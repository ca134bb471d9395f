// Raw layout of an x86_64 4-level paging-structure entry (Intel SDM vol. 3A §4.5, the tables
// "Format of a PML4 Entry", "...PDPTE...", "...PDE...", "...Page-Table Entry..."). Internal to
// page_table.cpp, and used by tests that build tables by hand.
#pragma once

#include <stdint.h>

namespace bm::page_entry {

constexpr uint64_t kPresent = 1ull << 0;
constexpr uint64_t kWritable = 1ull << 1;
constexpr uint64_t kUser = 1ull << 2;
constexpr uint64_t kWriteThrough = 1ull << 3;
constexpr uint64_t kCacheDisable = 1ull << 4;
constexpr uint64_t kAccessed = 1ull << 5;
constexpr uint64_t kDirty = 1ull << 6;        // leaves only
constexpr uint64_t kPageSizeBit = 1ull << 7;  // PS in a PDPTE/PDE: the entry is a leaf
constexpr uint64_t kGlobal = 1ull << 8;       // leaves only
constexpr uint64_t kNoExecute = 1ull << 63;

// Physical address fields, assuming the architectural maximum MAXPHYADDR of 52 bits: bits 51:12
// for a table pointer or 4 KiB frame, 51:21 for a 2 MiB page, 51:30 for a 1 GiB page. Bits
// 62:52 are ignored (or protection keys) and bit 12 of a large leaf is PAT, so masking matters.
constexpr uint64_t kPhysicalAddressBits = 52;
constexpr uint64_t kAddressMask = 0x000f'ffff'ffff'f000ull;
constexpr uint64_t kLargeAddressMask = 0x000f'ffff'ffe0'0000ull;
constexpr uint64_t kHugeAddressMask = 0x000f'ffff'c000'0000ull;

constexpr uint64_t kEntriesPerTable = 512;       // 4 KiB table of 8-byte entries, 9 index bits
constexpr uint64_t kKernelHalfFirstIndex = 256;  // PML4 slots 256..511 map 0xffff800000000000+

}  // namespace bm::page_entry
