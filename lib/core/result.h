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

template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  using ErrorType = E;

  Result(const T& value) : error_(E::kOk) { new (&storage_) T(value); }
  Result(T&& value) : error_(E::kOk) { new (&storage_) T(bm::move(value)); }
  Result(E error) : error_(error) {}
  Result(const Result& other) : error_(other.error_) {
    if (ok()) new (&storage_) T(other.value());
  }
  // Lets a Result of a move-only value (an owning handle) be passed on.
  Result(Result&& other) : error_(other.error_) {
    if (ok()) new (&storage_) T(bm::move(other.value()));
  }
  Result& operator=(const Result&) = delete;
  ~Result() {
    if (ok()) value().~T();
  }

  bool ok() const { return error_ == E::kOk; }
  explicit operator bool() const { return ok(); }
  E error() const { return error_; }

  // Only valid when ok(); callers check first.
  T& value() { return *reinterpret_cast<T*>(&storage_); }
  const T& value() const { return *reinterpret_cast<const T*>(&storage_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T value_or(const T& fallback) const { return ok() ? value() : fallback; }

 private:
  E error_;
  alignas(T) unsigned char storage_[sizeof(T)];
};

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
