// An enum written once as an X-macro list, X(name, value, "text"), and the two functions every
// such enum in ipc/ needs: whether a wire word is one of its values, and a value's text.
#pragma once

#include <stdint.h>

// Defines `enum class Type : Base` with the listed values, `constexpr bool is_value(uint64_t)`
// (true for a listed value) and `constexpr const char* text_of(Type)` (`unknown` for any other).
// Both are switches, so a check on a hot path costs a range test and a table look-up.
#define BM_DEFINE_LISTED_ENUM(Type, Base, LIST, is_value, text_of, unknown) \
  enum class Type : Base { LIST(BM_LISTED_ENUM_VALUE_) };                   \
  constexpr bool is_value(uint64_t value) {                                 \
    switch (value) { LIST(BM_LISTED_ENUM_CASE_) return true; }              \
    return false;                                                           \
  }                                                                         \
  constexpr const char* text_of(Type value) {                               \
    switch (static_cast<uint64_t>(value)) { LIST(BM_LISTED_ENUM_TEXT_) }    \
    return unknown;                                                         \
  }

#define BM_LISTED_ENUM_VALUE_(name, value, text) name = value,
#define BM_LISTED_ENUM_CASE_(name, value, text) case value:
#define BM_LISTED_ENUM_TEXT_(name, value, text) \
  case value:                                   \
    return text;
