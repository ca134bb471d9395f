// The fb server's screen: a grid of 8x16 glyph cells drawn into a linear framebuffer, with
// an underline cursor. The Terminal (servers/terminal) drives it exactly as it drives VGA
// text; host tests give it a framebuffer in ordinary memory.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/boot_screen.h"
#include "lib/core/result.h"
#include "lib/gfx/pixel_format.h"
#include "servers/terminal/text_screen.h"

namespace bm::fb {

using gfx::PixelFormat;

// The framebuffer as mapped: where row 0 starts and its geometry.
struct FramebufferView {
  uint8_t* pixels;
  uint32_t pitch;  // bytes from one pixel row to the next
  uint32_t width;  // pixels
  uint32_t height;
  PixelFormat format;
};

// Checks a granted geometry before anything is drawn (the grant is input from outside):
// kUnsupported for a depth other than 16/24/32 bits or a channel of 0 or more than 8 bits,
// kMalformed for a channel outside the pixel, a pitch shorter than a row or a screen smaller
// than one glyph cell. On success *format is the pixel layout.
Result<void> check_geometry(const abi::FramebufferGeometry& geometry, PixelFormat* format);

// The cell grid a framebuffer holds: whole 8x16 cells; the margin right and below stays
// background.
int grid_rows(const FramebufferView& view);
int grid_columns(const FramebufferView& view);

class FramebufferScreen final : public terminal::TextScreen {
 public:
  // `cells` holds grid_rows x grid_columns entries: the text of the screen, which get()
  // reads (reading pixels back would be slow on real video memory).
  FramebufferScreen(const FramebufferView& view, uint16_t* cells);

  // Paints every pixel (margins included) in the background of `attribute` and every cell
  // blank: the server's first act, over whatever the firmware and GRUB left.
  void clear_all(uint8_t attribute);

  int rows() const override { return rows_; }
  int columns() const override { return columns_; }
  void put(int row, int column, uint16_t cell) override;
  uint16_t get(int row, int column) const override { return cells_[index(row, column)]; }
  void set_cursor(int row, int column) override;
  // Moves the pixel rows of the text up by one cell with memmove and draws only the new
  // bottom row.
  void scroll_up(uint16_t blank_cell) override;

  // How many cells were drawn glyph by glyph so far (tests check scrolling draws one row).
  uint64_t cells_drawn() const { return cells_drawn_; }

 private:
  size_t index(int row, int column) const { return static_cast<size_t>(row) * columns_ + column; }
  void draw_cell(int row, int column);
  void draw_cursor();
  uint8_t* origin(int row, int column) const;

  FramebufferView view_;
  uint16_t* cells_;
  int rows_;
  int columns_;
  int cursor_row_ = 0;
  int cursor_column_ = 0;
  bool cursor_drawn_ = false;
  uint32_t palette_[16];
  uint64_t cells_drawn_ = 0;
};

}  // namespace bm::fb
