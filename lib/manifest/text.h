// Bounded text views and the small scanners the manifest parser builds on: names, numbers and
// comma-separated lists, each checked without reading past the view or needing a NUL.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/error.h"

namespace bm::manifest {

// A piece of the manifest: `size` bytes from `data`, not NUL-terminated.
struct Text {
  const char* data;
  size_t size;

  bool empty() const { return size == 0; }
  Text from(size_t start) const { return {data + start, size - start}; }
  Text prefix(size_t count) const { return {data, count}; }
};

// Why a line is rejected; kOk with a null reason means it is fine.
struct Problem {
  Error error;
  const char* reason;
  bool ok() const { return error == Error::kOk; }
};

constexpr Problem kFine{Error::kOk, nullptr};
constexpr Problem malformed(const char* reason) { return {Error::kMalformed, reason}; }
constexpr Problem out_of_range(const char* reason) { return {Error::kOutOfRange, reason}; }

inline bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Compares a view with a NUL-terminated literal.
inline bool equals(Text text, const char* literal) {
  size_t i = 0;
  for (; i < text.size; ++i) {
    if (literal[i] == '\0' || literal[i] != text.data[i]) return false;
  }
  return literal[i] == '\0';
}

// Index of the first `c` in text, or text.size when there is none.
inline size_t find_char(Text text, char c) {
  size_t i = 0;
  while (i < text.size && text.data[i] != c) ++i;
  return i;
}

// Splits off the part before the first `separator`; *rest is what follows it (empty, and
// *found false, when there is no separator).
inline Text split(Text text, char separator, Text* rest, bool* found) {
  size_t at = find_char(text, separator);
  *found = at < text.size;
  *rest = *found ? text.from(at + 1) : text.from(at);
  return text.prefix(at);
}

// Names of boot modules: 1..23 characters of [a-z0-9_-], copied NUL-padded into `out`.
template <size_t N>
Problem parse_name(Text text, char (&out)[N]) {
  static_assert(N >= 2, "room for one character and the NUL");
  if (text.empty()) return malformed("empty name");
  for (size_t i = 0; i < text.size; ++i) {
    char c = text.data[i];
    bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!allowed) return malformed("name has a character other than a-z 0-9 _ -");
  }
  if (text.size > N - 1) return out_of_range("name longer than 23 characters");
  for (size_t i = 0; i < N; ++i) out[i] = i < text.size ? text.data[i] : '\0';
  return kFine;
}

inline int digit_value(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (hex && c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (hex && c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A decimal or 0x-hexadecimal number. The syntax is checked in full first, so trailing
// garbage is reported as such even after a very long number; values above `max` (checked
// digit by digit, so nothing can overflow) are out of range with `too_large` as the reason.
inline Problem parse_number(Text text, uint32_t max, const char* too_large, uint32_t* out) {
  bool hex = text.size >= 2 && text.data[0] == '0' && text.data[1] == 'x';
  Text digits = hex ? text.from(2) : text;
  if (digits.empty()) return malformed("invalid number");
  for (size_t i = 0; i < digits.size; ++i) {
    if (digit_value(digits.data[i], hex) < 0) return malformed("invalid number");
  }
  uint32_t base = hex ? 16 : 10;
  uint32_t value = 0;
  for (size_t i = 0; i < digits.size; ++i) {
    uint32_t digit = static_cast<uint32_t>(digit_value(digits.data[i], hex));
    if (digit > max || value > (max - digit) / base) return out_of_range(too_large);
    value = value * base + digit;
  }
  *out = value;
  return kFine;
}

}  // namespace bm::manifest
