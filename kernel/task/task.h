// A task: an address space, a handle table and the threads that run in it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/wait/endpoint.h"
#include "kernel/wait/notification.h"
#include "kernel/obj/address_space.h"
#include "kernel/obj/kernel_object.h"
#include "kernel/sched/thread.h"
#include "lib/containers/intrusive_list.h"
#include "lib/mm/frame_quota.h"
#include "lib/core/result.h"
#include "lib/obj/handle_table.h"

namespace kernel {

class Task final : public KernelObject {
 public:
  static constexpr bm::abi::ObjectType kType = bm::abi::ObjectType::kTask;
  static constexpr size_t kHandleSlots = 256;
  static constexpr size_t kNameLength = 24;
  // Each thread gets a user stack of this size below an unmapped guard page,
  // and one page for its IPC buffer.
  static constexpr uint64_t kUserStackBytes = 64 * 1024;

  static bm::Result<Task*> create(const char* name);

  // Starts a thread at `entry` with its own user stack and IPC buffer.
  bm::Result<Thread*> spawn_thread(uint64_t entry, uint64_t argument, unsigned priority);

  // Ends the task: every thread stops, every handle closes, the address
  // space is freed. If the running thread belongs to the task, does not
  // return.
  void exit(int64_t code);
  // A thread of this task ended; the last one ends the task.
  void on_thread_exit(Thread* thread);

  // Faults of this task's threads are reported as calls on `endpoint`
  // with `badge` (the task retains the endpoint).
  void set_supervisor(Endpoint* endpoint, uint64_t badge);
  Endpoint* supervisor() const { return supervisor_.get(); }
  uint64_t supervisor_badge() const { return supervisor_badge_; }

  // Recomputes the I/O permission bitmap from the task's port handles;
  // kernel/task/handles.cpp calls it whenever one opens or closes.
  void refresh_io_ports();

  const char* name() const { return name_; }
  uint32_t id() const { return id_; }
  bool alive() const { return alive_; }
  int64_t exit_code() const { return exit_code_; }
  size_t thread_count() const { return threads_.size(); }

  AddressSpace address_space;
  // Frames this task may hold (lib/mm/frame_quota.h): its address space's own
  // frames and the memory objects it created. The creator sets the limit.
  bm::FrameQuota frame_quota;
  bm::HandleTable<KernelObject, kHandleSlots> handles;

  // Live tasks (system_info kTaskCount).
  static size_t count();
  // Live tasks in creation order, which is id order (thread_list relies on
  // it); null after the last.
  static Task* first_live();
  static Task* next_live(Task* task);
  // This task's threads in creation order, which is id order.
  Thread* first_thread() const { return threads_.front(); }
  Thread* next_thread(Thread* thread) const { return threads_.next(thread); }

  // Signals `bits` on `notification` when the task ends (at once if it has
  // already ended). kNoSlots once kMaxWatchers are registered. This is how a
  // server that keeps per-client state (memd) learns a client is gone.
  bm::abi::Status watch(Notification* notification, uint64_t bits);
  static constexpr size_t kMaxWatchers = 4;

  bm::ListNode all_tasks_node;

  // A task starts with no thread (task_create); its creator's loader adds the
  // main thread. Should the last handle to it close first, nothing could ever
  // start it or kill it, so it ends then.
  void on_handle_opened(uint32_t rights) override;
  void on_handle_closed(uint32_t rights, const Task* holder) override;

 private:
  Task() : KernelObject(kType) {}
  void destroy() override;
  void close_all_handles();

  bm::IntrusiveList<Thread, &Thread::task_node> threads_;
  char name_[kNameLength] = {};
  uint32_t id_ = 0;
  bool alive_ = true;
  int64_t exit_code_ = 0;
  uint64_t next_stack_top_ = 0;
  uint32_t open_handles_ = 0;  // handles naming this task, in any table
  RefPtr<Endpoint> supervisor_;
  uint64_t supervisor_badge_ = 0;
  struct Watcher {
    RefPtr<Notification> notification;
    uint64_t bits = 0;
  };
  Watcher watchers_[kMaxWatchers];
  void signal_watchers();
  TaskContext context_;  // page tables and ports, for switches to its threads
};

}  // namespace kernel
