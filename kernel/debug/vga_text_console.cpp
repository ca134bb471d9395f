// Text-mode writer: each cell is a character byte plus an attribute byte
// (foreground in bits 0-3, background in bits 4-6).
#include "kernel/debug/vga_text_console.h"

namespace kernel {

void VgaTextConsole::init(volatile uint16_t* buffer) {
  buffer_ = buffer;
  clear();
}

void VgaTextConsole::clear() {
  if (buffer_ == nullptr) return;
  for (int i = 0; i < kColumns * kRows; ++i) {
    buffer_[i] = static_cast<uint16_t>(attribute_ << 8 | ' ');
  }
  cursor_.resize(kRows, kColumns);
}

void VgaTextConsole::scroll() {
  for (int i = 0; i < kColumns * (kRows - 1); ++i) buffer_[i] = buffer_[i + kColumns];
  for (int i = kColumns * (kRows - 1); i < kColumns * kRows; ++i) {
    buffer_[i] = static_cast<uint16_t>(attribute_ << 8 | ' ');
  }
}

void VgaTextConsole::put(char c) {
  cursor_.put(
      c,
      [this](int row, int column, char glyph) {
        buffer_[row * kColumns + column] =
            static_cast<uint16_t>(attribute_ << 8 | static_cast<uint8_t>(glyph));
      },
      [this] { scroll(); });
}

void VgaTextConsole::write(const char* text, size_t length) {
  if (buffer_ == nullptr) return;
  for (size_t i = 0; i < length; ++i) put(text[i]);
}

}  // namespace kernel
