// User address spaces. Frames a space allocated itself carry kPageOwned in
// their entries, so tearing the space down knows what to give back.
#include "kernel/obj/address_space.h"

#include "kernel/mm/kernel_heap.h"
#include "kernel/mm/physical_memory.h"
#include "kernel/obj/memory_object.h"
#include "lib/abi/syscalls.h"
#include "lib/core/utility.h"

namespace kernel {
namespace {

constexpr uint64_t kPage = bm::kPageSize;

bool is_user_range(uint64_t virt, uint64_t bytes) {
  return virt >= bm::abi::kUserSpaceBase && virt < bm::abi::kUserSpaceEnd &&
         bytes <= bm::abi::kUserSpaceEnd - virt;
}

struct FrameRelease {
  size_t freed = 0;
};

void release_owned_frame(void* context, bm::VirtAddr, const bm::Translation& translation) {
  if ((translation.flags & bm::kPageOwned) == 0) return;
  if (frame_allocator().free(translation.physical)) ++static_cast<FrameRelease*>(context)->freed;
}

}  // namespace

bm::Result<void> AddressSpace::init() {
  auto created = bm::PageTable::create(page_table_environment());
  if (!created) return created.error();
  table_ = *created;
  BM_TRY(table_.copy_kernel_half(kernel_page_table()));
  ready_ = true;
  return {};
}

void AddressSpace::destroy() {
  if (!ready_) return;
  while (object_mappings_ != nullptr) (void)unmap_object(object_mappings_->virt);
  FrameRelease release;
  // Kernel-half leaves are never owned, so the walk only frees user frames.
  (void)table_.for_each_mapping(release_owned_frame, &release);
  owned_frames_ -= bm::min(owned_frames_, release.freed);
  if (quota_ != nullptr) quota_->release(release.freed);
  table_.destroy();
  ready_ = false;
}

bm::Result<void> AddressSpace::map_fresh(uint64_t virt, uint64_t bytes, uint64_t flags) {
  if (virt % kPage != 0 || bytes % kPage != 0) return bm::Error::kNotAligned;
  if (!is_user_range(virt, bytes)) return bm::Error::kOutOfRange;
  for (uint64_t offset = 0; offset < bytes; offset += kPage) {
    if (quota_ != nullptr && !quota_->charge(1)) {
      (void)unmap(virt, offset);  // roll back what this call mapped
      return bm::Error::kOutOfMemory;
    }
    auto frame = frame_allocator().allocate();
    bm::Result<void> mapped = frame.ok() ? bm::Result<void>() : bm::Result<void>(frame.error());
    if (frame) {
      __builtin_memset(physical_to_virtual(*frame), 0, kPage);
      mapped = table_.map(virt + offset, *frame,
                          supported_page_flags(flags | bm::kPageUser | bm::kPageOwned));
      if (!mapped) (void)frame_allocator().free(*frame);
    }
    if (!mapped) {
      if (quota_ != nullptr) quota_->release(1);
      (void)unmap(virt, offset);  // roll back what this call mapped
      return mapped.error();
    }
    ++owned_frames_;
  }
  return {};
}

bm::Result<void> AddressSpace::map_foreign(uint64_t virt, uint64_t physical, uint64_t bytes,
                                           uint64_t flags) {
  if (virt % kPage != 0 || bytes % kPage != 0 || physical % kPage != 0) {
    return bm::Error::kNotAligned;
  }
  if (!is_user_range(virt, bytes)) return bm::Error::kOutOfRange;
  return table_.map_range(virt, physical, bytes,
                          supported_page_flags((flags | bm::kPageUser) & ~bm::kPageOwned));
}

bm::Result<void> AddressSpace::unmap(uint64_t virt, uint64_t bytes) {
  if (virt % kPage != 0 || bytes % kPage != 0) return bm::Error::kNotAligned;
  if (!is_user_range(virt, bytes)) return bm::Error::kOutOfRange;
  // Check first so a hole fails the whole call without changing anything.
  for (uint64_t offset = 0; offset < bytes; offset += kPage) {
    if (!table_.translate(virt + offset)) return bm::Error::kNotMapped;
  }
  for (uint64_t offset = 0; offset < bytes; offset += kPage) {
    auto translation = table_.translate(virt + offset);
    auto frame = table_.unmap(virt + offset);
    if (frame && translation && (translation->flags & bm::kPageOwned) != 0) {
      if (frame_allocator().free(*frame)) {
        --owned_frames_;
        if (quota_ != nullptr) quota_->release(1);
      }
    }
  }
  return {};
}

bm::Result<void> AddressSpace::map_object(MemoryObject* object, uint64_t first_page,
                                          uint64_t page_count, uint64_t virt, uint64_t flags) {
  if ((flags & bm::kPageWritable) != 0 && (flags & bm::kPageNoExecute) == 0) {
    return bm::Error::kInvalidArgument;  // W^X
  }
  uint64_t bytes = page_count * kPage;
  if (virt % kPage != 0) return bm::Error::kNotAligned;
  if (object_mapping_count_ >= kMaxObjectMappings) return bm::Error::kNoSlots;
  if (!is_user_range(virt, bytes)) return bm::Error::kOutOfRange;
  auto memory = kernel_allocate(sizeof(ObjectMapping), alignof(ObjectMapping));
  if (!memory) return bm::Error::kOutOfMemory;
  uint64_t page_flags = supported_page_flags((flags | bm::kPageUser) & ~bm::kPageOwned);
  for (uint64_t page = 0; page < page_count; ++page) {
    auto mapped =
        table_.map(virt + page * kPage, object->physical_page(first_page + page), page_flags);
    if (!mapped) {
      for (uint64_t undo = 0; undo < page; ++undo) (void)table_.unmap(virt + undo * kPage);
      (void)kernel_free(*memory);
      return mapped.error();
    }
  }
  object_mappings_ = new (*memory)
      ObjectMapping{RefPtr<MemoryObject>::retain(object), virt, bytes, object_mappings_};
  ++object_mapping_count_;
  return {};
}

bm::Result<void> AddressSpace::unmap_object(uint64_t virt) {
  for (ObjectMapping** link = &object_mappings_; *link != nullptr; link = &(*link)->next) {
    ObjectMapping* mapping = *link;
    if (mapping->virt != virt) continue;
    for (uint64_t offset = 0; offset < mapping->bytes; offset += kPage) {
      (void)table_.unmap(virt + offset);
    }
    *link = mapping->next;
    --object_mapping_count_;
    mapping->~ObjectMapping();  // drops the mapping's reference
    (void)kernel_free(mapping);
    return {};
  }
  return bm::Error::kNotMapped;
}

bm::Result<void> AddressSpace::check_user_range(uint64_t virt, size_t length,
                                                bool for_write) const {
  if (length == 0) return {};
  uint64_t last = virt + length - 1;
  if (last < virt) return bm::Error::kOutOfRange;  // wraps around
  if (virt < bm::abi::kUserSpaceBase || last >= bm::abi::kUserSpaceEnd) {
    // Distinguish addresses that are not even canonical (a common bug).
    bool canonical = virt < bm::abi::kLowerHalfEnd || virt >= bm::abi::kUpperHalfStart;
    return canonical ? bm::Error::kOutOfRange : bm::Error::kNotCanonical;
  }
  for (uint64_t page = bm::align_down(virt, kPage); page <= last; page += kPage) {
    auto translation = table_.translate(page);
    if (!translation) return bm::Error::kNotMapped;
    if ((translation->flags & bm::kPageUser) == 0) return bm::Error::kNotMapped;
    if (for_write && (translation->flags & bm::kPageWritable) == 0) {
      return bm::Error::kInvalidArgument;
    }
    if (page + kPage < page) break;  // last page of the address space
  }
  return {};
}

bm::Result<void> AddressSpace::copy_from_user(void* destination, uint64_t source,
                                              size_t length) const {
  BM_TRY(check_user_range(source, length, false));
  auto* out = static_cast<uint8_t*>(destination);
  while (length > 0) {
    auto translation = table_.translate(source);
    if (!translation) return bm::Error::kNotMapped;
    size_t chunk = bm::min<size_t>(length, kPage - (source % kPage));
    __builtin_memcpy(out, physical_to_virtual(translation->physical), chunk);
    out += chunk;
    source += chunk;
    length -= chunk;
  }
  return {};
}

bm::Result<void> AddressSpace::copy_to_user(uint64_t destination, const void* source,
                                            size_t length) {
  BM_TRY(check_user_range(destination, length, true));
  const auto* in = static_cast<const uint8_t*>(source);
  while (length > 0) {
    auto translation = table_.translate(destination);
    if (!translation) return bm::Error::kNotMapped;
    size_t chunk = bm::min<size_t>(length, kPage - (destination % kPage));
    __builtin_memcpy(physical_to_virtual(translation->physical), in, chunk);
    in += chunk;
    destination += chunk;
    length -= chunk;
  }
  return {};
}

}  // namespace kernel
