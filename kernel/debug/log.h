// The kernel log: printf-style lines to COM1, the QEMU debug console (port
// 0xE9), the VGA text screen (until a console server exists) and a ring of
// recent text that `dmesg` can read back.
#pragma once

#include <stdarg.h>
#include <stddef.h>

#include "lib/mb2/framebuffer.h"

namespace kernel {

// Programs COM1 and clears the screen. Safe to call before the heap exists.
void log_init();

void kprintf(const char* format, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char* format, va_list arguments);
void log_write(const char* text, size_t length);

// Copies the recent log, oldest first, NUL-terminated; returns its length.
size_t log_copy_recent(char* buffer, size_t size);

// Stream positions count every byte ever logged; the ring holds the bytes
// [log_oldest_position(), log_end_position()). log_read_at copies up to
// `size` of them from `position`, which must lie in that range (or at its
// end), and returns how many it copied.
size_t log_oldest_position();
size_t log_end_position();
size_t log_read_at(size_t position, char* buffer, size_t size);

// Panic path: red screen attribute from now on, and the screen is the
// kernel's again even if a console server had it.
void log_enter_panic_mode();

// The boot left no VGA text screen (a framebuffer, or nothing usable): the kernel stops
// writing to 0xB8000 for good, which on such a machine may not be a text buffer at all.
void log_no_text_screen();

// The boot left a framebuffer: from now on the log (and a panic) is drawn on it too. False
// if the kernel cannot reach it (it lies above the direct map every page table has).
bool log_use_framebuffer(const bm::mb2::Framebuffer& fb);

// A ring-3 console server mapped the text screen: the kernel stops writing
// to it (COM1, 0xE9 and the ring go on).
void log_release_screen();

}  // namespace kernel
