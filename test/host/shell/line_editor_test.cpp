// Host tests for the shell's LineEditor: each editing sequence checks both the line buffer and
// the exact terminal bytes emitted, plus history walking and the capacity limits.
#include "servers/shell/line_editor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bm::shell {
namespace {

// Records every sink call, so tests can check the bytes and that each key is one write.
struct Terminal {
  static void sink(void* context, const char* text, size_t length) {
    static_cast<Terminal*>(context)->writes.emplace_back(text, length);
  }
  std::string take() {
    std::string all;
    for (const auto& write : writes) all += write;
    writes.clear();
    return all;
  }
  std::vector<std::string> writes;
};

struct Editor {
  Editor() : editor(&Terminal::sink, &terminal) {}
  void type(const std::string& text) {
    for (char c : text) EXPECT_TRUE(editor.insert(c)) << c;
  }
  std::string submit(const std::string& text) {
    type(text);
    auto line = editor.enter();
    terminal.take();
    return std::string(line.text, line.length);
  }
  std::string text() const { return editor.text(); }
  Terminal terminal;
  LineEditor editor;
};

TEST(LineEditor, TypingAtTheEndEchoesEachCharacterInOneWrite) {
  Editor e;
  e.type("abc");
  EXPECT_EQ(e.text(), "abc");
  EXPECT_EQ(e.editor.cursor(), 3u);
  EXPECT_EQ(e.terminal.writes, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(LineEditor, InsertInTheMiddleRedrawsTheTailAndStepsBack) {
  Editor e;
  e.type("ad");
  ASSERT_TRUE(e.editor.move_left());
  e.terminal.take();
  ASSERT_TRUE(e.editor.insert('b'));
  EXPECT_EQ(e.terminal.take(), "bd\x1b[1D");
  ASSERT_TRUE(e.editor.insert('c'));
  EXPECT_EQ(e.terminal.take(), "cd\x1b[1D");
  EXPECT_EQ(e.text(), "abcd");
  EXPECT_EQ(e.editor.cursor(), 3u);
  ASSERT_TRUE(e.editor.home());
  ASSERT_TRUE(e.editor.insert('>'));
  EXPECT_EQ(e.text(), ">abcd");
  EXPECT_EQ(e.editor.cursor(), 1u);
}

TEST(LineEditor, BackspaceAtColumnZeroDoesNothing) {
  Editor e;
  EXPECT_FALSE(e.editor.backspace());
  e.type("ab");
  ASSERT_TRUE(e.editor.home());
  e.terminal.take();
  EXPECT_FALSE(e.editor.backspace());
  EXPECT_EQ(e.text(), "ab");
  EXPECT_TRUE(e.terminal.writes.empty());
}

TEST(LineEditor, BackspaceAtTheEndErasesTheLastCharacter) {
  Editor e;
  e.type("ab");
  e.terminal.take();
  ASSERT_TRUE(e.editor.backspace());
  EXPECT_EQ(e.text(), "a");
  EXPECT_EQ(e.editor.cursor(), 1u);
  EXPECT_EQ(e.terminal.take(), "\b\x1b[K");
}

TEST(LineEditor, BackspaceInTheMiddleShiftsTheTailLeft) {
  Editor e;
  e.type("abcd");
  e.editor.move_left();
  e.editor.move_left();
  e.terminal.take();
  ASSERT_TRUE(e.editor.backspace());
  EXPECT_EQ(e.text(), "acd");
  EXPECT_EQ(e.editor.cursor(), 1u);
  EXPECT_EQ(e.terminal.writes, (std::vector<std::string>{"\bcd\x1b[K\x1b[2D"}));
}

TEST(LineEditor, DeleteAtTheEndDoesNothing) {
  Editor e;
  EXPECT_FALSE(e.editor.delete_forward());
  e.type("ab");
  e.terminal.take();
  EXPECT_FALSE(e.editor.delete_forward());
  EXPECT_EQ(e.text(), "ab");
  EXPECT_TRUE(e.terminal.writes.empty());
}

TEST(LineEditor, DeleteRemovesTheCharacterUnderTheCursor) {
  Editor e;
  e.type("abc");
  e.editor.home();
  e.terminal.take();
  ASSERT_TRUE(e.editor.delete_forward());
  EXPECT_EQ(e.text(), "bc");
  EXPECT_EQ(e.editor.cursor(), 0u);
  EXPECT_EQ(e.terminal.take(), "bc\x1b[K\x1b[2D");
  e.editor.end();
  e.editor.move_left();
  e.terminal.take();
  ASSERT_TRUE(e.editor.delete_forward());  // the last character: nothing to redraw
  EXPECT_EQ(e.text(), "b");
  EXPECT_EQ(e.terminal.take(), "\x1b[K");
}

TEST(LineEditor, CursorMovesStopAtBothEnds) {
  Editor e;
  EXPECT_FALSE(e.editor.move_left());
  EXPECT_FALSE(e.editor.move_right());
  EXPECT_FALSE(e.editor.home());
  EXPECT_FALSE(e.editor.end());
  e.type("abcd");
  e.terminal.take();
  EXPECT_FALSE(e.editor.move_right());
  EXPECT_FALSE(e.editor.end());
  ASSERT_TRUE(e.editor.home());
  EXPECT_EQ(e.terminal.take(), "\x1b[4D");
  EXPECT_EQ(e.editor.cursor(), 0u);
  EXPECT_FALSE(e.editor.home());
  EXPECT_FALSE(e.editor.move_left());
  ASSERT_TRUE(e.editor.move_right());
  EXPECT_EQ(e.terminal.take(), "\x1b[1C");
  ASSERT_TRUE(e.editor.end());
  EXPECT_EQ(e.terminal.take(), "\x1b[3C");
  EXPECT_EQ(e.editor.cursor(), 4u);
  ASSERT_TRUE(e.editor.move_left());
  EXPECT_EQ(e.terminal.take(), "\x1b[1D");
  EXPECT_TRUE(e.terminal.writes.empty());
  EXPECT_EQ(e.text(), "abcd");
}

TEST(LineEditor, EnterReturnsTheLineAndStartsAFreshOne) {
  Editor e;
  e.type("echo hi");
  e.editor.home();  // Enter works wherever the cursor is
  e.terminal.take();
  auto line = e.editor.enter();
  EXPECT_EQ(std::string(line.text, line.length), "echo hi");
  EXPECT_EQ(line.text[line.length], '\0');
  EXPECT_EQ(e.terminal.take(), "\n");
  EXPECT_EQ(e.editor.length(), 0u);
  EXPECT_EQ(e.editor.cursor(), 0u);
  EXPECT_EQ(e.text(), "");
  auto empty = e.editor.enter();
  EXPECT_EQ(empty.length, 0u);
  EXPECT_EQ(e.terminal.take(), "\n");
}

TEST(LineEditor, HistoryWalksUpAndBackDownToTheTypedLine) {
  Editor e;
  e.submit("one");
  e.submit("three");
  e.type("dr");
  e.terminal.take();
  ASSERT_TRUE(e.editor.history_previous());
  EXPECT_EQ(e.text(), "three");
  EXPECT_EQ(e.editor.cursor(), 5u);
  EXPECT_EQ(e.terminal.take(), "\x1b[2Dthree\x1b[K");
  ASSERT_TRUE(e.editor.history_previous());
  EXPECT_EQ(e.text(), "one");
  EXPECT_EQ(e.terminal.take(), "\x1b[5Done\x1b[K");  // ESC[K clears the "ee" of "three"
  EXPECT_FALSE(e.editor.history_previous());         // no wrap past the oldest
  EXPECT_EQ(e.text(), "one");
  EXPECT_TRUE(e.terminal.writes.empty());
  ASSERT_TRUE(e.editor.history_next());
  EXPECT_EQ(e.text(), "three");
  e.terminal.take();
  ASSERT_TRUE(e.editor.history_next());
  EXPECT_EQ(e.text(), "dr");  // the line being typed comes back as it was
  EXPECT_EQ(e.terminal.take(), "\x1b[5Ddr\x1b[K");
  EXPECT_FALSE(e.editor.history_next());  // no wrap past the typed line
  EXPECT_EQ(e.text(), "dr");
}

TEST(LineEditor, HistoryWithNothingInItDoesNothing) {
  Editor e;
  e.type("x");
  e.terminal.take();
  EXPECT_FALSE(e.editor.history_previous());
  EXPECT_FALSE(e.editor.history_next());
  EXPECT_EQ(e.text(), "x");
  EXPECT_TRUE(e.terminal.writes.empty());
}

TEST(LineEditor, EditsToARecalledEntryDoNotChangeTheHistory) {
  Editor e;
  e.submit("one");
  ASSERT_TRUE(e.editor.history_previous());
  ASSERT_TRUE(e.editor.backspace());
  EXPECT_EQ(e.text(), "on");
  ASSERT_TRUE(e.editor.history_next());
  EXPECT_EQ(e.text(), "");
  ASSERT_TRUE(e.editor.history_previous());
  EXPECT_EQ(e.text(), "one");
  // Submitting an edited recall adds it as a new entry.
  e.editor.backspace();
  EXPECT_EQ(std::string(e.editor.enter().text), "on");
  EXPECT_EQ(e.editor.history_size(), 2u);
  EXPECT_STREQ(e.editor.history_entry(0), "on");
  EXPECT_STREQ(e.editor.history_entry(1), "one");
}

TEST(LineEditor, HistorySkipsEmptyAndRepeatedLines) {
  Editor e;
  e.submit("");
  e.submit("ps");
  e.submit("ps");
  e.submit("mem");
  e.submit("ps");
  EXPECT_EQ(e.editor.history_size(), 3u);
  EXPECT_STREQ(e.editor.history_entry(0), "ps");
  EXPECT_STREQ(e.editor.history_entry(1), "mem");
  EXPECT_STREQ(e.editor.history_entry(2), "ps");
  EXPECT_EQ(e.editor.history_entry(3), nullptr);
  // Recalling the newest and entering it again adds nothing.
  e.editor.history_previous();
  e.editor.enter();
  EXPECT_EQ(e.editor.history_size(), 3u);
}

TEST(LineEditor, HistoryKeepsTheNewestSixteenLines) {
  Editor e;
  for (int i = 0; i < 20; ++i) e.submit("cmd" + std::to_string(i));
  ASSERT_EQ(e.editor.history_size(), LineEditor::kHistoryCapacity);
  EXPECT_STREQ(e.editor.history_entry(0), "cmd19");
  EXPECT_STREQ(e.editor.history_entry(15), "cmd4");
  EXPECT_EQ(e.editor.history_entry(16), nullptr);
  for (int i = 19; i >= 4; --i) {
    ASSERT_TRUE(e.editor.history_previous()) << i;
    EXPECT_EQ(e.text(), "cmd" + std::to_string(i));
  }
  EXPECT_FALSE(e.editor.history_previous());
  for (int i = 5; i <= 19; ++i) {
    ASSERT_TRUE(e.editor.history_next()) << i;
    EXPECT_EQ(e.text(), "cmd" + std::to_string(i));
  }
  ASSERT_TRUE(e.editor.history_next());
  EXPECT_EQ(e.text(), "");
}

TEST(LineEditor, ALineStopsGrowingAtCapacity) {
  Editor e;
  const std::string full(LineEditor::kMaxLength, 'x');
  e.type(full);
  e.terminal.take();
  EXPECT_FALSE(e.editor.insert('y'));
  EXPECT_TRUE(e.terminal.writes.empty());
  ASSERT_TRUE(e.editor.home());
  EXPECT_FALSE(e.editor.insert('y'));
  EXPECT_EQ(e.text(), full);
  // Room again after a deletion; the worst-case redraw is still a single write.
  ASSERT_TRUE(e.editor.delete_forward());
  e.terminal.take();
  ASSERT_TRUE(e.editor.insert('y'));
  ASSERT_EQ(e.terminal.writes.size(), 1u);
  EXPECT_EQ(e.terminal.writes[0], "y" + std::string(254, 'x') + "\x1b[254D");
  EXPECT_EQ(e.text(), "y" + std::string(254, 'x'));
  EXPECT_EQ(e.editor.enter().length, LineEditor::kMaxLength);
  EXPECT_EQ(std::string(e.editor.history_entry(0)), "y" + std::string(254, 'x'));
  // Recalling a full-length entry from the middle of another is one write too.
  e.type("abc");
  e.editor.move_left();
  e.terminal.take();
  ASSERT_TRUE(e.editor.history_previous());
  ASSERT_EQ(e.terminal.writes.size(), 1u);
  EXPECT_EQ(e.editor.length(), LineEditor::kMaxLength);
}

TEST(LineEditor, OnlyPrintableBytesAreInserted) {
  Editor e;
  for (char c : {'\n', '\r', '\t', '\b', '\x1b', '\x7f', '\0', '\x03'}) {
    EXPECT_FALSE(e.editor.insert(c)) << static_cast<int>(c);
  }
  EXPECT_TRUE(e.terminal.writes.empty());
  EXPECT_TRUE(e.editor.insert(' '));
  EXPECT_TRUE(e.editor.insert('~'));
  EXPECT_TRUE(e.editor.insert('\x84'));  // a code-page letter (CP437 a-umlaut)
  EXPECT_EQ(e.editor.length(), 3u);
}

TEST(LineEditor, RedrawRepeatsTheLineAndRestoresTheCursor) {
  Editor e;
  e.type("abc");
  e.editor.move_left();
  e.terminal.take();
  e.editor.redraw();
  EXPECT_EQ(e.terminal.take(), "abc\x1b[1D");
}

TEST(LineEditor, DiscardDropsTheLineQuietly) {
  Editor e;
  e.type("oops");
  e.terminal.take();
  e.editor.discard();
  EXPECT_EQ(e.text(), "");
  EXPECT_EQ(e.editor.cursor(), 0u);
  EXPECT_TRUE(e.terminal.writes.empty());
  EXPECT_EQ(e.editor.history_size(), 0u);
}

TEST(LineEditor, WorksWithoutASink) {
  LineEditor editor(nullptr, nullptr);
  EXPECT_TRUE(editor.insert('a'));
  EXPECT_TRUE(editor.move_left());
  EXPECT_TRUE(editor.insert('b'));
  EXPECT_STREQ(editor.enter().text, "ba");
}

}  // namespace
}  // namespace bm::shell
