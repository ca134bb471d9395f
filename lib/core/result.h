// Result<T>: a value or an Error, the return type of every fallible function.
// Result<void> carries only the error. Deliberately tiny: no exceptions, no
// heap, usable in the kernel and in host tests alike. The error type is a
// parameter so ring 3 can carry the kernel's status unchanged
// (user::SysResult<T> = Result<T, abi::Status>); any enum with a kOk works.
#pragma once

#include "lib/core/error.h"
#include "lib/core/placement_new.h"
#include "lib/core/utility.h"

namespace bm {

namespace detail {
// Result's fields. For a trivially copyable T they are all there is: Result stays trivially
// copyable, so the ABI returns a Result<void*> or Result<size_t> in two registers instead of
// through memory (the allocators' hot paths return one per call). Any other T gets the copy,
// move and destructor below, which construct and destroy the value in place.
template <typename T, typename E, bool = __is_trivially_copyable(T)>
class ResultStorage {
 protected:
  explicit ResultStorage(E error) : error_(error) {}
  T* pointer() { return reinterpret_cast<T*>(&storage_); }
  const T* pointer() const { return reinterpret_cast<const T*>(&storage_); }

  E error_;
  alignas(T) unsigned char storage_[sizeof(T)];
};

template <typename T, typename E>
class ResultStorage<T, E, false> : public ResultStorage<T, E, true> {
  using Base = ResultStorage<T, E, true>;

 protected:
  using Base::Base;
  ResultStorage(const ResultStorage& other) : Base(other.error_) {
    if (other.error_ == E::kOk) new (this->pointer()) T(*other.pointer());
  }
  // Lets a Result of a move-only value (an owning handle) be passed on.
  ResultStorage(ResultStorage&& other) : Base(other.error_) {
    if (other.error_ == E::kOk) new (this->pointer()) T(bm::move(*other.pointer()));
  }
  ~ResultStorage() {
    if (this->error_ == E::kOk) this->pointer()->~T();
  }
};
}  // namespace detail

template <typename T, typename E = Error>
class [[nodiscard]] Result : private detail::ResultStorage<T, E> {
  using Storage = detail::ResultStorage<T, E>;

 public:
  using ErrorType = E;

  Result(const T& value) : Storage(E::kOk) { new (this->pointer()) T(value); }
  Result(T&& value) : Storage(E::kOk) { new (this->pointer()) T(bm::move(value)); }
  Result(E error) : Storage(error) {}
  Result(const Result&) = default;
  Result(Result&&) = default;
  Result& operator=(const Result&) = delete;

  bool ok() const { return this->error_ == E::kOk; }
  explicit operator bool() const { return ok(); }
  E error() const { return this->error_; }

  // Only valid when ok(); callers check first.
  T& value() { return *this->pointer(); }
  const T& value() const { return *this->pointer(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T value_or(const T& fallback) const { return ok() ? value() : fallback; }
};

static_assert(__is_trivially_copyable(Result<void*>), "returned in registers");

template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  using ErrorType = E;

  Result() : error_(E::kOk) {}
  Result(E error) : error_(error) {}
  bool ok() const { return error_ == E::kOk; }
  explicit operator bool() const { return ok(); }
  E error() const { return error_; }

 private:
  E error_;
};

// The value of a successful Result, or an early return from the enclosing
// function with the error of a failed one:
//   auto image = BM_TRY(parse(bytes));   // expression: the moved-out value
//   BM_TRY(check(header));               // statement, also for Result<void>
// A GNU statement expression, which both clang and GCC accept. A Result<void>
// yields void, so only the statement form applies to it.
#define BM_TRY(expr)                                         \
  ({                                                         \
    auto bm_try_result_ = (expr);                            \
    if (!bm_try_result_.ok()) return bm_try_result_.error(); \
    ::bm::detail::take_value(bm_try_result_);                \
  })

namespace detail {
// BM_TRY's last step: move the value out (nothing for Result<void>).
template <typename T, typename E>
T take_value(Result<T, E>& result) {
  return bm::move(result.value());
}
template <typename E>
void take_value(Result<void, E>&) {}
}  // namespace detail

}  // namespace bm
