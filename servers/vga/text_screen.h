// The hardware a Terminal drives: an 80x25 grid of VGA text cells and the hardware cursor.
// The server implements it over the mapped 0xB8000 buffer and CRTC ports; host tests over an array.
#pragma once

#include <stdint.h>

namespace bm::vga {

constexpr int kColumns = 80;
constexpr int kRows = 25;

// A text-mode cell: the character (code page 437) in the low byte, the attribute in the high
// byte (foreground bits 0-3, background bits 4-6, bit 7 blink on default hardware).
constexpr uint16_t make_cell(uint8_t character, uint8_t attribute) {
  return static_cast<uint16_t>(attribute << 8 | character);
}
constexpr uint8_t cell_character(uint16_t cell) { return static_cast<uint8_t>(cell & 0xFF); }
constexpr uint8_t cell_attribute(uint16_t cell) { return static_cast<uint8_t>(cell >> 8); }

// Every call is made with 0 <= row < kRows and 0 <= column < kColumns; an implementation may
// rely on that and need not check again.
class TextScreen {
 public:
  virtual void put(int row, int column, uint16_t cell) = 0;
  virtual uint16_t get(int row, int column) const = 0;
  // Moves the blinking hardware cursor (CRTC registers 0x0E/0x0F on real hardware).
  virtual void set_cursor(int row, int column) = 0;
  // Moves rows 1..kRows-1 up by one and fills the last row with blank_cell. One call, so the
  // server can copy the 24 rows with a single memmove instead of 1920 put/get pairs.
  virtual void scroll_up(uint16_t blank_cell) = 0;

 protected:
  // Never deleted through this interface; the owner knows the concrete type.
  ~TextScreen() = default;
};

}  // namespace bm::vga
