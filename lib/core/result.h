// Result<T>: a value or an Error, the return type of every fallible function.
// Result<void> carries only the error. Deliberately tiny: no exceptions, no
// heap, usable in the kernel and in host tests alike.
#pragma once

#include "lib/core/error.h"
#include "lib/core/placement_new.h"
#include "lib/core/utility.h"

namespace bm {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : error_(Error::kOk) { new (&storage_) T(value); }
  Result(T&& value) : error_(Error::kOk) { new (&storage_) T(bm::move(value)); }
  Result(Error error) : error_(error) {}
  Result(const Result& other) : error_(other.error_) {
    if (ok()) new (&storage_) T(other.value());
  }
  Result& operator=(const Result&) = delete;
  ~Result() {
    if (ok()) value().~T();
  }

  bool ok() const { return error_ == Error::kOk; }
  explicit operator bool() const { return ok(); }
  Error error() const { return error_; }

  // Only valid when ok(); callers check first.
  T& value() { return *reinterpret_cast<T*>(&storage_); }
  const T& value() const { return *reinterpret_cast<const T*>(&storage_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  T value_or(const T& fallback) const { return ok() ? value() : fallback; }

 private:
  Error error_;
  alignas(T) unsigned char storage_[sizeof(T)];
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() : error_(Error::kOk) {}
  Result(Error error) : error_(error) {}
  bool ok() const { return error_ == Error::kOk; }
  explicit operator bool() const { return ok(); }
  Error error() const { return error_; }

 private:
  Error error_;
};

// Returns early from the enclosing function with the error of a failed Result.
#define BM_TRY(expr)                              \
  do {                                            \
    auto bm_try_result_ = (expr);                 \
    if (!bm_try_result_.ok()) return bm_try_result_.error(); \
  } while (0)

}  // namespace bm
