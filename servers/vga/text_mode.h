// The VGA text mode the vga server drives: 80x25 cells of two bytes at 0xB8000 (IBM VGA
// Technical Reference, alphanumeric modes), in the terminal's cell format.
#pragma once

#include "servers/terminal/text_screen.h"

namespace bm::vga {

constexpr int kColumns = 80;
constexpr int kRows = 25;

using terminal::cell_attribute;
using terminal::cell_character;
using terminal::make_cell;

}  // namespace bm::vga
