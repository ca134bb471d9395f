// A Terminal on a FakeScreen, with a write() that takes a string literal (NUL bytes included
// when written as std::string_view literals).
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "servers/terminal/terminal.h"
#include "test/host/vga/fake_screen.h"

namespace bm::terminal {

class TerminalTest : public testing::Test {
 protected:
  void write(std::string_view bytes) { terminal.write(bytes.data(), bytes.size()); }
  void expect_cursor(int row, int column) {
    EXPECT_EQ(terminal.row(), row);
    EXPECT_EQ(terminal.column(), column);
    EXPECT_EQ(screen.cursor_row, row) << "hardware cursor";
    EXPECT_EQ(screen.cursor_column, column) << "hardware cursor";
  }

  FakeScreen screen;
  Terminal terminal{screen};
};

}  // namespace bm::terminal
