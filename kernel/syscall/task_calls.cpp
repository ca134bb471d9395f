// Tasks and threads.
//   task_create(image, name, name_length, priority, bootstrap, frame_limit) -> rdi = task handle,
//       rsi = the new task's id (as system_info and thread_list report it)
//       image: a memory handle (read) holding a static ELF64 executable (a boot module);
//       bootstrap: a handle (grant) copied, without the grant right, into the new task
//       and passed to its main thread as the argument, or 0; if it is an endpoint, the
//       task's faults go there (with that handle's badge);
//       frame_limit: the most frames the task may hold (its image, stacks, IPC buffers and
//       the memory objects it creates), 0 = the creator's own limit; never above it.
//   thread_create(task, entry, argument, priority) -> rdi = thread handle
//       task: a task handle (manage) or kOwnAddressSpace
//   task_kill(task)   needs manage
// A new thread may not outrank the thread that creates it.
#include "kernel/boot/module_loader.h"
#include "kernel/wait/notification.h"
#include "kernel/mm/physical_memory.h"
#include "kernel/task/handles.h"
#include "kernel/obj/memory_object.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

Status sys_task_create(arch::InterruptFrame& frame) {
  Thread* self = current_thread();
  Task* creator = self->task;
  auto entry = creator->handles.lookup(handle_argument(frame.rdi),
                                       bm::abi::ObjectType::kMemory, bm::abi::kRightRead);
  if (!entry) return to_status(entry.error());
  auto* image = static_cast<MemoryObject*>(entry->object);
  // The ELF parser needs the image contiguous: boot modules are.
  if (!image->is_fixed()) return Status::kInvalidArgument;
  uint64_t name_length = frame.rdx;
  if (name_length > bm::abi::kMaxTaskNameLength) return Status::kTooLong;
  char name[bm::abi::kMaxTaskNameLength + 1] = {};
  if (!creator->address_space.copy_from_user(name, frame.rsi, name_length)) {
    return Status::kBadAddress;
  }
  uint64_t priority = frame.r10;
  if (priority > self->priority) return Status::kNoRights;
  if (handle_out_of_range(frame.r8)) return Status::kInvalidHandle;
  auto bootstrap_handle = static_cast<bm::abi::Handle>(frame.r8);
  bm::HandleTable<KernelObject, Task::kHandleSlots>::Entry bootstrap{nullptr, 0, 0};
  if (bootstrap_handle != bm::abi::kInvalidHandleValue) {
    auto found = creator->handles.lookup(bootstrap_handle, bm::abi::ObjectType::kNone,
                                         bm::abi::kRightGrant);
    if (!found) return to_status(found.error());
    bootstrap = *found;
  }
  // Like priority: a task cannot hand out more than it may hold itself.
  uint64_t frame_limit = frame.r9 == 0 ? creator->frame_quota.limit() : frame.r9;
  if (frame_limit > creator->frame_quota.limit()) return Status::kNoRights;
  if (creator->handles.count() >= creator->handles.max_handles()) return Status::kNoSlots;

  auto task = create_task_from_image(name, physical_to_virtual(image->physical_base()),
                                     image->bytes(), frame_limit);
  if (!task) return task.error() == bm::Error::kOutOfMemory ? Status::kOutOfMemory
                                                            : Status::kBadImage;
  uint64_t argument = 0;
  if (bootstrap.object != nullptr) {
    // The new task may use the handle but not pass it on.
    auto copied = install_handle(*task, bootstrap.object,
                                 bootstrap.rights & ~static_cast<uint32_t>(bm::abi::kRightGrant),
                                 bootstrap.badge);
    if (!copied) {
      (*task)->exit(-1);
      return to_status(copied.error());
    }
    argument = *copied;
    if (bootstrap.object->object_type() == bm::abi::ObjectType::kEndpoint) {
      (*task)->set_supervisor(static_cast<Endpoint*>(bootstrap.object), bootstrap.badge);
    }
  }
  auto handle = install_handle(creator, *task, bm::abi::kAllRights);
  if (!handle) {
    (*task)->exit(-1);
    return to_status(handle.error());
  }
  auto started = start_main_thread(*task, static_cast<unsigned>(priority), argument);
  if (!started) {
    (*task)->exit(-1);
    (void)close_handle(creator, *handle);
    return to_status(started.error());
  }
  frame.rdi = *handle;
  frame.rsi = (*task)->id();  // a supervisor names its tasks by id to its clients
  return Status::kOk;
}

Status sys_thread_create(arch::InterruptFrame& frame) {
  Thread* self = current_thread();
  Task* target = self->task;
  if (handle_out_of_range(frame.rdi)) return Status::kInvalidHandle;
  auto space = static_cast<bm::abi::Handle>(frame.rdi);
  if (space != bm::abi::kOwnAddressSpace) {
    auto task = lookup_object<Task>(self->task, space, bm::abi::kRightManage);
    if (!task) return to_status(task.error());
    if (!(*task)->alive()) return Status::kPeerGone;  // as memory_map says it
    target = *task;
  }
  uint64_t priority = frame.r10;
  if (priority > self->priority) return Status::kNoRights;
  uint64_t entry = frame.rsi;
  if (entry < bm::abi::kUserSpaceBase || entry >= bm::abi::kUserSpaceEnd) {
    return Status::kBadAddress;
  }
  if (self->task->handles.count() >= self->task->handles.max_handles()) return Status::kNoSlots;
  auto thread = target->spawn_thread(entry, frame.rdx, static_cast<unsigned>(priority));
  if (!thread) return to_status(thread.error());
  auto handle = install_handle(self->task, *thread, bm::abi::kRightRead | bm::abi::kRightManage);
  if (!handle) return to_status(handle.error());  // the thread runs on, unnamed
  frame.rdi = *handle;
  return Status::kOk;
}

Status sys_task_kill(arch::InterruptFrame& frame) {
  auto task = lookup_object<Task>(current_thread()->task, handle_argument(frame.rdi),
                                  bm::abi::kRightManage);
  if (!task) return to_status(task.error());
  if (!(*task)->alive()) return Status::kPeerGone;
  (*task)->exit(-1);
  return Status::kOk;
}

// task_watch(task, notification, bit): signal the bit when the task ends.
Status sys_task_watch(arch::InterruptFrame& frame) {
  Task* self = current_thread()->task;
  auto task = lookup_object<Task>(self, handle_argument(frame.rdi), bm::abi::kRightRead);
  if (!task) return to_status(task.error());
  auto notification =
      lookup_object<Notification>(self, handle_argument(frame.rsi), bm::abi::kRightWrite);
  if (!notification) return to_status(notification.error());
  if (frame.rdx >= 64) return Status::kInvalidArgument;
  return (*task)->watch(*notification, 1ull << frame.rdx);
}

}  // namespace kernel
