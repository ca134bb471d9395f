// The cursor of the kernel's two screens (VGA text and the framebuffer): how each character
// of the log moves it. \n, \r, \t and \b only move it; any other character is drawn at the
// cursor, which then advances, wrapping after the last column; past the last row the screen
// scrolls up one row. The screens draw and scroll; this only keeps the position.
#pragma once

namespace kernel {

class Teletype {
 public:
  void resize(int rows, int columns) {
    rows_ = rows;
    columns_ = columns;
    row_ = 0;
    column_ = 0;
  }

  // draw(row, column, c) draws a printable character; scroll() moves every row up one and
  // clears the last, where the cursor then stays.
  template <typename Draw, typename Scroll>
  void put(char c, Draw&& draw, Scroll&& scroll) {
    switch (c) {
      case '\n':
        column_ = 0;
        ++row_;
        break;
      case '\r':
        column_ = 0;
        break;
      case '\t':
        column_ = (column_ + 8) & ~7;
        break;
      case '\b':
        if (column_ > 0) --column_;
        break;
      default:
        draw(row_, column_, c);
        ++column_;
    }
    if (column_ >= columns_) {
      column_ = 0;
      ++row_;
    }
    if (row_ >= rows_) {
      scroll();
      row_ = rows_ - 1;
    }
  }

 private:
  int rows_ = 0;
  int columns_ = 0;
  int row_ = 0;
  int column_ = 0;
};

}  // namespace kernel
