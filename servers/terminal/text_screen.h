// The screen a Terminal drives: a grid of text cells (VGA's cell format: character and
// colour attribute) and a cursor. The vga server implements it over 0xB8000 and the CRTC,
// the fb server by drawing glyphs into a framebuffer, host tests over an array.
#pragma once

#include <stdint.h>

namespace bm::terminal {

// A text-mode cell: the character (code page 437) in the low byte, the attribute in the high
// byte (foreground bits 0-3, background bits 4-6, bit 7 blink on default hardware).
constexpr uint16_t make_cell(uint8_t character, uint8_t attribute) {
  return static_cast<uint16_t>(attribute << 8 | character);
}
constexpr uint8_t cell_character(uint16_t cell) { return static_cast<uint8_t>(cell & 0xFF); }
constexpr uint8_t cell_attribute(uint16_t cell) { return static_cast<uint8_t>(cell >> 8); }

// Every call is made with 0 <= row < rows() and 0 <= column < columns(); an implementation
// may rely on that and need not check again. The size never changes.
class TextScreen {
 public:
  virtual int rows() const = 0;
  virtual int columns() const = 0;
  virtual void put(int row, int column, uint16_t cell) = 0;
  virtual uint16_t get(int row, int column) const = 0;
  // Moves the cursor (the blinking CRTC cursor, registers 0x0E/0x0F, on VGA hardware).
  virtual void set_cursor(int row, int column) = 0;
  // Moves rows 1..rows()-1 up by one and fills the last row with blank_cell. One call, so a
  // server can move the rows with a single memmove instead of a put/get pair per cell.
  virtual void scroll_up(uint16_t blank_cell) = 0;

 protected:
  // Never deleted through this interface; the owner knows the concrete type.
  ~TextScreen() = default;
};

}  // namespace bm::terminal
