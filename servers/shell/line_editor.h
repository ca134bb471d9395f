// The shell's line editor: a fixed-size line with a cursor and a small history, emitting the
// terminal bytes ("\b", ESC[K, ESC[nC/D) that keep the screen in step with the buffer.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/fmt/format.h"

namespace bm::shell {

class LineEditor {
 public:
  static constexpr size_t kMaxLength = 255;       // characters; the buffer adds a NUL
  static constexpr size_t kHistoryCapacity = 16;  // completed lines remembered
  static constexpr size_t kOutputCapacity = 512;  // one operation's output fits in one flush

  struct Line {
    const char* text;  // NUL-terminated
    size_t length;
  };

  // `sink` receives the terminal output, once per operation (one console write per key). A
  // null sink discards it. The editor assumes the line never wraps the terminal's width: the
  // cursor moves are relative and stay on one screen row.
  constexpr LineEditor(CharSink sink, void* context) : sink_(sink), context_(context) {}

  // Each operation returns false, changing nothing and emitting nothing, when it cannot apply
  // (cursor already at that end, line full, history exhausted).
  // Inserts c at the cursor. Accepts printable bytes only: 0x20-0x7E and 0x80-0xFF (the
  // console's code page); control characters are the caller's to interpret.
  bool insert(char c);
  bool backspace();       // deletes the character before the cursor
  bool delete_forward();  // deletes the character under the cursor
  bool move_left();
  bool move_right();
  bool home();
  bool end();
  // Walks the history, oldest at the top. Leaving the line being typed saves it, and walking
  // back down past the newest entry brings it back as it was. Changes made to a recalled entry
  // are dropped when moving on to another (the history itself never changes). Neither end
  // wraps around.
  bool history_previous();
  bool history_next();

  // Finishes the line: emits "\n", adds the line to the history (unless empty or the same as
  // the newest entry; the oldest entry goes when full) and starts an empty line. The returned
  // text stays valid until the next enter().
  Line enter();
  // Drops the line being typed without output or history (e.g. after Ctrl-C).
  void discard();
  // Re-emits the whole line and puts the cursor back, e.g. after the screen was cleared and the
  // prompt printed again.
  void redraw();

  const char* text() const { return line_; }
  size_t length() const { return length_; }
  size_t cursor() const { return cursor_; }
  size_t history_size() const { return history_count_; }
  // 0 is the newest entry. Null when index >= history_size().
  const char* history_entry(size_t index) const;

 private:
  // History slot holding the index-th oldest entry.
  size_t history_slot(size_t oldest_index) const;
  void replace_line(const char* text, size_t length);
  void emit(const char* text, size_t length);
  void emit_char(char c) { emit(&c, 1); }
  void emit_cursor_move(size_t count, char direction);  // ESC [ count C|D
  void emit_erase_to_end() { emit("\x1b[K", 3); }
  // Writes line_[cursor_, length_), optionally erases what is left of a longer old line, and
  // moves the terminal cursor back to cursor_.
  void emit_tail(bool erase);
  void flush();

  CharSink sink_;
  void* context_;
  char line_[kMaxLength + 1] = {};
  size_t length_ = 0;
  size_t cursor_ = 0;

  char history_[kHistoryCapacity][kMaxLength + 1] = {};
  size_t history_lengths_[kHistoryCapacity] = {};
  size_t history_start_ = 0;  // slot of the oldest entry
  size_t history_count_ = 0;
  size_t browse_ = 0;                // oldest-first index shown; == history_count_: the typed line
  char draft_[kMaxLength + 1] = {};  // the typed line while browsing
  size_t draft_length_ = 0;

  char completed_[kMaxLength + 1] = {};
  char output_[kOutputCapacity] = {};
  size_t output_length_ = 0;
};

}  // namespace bm::shell
