// PageTable: walks and edits the PML4 -> PDPT -> PD -> PT hierarchy of Intel SDM vol. 3A §4.5,
// reaching every table only through the PageTableEnvironment.
#include "lib/mm/page_table.h"

#include "lib/mm/page_entry.h"

namespace bm {
namespace {

namespace pe = page_entry;

static_assert(kPageWritable == pe::kWritable && kPageUser == pe::kUser &&
                  kPageWriteThrough == pe::kWriteThrough &&
                  kPageCacheDisable == pe::kCacheDisable && kPageGlobal == pe::kGlobal &&
                  kPageNoExecute == pe::kNoExecute,
              "PageFlags are the hardware entry bits");

// Level of a table in the walk; the linear-address bits that index it start at 12 + 9 * level.
constexpr int kPtLevel = 0;
constexpr int kPdLevel = 1;
constexpr int kPdptLevel = 2;
constexpr int kPml4Level = 3;

// Size and frame-address mask of a leaf found at each level (PS=1 at PD / PDPT level).
constexpr uint64_t kLeafSize[] = {kPageSize, kLargePageSize, kHugePageSize};
constexpr uint64_t kLeafAddressMask[] = {pe::kAddressMask, pe::kLargeAddressMask,
                                         pe::kHugeAddressMask};

// Unaligned, so table_at() refuses it: a destroyed PageTable fails every call with kMalformed.
constexpr PhysAddr kNoRoot = ~0ull;

constexpr uint64_t index_of(VirtAddr virt, int level) {
  return (virt >> (12 + 9 * level)) & (pe::kEntriesPerTable - 1);
}

// Sign-extends bit 47 (SDM vol. 3A §3.3.7.1: with 4-level paging a linear address is canonical
// when bits 63..48 equal bit 47). Arithmetic right shift is well defined since C++20.
constexpr VirtAddr canonicalize(VirtAddr virt) {
  return static_cast<VirtAddr>(static_cast<int64_t>(virt << 16) >> 16);
}
constexpr bool is_canonical(VirtAddr virt) { return canonicalize(virt) == virt; }

constexpr bool is_kernel_half(VirtAddr virt) {
  return index_of(virt, kPml4Level) >= pe::kKernelHalfFirstIndex;
}

constexpr bool fits_physical(PhysAddr phys) { return (phys >> pe::kPhysicalAddressBits) == 0; }

constexpr bool is_leaf(uint64_t entry, int level) {
  return level == kPtLevel || (entry & pe::kPageSizeBit) != 0;
}

// PS is reserved in a PML4E (SDM vol. 3A §4.5); a table with it set was not built by us.
constexpr bool is_malformed(uint64_t entry, int level) {
  return level == kPml4Level && (entry & pe::kPageSizeBit) != 0;
}

// Intermediate entries grant everything the leaf may need so that the leaf alone decides
// (SDM vol. 3A §4.6 combines rights of all levels); U only above user leaves, never XD.
constexpr uint64_t link_bits(uint64_t leaf_flags) {
  return pe::kPresent | pe::kWritable | (leaf_flags & pe::kUser);
}

Result<void> check_leaf(VirtAddr virt, PhysAddr phys, uint64_t flags, uint64_t size) {
  if (virt % size != 0 || phys % size != 0) return Error::kNotAligned;
  if (!is_canonical(virt)) return Error::kNotCanonical;
  if (!fits_physical(phys)) return Error::kOutOfRange;
  if ((flags & ~kAllowedPageFlags) != 0) return Error::kInvalidArgument;
  return {};
}

// A non-empty page-aligned range that stays in one canonical half.
Result<void> check_range(VirtAddr virt, uint64_t bytes) {
  if (virt % kPageSize != 0 || bytes % kPageSize != 0) return Error::kNotAligned;
  const VirtAddr last = virt + (bytes - 1);
  if (last < virt || !is_canonical(virt) || !is_canonical(last) || ((virt ^ last) >> 47) != 0) {
    return Error::kNotCanonical;
  }
  return {};
}

uint64_t* table_at(PageTableEnvironment& env, PhysAddr table) {
  if (table % kPageSize != 0 || !fits_physical(table)) return nullptr;
  return static_cast<uint64_t*>(env.physical_to_virtual(table));
}

void zero_table(uint64_t* table) {
  for (uint64_t i = 0; i < pe::kEntriesPerTable; ++i) table[i] = 0;
}

// Only an all-zero table is freed: we write zero when unmapping, so anything else (even a
// not-present entry) was put there by someone else and is kept.
bool is_empty(const uint64_t* table) {
  for (uint64_t i = 0; i < pe::kEntriesPerTable; ++i) {
    if (table[i] != 0) return false;
  }
  return true;
}

// Rights accumulated along a walk (SDM vol. 3A §4.6).
struct Access {
  bool writable = true;
  bool user = true;
  bool no_execute = false;
};

void narrow(Access& access, uint64_t entry) {
  access.writable = access.writable && (entry & pe::kWritable) != 0;
  access.user = access.user && (entry & pe::kUser) != 0;
  access.no_execute = access.no_execute || (entry & pe::kNoExecute) != 0;
}

uint64_t effective_flags(const Access& access, uint64_t leaf) {
  return (leaf & (pe::kWriteThrough | pe::kCacheDisable | pe::kGlobal | kPageOwned)) |
         (access.writable ? pe::kWritable : 0) | (access.user ? pe::kUser : 0) |
         (access.no_execute ? pe::kNoExecute : 0);
}

// The tables visited on the way to a leaf: tables[level] and its physical address.
struct Walk {
  uint64_t* tables[4] = {};
  PhysAddr physical[4] = {};
  uint64_t& entry(VirtAddr virt, int level) { return tables[level][index_of(virt, level)]; }
};

// Follows existing tables down to the leaf at `leaf_level`, which must be present and of that
// size: kNotMapped if it is absent, kInvalidArgument if the address is mapped with another size.
Result<void> walk_to_leaf(PageTableEnvironment& env, PhysAddr root, VirtAddr virt, int leaf_level,
                          Walk& walk) {
  walk.physical[kPml4Level] = root;
  walk.tables[kPml4Level] = table_at(env, root);
  if (walk.tables[kPml4Level] == nullptr) return Error::kMalformed;
  for (int level = kPml4Level; level > leaf_level; --level) {
    const uint64_t entry = walk.entry(virt, level);
    if ((entry & pe::kPresent) == 0) return Error::kNotMapped;
    if (is_malformed(entry, level)) return Error::kMalformed;
    if (is_leaf(entry, level)) return Error::kInvalidArgument;
    walk.physical[level - 1] = entry & pe::kAddressMask;
    walk.tables[level - 1] = table_at(env, walk.physical[level - 1]);
    if (walk.tables[level - 1] == nullptr) return Error::kMalformed;
  }
  const uint64_t leaf = walk.entry(virt, leaf_level);
  if ((leaf & pe::kPresent) == 0) return Error::kNotMapped;
  if (!is_leaf(leaf, leaf_level)) return Error::kInvalidArgument;
  return {};
}

void free_tables(PageTableEnvironment& env, const PhysAddr* tables, int count) {
  for (int i = 0; i < count; ++i) env.free_table(tables[i]);
}

Result<void> map_leaf(PageTableEnvironment& env, PhysAddr root, VirtAddr virt, PhysAddr phys,
                      uint64_t flags, int leaf_level) {
  // First only read, to learn how many tables are missing, so that every allocation happens
  // before the first write and a failure leaves the hierarchy exactly as it was.
  Walk walk;
  walk.tables[kPml4Level] = table_at(env, root);
  if (walk.tables[kPml4Level] == nullptr) return Error::kMalformed;
  int level = kPml4Level;
  for (; level > leaf_level; --level) {
    const uint64_t entry = walk.entry(virt, level);
    if ((entry & pe::kPresent) == 0) break;
    if (is_malformed(entry, level)) return Error::kMalformed;
    if (is_leaf(entry, level)) return Error::kAlreadyMapped;  // a larger page covers virt
    walk.tables[level - 1] = table_at(env, entry & pe::kAddressMask);
    if (walk.tables[level - 1] == nullptr) return Error::kMalformed;
  }
  if (level == leaf_level && (walk.entry(virt, level) & pe::kPresent) != 0) {
    return Error::kAlreadyMapped;  // for a 2 MiB leaf this includes a page table of 4 KiB pages
  }

  const int missing = level - leaf_level;
  PhysAddr fresh[3] = {};
  uint64_t* fresh_tables[3] = {};
  for (int i = 0; i < missing; ++i) {
    Result<PhysAddr> frame = env.allocate_table();
    if (!frame.ok()) {
      free_tables(env, fresh, i);
      return frame.error();
    }
    fresh[i] = *frame;
    fresh_tables[i] = table_at(env, fresh[i]);
    if (fresh_tables[i] == nullptr) {
      free_tables(env, fresh, i + 1);
      return Error::kMalformed;
    }
    zero_table(fresh_tables[i]);
  }

  const uint64_t links = link_bits(flags);
  bool widened = false;
  int next_fresh = 0;
  for (int l = kPml4Level; l > leaf_level; --l) {
    uint64_t& entry = walk.entry(virt, l);
    if ((entry & pe::kPresent) == 0) {
      entry = fresh[next_fresh] | links;
      walk.tables[l - 1] = fresh_tables[next_fresh];
      ++next_fresh;
    } else if ((entry & links) != links) {
      entry |= links;
      widened = true;
    }
  }
  walk.entry(virt, leaf_level) =
      phys | flags | pe::kPresent | (leaf_level == kPtLevel ? 0 : pe::kPageSizeBit);
  // A new translation needs no flush (not-present entries are never cached, SDM vol. 3A
  // §4.10.2.3), but paging-structure caches may still hold an intermediate's old, narrower
  // rights, which would cause a spurious fault (§4.10.4.3).
  if (widened) env.invalidate(virt);
  return {};
}

Result<PhysAddr> unmap_leaf(PageTableEnvironment& env, PhysAddr root, VirtAddr virt,
                            int leaf_level) {
  Walk walk;
  BM_TRY(walk_to_leaf(env, root, virt, leaf_level, walk));
  uint64_t& leaf = walk.entry(virt, leaf_level);
  const PhysAddr frame = leaf & kLeafAddressMask[leaf_level];
  leaf = 0;

  // Free the tables this leaves empty, bottom up, but never the root and never a table of the
  // kernel half: every address space copies the kernel-half PML4 entries (copy_kernel_half),
  // so those PDPTs are shared and must live forever, and the PDs and PTs below them may be
  // cached by walks in other address spaces that this invalidate() does not reach.
  PhysAddr emptied[3] = {};
  int count = 0;
  if (!is_kernel_half(virt)) {
    for (int level = leaf_level; level < kPml4Level && is_empty(walk.tables[level]); ++level) {
      walk.entry(virt, level + 1) = 0;
      emptied[count++] = walk.physical[level];
    }
  }
  // Flush before the frames can be reused: invlpg also drops paging-structure cache entries
  // (SDM vol. 3A §4.10.4.1), which may still point at the freed tables.
  env.invalidate(virt);
  free_tables(env, emptied, count);
  return frame;
}

Result<void> visit(PageTableEnvironment& env, const uint64_t* table, int level, VirtAddr base,
                   const Access& above, MappingVisitor visitor, void* context) {
  for (uint64_t i = 0; i < pe::kEntriesPerTable; ++i) {
    const uint64_t entry = table[i];
    if ((entry & pe::kPresent) == 0) continue;
    if (is_malformed(entry, level)) return Error::kMalformed;
    const VirtAddr virt = canonicalize(base | (i << (12 + 9 * level)));
    Access access = above;
    narrow(access, entry);
    if (is_leaf(entry, level)) {
      const Translation translation{entry & kLeafAddressMask[level], effective_flags(access, entry),
                                    kLeafSize[level]};
      visitor(context, virt, translation);
      continue;
    }
    const uint64_t* child = table_at(env, entry & pe::kAddressMask);
    if (child == nullptr) return Error::kMalformed;
    BM_TRY(visit(env, child, level - 1, virt, access, visitor, context));
  }
  return {};
}

// Frees `table` and the tables below it; leaves (large pages included) are not tables.
void free_subtree(PageTableEnvironment& env, PhysAddr table, int level) {
  const uint64_t* entries = table_at(env, table);
  if (entries == nullptr) return;  // not a frame we could have allocated
  if (level > kPtLevel) {
    for (uint64_t i = 0; i < pe::kEntriesPerTable; ++i) {
      const uint64_t entry = entries[i];
      if ((entry & pe::kPresent) != 0 && !is_leaf(entry, level)) {
        free_subtree(env, entry & pe::kAddressMask, level - 1);
      }
    }
  }
  env.free_table(table);
}

}  // namespace

Result<PageTable> PageTable::create(PageTableEnvironment& env) {
  Result<PhysAddr> root = env.allocate_table();
  if (!root.ok()) return root.error();
  uint64_t* entries = table_at(env, *root);
  if (entries == nullptr) {
    env.free_table(*root);
    return Error::kMalformed;
  }
  zero_table(entries);
  return PageTable(env, *root);
}

Result<void> PageTable::map(VirtAddr virt, PhysAddr phys, uint64_t flags) {
  BM_TRY(check_leaf(virt, phys, flags, kPageSize));
  return map_leaf(*env_, root_, virt, phys, flags, kPtLevel);
}

Result<void> PageTable::map_large(VirtAddr virt, PhysAddr phys, uint64_t flags) {
  BM_TRY(check_leaf(virt, phys, flags, kLargePageSize));
  return map_leaf(*env_, root_, virt, phys, flags, kPdLevel);
}

Result<PhysAddr> PageTable::unmap(VirtAddr virt) {
  if (virt % kPageSize != 0) return Error::kNotAligned;
  if (!is_canonical(virt)) return Error::kNotCanonical;
  return unmap_leaf(*env_, root_, virt, kPtLevel);
}

Result<PhysAddr> PageTable::unmap_large(VirtAddr virt) {
  if (virt % kLargePageSize != 0) return Error::kNotAligned;
  if (!is_canonical(virt)) return Error::kNotCanonical;
  return unmap_leaf(*env_, root_, virt, kPdLevel);
}

Result<Translation> PageTable::translate(VirtAddr virt) const {
  if (!is_canonical(virt)) return Error::kNotCanonical;
  const uint64_t* table = table_at(*env_, root_);
  if (table == nullptr) return Error::kMalformed;
  Access access;
  for (int level = kPml4Level;; --level) {
    const uint64_t entry = table[index_of(virt, level)];
    if ((entry & pe::kPresent) == 0) return Error::kNotMapped;
    if (is_malformed(entry, level)) return Error::kMalformed;
    narrow(access, entry);
    if (is_leaf(entry, level)) {
      const uint64_t size = kLeafSize[level];
      return Translation{(entry & kLeafAddressMask[level]) + (virt & (size - 1)),
                         effective_flags(access, entry), size};
    }
    table = table_at(*env_, entry & pe::kAddressMask);
    if (table == nullptr) return Error::kMalformed;
  }
}

Result<void> PageTable::protect(VirtAddr virt, uint64_t flags) {
  if (virt % kPageSize != 0) return Error::kNotAligned;
  if (!is_canonical(virt)) return Error::kNotCanonical;
  if ((flags & ~kAllowedPageFlags) != 0) return Error::kInvalidArgument;
  Walk walk;
  BM_TRY(walk_to_leaf(*env_, root_, virt, kPtLevel, walk));
  const uint64_t links = link_bits(flags);
  for (int level = kPml4Level; level > kPtLevel; --level) walk.entry(virt, level) |= links;
  // Keep the frame, A/D, PAT and the software-available bits; replace only the permissions.
  uint64_t& leaf = walk.entry(virt, kPtLevel);
  leaf = (leaf & ~kAllowedPageFlags) | flags | pe::kPresent;
  env_->invalidate(virt);
  return {};
}

Result<void> PageTable::map_range(VirtAddr virt, PhysAddr phys, uint64_t bytes, uint64_t flags) {
  if (bytes == 0) return check_leaf(virt, phys, flags, kPageSize);  // validates, maps nothing
  if (phys % kPageSize != 0) return Error::kNotAligned;
  BM_TRY(check_range(virt, bytes));
  const PhysAddr phys_last = phys + (bytes - 1);
  if (phys_last < phys || !fits_physical(phys_last)) return Error::kOutOfRange;
  if ((flags & ~kAllowedPageFlags) != 0) return Error::kInvalidArgument;
  for (uint64_t offset = 0; offset < bytes; offset += kPageSize) {
    Result<void> mapped = map_leaf(*env_, root_, virt + offset, phys + offset, flags, kPtLevel);
    if (!mapped.ok()) {
      // Only pages this call mapped are undone; they cannot fail to unmap.
      while (offset != 0) {
        offset -= kPageSize;
        (void)unmap_leaf(*env_, root_, virt + offset, kPtLevel);
      }
      return mapped.error();
    }
  }
  return {};
}

Result<void> PageTable::map_large_range(VirtAddr virt, PhysAddr phys, uint64_t bytes,
                                        uint64_t flags) {
  if (bytes % kLargePageSize != 0) return Error::kNotAligned;
  uint64_t done = 0;
  while (done < bytes) {
    // The first 2 MiB page of each page directory goes through map_large,
    // which checks everything and creates the tables; the rest of that
    // directory is filled directly, each entry checked for being free.
    Result<void> mapped = map_large(virt + done, phys + done, flags);
    if (mapped.ok()) {
      Walk walk;
      (void)walk_to_leaf(*env_, root_, virt + done, kPdLevel, walk);  // just mapped
      done += kLargePageSize;
      while (done < bytes && index_of(virt + done, kPdLevel) != 0) {
        uint64_t& entry = walk.entry(virt + done, kPdLevel);
        if ((entry & pe::kPresent) != 0) {
          mapped = Error::kAlreadyMapped;
          break;
        }
        entry = (phys + done) | flags | pe::kPresent | pe::kPageSizeBit;
        done += kLargePageSize;
      }
    }
    if (!mapped.ok()) {
      while (done != 0) {  // only pages this call mapped are undone
        done -= kLargePageSize;
        (void)unmap_leaf(*env_, root_, virt + done, kPdLevel);
      }
      return mapped.error();
    }
  }
  return {};
}

Result<void> PageTable::unmap_range(VirtAddr virt, uint64_t bytes) {
  if (bytes == 0) {
    if (virt % kPageSize != 0) return Error::kNotAligned;
    if (!is_canonical(virt)) return Error::kNotCanonical;
    return {};
  }
  BM_TRY(check_range(virt, bytes));
  // Check everything first so a hole fails the call before anything changed.
  for (uint64_t offset = 0; offset < bytes; offset += kPageSize) {
    Walk walk;
    BM_TRY(walk_to_leaf(*env_, root_, virt + offset, kPtLevel, walk));
  }
  for (uint64_t offset = 0; offset < bytes; offset += kPageSize) {
    BM_TRY(unmap_leaf(*env_, root_, virt + offset, kPtLevel));
  }
  return {};
}

Result<void> PageTable::for_each_mapping(MappingVisitor visitor, void* context) const {
  if (visitor == nullptr) return Error::kInvalidArgument;
  const uint64_t* root = table_at(*env_, root_);
  if (root == nullptr) return Error::kMalformed;
  return visit(*env_, root, kPml4Level, 0, Access{}, visitor, context);
}

Result<void> PageTable::prepare_top_level(VirtAddr virt) {
  if (!is_canonical(virt)) return Error::kNotCanonical;
  if (!is_kernel_half(virt)) return Error::kInvalidArgument;
  uint64_t* root = table_at(*env_, root_);
  if (root == nullptr) return Error::kMalformed;
  uint64_t& entry = root[index_of(virt, kPml4Level)];
  if ((entry & pe::kPresent) != 0) return {};
  Result<PhysAddr> frame = env_->allocate_table();
  if (!frame.ok()) return frame.error();
  uint64_t* table = table_at(*env_, *frame);
  if (table == nullptr) {
    env_->free_table(*frame);
    return Error::kMalformed;
  }
  zero_table(table);
  entry = *frame | link_bits(kPageWritable);
  return {};
}

Result<void> PageTable::copy_kernel_half(const PageTable& source) {
  uint64_t* to = table_at(*env_, root_);
  const uint64_t* from = table_at(*source.env_, source.root_);
  if (to == nullptr || from == nullptr) return Error::kMalformed;
  for (uint64_t i = pe::kKernelHalfFirstIndex; i < pe::kEntriesPerTable; ++i) to[i] = from[i];
  return {};
}

void PageTable::destroy() {
  uint64_t* root = table_at(*env_, root_);
  if (root == nullptr) return;  // already destroyed
  for (uint64_t i = 0; i < pe::kKernelHalfFirstIndex; ++i) {
    const uint64_t entry = root[i];
    if ((entry & pe::kPresent) != 0 && !is_malformed(entry, kPml4Level)) {
      free_subtree(*env_, entry & pe::kAddressMask, kPdptLevel);
    }
  }
  env_->free_table(root_);
  root_ = kNoRoot;
}

}  // namespace bm
