// Tasks and threads.
//   task_create(name, name_length, bootstrap, frame_limit) -> rdi = task handle (all rights),
//       rsi = the new task's id (as system_info and thread_list report it),
//       rdx = the bootstrap handle's number inside the new task (0 if none)
//       The task starts empty: no mappings, no thread. Its creator loads a program into it
//       (memory_create paid by the task, memory_map) and starts it with thread_create;
//       user/program_loader.h does all that. Should the last handle to it close before it
//       has a thread, it ends.
//       bootstrap: a handle (grant) copied, without the grant right, into the new task, or
//       0; if it is an endpoint, the task's faults go there (with that handle's badge);
//       frame_limit: the most frames the task may hold (its image, stacks, IPC buffers and
//       the memory objects it creates or is charged for), 0 = the creator's own limit;
//       never above it.
//   thread_create(task, entry, argument, priority) -> rdi = thread handle
//       task: a task handle (manage) or kOwnAddressSpace
//   task_kill(task)   needs manage
//   task_status(task) -> rdi = 1 if the task has ended, rsi = its exit code; needs read
// A new thread may not outrank the thread that creates it.
#include "kernel/task/handles.h"
#include "kernel/wait/notification.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

Status sys_task_create(arch::InterruptFrame& frame) {
  Task* creator = current_thread()->task;
  uint64_t name_length = frame.rsi;
  if (name_length > bm::abi::kMaxTaskNameLength) return Status::kTooLong;
  char name[bm::abi::kMaxTaskNameLength + 1] = {};
  if (!creator->address_space.copy_from_user(name, frame.rdi, name_length)) {
    return Status::kBadAddress;
  }
  if (handle_out_of_range(frame.rdx)) return Status::kInvalidHandle;
  auto bootstrap_handle = static_cast<bm::abi::Handle>(frame.rdx);
  bm::HandleTable<KernelObject, Task::kHandleSlots>::Entry bootstrap{nullptr, 0, 0};
  if (bootstrap_handle != bm::abi::kInvalidHandleValue) {
    auto found = creator->handles.lookup(bootstrap_handle, bm::abi::ObjectType::kNone,
                                         bm::abi::kRightGrant);
    if (!found) return to_status(found.error());
    bootstrap = *found;
  }
  // Like priority: a task cannot hand out more than it may hold itself.
  uint64_t frame_limit = frame.r10 == 0 ? creator->frame_quota.limit() : frame.r10;
  if (frame_limit > creator->frame_quota.limit()) return Status::kNoRights;
  if (creator->handles.count() >= creator->handles.max_handles()) return Status::kNoSlots;

  auto created = Task::create(name);
  if (!created) return to_status(created.error());
  Task* task = *created;
  task->frame_quota.set_limit(frame_limit);
  // The creator's handle first: from then on, closing it (or killing the task) is the one
  // way every failure below is undone.
  auto handle = install_handle(creator, task, bm::abi::kAllRights);
  if (!handle) {
    task->exit(-1);
    return to_status(handle.error());
  }
  uint64_t bootstrap_in_task = 0;
  if (bootstrap.object != nullptr) {
    // The new task may use the handle but not pass it on.
    auto copied = install_handle(task, bootstrap.object,
                                 bootstrap.rights & ~static_cast<uint32_t>(bm::abi::kRightGrant),
                                 bootstrap.badge);
    if (!copied) {
      (void)close_handle(creator, *handle);  // the task has no thread: it ends
      return to_status(copied.error());
    }
    bootstrap_in_task = *copied;
    if (bootstrap.object->object_type() == bm::abi::ObjectType::kEndpoint) {
      task->set_supervisor(static_cast<Endpoint*>(bootstrap.object), bootstrap.badge);
    }
  }
  frame.rdi = *handle;
  frame.rsi = task->id();  // a supervisor names its tasks by id to its clients
  frame.rdx = bootstrap_in_task;
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

// task_status(task): whether the task has ended, and how. The object outlives the task as
// long as a handle names it, so a supervisor that learns of the end (task_watch) can still
// read the exit code.
Status sys_task_status(arch::InterruptFrame& frame) {
  auto task = lookup_object<Task>(current_thread()->task, handle_argument(frame.rdi),
                                  bm::abi::kRightRead);
  if (!task) return to_status(task.error());
  bool ended = !(*task)->alive();
  frame.rdi = ended ? 1 : 0;
  frame.rsi = ended ? static_cast<uint64_t>((*task)->exit_code()) : 0;
  return Status::kOk;
}

}  // namespace kernel
