// OwnedHandle: a kernel handle that closes itself (handle_close) when it goes
// out of scope, so an early return cannot leak a slot of the handle table.
// Move-only: one owner closes it. Calls that create an object give one;
// calls that only use a handle take the raw value (get()).
#pragma once

#include "lib/abi/syscalls.h"

namespace user {

using bm::abi::Handle;

class OwnedHandle {
 public:
  OwnedHandle() = default;
  // Takes ownership of `handle` (0 = none).
  explicit OwnedHandle(Handle handle) : handle_(handle) {}
  ~OwnedHandle() { reset(); }
  OwnedHandle(OwnedHandle&& other) : handle_(other.release()) {}
  OwnedHandle& operator=(OwnedHandle&& other) {
    if (this != &other) reset(other.release());
    return *this;
  }
  OwnedHandle(const OwnedHandle&) = delete;
  OwnedHandle& operator=(const OwnedHandle&) = delete;

  // The raw value, to pass to a call; the handle stays owned here.
  Handle get() const { return handle_; }
  explicit operator bool() const { return handle_ != 0; }
  // Gives up ownership without closing: the value moved away in a message,
  // or another structure closes it now.
  Handle release() {
    Handle handle = handle_;
    handle_ = 0;
    return handle;
  }
  // Closes the handle held (if any) and takes `replacement`.
  void reset(Handle replacement = 0);

 private:
  Handle handle_ = 0;
};

}  // namespace user
