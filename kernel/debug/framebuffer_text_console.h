// The kernel's own minimal text output on a linear framebuffer (UEFI boots): the boot log
// and the panic screen in 8x16 glyphs, until the ring-3 fb server takes the screen over.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/debug/teletype.h"
#include "lib/gfx/pixel_format.h"
#include "lib/mb2/framebuffer.h"

namespace kernel {

class FramebufferTextConsole {
 public:
  // `pixels` is where the kernel reaches the framebuffer `fb` describes (direct RGB, checked
  // by lib/mb2). Clears the screen.
  void init(uint8_t* pixels, const bm::mb2::Framebuffer& fb);
  void write(const char* text, size_t length);
  // A VGA attribute: foreground in bits 0-3, background in bits 4-7.
  void set_colour(uint8_t attribute);

 private:
  void put(char c);
  void fill_row(int row);
  void scroll();
  uint32_t pack(uint8_t colour) const;

  uint8_t* pixels_ = nullptr;
  uint32_t pitch_ = 0;
  bm::gfx::PixelFormat format_{};
  int rows_ = 0;
  int columns_ = 0;
  Teletype cursor_;
  uint32_t foreground_ = 0;
  uint32_t background_ = 0;
};

}  // namespace kernel
