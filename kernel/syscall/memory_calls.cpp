// Memory system calls.
//   memory_create(pages, payer)             -> rdi = handle (read, write, map, grant)
//       payer: kOwnAddressSpace, or a task handle (manage) whose frame quota the frames count
//       against (a loader building a program's image in the task it made)
//   memory_map(space, memory, virt, flags)  space: a task handle (manage) or kOwnAddressSpace
//   memory_unmap(space, virt)
//   memory_map_range(space, memory, virt, flags, first_page, page_count)
#include "kernel/task/handles.h"
#include "kernel/obj/memory_object.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

namespace {

// Frames zeroed between two preemption points of a map: 256 KiB, a small part of a tick
// even under emulation.
constexpr uint64_t kZeroChunkPages = 64;

// The task whose address space (or, for memory_create, frame quota) a call
// names (an exited task has none left: kPeerGone).
Status address_space_owner(uint64_t raw_space, Task** owner) {
  Task* self = current_thread()->task;
  if (handle_out_of_range(raw_space)) return Status::kInvalidHandle;
  auto space = static_cast<bm::abi::Handle>(raw_space);
  if (space == bm::abi::kOwnAddressSpace) {
    *owner = self;
    return Status::kOk;
  }
  auto task = lookup_object<Task>(self, space, bm::abi::kRightManage);
  if (!task) return to_status(task.error());
  if (!(*task)->alive()) return Status::kPeerGone;
  *owner = *task;
  return Status::kOk;
}

}  // namespace

Status sys_memory_create(arch::InterruptFrame& frame) {
  uint64_t pages = frame.rdi;
  if (pages == 0 || pages > bm::abi::kMaxMemoryObjectPages) return Status::kInvalidArgument;
  Task* payer = nullptr;
  Status found = address_space_owner(frame.rsi, &payer);
  if (found != Status::kOk) return found;
  // The frames are committed now and zeroed when first mapped (MemoryObject::take_frames).
  auto* object = MemoryObject::reserve_frames(pages, payer->frame_quota, *payer);
  if (object == nullptr) return Status::kOutOfMemory;
  return install_new_object(frame, object,
                            bm::abi::kRightRead | bm::abi::kRightWrite | bm::abi::kRightMap |
                                bm::abi::kRightGrant);
}

namespace {

// One attempt of map_memory: *paused when pages still needed zeroing (a chunk of them got
// frames now; nothing is mapped yet), else the call's outcome.
Status map_memory_step(arch::InterruptFrame& frame, uint64_t first_page, uint64_t page_count,
                       bool* paused) {
  Task* owner = nullptr;
  Status found = address_space_owner(frame.rdi, &owner);
  if (found != Status::kOk) return found;
  uint64_t flags = frame.r10;
  if ((flags & ~static_cast<uint64_t>(bm::abi::kMapWritable | bm::abi::kMapExecutable)) != 0 ||
      flags == (bm::abi::kMapWritable | bm::abi::kMapExecutable)) {
    return Status::kInvalidArgument;
  }
  // Same order as every lookup: handle, then type, then rights.
  auto entry = current_thread()->task->handles.lookup(handle_argument(frame.rsi),
                                                      bm::abi::ObjectType::kNone, 0);
  if (!entry) return to_status(entry.error());
  auto type = entry->object->object_type();
  if (type != bm::abi::ObjectType::kMemory && type != bm::abi::ObjectType::kDeviceMemory) {
    return Status::kWrongType;
  }
  uint32_t rights = bm::abi::kRightMap | ((flags & bm::abi::kMapWritable) ? bm::abi::kRightWrite : 0);
  if ((entry->rights & rights) != rights) return Status::kNoRights;
  auto* object = static_cast<MemoryObject*>(entry->object);
  if (page_count == 0) page_count = object->pages();
  if (first_page >= object->pages() || page_count > object->pages() - first_page) {
    return Status::kInvalidArgument;
  }
  uint64_t page_flags = 0;
  if (flags & bm::abi::kMapWritable) page_flags |= bm::kPageWritable;
  if ((flags & bm::abi::kMapExecutable) == 0) page_flags |= bm::kPageNoExecute;
  // Device registers must not be cached.
  if (type == bm::abi::ObjectType::kDeviceMemory) page_flags |= bm::kPageCacheDisable;
  auto all_taken = object->take_frames(first_page, page_count, kZeroChunkPages);
  if (!all_taken) return to_status(all_taken.error());
  if (!*all_taken) {
    *paused = true;
    return Status::kOk;
  }
  auto mapped =
      owner->address_space.map_object(object, first_page, page_count, frame.rdx, page_flags);
  if (mapped) object->note_mapped();
  if (!mapped) {
    return mapped.error() == bm::Error::kOutOfRange || mapped.error() == bm::Error::kNotAligned
               ? Status::kBadAddress
               : to_status(mapped.error());
  }
  return Status::kOk;
}

// memory_map and memory_map_range: pages [first_page, first_page + page_count) of the object
// (page_count 0: all of it) at frame.rdx in the space frame.rdi names.
Status map_memory(arch::InterruptFrame& frame, uint64_t first_page, uint64_t page_count) {
  // Pages mapped for the first time get their frames zeroed first, up to 256 MiB of them:
  // in chunks, with a preemption point between two, so other threads keep running. Anything
  // may have changed meanwhile (the handle closed, the task ended), so every check is made
  // again after each pause; no pointer is kept across one.
  while (true) {
    bool paused = false;
    Status status = map_memory_step(frame, first_page, page_count, &paused);
    if (!paused) return status;
    preemption_point();
  }
}

}  // namespace

Status sys_memory_map(arch::InterruptFrame& frame) { return map_memory(frame, 0, 0); }

// memory_map_range(space, memory, virt, flags, first_page, page_count): part of an object,
// so that a server holding one large object (memd's pool) can map it page by page.
Status sys_memory_map_range(arch::InterruptFrame& frame) {
  if (frame.r9 == 0) return Status::kInvalidArgument;
  return map_memory(frame, frame.r8, frame.r9);
}

Status sys_memory_unmap(arch::InterruptFrame& frame) {
  Task* owner = nullptr;
  Status found = address_space_owner(frame.rdi, &owner);
  if (found != Status::kOk) return found;
  auto unmapped = owner->address_space.unmap_object(frame.rsi);
  return unmapped ? Status::kOk : Status::kBadAddress;
}

}  // namespace kernel
