// printf-style formatting for the kernel, servers and tests: integers, strings, characters and
// pointers only (no floating point), written to a sink in runs or into a bounded buffer.
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace bm {

// Receives the output in runs of text (literal stretches, padding chunks, converted fields),
// never one call per character. The text is not NUL-terminated.
using CharSink = void (*)(void* context, const char* text, size_t length);

// Supported: %d %i %u %x %X %o %p %s %c %%, length modifiers hh h l ll z j t, flags - 0 + space #,
// width and precision (both may be *). %p prints "0x" and 16 hex digits; a null %s prints
// "(null)"; precision on %s bounds the bytes read. Anything else (including %n and floating
// conversions) is copied to the output verbatim and consumes no argument.
// A null sink only counts. Returns the number of characters produced.
size_t vformat(CharSink sink, void* context, const char* format, va_list args)
    __attribute__((format(printf, 3, 0)));
size_t format(CharSink sink, void* context, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

// C semantics: writes at most size - 1 characters plus a NUL (when size > 0) and returns the
// length the full output would have had, so a result >= size means it was truncated.
size_t vsnprintf(char* buffer, size_t size, const char* format, va_list args)
    __attribute__((format(printf, 3, 0)));
size_t snprintf(char* buffer, size_t size, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace bm
