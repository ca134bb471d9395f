// Terminal emulation over a TextScreen: what each byte, control and escape sequence does to the
// cursor, the colours and the cells. Escape syntax: ECMA-48 / DEC VT100 (vt100.net).
#include "servers/terminal/terminal.h"

namespace bm::terminal {
namespace {

// ANSI colour order (black red green yellow blue magenta cyan white) to VGA colour numbers
// (VGA order: black blue green cyan red magenta brown grey).
constexpr uint8_t kAnsiToVga[8] = {kBlack, kRed,     kGreen, kBrown,
                                   kBlue,  kMagenta, kCyan,  kLightGrey};
constexpr uint8_t kBright = 0x08;      // attribute bit 3: intensity of the foreground
constexpr uint8_t kColourMask = 0x07;  // the three colour bits of a nibble
constexpr uint8_t kLastColour = 15;

constexpr uint8_t make_attribute(uint8_t foreground, uint8_t background) {
  return static_cast<uint8_t>((background & kColourMask) << 4 | (foreground & 0x0F));
}

int clamp(int value, int low, int high) {
  return value < low ? low : (value > high ? high : value);
}

}  // namespace

uint8_t Terminal::attribute() const {
  uint8_t foreground = static_cast<uint8_t>(foreground_ | (bold_ ? kBright : 0));
  if (!reverse_) return make_attribute(foreground, background_);
  // Swap the colours and keep the intensity on the foreground, as the Linux VGA console does.
  return make_attribute(static_cast<uint8_t>(background_ | (foreground & kBright)), foreground);
}

uint8_t Terminal::blank_attribute() const {
  return make_attribute(static_cast<uint8_t>(foreground_ | (bold_ ? kBright : 0)), background_);
}

void Terminal::write(const char* bytes, size_t length) {
  if (bytes != nullptr) {
    for (size_t i = 0; i < length; ++i) {
      uint8_t byte = static_cast<uint8_t>(bytes[i]);
      switch (parser_.feed(byte)) {
        case AnsiEvent::kNone:
          break;
        case AnsiEvent::kPrint:
          handle_print(byte);
          break;
        case AnsiEvent::kControl:
          handle_control(byte);
          break;
        case AnsiEvent::kEscape:
          handle_escape(parser_.byte());
          break;
        case AnsiEvent::kCsi:
          handle_csi(parser_.byte());
          break;
      }
    }
  }
  // Once per write, not per byte: each update is four CRTC port writes on real hardware.
  screen_.set_cursor(row_, column_);
}

void Terminal::clear() {
  for (int row = 0; row < height_; ++row) fill(row, 0, width_ - 1);
  move_to(0, 0);
  screen_.set_cursor(row_, column_);
}

Result<void> Terminal::set_colours(uint8_t foreground, uint8_t background) {
  if (foreground > kLastColour || background > kLastColour) return Error::kInvalidArgument;
  foreground_ = default_foreground_ = foreground;
  background_ = default_background_ = static_cast<uint8_t>(background & kColourMask);
  bold_ = false;
  reverse_ = false;
  return {};
}

Result<void> Terminal::move_cursor(int row, int column) {
  if (row < 0 || row >= height_ || column < 0 || column >= width_) {
    return Error::kInvalidArgument;
  }
  move_to(row, column);
  screen_.set_cursor(row_, column_);
  return {};
}

void Terminal::handle_print(uint8_t byte) {
  if (wrap_pending_) {
    column_ = 0;
    line_feed();
  }
  uint8_t character = byte < 0x80 ? byte : kPlaceholder;
  screen_.put(row_, column_, make_cell(character, attribute()));
  if (column_ == width_ - 1) {
    wrap_pending_ = true;
  } else {
    ++column_;
  }
}

void Terminal::handle_control(uint8_t byte) {
  switch (byte) {
    case '\n':
      column_ = 0;
      line_feed();
      break;
    case '\r':
      move_to(row_, 0);
      break;
    case '\t':
      // From a pending wrap (logical column 80) there is no further stop: nothing moves.
      if (!wrap_pending_) column_ = bm::min((column_ / 8 + 1) * 8, width_ - 1);
      break;
    case '\b':
      if (wrap_pending_) {
        wrap_pending_ = false;  // logical column 80 -> 79, where the cursor already shows
      } else if (column_ > 0) {
        --column_;
      }
      break;
    default:
      break;  // BEL and the other C0 controls: nothing to show
  }
}

void Terminal::line_feed() {
  wrap_pending_ = false;
  if (row_ < height_ - 1) {
    ++row_;
  } else {
    screen_.scroll_up(make_cell(' ', blank_attribute()));
  }
}

void Terminal::move_to(int row, int column) {
  row_ = clamp(row, 0, height_ - 1);
  column_ = clamp(column, 0, width_ - 1);
  wrap_pending_ = false;
}

void Terminal::handle_escape(uint8_t final_byte) {
  // ESC 7 / ESC 8 (DECSC/DECRC) as aliases of ESC[s / ESC[u: position only.
  if (final_byte == '7') save_cursor();
  if (final_byte == '8') restore_cursor();
}

uint16_t Terminal::count_parameter(int index) const {
  uint16_t value = parser_.parameter(index);
  return value == 0 ? 1 : value;  // omitted or 0 both mean 1 for counts and positions
}

void Terminal::handle_csi(uint8_t final_byte) {
  int count = count_parameter(0);
  switch (final_byte) {
    case 'A':
      move_to(row_ - count, column_);
      break;
    case 'B':
      move_to(row_ + count, column_);
      break;
    case 'C':
      move_to(row_, column_ + count);
      break;
    case 'D':
      move_to(row_, (wrap_pending_ ? width_ : column_) - count);
      break;
    case 'H':
    case 'f':
      move_to(count - 1, count_parameter(1) - 1);
      break;
    case 'J':
      erase_display(parser_.parameter(0));
      break;
    case 'K':
      erase_line(parser_.parameter(0));
      break;
    case 's':
      save_cursor();
      break;
    case 'u':
      restore_cursor();
      break;
    case 'm':
      select_graphic_rendition();
      break;
    default:
      break;  // unsupported final byte: ignored
  }
}

void Terminal::fill(int row, int first_column, int last_column) {
  uint16_t blank = make_cell(' ', blank_attribute());
  for (int column = first_column; column <= last_column; ++column) screen_.put(row, column, blank);
}

void Terminal::erase_display(uint16_t mode) {
  switch (mode) {
    case 0:  // cursor to end of screen
      fill(row_, column_, width_ - 1);
      for (int row = row_ + 1; row < height_; ++row) fill(row, 0, width_ - 1);
      break;
    case 1:  // start of screen to cursor, inclusive
      for (int row = 0; row < row_; ++row) fill(row, 0, width_ - 1);
      fill(row_, 0, column_);
      break;
    case 2:
    case 3:  // 3 is xterm's "and the scrollback", which we do not have
      for (int row = 0; row < height_; ++row) fill(row, 0, width_ - 1);
      break;
    default:
      return;
  }
  wrap_pending_ = false;
}

void Terminal::erase_line(uint16_t mode) {
  switch (mode) {
    case 0:
      fill(row_, column_, width_ - 1);
      break;
    case 1:
      fill(row_, 0, column_);
      break;
    case 2:
      fill(row_, 0, width_ - 1);
      break;
    default:
      return;
  }
  wrap_pending_ = false;
}

void Terminal::save_cursor() {
  saved_row_ = row_;
  saved_column_ = column_;
  saved_wrap_pending_ = wrap_pending_;
}

void Terminal::restore_cursor() {
  move_to(saved_row_, saved_column_);
  wrap_pending_ = saved_wrap_pending_;
}

void Terminal::select_graphic_rendition() {
  int count = parser_.parameter_count();
  if (count == 0) count = 1;  // "ESC[m" is "ESC[0m"
  for (int i = 0; i < count; ++i) {
    uint16_t code = parser_.parameter(i);
    if (code == 0) {
      foreground_ = default_foreground_;
      background_ = default_background_;
      bold_ = false;
      reverse_ = false;
    } else if (code == 1) {
      bold_ = true;
    } else if (code == 22) {
      bold_ = false;
    } else if (code == 7) {
      reverse_ = true;
    } else if (code == 27) {
      reverse_ = false;
    } else if (code >= 30 && code <= 37) {
      foreground_ = kAnsiToVga[code - 30];
    } else if (code == 39) {
      foreground_ = default_foreground_;
    } else if (code >= 90 && code <= 97) {
      foreground_ = static_cast<uint8_t>(kAnsiToVga[code - 90] | kBright);
    } else if (code >= 40 && code <= 47) {
      background_ = kAnsiToVga[code - 40];
    } else if (code == 49) {
      background_ = default_background_;
    } else if (code >= 100 && code <= 107) {
      background_ = kAnsiToVga[code - 100];  // no bright backgrounds: bit 7 would blink
    } else if (code == 38 || code == 48) {
      // 256-colour (5;n) and RGB (2;r;g;b) colours are not shown, but their arguments must
      // not be read as codes of their own ("2;255;0;0" would otherwise end in a reset).
      uint16_t kind = parser_.parameter(i + 1);
      if (kind == 5) {
        i += 2;
      } else if (kind == 2) {
        i += 4;
      } else {
        return;  // malformed: the rest cannot be interpreted reliably
      }
    }
    // Anything else (underline, blink, italic...) has no VGA equivalent here: ignored.
  }
}

}  // namespace bm::terminal
