// The consoles' terminal emulation: cursor, colours, wrap, scroll, control characters and
// the ANSI escapes a shell needs, drawn through a TextScreen so host tests can run it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "servers/terminal/ansi_parser.h"
#include "servers/terminal/text_screen.h"

namespace bm::terminal {

// VGA colour numbers (the attribute nibble), which set_colours() takes.
enum VgaColour : uint8_t {
  kBlack = 0,
  kBlue,
  kGreen,
  kCyan,
  kRed,
  kMagenta,
  kBrown,
  kLightGrey,
  kDarkGrey,
  kLightBlue,
  kLightGreen,
  kLightCyan,
  kLightRed,
  kLightMagenta,
  kYellow,
  kWhite,
};

// Behaviour, where terminals differ (the numbers are for an 80-column screen, as VGA's):
// - Deferred wrap (VT100): a character printed in column 79 leaves the cursor there with a
//   wrap pending; the next printable character moves to the next line first. So exactly 80
//   characters and "\n" make one line, and the bottom-right cell can be written without a
//   scroll. A pending wrap stands for a logical column 80: "\b" or ESC[nD from there step back
//   onto column 79 (80 - n), so a shell's "\b \b" erases the character it just printed there.
//   Other cursor movements, "\r", "\n" and erases clear the pending wrap; save/restore keep
//   it, and "\t" from it does nothing.
// - "\n" is a newline plus carriage return, as a console's output does (no ONLCR layer here).
//   "\r" goes to column 0, "\t" to the next multiple of 8 but not past column 79, "\b" one
//   column left but not past column 0 (never to the line above), and does not erase. Other C0
//   controls (BEL...) and DEL are ignored.
// - Escapes acted on: CSI n A/B/C/D, CSI r;c H and f, CSI 0-3 J, CSI 0-2 K, CSI s/u, ESC 7/8
//   (position only, like s/u) and SGR 0 1 7 22 27 30-37 39 40-47 49 90-97 100-107 (38/48
//   extended colours are skipped). Positions are 1-based; counts and positions of 0 mean 1;
//   results are clamped to the screen, and the cursor never scrolls the screen.
// - Bytes >= 0x80 each print kPlaceholder (CP437 0xFE, a small square); no UTF-8 decoding.
// - Backgrounds are 0..7 only: attribute bit 7 means blink on default VGA hardware, so a bright
//   background (set_colours 8..15, SGR 100-107) becomes its dark counterpart.
// - Blank cells (erase, scroll, clear) take the current colours without reverse video, as the
//   Linux console does, so a reverse-video prompt does not paint whole lines.
// - Unsupported or malformed escapes are consumed whole and change nothing (see AnsiParser).
class Terminal {
 public:
  static constexpr uint8_t kPlaceholder = 0xFE;
  static constexpr uint8_t kDefaultForeground = kLightGrey;
  static constexpr uint8_t kDefaultBackground = kBlack;

  // Does not touch the screen: the server decides whether to clear() or keep the boot log.
  explicit Terminal(TextScreen& screen)
      : screen_(screen), height_(screen.rows()), width_(screen.columns()) {}

  // The console protocol's write: any bytes; the hardware cursor follows once at the end.
  void write(const char* bytes, size_t length);
  // Blanks the screen and homes the cursor; colours and a half-read escape stay.
  void clear();
  // VGA colour numbers 0..15 (kInvalidArgument above). They also become the colours SGR 0, 39
  // and 49 return to; bold and reverse video are switched off.
  Result<void> set_colours(uint8_t foreground, uint8_t background);
  // 0-based; kInvalidArgument outside the grid, and nothing changes.
  Result<void> move_cursor(int row, int column);

  int height() const { return height_; }  // rows of the grid
  int width() const { return width_; }    // columns
  int row() const { return row_; }
  int column() const { return column_; }
  bool wrap_pending() const { return wrap_pending_; }
  // The attribute printable characters get now (bold and reverse video applied).
  uint8_t attribute() const;
  // The attribute of blank cells made by erase, scroll and clear.
  uint8_t blank_attribute() const;

 private:
  void handle_print(uint8_t byte);
  void handle_control(uint8_t byte);
  void handle_escape(uint8_t final_byte);
  void handle_csi(uint8_t final_byte);
  void select_graphic_rendition();
  void line_feed();
  void move_to(int row, int column);
  void erase_display(uint16_t mode);
  void erase_line(uint16_t mode);
  void fill(int row, int first_column, int last_column);
  void save_cursor();
  void restore_cursor();
  uint16_t count_parameter(int index) const;

  TextScreen& screen_;
  int height_;
  int width_;
  AnsiParser parser_;
  int row_ = 0;
  int column_ = 0;
  bool wrap_pending_ = false;
  int saved_row_ = 0;
  int saved_column_ = 0;
  bool saved_wrap_pending_ = false;
  uint8_t foreground_ = kDefaultForeground;  // 0..15; bold adds 8 on top
  uint8_t background_ = kDefaultBackground;  // 0..7
  uint8_t default_foreground_ = kDefaultForeground;
  uint8_t default_background_ = kDefaultBackground;
  bool bold_ = false;
  bool reverse_ = false;
};

}  // namespace bm::terminal
