// VGA text-mode hardware access for the VGA server.
#include "servers/vga/vga_screen.h"

#include "lib/core/pc_layout.h"
#include "user/port_io.h"

namespace bm::vga {
namespace {

constexpr uint16_t kCrtcIndex = bm::pc::kVgaCrtcIndexPort;
constexpr uint16_t kCrtcData = bm::pc::kVgaCrtcDataPort;
constexpr uint8_t kCursorStart = 0x0a;  // bit 5: cursor off; bits 0-4: first scan line
constexpr uint8_t kCursorEnd = 0x0b;    // bits 0-4: last scan line
constexpr uint8_t kCursorLocationHigh = 0x0e;
constexpr uint8_t kCursorLocationLow = 0x0f;
constexpr uint8_t kUnderlineFirstLine = 14;
constexpr uint8_t kUnderlineLastLine = 15;

void write_crtc(uint8_t index, uint8_t value) {
  user::out8(kCrtcIndex, index);
  user::out8(kCrtcData, value);
}

}  // namespace

void VgaScreen::init_cursor() {
  write_crtc(kCursorStart, kUnderlineFirstLine);  // bit 5 clear: shown
  write_crtc(kCursorEnd, kUnderlineLastLine);
}

void VgaScreen::cursor(int* row, int* column) const {
  user::out8(kCrtcIndex, kCursorLocationHigh);
  uint16_t position = static_cast<uint16_t>(user::in8(kCrtcData) << 8);
  user::out8(kCrtcIndex, kCursorLocationLow);
  position = static_cast<uint16_t>(position | user::in8(kCrtcData));
  *row = position / kColumns;
  *column = position % kColumns;
}

void VgaScreen::set_cursor(int row, int column) {
  uint16_t position = static_cast<uint16_t>(row * kColumns + column);
  write_crtc(kCursorLocationHigh, static_cast<uint8_t>(position >> 8));
  write_crtc(kCursorLocationLow, static_cast<uint8_t>(position & 0xff));
}

void VgaScreen::scroll_up(uint16_t blank_cell) {
  for (int i = 0; i < kColumns * (kRows - 1); ++i) buffer_[i] = buffer_[i + kColumns];
  for (int i = kColumns * (kRows - 1); i < kColumns * kRows; ++i) buffer_[i] = blank_cell;
}

int VgaScreen::first_free_row() const {
  for (int row = kRows - 1; row >= 0; --row) {
    for (int column = 0; column < kColumns; ++column) {
      if ((buffer_[row * kColumns + column] & 0xff) != ' ') return row + 1;
    }
  }
  return 0;
}

}  // namespace bm::vga
