// Task life cycle. Teardown order matters: threads stop first (nothing can
// run in the space any more), then handles close (which may wake peers with
// "peer gone"), then the address space goes.
#include "kernel/obj/task.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/debug/log.h"
#include "kernel/mm/kernel_paging.h"
#include "kernel/sched/scheduler.h"
#include "lib/abi/message.h"

namespace kernel {
namespace {

using TaskList = bm::IntrusiveList<Task, &Task::all_tasks_node>;
TaskList all_tasks;
uint32_t next_task_id = 1;

// Thread stacks are carved downward from here: [IPC buffer][guard][stack][guard]...
constexpr uint64_t kUserStacksTop = 0x00007fffff000000;
constexpr uint64_t kPage = bm::kPageSize;

}  // namespace

bm::Result<Task*> Task::create(const char* name) {
  Task* task = new Task();
  if (task == nullptr) return bm::Error::kOutOfMemory;
  auto ready = task->address_space.init();
  if (!ready) {
    delete task;
    return ready.error();
  }
  size_t i = 0;
  for (; name != nullptr && name[i] != '\0' && i + 1 < kNameLength; ++i) task->name_[i] = name[i];
  task->name_[i] = '\0';
  task->id_ = next_task_id++;
  task->next_stack_top_ = kUserStacksTop;
  task->retain();  // alive tasks are referenced by the task list
  all_tasks.push_back(task);
  return task;
}

bm::Result<Thread*> Task::spawn_thread(uint64_t entry, uint64_t argument, unsigned priority) {
  if (!alive_) return bm::Error::kInvalidArgument;
  if (priority >= kPriorityLevels) return bm::Error::kOutOfRange;
  // Layout, downward: guard, IPC buffer, guard, stack.
  uint64_t ipc_buffer = next_stack_top_ - 2 * kPage;
  uint64_t stack_top = ipc_buffer - kPage;
  uint64_t stack_bottom = stack_top - kUserStackBytes;
  BM_TRY(address_space.map_fresh(ipc_buffer, kPage, bm::kPageWritable | bm::kPageNoExecute));
  auto stack = address_space.map_fresh(stack_bottom, kUserStackBytes,
                                       bm::kPageWritable | bm::kPageNoExecute);
  if (!stack) {
    (void)address_space.unmap(ipc_buffer, kPage);
    return stack.error();
  }
  auto thread = Thread::create_user(this, entry, stack_top, argument, priority);
  if (!thread) {
    (void)address_space.unmap(ipc_buffer, kPage);
    (void)address_space.unmap(stack_bottom, kUserStackBytes);
    return thread.error();
  }
  next_stack_top_ = stack_bottom - kPage;
  (*thread)->ipc_buffer = ipc_buffer;
  threads_.push_back(*thread);
  make_ready(*thread);
  return *thread;
}

void Task::close_all_handles() {
  handles.close_all();
}

void Task::exit(int64_t code) {
  if (!alive_) return;
  alive_ = false;
  exit_code_ = code;
  Thread* self = current_thread();
  bool self_in_task = false;
  // Stop every other thread; the running one (if ours) ends last.
  while (Thread* thread = threads_.pop_front()) {
    if (thread == self) {
      self_in_task = true;
      continue;
    }
    cancel_thread(thread);
    thread->release();  // the scheduler's reference
  }
  close_all_handles();
  if (arch::read_cr3() == address_space.root()) arch::write_cr3(kernel_page_table().root());
  address_space.destroy();
  all_tasks.remove(this);
  kprintf("task %u (%s) exited with code %ld\n", id_, name_, code);
  // The running thread, if ours, still holds a reference, so this cannot
  // free the task under our feet.
  release();  // the task list's reference
  if (self_in_task) exit_current_thread();
}

void Task::on_thread_exit(Thread* thread) {
  threads_.remove(thread);
  if (threads_.empty()) exit(0);
}

void Task::destroy() { delete this; }

Task* Task::first() { return all_tasks.front(); }
Task* Task::next() const { return all_tasks.next(const_cast<Task*>(this)); }
size_t Task::count() { return all_tasks.size(); }

}  // namespace kernel
