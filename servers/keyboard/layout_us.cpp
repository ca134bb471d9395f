// The US (ANSI, "us") layout: the legends printed on a US keyboard. No AltGr: right Alt is Alt.
// The ISO key left of Z, absent on ANSI boards, types < and > as in Linux's us keymap.
#include "servers/keyboard/layout.h"

namespace bm::keyboard {
namespace {

constexpr KeyCharacters letter(Key key, char lower) {
  return {key, static_cast<uint32_t>(lower), static_cast<uint32_t>(lower - 'a' + 'A'), 0, true};
}

constexpr KeyCharacters symbol(Key key, char normal, char shifted) {
  return {key, static_cast<uint32_t>(normal), static_cast<uint32_t>(shifted), 0, false};
}

constexpr KeyCharacters kUsKeys[] = {
    symbol(Key::kGrave, '`', '~'),
    symbol(Key::kDigit1, '1', '!'),
    symbol(Key::kDigit2, '2', '@'),
    symbol(Key::kDigit3, '3', '#'),
    symbol(Key::kDigit4, '4', '$'),
    symbol(Key::kDigit5, '5', '%'),
    symbol(Key::kDigit6, '6', '^'),
    symbol(Key::kDigit7, '7', '&'),
    symbol(Key::kDigit8, '8', '*'),
    symbol(Key::kDigit9, '9', '('),
    symbol(Key::kDigit0, '0', ')'),
    symbol(Key::kMinus, '-', '_'),
    symbol(Key::kEqual, '=', '+'),
    letter(Key::kQ, 'q'),
    letter(Key::kW, 'w'),
    letter(Key::kE, 'e'),
    letter(Key::kR, 'r'),
    letter(Key::kT, 't'),
    letter(Key::kY, 'y'),
    letter(Key::kU, 'u'),
    letter(Key::kI, 'i'),
    letter(Key::kO, 'o'),
    letter(Key::kP, 'p'),
    symbol(Key::kLeftBracket, '[', '{'),
    symbol(Key::kRightBracket, ']', '}'),
    letter(Key::kA, 'a'),
    letter(Key::kS, 's'),
    letter(Key::kD, 'd'),
    letter(Key::kF, 'f'),
    letter(Key::kG, 'g'),
    letter(Key::kH, 'h'),
    letter(Key::kJ, 'j'),
    letter(Key::kK, 'k'),
    letter(Key::kL, 'l'),
    symbol(Key::kSemicolon, ';', ':'),
    symbol(Key::kApostrophe, '\'', '"'),
    symbol(Key::kBackslash, '\\', '|'),
    symbol(Key::kNonUsBackslash, '<', '>'),
    letter(Key::kZ, 'z'),
    letter(Key::kX, 'x'),
    letter(Key::kC, 'c'),
    letter(Key::kV, 'v'),
    letter(Key::kB, 'b'),
    letter(Key::kN, 'n'),
    letter(Key::kM, 'm'),
    symbol(Key::kComma, ',', '<'),
    symbol(Key::kPeriod, '.', '>'),
    symbol(Key::kSlash, '/', '?'),
};

constexpr Layout kUs = {"us", false, '.', kUsKeys, sizeof(kUsKeys) / sizeof(kUsKeys[0])};

}  // namespace

const Layout& layout_us() { return kUs; }

}  // namespace bm::keyboard
