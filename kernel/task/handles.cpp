// Handle operations with the bookkeeping hooks of KernelObject.
#include "kernel/task/handles.h"

namespace kernel {

namespace {
// Port grants live in the TSS bitmap, which follows the handle table.
void after_change(Task* task, const KernelObject* object) {
  if (object->object_type() == bm::abi::ObjectType::kIoPortRange) task->refresh_io_ports();
}
}  // namespace

bm::Result<bm::abi::Handle> install_handle(Task* task, KernelObject* object, uint32_t rights,
                                           uint64_t badge) {
  auto handle = task->handles.insert(object, rights, badge);
  if (!handle) return handle;
  object->on_handle_opened(rights);
  after_change(task, object);
  return handle;
}

bm::Result<void> close_handle(Task* task, bm::abi::Handle handle) {
  auto entry = task->handles.lookup(handle, bm::abi::ObjectType::kNone, 0);
  if (!entry) return entry.error();
  // Keep it alive for the hook, even if this was the last handle.
  auto object = RefPtr<KernelObject>::retain(entry->object);
  BM_TRY(task->handles.close(handle));
  object->on_handle_closed(entry->rights, task);
  after_change(task, object.get());
  return {};
}

bm::Result<bm::abi::Handle> duplicate_handle(Task* task, bm::abi::Handle handle, uint32_t rights,
                                             uint64_t badge) {
  if (badge != 0) {
    // Badges tell a receiver who sent: they mean something only on endpoints.
    auto source = task->handles.lookup(handle, bm::abi::ObjectType::kNone, 0);
    if (!source) return source.error();
    if (source->object->object_type() != bm::abi::ObjectType::kEndpoint) return bm::Error::kWrongType;
  }
  auto copy = badge == 0 ? task->handles.duplicate(handle, rights)
                         : task->handles.duplicate_with_badge(handle, rights, badge);
  if (!copy) return copy.error();
  auto entry = task->handles.lookup(*copy, bm::abi::ObjectType::kNone, 0);
  entry->object->on_handle_opened(entry->rights);
  return copy;
}

bm::Result<bm::abi::Handle> transfer_handle(Task* from, bm::abi::Handle handle, Task* to) {
  auto entry = from->handles.lookup(handle, bm::abi::ObjectType::kNone, bm::abi::kRightGrant);
  if (!entry) return entry.error();
  if (to->handles.count() >= to->handles.max_handles()) return bm::Error::kNoSlots;
  // Insert first (it retains), then remove the sender's, which hands back
  // its reference to drop: the object is never without an owner.
  auto moved = to->handles.insert(entry->object, entry->rights, entry->badge);
  if (!moved) return moved.error();
  auto removed = from->handles.remove(handle);
  auto dropped = RefPtr<KernelObject>::adopt(removed->object);  // the sender's reference
  after_change(from, dropped.get());
  after_change(to, dropped.get());
  // One handle closed and one opened with the same rights: the hooks'
  // counts are unchanged, so neither is called.
  return moved;
}

void close_all_handles(Task* task) {
  // Hooks may wake threads or touch other tasks' state; run them after the
  // table is empty, with each object kept alive until its hook ran.
  constexpr size_t kBatch = 64;
  struct Pending {
    RefPtr<KernelObject> object;
    uint32_t rights;
  };
  while (task->handles.count() > 0) {
    Pending pending[kBatch];
    size_t count = 0;
    struct Collector {
      Pending* pending;
      size_t* count;
      bm::abi::Handle handles[kBatch];
    } collector{pending, &count, {}};
    task->handles.for_each(
        [](void* context, bm::abi::Handle handle,
           const bm::HandleTable<KernelObject, Task::kHandleSlots>::Entry& entry) {
          auto* c = static_cast<Collector*>(context);
          if (*c->count == kBatch) return;
          c->pending[*c->count] = {RefPtr<KernelObject>::retain(entry.object), entry.rights};
          c->handles[*c->count] = handle;
          ++*c->count;
        },
        &collector);
    for (size_t i = 0; i < count; ++i) (void)task->handles.close(collector.handles[i]);
    for (size_t i = 0; i < count; ++i) {
      pending[i].object->on_handle_closed(pending[i].rights, task);
      pending[i].object.reset();
    }
  }
}

}  // namespace kernel
