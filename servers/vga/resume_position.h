// Where a starting vga server continues writing. The text buffer at 0xB8000 is the console's
// state: a vga restarted after a crash or a kill finds its predecessor's screen there and
// the hardware cursor where that one left it, and carries on from that very cell (in the
// middle of the shell's line being edited). At boot the cursor is wherever the firmware
// left it, above the kernel's log, so the server starts on the first free row instead.
#pragma once

#include "servers/vga/text_mode.h"

namespace bm::vga {

struct ScreenPosition {
  int row;
  int column;
  bool scroll_first;  // the screen is full: scroll one line before writing
};

// cursor_row/column from the CRTC cursor registers; first_free_row from the buffer (kRows when
// the last row is not blank).
constexpr ScreenPosition resume_position(int cursor_row, int cursor_column, int first_free_row) {
  bool cursor_on_screen =
      cursor_row >= 0 && cursor_row < kRows && cursor_column >= 0 && cursor_column < kColumns;
  // Nothing written below the cursor's row: the cursor marks the end of the text.
  if (cursor_on_screen && cursor_row >= first_free_row - 1) {
    return {cursor_row, cursor_column, false};
  }
  if (first_free_row >= kRows) return {kRows - 1, 0, true};
  return {first_free_row, 0, false};
}

}  // namespace bm::vga
