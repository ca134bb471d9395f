// Scan code set 1 state machine (codes from the OSDev "PS/2 Keyboard" set 1 table; a break
// code is the make code | 0x80). See decoder.h for the rules it follows.
#include "servers/keyboard/decoder.h"

#include <stddef.h>

namespace bm::keyboard {
namespace {

constexpr uint8_t kBreakBit = 0x80;
constexpr uint8_t kPrefixExtended = 0xE0;
constexpr uint8_t kPrefixPause = 0xE1;
// The Pause key's sequence: E1 1D 45 (make half), E1 9D C5 (break half).
constexpr uint8_t kPauseFirst = 0x1D;
constexpr uint8_t kPauseSecond = 0x45;

// Keyboard-to-host bytes that are replies or errors, not scan codes (OSDev "PS/2 Keyboard",
// special bytes).
constexpr bool is_protocol_byte(uint8_t byte) {
  switch (byte) {
    case 0x00:  // key detection error / internal buffer overrun
    case 0xFF:  // the same, in the other scan code sets' convention
    case 0xFA:  // ACK
    case 0xFE:  // resend
    case 0xEE:  // echo
    case 0xFC:  // self-test failed
    case 0xFD:  // self-test failed
      return true;
    default:
      return false;
  }
}

// Set 1 make codes without a prefix, indexed by code.
// clang-format off
constexpr Key kPlainKeys[] = {
    /* 0x00 */ Key::kNone, Key::kEscape, Key::kDigit1, Key::kDigit2,
    /* 0x04 */ Key::kDigit3, Key::kDigit4, Key::kDigit5, Key::kDigit6,
    /* 0x08 */ Key::kDigit7, Key::kDigit8, Key::kDigit9, Key::kDigit0,
    /* 0x0C */ Key::kMinus, Key::kEqual, Key::kBackspace, Key::kTab,
    /* 0x10 */ Key::kQ, Key::kW, Key::kE, Key::kR,
    /* 0x14 */ Key::kT, Key::kY, Key::kU, Key::kI,
    /* 0x18 */ Key::kO, Key::kP, Key::kLeftBracket, Key::kRightBracket,
    /* 0x1C */ Key::kEnter, Key::kLeftCtrl, Key::kA, Key::kS,
    /* 0x20 */ Key::kD, Key::kF, Key::kG, Key::kH,
    /* 0x24 */ Key::kJ, Key::kK, Key::kL, Key::kSemicolon,
    /* 0x28 */ Key::kApostrophe, Key::kGrave, Key::kLeftShift, Key::kBackslash,
    /* 0x2C */ Key::kZ, Key::kX, Key::kC, Key::kV,
    /* 0x30 */ Key::kB, Key::kN, Key::kM, Key::kComma,
    /* 0x34 */ Key::kPeriod, Key::kSlash, Key::kRightShift, Key::kKeypadMultiply,
    /* 0x38 */ Key::kLeftAlt, Key::kSpace, Key::kCapsLock, Key::kF1,
    /* 0x3C */ Key::kF2, Key::kF3, Key::kF4, Key::kF5,
    /* 0x40 */ Key::kF6, Key::kF7, Key::kF8, Key::kF9,
    /* 0x44 */ Key::kF10, Key::kNumLock, Key::kScrollLock, Key::kKeypad7,
    /* 0x48 */ Key::kKeypad8, Key::kKeypad9, Key::kKeypadMinus, Key::kKeypad4,
    /* 0x4C */ Key::kKeypad5, Key::kKeypad6, Key::kKeypadPlus, Key::kKeypad1,
    /* 0x50 */ Key::kKeypad2, Key::kKeypad3, Key::kKeypad0, Key::kKeypadPeriod,
    // 0x54 is what Print Screen sends while Alt is held (SysRq).
    /* 0x54 */ Key::kPrintScreen, Key::kNone, Key::kNonUsBackslash, Key::kF11,
    /* 0x58 */ Key::kF12,
};
// clang-format on
constexpr size_t kPlainKeyCount = sizeof(kPlainKeys) / sizeof(kPlainKeys[0]);
static_assert(kPlainKeyCount == 0x59, "set 1 plain codes run from 0x00 to 0x58");

struct ExtendedCode {
  uint8_t code;
  Key key;
};

// Make codes after E0.
// clang-format off
constexpr ExtendedCode kExtendedKeys[] = {
    {0x1C, Key::kKeypadEnter}, {0x1D, Key::kRightCtrl},   {0x35, Key::kKeypadDivide},
    {0x37, Key::kPrintScreen}, {0x38, Key::kRightAlt},    {0x46, Key::kPause},  // Ctrl+Break
    {0x47, Key::kHome},        {0x48, Key::kUp},          {0x49, Key::kPageUp},
    {0x4B, Key::kLeft},        {0x4D, Key::kRight},       {0x4F, Key::kEnd},
    {0x50, Key::kDown},        {0x51, Key::kPageDown},    {0x52, Key::kInsert},
    {0x53, Key::kDelete},      {0x5B, Key::kLeftGui},     {0x5C, Key::kRightGui},
    {0x5D, Key::kMenu},
};
// clang-format on

// E0 2A / E0 36 (and their breaks): Shift pressed or released by the keyboard itself around
// navigation keys, so that old software sees an unshifted key. Not real key presses.
constexpr uint8_t kFakeLeftShift = 0x2A;
constexpr uint8_t kFakeRightShift = 0x36;

// The keypad digit block, 0x47..0x53. Minus (0x4A) and Plus (0x4E) do not depend on Num Lock.
constexpr uint8_t kKeypadFirst = 0x47;
constexpr uint8_t kKeypadLast = 0x53;
constexpr uint8_t kKeypadMinusCode = 0x4A;
constexpr uint8_t kKeypadPlusCode = 0x4E;

// What keypad codes 0x47..0x53 mean with Num Lock off; Keypad 5 has no navigation meaning.
// clang-format off
constexpr Key kKeypadNavigation[] = {
    Key::kHome, Key::kUp,    Key::kPageUp,   Key::kKeypadMinus, Key::kLeft,
    Key::kKeypad5, Key::kRight, Key::kKeypadPlus, Key::kEnd,      Key::kDown,
    Key::kPageDown, Key::kInsert, Key::kDelete,
};
// clang-format on
static_assert(sizeof(kKeypadNavigation) / sizeof(kKeypadNavigation[0]) ==
              kKeypadLast - kKeypadFirst + 1);

// Private bits of Decoder::held_.
constexpr uint8_t kHeldLeftShift = 1 << 0;
constexpr uint8_t kHeldRightShift = 1 << 1;
constexpr uint8_t kHeldLeftCtrl = 1 << 2;
constexpr uint8_t kHeldRightCtrl = 1 << 3;
constexpr uint8_t kHeldLeftAlt = 1 << 4;
constexpr uint8_t kHeldRightAlt = 1 << 5;

// The Ctrl+key control character, or c itself when Ctrl gives it none.
constexpr uint32_t control_character(uint32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return c & 0x1F;
  if (c >= '[' && c <= '_') return c & 0x1F;  // [ \ ] ^ _ -> ESC FS GS RS US
  return c;
}

uint8_t lock_bit(Key key) {
  switch (key) {
    case Key::kCapsLock:
      return kLedCapsLock;
    case Key::kNumLock:
      return kLedNumLock;
    case Key::kScrollLock:
      return kLedScrollLock;
    default:
      return 0;
  }
}

uint8_t held_bit(Key key) {
  switch (key) {
    case Key::kLeftShift:
      return kHeldLeftShift;
    case Key::kRightShift:
      return kHeldRightShift;
    case Key::kLeftCtrl:
      return kHeldLeftCtrl;
    case Key::kRightCtrl:
      return kHeldRightCtrl;
    case Key::kLeftAlt:
      return kHeldLeftAlt;
    case Key::kRightAlt:
      return kHeldRightAlt;
    default:
      return 0;
  }
}

struct FixedCharacter {
  Key key;
  uint32_t character;
};

// Characters that do not depend on the layout, on Shift or on Caps Lock.
// clang-format off
constexpr FixedCharacter kFixedCharacters[] = {
    {Key::kEnter, '\n'},       {Key::kKeypadEnter, '\n'},  {Key::kBackspace, '\b'},
    {Key::kTab, '\t'},         {Key::kEscape, 0x1B},       {Key::kSpace, ' '},
    {Key::kKeypadDivide, '/'},  {Key::kKeypadMultiply, '*'}, {Key::kKeypadMinus, '-'},
    {Key::kKeypadPlus, '+'},   {Key::kKeypad0, '0'},       {Key::kKeypad1, '1'},
    {Key::kKeypad2, '2'},      {Key::kKeypad3, '3'},       {Key::kKeypad4, '4'},
    {Key::kKeypad5, '5'},      {Key::kKeypad6, '6'},       {Key::kKeypad7, '7'},
    {Key::kKeypad8, '8'},      {Key::kKeypad9, '9'},
};
// clang-format on

// The fixed character of key, or 0 when key has none.
uint32_t fixed_character(Key key) {
  for (const FixedCharacter& entry : kFixedCharacters) {
    if (entry.key == key) return entry.character;
  }
  return 0;
}

}  // namespace

bool Decoder::feed(uint8_t byte, KeyEvent* event) {
  if (is_protocol_byte(byte)) return false;

  switch (prefix_) {
    case Prefix::kNone:
      break;
    case Prefix::kE0:
      prefix_ = Prefix::kNone;
      // A prefix can never be a code; take it as the start of a new sequence.
      if (byte != kPrefixExtended && byte != kPrefixPause) return decode_extended(byte, event);
      break;
    case Prefix::kE1:
      if (byte == kPauseFirst) {
        prefix_ = Prefix::kE1Make;
        return false;
      }
      if (byte == (kPauseFirst | kBreakBit)) {
        prefix_ = Prefix::kE1Break;
        return false;
      }
      prefix_ = Prefix::kNone;
      break;
    case Prefix::kE1Make:
    case Prefix::kE1Break: {
      const bool make = prefix_ == Prefix::kE1Make;
      prefix_ = Prefix::kNone;
      if (byte == (make ? kPauseSecond : (kPauseSecond | kBreakBit))) {
        return emit(Key::kPause, make, event);
      }
      break;
    }
  }

  // Here no prefix is pending: byte starts a sequence (possibly after a broken one).
  if (byte == kPrefixExtended) {
    prefix_ = Prefix::kE0;
    return false;
  }
  if (byte == kPrefixPause) {
    prefix_ = Prefix::kE1;
    return false;
  }
  return decode_plain(byte, event);
}

bool Decoder::decode_plain(uint8_t byte, KeyEvent* event) {
  const bool pressed = (byte & kBreakBit) == 0;
  const uint8_t code = byte & static_cast<uint8_t>(~kBreakBit);
  if (code >= kPlainKeyCount) return false;
  Key key = kPlainKeys[code];
  if (key == Key::kNone) return false;
  if (code >= kKeypadFirst && code <= kKeypadLast && code != kKeypadMinusCode &&
      code != kKeypadPlusCode) {
    bool numeric = false;
    key = keypad_key(code, pressed, &numeric);
    // Keypad 5 keeps its key with Num Lock off but then types nothing.
    return emit(key, pressed, event, numeric);
  }
  return emit(key, pressed, event);
}

bool Decoder::decode_extended(uint8_t byte, KeyEvent* event) {
  const bool pressed = (byte & kBreakBit) == 0;
  const uint8_t code = byte & static_cast<uint8_t>(~kBreakBit);
  if (code == kFakeLeftShift || code == kFakeRightShift) return false;
  for (const ExtendedCode& entry : kExtendedKeys) {
    if (entry.code == code) return emit(entry.key, pressed, event);
  }
  return false;
}

Key Decoder::keypad_key(uint8_t code, bool pressed, bool* numeric_out) {
  const uint8_t index = code - kKeypadFirst;
  const uint16_t bit = static_cast<uint16_t>(1u << index);
  bool numeric;
  if (pressed) {
    const bool num_lock = (leds_ & kLedNumLock) != 0;
    const bool shift = (held_ & (kHeldLeftShift | kHeldRightShift)) != 0;
    numeric = num_lock != shift;
    keypad_down_ |= bit;
    if (numeric) {
      keypad_numeric_ |= bit;
    } else {
      keypad_numeric_ &= static_cast<uint16_t>(~bit);
    }
  } else if ((keypad_down_ & bit) != 0) {
    // Release what was pressed, whatever Num Lock or Shift did meanwhile.
    numeric = (keypad_numeric_ & bit) != 0;
    keypad_down_ &= static_cast<uint16_t>(~bit);
  } else {
    numeric = (leds_ & kLedNumLock) != 0;
  }
  *numeric_out = numeric;
  return numeric ? kPlainKeys[code] : kKeypadNavigation[index];
}

bool Decoder::emit(Key key, bool pressed, KeyEvent* event, bool types) {
  track_modifier(key, pressed);
  if (event != nullptr) {
    event->key = key;
    event->pressed = pressed;
    event->modifiers = modifiers();
    event->character = pressed && types ? character_for(key) : 0;
  }
  return true;
}

void Decoder::track_modifier(Key key, bool pressed) {
  if (const uint8_t bit = held_bit(key); bit != 0) {
    held_ = pressed ? (held_ | bit) : (held_ & static_cast<uint8_t>(~bit));
    return;
  }
  if (const uint8_t bit = lock_bit(key); bit != 0) {
    if (!pressed) {
      locks_down_ &= static_cast<uint8_t>(~bit);
    } else if ((locks_down_ & bit) == 0) {  // a typematic repeat does not toggle again
      locks_down_ |= bit;
      leds_ ^= bit;
      leds_changed_ = true;
    }
  }
}

uint8_t Decoder::modifiers() const {
  uint8_t result = 0;
  if ((held_ & (kHeldLeftShift | kHeldRightShift)) != 0) result |= kShift;
  if ((held_ & (kHeldLeftCtrl | kHeldRightCtrl)) != 0) result |= kCtrl;
  if ((held_ & kHeldLeftAlt) != 0) result |= kAlt;
  if ((held_ & kHeldRightAlt) != 0) result |= layout_->right_alt_is_altgr ? kAltGr : kAlt;
  if ((leds_ & kLedCapsLock) != 0) result |= kCapsLock;
  if ((leds_ & kLedNumLock) != 0) result |= kNumLock;
  if ((leds_ & kLedScrollLock) != 0) result |= kScrollLock;
  return result;
}

uint32_t Decoder::character_for(Key key) const {
  const uint8_t mods = modifiers();
  uint32_t c = fixed_character(key);
  if (key == Key::kKeypadPeriod) {
    c = layout_->keypad_decimal;
  } else if (c == 0) {
    const KeyCharacters* row = layout_->find(key);
    if (row == nullptr) return 0;
    if ((mods & kAltGr) != 0) {
      c = row->altgr;
    } else {
      bool shift = (mods & kShift) != 0;
      if (row->caps_lock && (mods & kCapsLock) != 0) shift = !shift;
      c = shift ? row->shifted : row->normal;
    }
  }
  return (mods & kCtrl) != 0 ? control_character(c) : c;
}

bool Decoder::leds_changed_and_clear() {
  const bool changed = leds_changed_;
  leds_changed_ = false;
  return changed;
}

void Decoder::set_leds(uint8_t leds) {
  leds_ = leds & (kLedScrollLock | kLedNumLock | kLedCapsLock);
  leds_changed_ = true;
}

}  // namespace bm::keyboard
