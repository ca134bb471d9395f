// The few <utility>/<type_traits> pieces lib/ needs, usable without a C++
// runtime library (the freestanding kernel target has no libstdc++ headers).
#pragma once

#include <stddef.h>

namespace bm {

template <typename T> struct RemoveReference { using Type = T; };
template <typename T> struct RemoveReference<T&> { using Type = T; };
template <typename T> struct RemoveReference<T&&> { using Type = T; };

template <typename T>
constexpr typename RemoveReference<T>::Type&& move(T&& value) noexcept {
  return static_cast<typename RemoveReference<T>::Type&&>(value);
}

template <typename T>
constexpr T&& forward(typename RemoveReference<T>::Type& value) noexcept {
  return static_cast<T&&>(value);
}

template <typename T>
constexpr const T& min(const T& a, const T& b) { return b < a ? b : a; }
template <typename T>
constexpr const T& max(const T& a, const T& b) { return a < b ? b : a; }

constexpr bool is_power_of_two(size_t value) { return value != 0 && (value & (value - 1)) == 0; }

// Rounds up/down to a power-of-two boundary. Callers check overflow where the
// value comes from outside (align_up_checked).
constexpr size_t align_down(size_t value, size_t alignment) { return value & ~(alignment - 1); }
constexpr size_t align_up(size_t value, size_t alignment) {
  return (value + alignment - 1) & ~(alignment - 1);
}
// False when rounding up would wrap around.
constexpr bool align_up_checked(size_t value, size_t alignment, size_t* out) {
  if (value > static_cast<size_t>(-1) - (alignment - 1)) return false;
  *out = align_up(value, alignment);
  return true;
}

}  // namespace bm
