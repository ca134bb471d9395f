// Task life cycle. Teardown order matters: threads stop first (nothing can
// run in the space any more), then handles close (which may wake peers with
// "peer gone"), then the address space goes.
#include "kernel/task/task.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/mm/kernel_heap.h"
#include "kernel/obj/io_port_range.h"
#include "kernel/debug/log.h"
#include "kernel/mm/kernel_paging.h"
#include "kernel/mm/physical_memory.h"
#include "kernel/task/handles.h"
#include "kernel/sched/scheduler.h"
#include "kernel/wait/reply_link.h"
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
  task->address_space.charge_to(&task->frame_quota);
  task->context_.page_table_root = task->address_space.root();
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
  auto thread = Thread::create_user(entry, stack_top, argument, priority);
  if (!thread) {
    (void)address_space.unmap(ipc_buffer, kPage);
    (void)address_space.unmap(stack_bottom, kUserStackBytes);
    return thread.error();
  }
  (*thread)->task = this;
  (*thread)->task_reference = RefPtr<KernelObject>::retain(this);
  (*thread)->task_context = &context_;
  next_stack_top_ = stack_bottom - kPage;
  (*thread)->ipc_buffer = ipc_buffer;
  auto buffer_page = address_space.table().translate(ipc_buffer);
  (*thread)->ipc_buffer_page =
      buffer_page ? static_cast<bm::abi::IpcBuffer*>(physical_to_virtual(buffer_page->physical))
                  : nullptr;
  (*thread)->user_stack_bottom = stack_bottom;
  (*thread)->user_stack_bytes = kUserStackBytes;
  threads_.push_back(*thread);
  make_ready(*thread);
  return *thread;
}

void Task::close_all_handles() { kernel::close_all_handles(this); }

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
    ipc_abandon(thread);
    thread->release();  // the scheduler's reference
  }
  if (self_in_task) ipc_abandon(self);
  close_all_handles();
  set_supervisor(nullptr, 0);
  if (context_.io_bitmap != nullptr) {
    (void)kernel_free(context_.io_bitmap);
    context_.io_bitmap = nullptr;
  }
  forget_io_permissions(context_);
  if (arch::read_cr3() == address_space.root()) arch::write_cr3(kernel_page_table().root());
  address_space.destroy();
  all_tasks.remove(this);
  kprintf("task %u (%s) exited with code %ld\n", id_, name_, code);
  signal_watchers();
  // The running thread, if ours, still holds a reference, so this cannot
  // free the task under our feet.
  release();  // the task list's reference
  if (self_in_task) exit_current_thread();
}

void Task::on_thread_exit(Thread* thread) {
  // A caller this thread owed a reply hears kPeerGone, whatever happens next.
  ipc_abandon(thread);
  threads_.remove(thread);
  if (threads_.empty()) {
    exit(0);
    return;
  }
  // The task lives on: give back the thread's stack and IPC buffer now.
  // (It runs on its kernel stack from here on.)
  thread->ipc_buffer_page = nullptr;
  (void)address_space.unmap(thread->ipc_buffer, kPage);
  (void)address_space.unmap(thread->user_stack_bottom, thread->user_stack_bytes);
}

void Task::on_handle_opened(uint32_t) { ++open_handles_; }

void Task::on_handle_closed(uint32_t, const Task*) {
  --open_handles_;
  if (open_handles_ == 0 && threads_.empty()) exit(-1);
}

void Task::set_supervisor(Endpoint* endpoint, uint64_t badge) {
  supervisor_ = RefPtr<Endpoint>::retain(endpoint);
  supervisor_badge_ = badge;
}

namespace {
struct PortGrantCollector {
  uint8_t* bitmap;
  bool any;
  uint32_t span_begin;  // bytes of the bitmap the grants touched
  uint32_t span_end;
  bool every_port;      // one grant covers all ports
};

// Clears the bits of [first, first + count): whole bytes at once, the
// partial bytes at either end bit by bit (a range can be all 65536 ports).
void allow_ports(uint8_t* bitmap, uint32_t first, uint32_t count) {
  uint32_t port = first;
  uint32_t end = first + count;
  for (; port < end && port % 8 != 0; ++port) bitmap[port / 8] &= ~(1u << (port % 8));
  uint32_t whole_bytes = (end - port) / 8;
  __builtin_memset(bitmap + port / 8, 0, whole_bytes);
  port += whole_bytes * 8;
  for (; port < end; ++port) bitmap[port / 8] &= ~(1u << (port % 8));
}

void open_ports(void* context, bm::abi::Handle,
                const bm::HandleTable<KernelObject, Task::kHandleSlots>::Entry& entry) {
  if (entry.object->object_type() != bm::abi::ObjectType::kIoPortRange) return;
  auto* collector = static_cast<PortGrantCollector*>(context);
  auto* range = static_cast<IoPortRange*>(entry.object);
  allow_ports(collector->bitmap, range->first(), range->count());
  uint32_t first_byte = range->first() / 8;
  uint32_t end_byte = (range->first() + range->count() + 7) / 8;
  if (!collector->any || first_byte < collector->span_begin) collector->span_begin = first_byte;
  if (!collector->any || end_byte > collector->span_end) collector->span_end = end_byte;
  if (range->first() == 0 && range->count() == IoPortRange::kPortCount) collector->every_port = true;
  collector->any = true;
}
}  // namespace

void Task::refresh_io_ports() {
  uint8_t*& bitmap = context_.io_bitmap;
  if (bitmap == nullptr) {
    auto memory = kernel_allocate(arch::kIoBitmapBytes, 64);
    if (!memory) return;  // keeps every port closed: safe, if unhelpful
    bitmap = static_cast<uint8_t*>(*memory);
  }
  __builtin_memset(bitmap, 0xff, arch::kIoBitmapBytes);
  PortGrantCollector collector{bitmap, false, 0, 0, false};
  handles.for_each(open_ports, &collector);
  context_.io_span_begin = collector.span_begin;
  context_.io_span_end = collector.span_end;
  context_.io_every_port = collector.every_port;
  if (!collector.any) {
    (void)kernel_free(bitmap);
    bitmap = nullptr;
  }
  context_.io_bitmap_changed = true;
  if (current_thread()->task == this) load_io_permissions(context_);
}

bm::abi::Status Task::watch(Notification* notification, uint64_t bits) {
  if (!alive_) {
    notification->signal(bits);
    return bm::abi::Status::kOk;
  }
  for (Watcher& watcher : watchers_) {
    if (watcher.notification) continue;
    watcher = {RefPtr<Notification>::retain(notification), bits};
    return bm::abi::Status::kOk;
  }
  // A watch whose notification only the watch itself still holds can tell nobody (its
  // watcher ended, as a restarted server's old instance): the new watch takes its slot, so a
  // client outlives any number of restarts of the servers that watch it.
  for (Watcher& watcher : watchers_) {
    if (watcher.notification->references() != 1) continue;
    watcher = {RefPtr<Notification>::retain(notification), bits};
    return bm::abi::Status::kOk;
  }
  return bm::abi::Status::kNoSlots;
}

void Task::signal_watchers() {
  for (Watcher& watcher : watchers_) {
    if (!watcher.notification) continue;
    watcher.notification->signal(watcher.bits);
    watcher.notification.reset();
  }
}

void Task::destroy() {
  signal_watchers();  // a task never started still tells its watchers it is gone
  set_supervisor(nullptr, 0);
  if (context_.io_bitmap != nullptr) (void)kernel_free(context_.io_bitmap);
  delete this;
}

size_t Task::count() { return all_tasks.size(); }
Task* Task::first_live() { return all_tasks.front(); }
Task* Task::next_live(Task* task) { return all_tasks.next(task); }

}  // namespace kernel
