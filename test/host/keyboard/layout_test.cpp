// Host tests for the us and de layouts: every key's make code against a table of the key and
// the characters it types plain, with Shift and (de) with AltGr, and the layout lookup.
#include "servers/keyboard/layout.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "servers/keyboard/decoder.h"
#include "test/host/keyboard/feed.h"

namespace bm::keyboard {
namespace {

using test::feed;
using test::feed_one;

constexpr uint8_t kLeftShiftMake = 0x2A;
constexpr uint8_t kLeftShiftBreak = 0xAA;

struct Row {
  uint8_t make;
  Key key;
  uint32_t normal;
  uint32_t shifted;
};

// Keys typing the same on every layout (and keys typing nothing).
// clang-format off
const std::vector<Row> kCommonRows = {
    {0x01, Key::kEscape, 0x1B, 0x1B},   {0x0E, Key::kBackspace, '\b', '\b'},
    {0x0F, Key::kTab, '\t', '\t'},      {0x1C, Key::kEnter, '\n', '\n'},
    {0x39, Key::kSpace, ' ', ' '},      {0x37, Key::kKeypadMultiply, '*', '*'},
    {0x4A, Key::kKeypadMinus, '-', '-'}, {0x4E, Key::kKeypadPlus, '+', '+'},
    {0x3B, Key::kF1, 0, 0},             {0x3C, Key::kF2, 0, 0},
    {0x3D, Key::kF3, 0, 0},             {0x3E, Key::kF4, 0, 0},
    {0x3F, Key::kF5, 0, 0},             {0x40, Key::kF6, 0, 0},
    {0x41, Key::kF7, 0, 0},             {0x42, Key::kF8, 0, 0},
    {0x43, Key::kF9, 0, 0},             {0x44, Key::kF10, 0, 0},
    {0x57, Key::kF11, 0, 0},            {0x58, Key::kF12, 0, 0},
    {0x54, Key::kPrintScreen, 0, 0},  // Alt+Print Screen (SysRq)
};
// clang-format on

// clang-format off
const std::vector<Row> kUsRows = {
    {0x29, Key::kGrave, '`', '~'},        {0x02, Key::kDigit1, '1', '!'},
    {0x03, Key::kDigit2, '2', '@'},            {0x04, Key::kDigit3, '3', '#'},
    {0x05, Key::kDigit4, '4', '$'},            {0x06, Key::kDigit5, '5', '%'},
    {0x07, Key::kDigit6, '6', '^'},            {0x08, Key::kDigit7, '7', '&'},
    {0x09, Key::kDigit8, '8', '*'},            {0x0A, Key::kDigit9, '9', '('},
    {0x0B, Key::kDigit0, '0', ')'},            {0x0C, Key::kMinus, '-', '_'},
    {0x0D, Key::kEqual, '=', '+'},        {0x10, Key::kQ, 'q', 'Q'},
    {0x11, Key::kW, 'w', 'W'},            {0x12, Key::kE, 'e', 'E'},
    {0x13, Key::kR, 'r', 'R'},            {0x14, Key::kT, 't', 'T'},
    {0x15, Key::kY, 'y', 'Y'},            {0x16, Key::kU, 'u', 'U'},
    {0x17, Key::kI, 'i', 'I'},            {0x18, Key::kO, 'o', 'O'},
    {0x19, Key::kP, 'p', 'P'},            {0x1A, Key::kLeftBracket, '[', '{'},
    {0x1B, Key::kRightBracket, ']', '}'}, {0x1E, Key::kA, 'a', 'A'},
    {0x1F, Key::kS, 's', 'S'},            {0x20, Key::kD, 'd', 'D'},
    {0x21, Key::kF, 'f', 'F'},            {0x22, Key::kG, 'g', 'G'},
    {0x23, Key::kH, 'h', 'H'},            {0x24, Key::kJ, 'j', 'J'},
    {0x25, Key::kK, 'k', 'K'},            {0x26, Key::kL, 'l', 'L'},
    {0x27, Key::kSemicolon, ';', ':'},    {0x28, Key::kApostrophe, '\'', '"'},
    {0x2B, Key::kBackslash, '\\', '|'},   {0x56, Key::kNonUsBackslash, '<', '>'},
    {0x2C, Key::kZ, 'z', 'Z'},            {0x2D, Key::kX, 'x', 'X'},
    {0x2E, Key::kC, 'c', 'C'},            {0x2F, Key::kV, 'v', 'V'},
    {0x30, Key::kB, 'b', 'B'},            {0x31, Key::kN, 'n', 'N'},
    {0x32, Key::kM, 'm', 'M'},            {0x33, Key::kComma, ',', '<'},
    {0x34, Key::kPeriod, '.', '>'},       {0x35, Key::kSlash, '/', '?'},
};
// clang-format on

// clang-format off
const std::vector<Row> kDeRows = {
    {0x29, Key::kGrave, U'^', U'°'},        {0x02, Key::kDigit1, '1', '!'},
    {0x03, Key::kDigit2, '2', '"'},              {0x04, Key::kDigit3, '3', U'§'},
    {0x05, Key::kDigit4, '4', '$'},              {0x06, Key::kDigit5, '5', '%'},
    {0x07, Key::kDigit6, '6', '&'},              {0x08, Key::kDigit7, '7', '/'},
    {0x09, Key::kDigit8, '8', '('},              {0x0A, Key::kDigit9, '9', ')'},
    {0x0B, Key::kDigit0, '0', '='},              {0x0C, Key::kMinus, U'ß', '?'},
    {0x0D, Key::kEqual, U'´', '`'},         {0x10, Key::kQ, 'q', 'Q'},
    {0x11, Key::kW, 'w', 'W'},              {0x12, Key::kE, 'e', 'E'},
    {0x13, Key::kR, 'r', 'R'},              {0x14, Key::kT, 't', 'T'},
    {0x15, Key::kY, 'z', 'Z'},              {0x16, Key::kU, 'u', 'U'},
    {0x17, Key::kI, 'i', 'I'},              {0x18, Key::kO, 'o', 'O'},
    {0x19, Key::kP, 'p', 'P'},              {0x1A, Key::kLeftBracket, U'ü', U'Ü'},
    {0x1B, Key::kRightBracket, '+', '*'},   {0x1E, Key::kA, 'a', 'A'},
    {0x1F, Key::kS, 's', 'S'},              {0x20, Key::kD, 'd', 'D'},
    {0x21, Key::kF, 'f', 'F'},              {0x22, Key::kG, 'g', 'G'},
    {0x23, Key::kH, 'h', 'H'},              {0x24, Key::kJ, 'j', 'J'},
    {0x25, Key::kK, 'k', 'K'},              {0x26, Key::kL, 'l', 'L'},
    {0x27, Key::kSemicolon, U'ö', U'Ö'},    {0x28, Key::kApostrophe, U'ä', U'Ä'},
    {0x2B, Key::kBackslash, '#', '\''},     {0x56, Key::kNonUsBackslash, '<', '>'},
    {0x2C, Key::kZ, 'y', 'Y'},              {0x2D, Key::kX, 'x', 'X'},
    {0x2E, Key::kC, 'c', 'C'},              {0x2F, Key::kV, 'v', 'V'},
    {0x30, Key::kB, 'b', 'B'},              {0x31, Key::kN, 'n', 'N'},
    {0x32, Key::kM, 'm', 'M'},              {0x33, Key::kComma, ',', ';'},
    {0x34, Key::kPeriod, '.', ':'},         {0x35, Key::kSlash, '-', '_'},
};
// clang-format on

// Presses and releases each key plain and with left Shift; checks key, characters, and
// that the release carries no character.
void check_rows(const Layout& layout, const std::vector<Row>& rows) {
  Decoder decoder(layout);
  for (const Row& row : rows) {
    SCOPED_TRACE(testing::Message() << layout.name << " make 0x" << std::hex << int(row.make));
    KeyEvent press = feed_one(decoder, {row.make});
    EXPECT_EQ(press.key, row.key);
    EXPECT_TRUE(press.pressed);
    EXPECT_EQ(press.character, row.normal);
    EXPECT_EQ(press.modifiers, 0);

    KeyEvent release = feed_one(decoder, {static_cast<uint8_t>(row.make | 0x80)});
    EXPECT_EQ(release.key, row.key);
    EXPECT_FALSE(release.pressed);
    EXPECT_EQ(release.character, 0u);

    std::vector<KeyEvent> shifted =
        feed(decoder,
             {kLeftShiftMake, row.make, static_cast<uint8_t>(row.make | 0x80), kLeftShiftBreak});
    ASSERT_EQ(shifted.size(), 4u);
    EXPECT_EQ(shifted[1].key, row.key);
    EXPECT_EQ(shifted[1].character, row.shifted);
    EXPECT_EQ(shifted[1].modifiers, kShift);
    EXPECT_EQ(shifted[2].character, 0u);
    EXPECT_EQ(decoder.modifiers(), 0);
  }
}

// Every row of the layout's table must be covered by the test table (so no key goes
// unchecked), and the test table must not list a key twice.
void check_covers(const Layout& layout, const std::vector<Row>& rows) {
  std::set<Key> tested;
  for (const Row& row : rows) EXPECT_TRUE(tested.insert(row.key).second);
  for (size_t i = 0; i < layout.key_count; ++i) {
    EXPECT_TRUE(tested.count(layout.keys[i].key))
        << layout.name << " row " << i << " has no expectation";
  }
  EXPECT_EQ(layout.key_count, rows.size());
}

TEST(KeyboardLayout, UsTypesEveryKeyPlainAndShifted) {
  check_rows(layout_us(), kUsRows);
  check_rows(layout_us(), kCommonRows);
  check_covers(layout_us(), kUsRows);
}

TEST(KeyboardLayout, DeTypesEveryKeyPlainAndShifted) {
  check_rows(layout_de(), kDeRows);
  check_rows(layout_de(), kCommonRows);
  check_covers(layout_de(), kDeRows);
}

TEST(KeyboardLayout, DeSwapsYAndZ) {
  Decoder us(layout_us());
  Decoder de(layout_de());
  EXPECT_EQ(feed_one(us, {0x15}).character, 'y');
  EXPECT_EQ(feed_one(de, {0x15}).character, 'z');
  EXPECT_EQ(feed_one(us, {0x2C}).character, 'z');
  EXPECT_EQ(feed_one(de, {0x2C}).character, 'y');
  // The key keeps its physical (US) name; only the character follows the layout.
  EXPECT_EQ(feed_one(de, {0x95}).key, Key::kY);
}

TEST(KeyboardLayout, DeAltGrLayer) {
  struct AltGrRow {
    uint8_t make;
    uint32_t character;
  };
  // clang-format off
  const AltGrRow rows[] = {
      {0x03, U'²'}, {0x04, U'³'}, {0x08, '{'}, {0x09, '['},  {0x0A, ']'}, {0x0B, '}'},
      {0x0C, '\\'}, {0x10, '@'},  {0x12, U'€'}, {0x1B, '~'}, {0x56, '|'}, {0x32, U'µ'},
      {0x1E, 0},    {0x02, 0},    {0x15, 0},
  };
  // clang-format on
  Decoder decoder(layout_de());
  feed(decoder, {0xE0, 0x38});  // right Alt = AltGr on de
  ASSERT_EQ(decoder.modifiers(), kAltGr);
  for (const AltGrRow& row : rows) {
    SCOPED_TRACE(testing::Message() << "make 0x" << std::hex << int(row.make));
    KeyEvent event = feed_one(decoder, {row.make});
    EXPECT_EQ(event.character, row.character);
    EXPECT_EQ(event.modifiers, kAltGr);
    feed(decoder, {static_cast<uint8_t>(row.make | 0x80)});
  }
  // AltGr wins over Shift and Caps Lock.
  feed(decoder, {0x3A, 0xBA, kLeftShiftMake});
  EXPECT_EQ(feed_one(decoder, {0x10}).character, '@');
  feed(decoder, {0x90, kLeftShiftBreak, 0xE0, 0xB8});
  EXPECT_EQ(feed_one(decoder, {0x10}).character, 'Q');  // Caps Lock still on
}

TEST(KeyboardLayout, UsRightAltIsAlt) {
  Decoder decoder(layout_us());
  feed(decoder, {0xE0, 0x38});
  EXPECT_EQ(decoder.modifiers(), kAlt);
  KeyEvent event = feed_one(decoder, {0x10});
  EXPECT_EQ(event.character, 'q');  // Alt leaves the character to the client
  EXPECT_EQ(event.modifiers, kAlt);
}

TEST(KeyboardLayout, KeypadDecimalFollowsLayout) {
  Decoder us(layout_us());
  Decoder de(layout_de());
  us.set_leds(kLedNumLock);
  de.set_leds(kLedNumLock);
  EXPECT_EQ(feed_one(us, {0x53}).character, '.');
  EXPECT_EQ(feed_one(de, {0x53}).character, ',');
}

TEST(KeyboardLayout, FindsLayoutsByName) {
  EXPECT_EQ(find_layout("us"), &layout_us());
  EXPECT_EQ(find_layout("de"), &layout_de());
  EXPECT_EQ(find_layout("fr"), nullptr);
  EXPECT_EQ(find_layout("u"), nullptr);
  EXPECT_EQ(find_layout("usa"), nullptr);
  EXPECT_EQ(find_layout(""), nullptr);
  EXPECT_EQ(find_layout(nullptr), nullptr);
}

TEST(KeyboardLayout, TablesAreWellFormed) {
  for (const Layout* layout : {&layout_us(), &layout_de()}) {
    SCOPED_TRACE(layout->name);
    std::set<Key> seen;
    for (size_t i = 0; i < layout->key_count; ++i) {
      const KeyCharacters& row = layout->keys[i];
      EXPECT_NE(row.key, Key::kNone);
      EXPECT_LT(static_cast<int>(row.key), static_cast<int>(Key::kCount));
      EXPECT_TRUE(seen.insert(row.key).second) << "duplicate row " << i;
      EXPECT_NE(row.normal, 0u);
      EXPECT_NE(row.shifted, 0u);
      EXPECT_EQ(layout->find(row.key), &row);
    }
    EXPECT_EQ(layout->find(Key::kF1), nullptr);
  }
}

}  // namespace
}  // namespace bm::keyboard
