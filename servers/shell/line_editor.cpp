// LineEditor: buffer edits plus the matching terminal output, batched per operation.
#include "servers/shell/line_editor.h"

#include "lib/fmt/string.h"

namespace bm::shell {
namespace {

void copy(char* to, const char* from, size_t length) {
  for (size_t i = 0; i < length; ++i) to[i] = from[i];
  to[length] = '\0';
}

bool same(const char* a, size_t a_length, const char* b, size_t b_length) {
  if (a_length != b_length) return false;
  for (size_t i = 0; i < a_length; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

bool LineEditor::insert(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte == 0x7F || length_ == kMaxLength) return false;
  for (size_t i = length_; i > cursor_; --i) line_[i] = line_[i - 1];
  line_[cursor_] = c;
  ++length_;
  line_[length_] = '\0';
  emit_char(c);
  ++cursor_;
  emit_tail(false);
  flush();
  return true;
}

bool LineEditor::backspace() {
  if (cursor_ == 0) return false;
  for (size_t i = cursor_; i < length_; ++i) line_[i - 1] = line_[i];
  --cursor_;
  --length_;
  line_[length_] = '\0';
  emit_char('\b');
  emit_tail(true);
  flush();
  return true;
}

bool LineEditor::delete_forward() {
  if (cursor_ == length_) return false;
  for (size_t i = cursor_ + 1; i < length_; ++i) line_[i - 1] = line_[i];
  --length_;
  line_[length_] = '\0';
  emit_tail(true);
  flush();
  return true;
}

bool LineEditor::move_left() {
  if (cursor_ == 0) return false;
  --cursor_;
  emit_cursor_move(1, 'D');
  flush();
  return true;
}

bool LineEditor::move_right() {
  if (cursor_ == length_) return false;
  ++cursor_;
  emit_cursor_move(1, 'C');
  flush();
  return true;
}

bool LineEditor::home() {
  if (cursor_ == 0) return false;
  emit_cursor_move(cursor_, 'D');
  cursor_ = 0;
  flush();
  return true;
}

bool LineEditor::end() {
  if (cursor_ == length_) return false;
  emit_cursor_move(length_ - cursor_, 'C');
  cursor_ = length_;
  flush();
  return true;
}

bool LineEditor::history_previous() {
  if (browse_ == 0) return false;
  if (browse_ == history_count_) {
    copy(draft_, line_, length_);
    draft_length_ = length_;
  }
  --browse_;
  const size_t slot = history_slot(browse_);
  replace_line(history_[slot], history_lengths_[slot]);
  return true;
}

bool LineEditor::history_next() {
  if (browse_ == history_count_) return false;
  ++browse_;
  if (browse_ == history_count_) {
    replace_line(draft_, draft_length_);
  } else {
    const size_t slot = history_slot(browse_);
    replace_line(history_[slot], history_lengths_[slot]);
  }
  return true;
}

LineEditor::Line LineEditor::enter() {
  copy(completed_, line_, length_);
  const size_t completed_length = length_;
  const char* newest = history_entry(0);
  const bool repeat =
      newest != nullptr &&
      same(newest, history_lengths_[history_slot(history_count_ - 1)], line_, length_);
  if (length_ != 0 && !repeat) {
    size_t slot;
    if (history_count_ < kHistoryCapacity) {
      slot = history_slot(history_count_);
      ++history_count_;
    } else {
      slot = history_start_;  // the oldest entry makes room
      history_start_ = (history_start_ + 1) % kHistoryCapacity;
    }
    copy(history_[slot], line_, length_);
    history_lengths_[slot] = length_;
  }
  discard();
  emit_char('\n');
  flush();
  return Line{completed_, completed_length};
}

void LineEditor::discard() {
  length_ = 0;
  cursor_ = 0;
  line_[0] = '\0';
  browse_ = history_count_;
  draft_length_ = 0;
}

void LineEditor::redraw() {
  emit(line_, length_);
  emit_cursor_move(length_ - cursor_, 'D');
  flush();
}

const char* LineEditor::history_entry(size_t index) const {
  if (index >= history_count_) return nullptr;
  return history_[history_slot(history_count_ - 1 - index)];
}

size_t LineEditor::history_slot(size_t oldest_index) const {
  return (history_start_ + oldest_index) % kHistoryCapacity;
}

// Puts `text` in place of the line: back to the line start, write it, erase any leftover of a
// longer old line. The cursor ends up after the text, like a shell's history recall.
void LineEditor::replace_line(const char* text, size_t length) {
  emit_cursor_move(cursor_, 'D');
  copy(line_, text, length);
  length_ = length;
  cursor_ = length;
  emit(line_, length_);
  emit_erase_to_end();
  flush();
}

void LineEditor::emit_tail(bool erase) {
  const size_t tail = length_ - cursor_;
  emit(line_ + cursor_, tail);
  if (erase) emit_erase_to_end();
  emit_cursor_move(tail, 'D');
}

void LineEditor::emit_cursor_move(size_t count, char direction) {
  if (count == 0) return;
  char text[24] = {'\x1b', '['};
  size_t length = 2;
  length = bm::append_decimal(count, text, length);
  text[length++] = direction;
  emit(text, length);
}

void LineEditor::emit(const char* text, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    if (output_length_ == kOutputCapacity) flush();  // never happens for one key's output
    output_[output_length_++] = text[i];
  }
}

void LineEditor::flush() {
  if (output_length_ != 0 && sink_ != nullptr) sink_(context_, output_, output_length_);
  output_length_ = 0;
}

}  // namespace bm::shell
