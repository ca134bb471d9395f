// printf for ring-3 programs: text goes to the kernel log through the
// debug_write system call (COM1, port 0xE9, and the screen until the VGA
// server takes it). To write on the console, use user/console_client.h.
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace user {

// Formats into a buffer and writes it in one call, so lines from different
// tasks do not interleave mid-line. Returns the characters produced.
size_t printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
size_t vprintf(const char* format, va_list arguments);

}  // namespace user
