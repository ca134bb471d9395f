// String length helpers for freestanding code: there is no libc strlen in the kernel.
#pragma once

#include <stddef.h>

namespace bm {

// Number of bytes before the terminating NUL. A null pointer has length 0.
constexpr size_t string_length(const char* text) {
  if (text == nullptr) return 0;
  size_t length = 0;
  while (text[length] != '\0') ++length;
  return length;
}

// Like string_length, but never reads text[max] or beyond, so the string need not be
// NUL-terminated within max bytes.
constexpr size_t string_length_bounded(const char* text, size_t max) {
  if (text == nullptr) return 0;
  size_t length = 0;
  while (length < max && text[length] != '\0') ++length;
  return length;
}

}  // namespace bm
