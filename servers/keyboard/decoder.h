// Scan code set 1 decoder: turns the bytes read from port 0x60 into key events, tracking
// modifiers, the three lock keys and their LEDs. No hardware access; the server feeds it.
#pragma once

#include <stdint.h>

#include "servers/keyboard/key_event.h"
#include "servers/keyboard/layout.h"

namespace bm::keyboard {

// Bits of the data byte of the keyboard's 0xED "set LEDs" command (OSDev "PS/2 Keyboard",
// command 0xED).
constexpr uint8_t kLedScrollLock = 1 << 0;
constexpr uint8_t kLedNumLock = 1 << 1;
constexpr uint8_t kLedCapsLock = 1 << 2;

// Rules, where scan code set 1 leaves a choice:
// - Bytes that are not keys (0x00/0xFF errors, 0xFA ACK, 0xFE resend, 0xEE echo, 0xFC/0xFD
//   self-test failures) are skipped anywhere, even between a prefix and its code. 0xAA, the
//   keyboard's "self-test passed", is also left Shift's break code; releasing does no harm.
// - E0 followed by a code with no meaning consumes both bytes; E0 2A/AA/36/B6 (the fake
//   Shifts the keyboard sends around navigation keys) are ignored, so Shift stays as it is.
//   A prefix after E0 starts over. 0x54 (Print Screen with Alt held) is kPrintScreen.
// - Pause (E1 1D 45 E1 9D C5, sent on press only) gives a press then a release of kPause; a
//   byte that breaks an E1 sequence is decoded as a fresh byte.
// - A repeated make code without a break is a typematic repeat: another press with its
//   character. Repeats of a lock key do not toggle the lock again.
// - Keypad 0x47-0x53: digits when Num Lock is on, navigation keys (Home, Up, ..., Insert,
//   Delete) when it is off; Shift inverts this, as on a PC. The release reports the same key
//   as the press even when Num Lock changed in between. Keypad 5 without Num Lock stays
//   kKeypad5 but types nothing.
// - Enter and keypad Enter type '\n', Backspace '\b', Tab '\t', Escape 0x1B; arrows,
//   Delete, function keys and modifiers type nothing (character 0).
// - Caps Lock acts as Shift only on the keys the layout marks (letters); Shift+Caps gives
//   lower case. With AltGr held, the AltGr column alone counts (0: nothing).
// - Ctrl turns a-z/A-Z into 1-26 and [ \ ] ^ _ into 0x1B-0x1F; other characters are kept.
// - A release has character 0; KeyEvent::modifiers is the state after the event.
class Decoder {
 public:
  // constexpr so a global Decoder needs no runtime constructor. All locks start off.
  constexpr explicit Decoder(const Layout& layout) : layout_(&layout) {}

  // Keeps the modifier and lock state; only characters change.
  void set_layout(const Layout& layout) { layout_ = &layout; }
  const Layout& layout() const { return *layout_; }

  // Feeds one byte from port 0x60. Returns true when it completes a key event, which is
  // written to *event unless event is nullptr (the state is updated either way).
  bool feed(uint8_t byte, KeyEvent* event);

  uint8_t modifiers() const;

  // LED bits for the 0xED command (kLed*). leds_changed_and_clear() is true once after a
  // lock key toggled (or set_leds), so the server sends 0xED only when something changed.
  uint8_t leds() const { return leds_; }
  bool leds_changed_and_clear();

  // Sets the lock state from LED bits (e.g. Num Lock on at start) and marks the LEDs changed.
  void set_leds(uint8_t leds);

 private:
  enum class Prefix : uint8_t { kNone, kE0, kE1, kE1Make, kE1Break };

  bool decode_plain(uint8_t byte, KeyEvent* event);
  bool decode_extended(uint8_t byte, KeyEvent* event);
  Key keypad_key(uint8_t code, bool pressed, bool* numeric);
  bool emit(Key key, bool pressed, KeyEvent* event, bool types = true);
  void track_modifier(Key key, bool pressed);
  uint32_t character_for(Key key) const;

  const Layout* layout_;
  Prefix prefix_ = Prefix::kNone;
  uint8_t held_ = 0;        // kHeld* bits: which modifier keys are down
  uint8_t locks_down_ = 0;  // kLed* bits: which lock keys are down (repeat suppression)
  uint8_t leds_ = 0;        // kLed* bits: lock state
  bool leds_changed_ = false;
  uint16_t keypad_down_ = 0;     // bit (code - 0x47): keypad key is down
  uint16_t keypad_numeric_ = 0;  // bit (code - 0x47): it went down as a digit
};

}  // namespace bm::keyboard
