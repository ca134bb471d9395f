// Base of every object a handle can name. Objects are reference counted:
// each handle, and each kernel structure that keeps a pointer, holds one
// reference; the last release destroys the object.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "lib/obj/ref_ptr.h"

namespace kernel {

class Task;

class KernelObject {
 public:
  KernelObject(const KernelObject&) = delete;
  KernelObject& operator=(const KernelObject&) = delete;

  // Objects are made on behalf of user requests, so running out of memory
  // must be an error, not a panic: this operator new returns null instead
  // (being noexcept, `new T` then skips the constructor and yields null).
  static void* operator new(size_t size) noexcept;
  static void operator delete(void* object) noexcept;

  bm::abi::ObjectType object_type() const { return type_; }
  uint32_t references() const { return references_; }
  // Handle bookkeeping (kernel/task/handles.cpp calls these for every
  // handle that opens or closes, with the task that held it), e.g. an
  // endpoint counts who can receive, an IRQ forgets a binding whose task
  // let go of it.
  virtual void on_handle_opened(uint32_t /*rights*/) {}
  virtual void on_handle_closed(uint32_t /*rights*/, const Task* /*holder*/) {}

  void retain() { ++references_; }
  void release() {
    if (--references_ == 0) destroy();
  }

 protected:
  explicit KernelObject(bm::abi::ObjectType type) : type_(type) {}
  virtual ~KernelObject() = default;
  // Frees the object; types with resources (frames, threads) release them first.
  virtual void destroy() { delete this; }

 private:
  bm::abi::ObjectType type_;
  uint32_t references_ = 0;
};

// An owned reference to a kernel object (lib/obj/ref_ptr.h): prefer it to
// calling retain()/release() by hand.
using bm::RefPtr;

// Typed access after HandleTable::lookup has checked the type.
template <typename T>
T* object_cast(KernelObject* object) {
  return object != nullptr && object->object_type() == T::kType ? static_cast<T*>(object)
                                                                : nullptr;
}

}  // namespace kernel
