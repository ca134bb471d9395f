// The real text screen behind the terminal: the mapped VGA buffer (0xB8000)
// and the hardware cursor, programmed through the CRTC index/data ports
// 0x3D4/0x3D5 (IBM VGA Technical Reference, CRT controller registers).
#pragma once

#include <stdint.h>

#include "servers/vga/text_mode.h"

namespace bm::vga {

class VgaScreen final : public terminal::TextScreen {
 public:
  explicit VgaScreen(volatile uint16_t* buffer) : buffer_(buffer) {}

  // A known cursor state: underline shape (scan lines 14-15), shown.
  void init_cursor();
  // Where the hardware cursor is (CRTC registers 0x0E/0x0F); a restarted server continues
  // there. May be off the 80x25 grid if the firmware left it so.
  void cursor(int* row, int* column) const;
  // The first row below the last non-blank one, so the server continues
  // under the kernel's boot log instead of over it.
  int first_free_row() const;

  int rows() const override { return kRows; }
  int columns() const override { return kColumns; }
  void put(int row, int column, uint16_t cell) override { buffer_[row * kColumns + column] = cell; }
  uint16_t get(int row, int column) const override { return buffer_[row * kColumns + column]; }
  void set_cursor(int row, int column) override;
  void scroll_up(uint16_t blank_cell) override;

 private:
  volatile uint16_t* buffer_;
};

}  // namespace bm::vga
