// Building SGR and CUP sequences (ECMA-48 §8.3.117 SGR, §8.3.21 CUP) into small buffers.
#include "servers/serial/ansi_output.h"

#include "lib/fmt/string.h"

namespace bm::serial {
namespace {

// VGA numbers its colours blue-green-red (1 blue, 4 red); ANSI numbers them red-green-blue
// (1 red, 4 blue). Index: VGA colour 0-7, value: ANSI colour 0-7. VGA brown (6) is ANSI's
// dark yellow.
constexpr uint8_t kAnsiForVga[8] = {0, 4, 2, 6, 1, 5, 3, 7};

constexpr uint32_t kSgrForeground = 30;
constexpr uint32_t kSgrBackground = 40;
constexpr uint32_t kSgrBrightOffset = 60;  // 90-97 and 100-107 (aixterm)

uint32_t sgr_colour(ipc::console::Colour colour, uint32_t base) {
  auto vga = static_cast<uint32_t>(colour) & 0x0f;
  uint32_t code = base + kAnsiForVga[vga & 7];
  return vga >= 8 ? code + kSgrBrightOffset : code;
}

}  // namespace

size_t ansi_set_colours(ipc::console::Colour foreground, ipc::console::Colour background,
                        char out[kMaxAnsiSequence]) {
  size_t length = 0;
  out[length++] = '\x1b';
  out[length++] = '[';
  length = bm::append_decimal(sgr_colour(foreground, kSgrForeground), out, length);
  out[length++] = ';';
  length = bm::append_decimal(sgr_colour(background, kSgrBackground), out, length);
  out[length++] = 'm';
  return length;
}

size_t ansi_move_cursor(uint32_t row, uint32_t column, char out[kMaxAnsiSequence]) {
  // The protocol bounds both at 65535, so 1-based values fit five digits each.
  if (row > ipc::console::kMaxCoordinate) row = ipc::console::kMaxCoordinate;
  if (column > ipc::console::kMaxCoordinate) column = ipc::console::kMaxCoordinate;
  size_t length = 0;
  out[length++] = '\x1b';
  out[length++] = '[';
  length = bm::append_decimal(row + 1, out, length);
  out[length++] = ';';
  length = bm::append_decimal(column + 1, out, length);
  out[length++] = 'H';
  return length;
}

}  // namespace bm::serial
