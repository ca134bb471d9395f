// An 80x25 cell array (VGA's text mode) standing in for a console's screen and cursor: records
// every call, fails the test on any access outside the grid, and prints the screen for readable
// assertions.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "servers/terminal/text_screen.h"

namespace bm::terminal {

constexpr int kColumns = 80;
constexpr int kRows = 25;
constexpr uint8_t kGreyOnBlack = 0x07;
constexpr uint16_t kInitialCell = make_cell(' ', kGreyOnBlack);

class FakeScreen final : public TextScreen {
 public:
  FakeScreen() { fill(kInitialCell); }

  int rows() const override { return kRows; }
  int columns() const override { return kColumns; }

  void put(int row, int column, uint16_t cell) override {
    ++puts;
    if (!in_range(row, column)) {
      ADD_FAILURE() << "put outside the screen at " << row << "," << column;
      ++out_of_range;
      return;
    }
    // Bit 7 of the attribute blinks on real hardware; the terminal must never set it.
    if (cell & 0x8000) ++blinking_cells;
    cells_[row][column] = cell;
  }

  uint16_t get(int row, int column) const override {
    if (!in_range(row, column)) {
      ADD_FAILURE() << "get outside the screen at " << row << "," << column;
      return 0;
    }
    return cells_[row][column];
  }

  void set_cursor(int row, int column) override {
    ++cursor_updates;
    if (!in_range(row, column)) {
      ADD_FAILURE() << "cursor outside the screen at " << row << "," << column;
      ++out_of_range;
      return;
    }
    cursor_row = row;
    cursor_column = column;
  }

  void scroll_up(uint16_t blank_cell) override {
    ++scrolls;
    for (int row = 0; row + 1 < kRows; ++row) {
      for (int column = 0; column < kColumns; ++column)
        cells_[row][column] = cells_[row + 1][column];
    }
    for (int column = 0; column < kColumns; ++column) cells_[kRows - 1][column] = blank_cell;
  }

  void fill(uint16_t cell) {
    for (auto& row : cells_) {
      for (uint16_t& each : row) each = cell;
    }
  }

  uint8_t character(int row, int column) const { return cell_character(get(row, column)); }
  uint8_t attribute(int row, int column) const { return cell_attribute(get(row, column)); }

  // The characters of one row, trailing spaces removed.
  std::string text(int row) const {
    std::string line;
    for (int column = 0; column < kColumns; ++column)
      line += static_cast<char>(character(row, column));
    line.erase(line.find_last_not_of(' ') + 1);
    return line;
  }

  // The whole screen, one line per row, for comparing two screens with a readable diff.
  std::string dump() const {
    std::string all;
    for (int row = 0; row < kRows; ++row) all += text(row) + "\n";
    return all;
  }

  bool same_cells(const FakeScreen& other) const {
    for (int row = 0; row < kRows; ++row) {
      for (int column = 0; column < kColumns; ++column) {
        if (cells_[row][column] != other.cells_[row][column]) return false;
      }
    }
    return true;
  }

  // Cells that differ from kInitialCell.
  int changed_cells() const {
    int changed = 0;
    for (const auto& row : cells_) {
      for (uint16_t cell : row) changed += cell != kInitialCell;
    }
    return changed;
  }

  int cursor_row = -1;
  int cursor_column = -1;
  int cursor_updates = 0;
  int puts = 0;
  int scrolls = 0;
  int out_of_range = 0;
  int blinking_cells = 0;

 private:
  static bool in_range(int row, int column) {
    return row >= 0 && row < kRows && column >= 0 && column < kColumns;
  }

  uint16_t cells_[kRows][kColumns];
};

}  // namespace bm::terminal
