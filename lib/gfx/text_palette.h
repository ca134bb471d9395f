// The 16 text colours in VGA attribute order, as RGB: what VGA text mode shows by default
// (IBM VGA Technical Reference, default DAC values of the text attributes), so that the
// framebuffer console and the kernel's framebuffer log look like VGA text.
#pragma once

#include <stdint.h>

namespace bm::gfx {

struct Rgb {
  uint8_t red, green, blue;
};

constexpr Rgb kTextPalette[16] = {
    {0, 0, 0},     {0, 0, 170},     {0, 170, 0},    {0, 170, 170},   {170, 0, 0},   {170, 0, 170},
    {170, 85, 0},  {170, 170, 170}, {85, 85, 85},   {85, 85, 255},   {85, 255, 85}, {85, 255, 255},
    {255, 85, 85}, {255, 85, 255},  {255, 255, 85}, {255, 255, 255},
};

}  // namespace bm::gfx
