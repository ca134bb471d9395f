// take(call, &out): the status of a typed system call, its value moved to
// *out, so a check reads ASSERT_OK(take(user::endpoint_create(), &endpoint)).
// For the suite and its peer program, which compare statuses case by case.
#pragma once

#include "lib/core/utility.h"
#include "user/syscalls.h"

namespace user_tests {

using bm::abi::Handle;
using bm::abi::Status;
using user::OwnedHandle;

// A failed call leaves *out empty (a closed OwnedHandle, 0 bits), as a test
// reading it afterwards expects.
template <typename T>
Status take(user::SysResult<T>&& result, T* out) {
  *out = result.ok() ? bm::move(*result) : T{};
  return result.error();
}
// A new handle kept as a raw value: the test closes it itself (or checks
// what happens to the value once closed). Written only on success.
inline Status take(user::SysResult<OwnedHandle>&& result, Handle* out) {
  if (result.ok()) *out = result->release();
  return result.error();
}
// task_create's handle (the task id is dropped: tests that need it read
// the CreatedTask themselves).
inline Status take(user::SysResult<user::CreatedTask>&& result, OwnedHandle* out) {
  *out = result.ok() ? bm::move(result->task) : OwnedHandle{};
  return result.error();
}
inline Status take(user::SysResult<user::CreatedTask>&& result, Handle* out) {
  if (result.ok()) *out = result->task.release();
  return result.error();
}

}  // namespace user_tests
