// Template part of handles.h.
#pragma once

#include "kernel/task/task.h"

namespace kernel {

template <typename T>
bm::Result<T*> lookup_object(Task* task, bm::abi::Handle handle, uint32_t rights,
                             uint64_t* badge) {
  auto entry = task->handles.lookup(handle, T::kType, rights);
  if (!entry) return entry.error();
  if (badge != nullptr) *badge = entry->badge;
  return static_cast<T*>(entry->object);
}

}  // namespace kernel
