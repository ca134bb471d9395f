// LogRing: the kernel log's last Capacity bytes of text. Appending never fails; the oldest
// bytes are overwritten, and copy_out hides the line whose beginning was lost.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/utility.h"

namespace bm {

template <size_t Capacity>
class LogRing {
  static_assert(is_power_of_two(Capacity), "LogRing capacity must be a power of two");

 public:
  // constexpr so the kernel's global log is constant-initialised (no static constructor).
  constexpr LogRing() = default;

  // Appends length bytes of text. When text is longer than the ring, only its last Capacity
  // bytes are stored, but every byte counts in total_appended(). A null text is ignored.
  void append(const char* text, size_t length) {
    if (text == nullptr || length == 0) return;
    size_t new_total = total_ + length;
    // Remember whether the last byte to fall out of the ring ends a line: if so, the oldest
    // byte still held starts a complete line. Read it before it is overwritten.
    if (new_total > Capacity) {
      size_t last_dropped = new_total - Capacity - 1;
      last_dropped_is_newline_ = last_dropped >= total_
                                     ? text[last_dropped - total_] == '\n'
                                     : data_[last_dropped & kMask] == '\n';
    }
    if (length > Capacity) {
      text += length - Capacity;
      total_ += length - Capacity;
      length = Capacity;
    }
    for (size_t i = 0; i < length; ++i) data_[(total_ + i) & kMask] = text[i];
    total_ = new_total;
  }

  // Copies the held text, oldest to newest, into buffer and NUL-terminates it. After
  // wrap-around the text starts at the first complete line (the partial line whose start was
  // overwritten is skipped). If the text does not fit, the newest bytes are cut off, as with
  // snprintf. Returns the bytes written excluding the NUL; 0 when buffer is null or size is 0.
  size_t copy_out(char* buffer, size_t size) const {
    if (buffer == nullptr || size == 0) return 0;
    size_t start = total_ > Capacity ? total_ - Capacity : 0;
    if (start > 0 && !last_dropped_is_newline_) {
      while (start < total_ && data_[start & kMask] != '\n') ++start;
      if (start < total_) ++start;  // past the newline that ends the partial line
    }
    size_t count = total_ - start;
    if (count > size - 1) count = size - 1;
    for (size_t i = 0; i < count; ++i) buffer[i] = data_[(start + i) & kMask];
    buffer[count] = '\0';
    return count;
  }

  // Stream positions: byte p is the p-th byte ever appended. The ring holds the positions
  // [oldest_position(), total_appended()), whole lines or not (log_read works on these).
  size_t oldest_position() const { return total_ - size(); }

  // Copies up to `size` held bytes, starting at stream position `position`, into buffer (no
  // NUL). Returns how many; 0 for a null buffer or a position outside [oldest_position(),
  // total_appended()]: the caller clamps it first.
  size_t read_at(size_t position, char* buffer, size_t size) const {
    if (buffer == nullptr || position < oldest_position() || position > total_) return 0;
    size_t count = total_ - position < size ? total_ - position : size;
    for (size_t i = 0; i < count; ++i) buffer[i] = data_[(position + i) & kMask];
    return count;
  }

  // Bytes ever passed to append() since construction or clear().
  size_t total_appended() const { return total_; }
  // Bytes overwritten (or never stored) because the ring was full; total_appended() minus the
  // bytes held. The partial line copy_out() skips is still held, so it is not counted here.
  size_t dropped_bytes() const { return total_ > Capacity ? total_ - Capacity : 0; }
  // Bytes currently held (at most Capacity).
  size_t size() const { return total_ > Capacity ? Capacity : total_; }
  static constexpr size_t capacity() { return Capacity; }

  void clear() {
    total_ = 0;
    last_dropped_is_newline_ = false;
  }

 private:
  static constexpr size_t kMask = Capacity - 1;

  char data_[Capacity] = {};
  size_t total_ = 0;  // stream position of the next byte; byte p lives at data_[p & kMask]
  bool last_dropped_is_newline_ = false;
};

}  // namespace bm
