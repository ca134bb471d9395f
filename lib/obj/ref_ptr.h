// An owning pointer to a reference-counted object (the kernel's objects), so
// a reference taken is dropped on every path out of a scope or with its owner.
#pragma once

#include "lib/core/utility.h"

namespace bm {

// T provides `void retain()` and `void release()`; the last release frees it.
// Copies are explicit (`share()`), so every extra reference shows at the call
// site; moves transfer the reference and leave the source empty.
template <typename T>
class RefPtr {
 public:
  RefPtr() = default;
  RefPtr(decltype(nullptr)) {}

  // Takes over a reference the caller already counts (one a table handed back).
  [[nodiscard]] static RefPtr adopt(T* object) { return RefPtr(object); }
  // Counts a new reference to `object` (null stays empty).
  [[nodiscard]] static RefPtr retain(T* object) {
    if (object != nullptr) object->retain();
    return RefPtr(object);
  }

  RefPtr(const RefPtr&) = delete;
  RefPtr& operator=(const RefPtr&) = delete;
  RefPtr(RefPtr&& other) : object_(other.leak()) {}
  // A reference to a derived type is a reference to its base.
  template <typename U>
  RefPtr(RefPtr<U>&& other) : object_(other.leak()) {}
  RefPtr& operator=(RefPtr&& other) {
    // Take the new reference before dropping the old: they may be the same object.
    T* incoming = other.leak();
    reset();
    object_ = incoming;
    return *this;
  }
  ~RefPtr() { reset(); }

  // Another reference to the same object.
  [[nodiscard]] RefPtr share() const { return retain(object_); }

  T* get() const { return object_; }
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }
  explicit operator bool() const { return object_ != nullptr; }

  // Gives the reference to the caller (e.g. a table that releases it later).
  [[nodiscard]] T* leak() {
    T* object = object_;
    object_ = nullptr;
    return object;
  }
  // Drops the reference, if any.
  void reset() {
    if (T* object = leak()) object->release();
  }

 private:
  explicit RefPtr(T* object) : object_(object) {}

  T* object_ = nullptr;
};

}  // namespace bm
