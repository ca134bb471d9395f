// The ANSI (ECMA-48) escape sequences the serial server sends for the console protocol's
// clear, set_colours and move_cursor, so a terminal on COM1 shows what a VGA screen would.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/console.h"

namespace bm::serial {

// ED 2 (erase the whole display) then CUP with no parameters (cursor to the top left).
inline constexpr char kAnsiClear[] = "\x1b[2J\x1b[H";
inline constexpr size_t kAnsiClearLength = sizeof(kAnsiClear) - 1;

// Long enough for any sequence below ("\x1b[65536;65536H" is 15 bytes).
inline constexpr size_t kMaxAnsiSequence = 16;

// SGR foreground and background for two VGA palette colours (ipc::console::Colour): the dark
// eight as 30-37 / 40-47, the bright eight as the aixterm 90-97 / 100-107 that xterm, the
// Linux console and PuTTY understand. Returns the length written (at most kMaxAnsiSequence).
size_t ansi_set_colours(ipc::console::Colour foreground, ipc::console::Colour background,
                        char out[kMaxAnsiSequence]);

// CUP to a zero-based row and column (ANSI counts from 1). Returns the length written.
size_t ansi_move_cursor(uint32_t row, uint32_t column, char out[kMaxAnsiSequence]);

}  // namespace bm::serial
