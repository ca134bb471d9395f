// The console-role line discipline of the serial server: turns bytes from a terminal emulator
// (CR/LF, DEL/BS, ANSI cursor-key sequences, UTF-8) into the key events the shell reads, and
// turns "\n" on output into the "\r\n" a terminal needs. Raw serial traffic bypasses it.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm::serial {

// The editing keys a terminal sends as control bytes or escape sequences. Meant to match the
// keyboard server's key codes so the shell cannot tell the two inputs apart.
enum class Key : uint8_t {
  kNone,
  kUp,
  kDown,
  kLeft,
  kRight,
  kHome,
  kEnd,
  kDelete,
  kBackspace,
  kEnter,
  kTab,
};

struct InputEvent {
  enum Kind : uint8_t { kChar, kKey };
  Kind kind = kChar;
  // kChar: a Unicode code point (control characters such as Ctrl-C = 3 included).
  // kKey: the ASCII the key stands for where there is one (Enter '\n', Tab '\t',
  // Backspace '\b'), otherwise 0.
  uint32_t character = 0;
  Key key = Key::kNone;
};

inline constexpr uint32_t kReplacementCharacter = 0xFFFD;  // for malformed UTF-8

class LineDiscipline {
 public:
  // Longest escape sequence accepted; longer ones are abandoned so a stream of parameter
  // bytes cannot swallow input forever.
  static constexpr size_t kMaxSequenceLength = 16;

  constexpr LineDiscipline() = default;

  // Feeds one received byte. Returns true and fills *event when the byte completes an event;
  // false while inside a sequence, for bytes that produce nothing (the LF of CR LF, unknown
  // escape sequences) or when event is null. Sequences may be split across calls anywhere.
  //   CR, LF, CR LF -> Enter (one event);  DEL (0x7F), BS (0x08) -> Backspace;  TAB -> Tab;
  //   ESC [ A/B/C/D -> Up/Down/Right/Left;  ESC [ H / F, ESC [ 1 ~ / 7 ~, ESC [ 4 ~ / 8 ~ and
  //   ESC O A-D/H/F -> the same keys (xterm, VT220 and rxvt send these);  ESC [ 3 ~ -> Delete.
  //   Parameters such as the modifier in ESC [ 1 ; 5 A are ignored. An ESC followed by
  //   anything else is dropped and that byte is handled normally.
  //   UTF-8 multi-byte characters -> one kChar; a lone invalid byte -> U+FFFD; a sequence cut
  //   short by a non-continuation byte is dropped and the new byte handled normally.
  bool feed(uint8_t byte, InputEvent* event);

  // Feeds bytes until they run out or `capacity` events have been produced. Returns the number
  // of events; *consumed (if not null) receives how many bytes were used, so the caller can
  // resubmit the rest.
  size_t decode(const uint8_t* bytes, size_t length, InputEvent* events, size_t capacity,
                size_t* consumed);

  // Forgets any partial sequence (e.g. after the line settings change).
  void reset();

  // Copies `in` to `out`, expanding each "\n" to "\r\n" (a "\r" already present stays, giving
  // "\r\r\n", which terminals show the same). Stops at the first byte that does not fit, never
  // splitting a "\r\n". Returns bytes written; *consumed (if not null) gets bytes read.
  static size_t translate_output(const uint8_t* in, size_t in_length, uint8_t* out,
                                 size_t out_capacity, size_t* consumed);

 private:
  enum class State : uint8_t { kGround, kEscape, kCsi, kSs3, kUtf8 };

  bool ground(uint8_t byte, InputEvent* event);
  bool csi(uint8_t byte, InputEvent* event);
  bool ss3(uint8_t byte, InputEvent* event);
  bool utf8(uint8_t byte, InputEvent* event);

  State state_ = State::kGround;
  bool after_cr_ = false;        // the previous byte was CR, so a following LF is swallowed
  uint8_t sequence_length_ = 0;  // bytes of the current escape sequence after ESC
  uint16_t parameter_ = 0;       // first numeric CSI parameter, saturating
  bool first_parameter_done_ = false;
  uint32_t code_point_ = 0;  // UTF-8 being assembled
  uint8_t utf8_remaining_ = 0;
  uint8_t utf8_length_ = 0;
};

}  // namespace bm::serial
