// String helpers for freestanding code: there is no libc strlen/strstr in the kernel.
#pragma once

#include <stddef.h>
#include <stdint.h>

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

// True if both strings hold the same bytes. Null pointers count as "".
constexpr bool string_equal(const char* a, const char* b) {
  if (a == nullptr) a = "";
  if (b == nullptr) b = "";
  size_t i = 0;
  for (; a[i] != '\0'; ++i) {
    if (a[i] != b[i]) return false;
  }
  return b[i] == '\0';
}

// True if `needle` occurs in `text` (an empty needle always does). Null
// pointers count as empty strings.
constexpr bool string_contains(const char* text, const char* needle) {
  if (needle == nullptr || *needle == '\0') return true;
  if (text == nullptr) return false;
  for (; *text != '\0'; ++text) {
    size_t i = 0;
    while (needle[i] != '\0' && text[i] == needle[i]) ++i;
    if (needle[i] == '\0') return true;
  }
  return false;
}

// Writes the decimal digits of `value` at out[length] (no sign, no NUL) and returns the new
// length: for escape sequences and the like, where a whole snprintf is more than is needed.
// out must have room for 20 more bytes.
constexpr size_t append_decimal(uint64_t value, char* out, size_t length) {
  char digits[20] = {};
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) out[length++] = digits[--count];
  return length;
}

}  // namespace bm
