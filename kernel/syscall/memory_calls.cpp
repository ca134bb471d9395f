// Memory system calls.
//   memory_create(pages)                    -> rdi = handle (read, write, map, grant)
//   memory_map(space, memory, virt, flags)  space: a task handle (manage) or kOwnAddressSpace
//   memory_unmap(space, virt)
#include "kernel/obj/handles.h"
#include "kernel/obj/memory_object.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

namespace {

bm::Result<Task*> address_space_owner(bm::abi::Handle space) {
  Task* self = current_thread()->task;
  if (space == bm::abi::kOwnAddressSpace) return self;
  return lookup_object<Task>(self, space, bm::abi::kRightManage);
}

}  // namespace

Status sys_memory_create(arch::InterruptFrame& frame) {
  uint64_t pages = frame.rdi;
  if (pages == 0 || pages > bm::abi::kMaxMemoryObjectPages) return Status::kInvalidArgument;
  return install_new_object(frame, MemoryObject::create_frames(pages),
                            bm::abi::kRightRead | bm::abi::kRightWrite | bm::abi::kRightMap |
                                bm::abi::kRightGrant);
}

Status sys_memory_map(arch::InterruptFrame& frame) {
  auto owner = address_space_owner(static_cast<bm::abi::Handle>(frame.rdi));
  if (!owner) return to_status(owner.error());
  uint64_t flags = frame.r10;
  if ((flags & ~static_cast<uint64_t>(bm::abi::kMapWritable | bm::abi::kMapExecutable)) != 0 ||
      flags == (bm::abi::kMapWritable | bm::abi::kMapExecutable)) {
    return Status::kInvalidArgument;
  }
  uint32_t rights = bm::abi::kRightMap | ((flags & bm::abi::kMapWritable) ? bm::abi::kRightWrite : 0);
  auto entry = current_thread()->task->handles.lookup(static_cast<bm::abi::Handle>(frame.rsi),
                                                      bm::abi::ObjectType::kNone, rights);
  if (!entry) return to_status(entry.error());
  auto type = entry->object->object_type();
  if (type != bm::abi::ObjectType::kMemory && type != bm::abi::ObjectType::kDeviceMemory) {
    return Status::kWrongType;
  }
  uint64_t page_flags = 0;
  if (flags & bm::abi::kMapWritable) page_flags |= bm::kPageWritable;
  if ((flags & bm::abi::kMapExecutable) == 0) page_flags |= bm::kPageNoExecute;
  // Device registers must not be cached.
  if (type == bm::abi::ObjectType::kDeviceMemory) page_flags |= bm::kPageCacheDisable;
  auto mapped = (*owner)->address_space.map_object(static_cast<MemoryObject*>(entry->object),
                                                   frame.rdx, page_flags);
  if (!mapped) {
    return mapped.error() == bm::Error::kOutOfRange || mapped.error() == bm::Error::kNotAligned
               ? Status::kBadAddress
               : to_status(mapped.error());
  }
  return Status::kOk;
}

Status sys_memory_unmap(arch::InterruptFrame& frame) {
  auto owner = address_space_owner(static_cast<bm::abi::Handle>(frame.rdi));
  if (!owner) return to_status(owner.error());
  auto unmapped = (*owner)->address_space.unmap_object(frame.rsi);
  return unmapped ? Status::kOk : Status::kBadAddress;
}

}  // namespace kernel
