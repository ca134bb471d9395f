// The German T1 layout ("de", QWERTZ): umlauts, ß, and the AltGr layer printed on the keys.
// Dead keys (^ ´ `) are not composed: each types its own character at once.
#include "servers/keyboard/layout.h"

namespace bm::keyboard {
namespace {

constexpr KeyCharacters letter(Key key, uint32_t lower, uint32_t upper, uint32_t altgr = 0) {
  return {key, lower, upper, altgr, true};
}

constexpr KeyCharacters symbol(Key key, uint32_t normal, uint32_t shifted, uint32_t altgr = 0) {
  return {key, normal, shifted, altgr, false};
}

constexpr KeyCharacters kDeKeys[] = {
    symbol(Key::kGrave, U'^', U'°'),
    symbol(Key::kDigit1, U'1', U'!'),
    symbol(Key::kDigit2, U'2', U'"', U'²'),
    symbol(Key::kDigit3, U'3', U'§', U'³'),
    symbol(Key::kDigit4, U'4', U'$'),
    symbol(Key::kDigit5, U'5', U'%'),
    symbol(Key::kDigit6, U'6', U'&'),
    symbol(Key::kDigit7, U'7', U'/', U'{'),
    symbol(Key::kDigit8, U'8', U'(', U'['),
    symbol(Key::kDigit9, U'9', U')', U']'),
    symbol(Key::kDigit0, U'0', U'=', U'}'),
    symbol(Key::kMinus, U'ß', U'?', U'\\'),
    symbol(Key::kEqual, U'´', U'`'),
    letter(Key::kQ, U'q', U'Q', U'@'),
    letter(Key::kW, U'w', U'W'),
    letter(Key::kE, U'e', U'E', U'€'),
    letter(Key::kR, U'r', U'R'),
    letter(Key::kT, U't', U'T'),
    letter(Key::kY, U'z', U'Z'),
    letter(Key::kU, U'u', U'U'),
    letter(Key::kI, U'i', U'I'),
    letter(Key::kO, U'o', U'O'),
    letter(Key::kP, U'p', U'P'),
    letter(Key::kLeftBracket, U'ü', U'Ü'),
    symbol(Key::kRightBracket, U'+', U'*', U'~'),
    letter(Key::kA, U'a', U'A'),
    letter(Key::kS, U's', U'S'),
    letter(Key::kD, U'd', U'D'),
    letter(Key::kF, U'f', U'F'),
    letter(Key::kG, U'g', U'G'),
    letter(Key::kH, U'h', U'H'),
    letter(Key::kJ, U'j', U'J'),
    letter(Key::kK, U'k', U'K'),
    letter(Key::kL, U'l', U'L'),
    letter(Key::kSemicolon, U'ö', U'Ö'),
    letter(Key::kApostrophe, U'ä', U'Ä'),
    symbol(Key::kBackslash, U'#', U'\''),
    symbol(Key::kNonUsBackslash, U'<', U'>', U'|'),
    letter(Key::kZ, U'y', U'Y'),
    letter(Key::kX, U'x', U'X'),
    letter(Key::kC, U'c', U'C'),
    letter(Key::kV, U'v', U'V'),
    letter(Key::kB, U'b', U'B'),
    letter(Key::kN, U'n', U'N'),
    letter(Key::kM, U'm', U'M', U'µ'),
    symbol(Key::kComma, U',', U';'),
    symbol(Key::kPeriod, U'.', U':'),
    symbol(Key::kSlash, U'-', U'_'),
};

constexpr Layout kDe = {"de", true, ',', kDeKeys, sizeof(kDeKeys) / sizeof(kDeKeys[0])};

}  // namespace

const Layout& layout_de() { return kDe; }

}  // namespace bm::keyboard
