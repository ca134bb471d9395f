// The BMLZ encoder: at each position, the hash of the next four bytes leads to the earlier
// positions with the same hash; the longest real match among the nearest of them inside the
// window is extended backwards too and emitted with the literals before it, else the byte
// stays a literal.
#include "lib/compress/compress.h"

namespace bm::compress {

namespace {

// Knuth's multiplicative hash constant (2^32 / golden ratio).
constexpr uint32_t kHashMultiplier = 2654435761u;

uint32_t load32(const uint8_t* at) {
  uint32_t value;
  __builtin_memcpy(&value, at, sizeof value);
  return value;
}

uint32_t hash_of(uint32_t four_bytes) { return (four_bytes * kHashMultiplier) >> (32 - kHashBits); }

// Where 4-byte prefixes were seen: per hash slot the last position with that hash, and per
// position (modulo the window) the one before it with the same hash, each stored plus one
// (0 = none). A link is only followed while its position is inside the window, where no
// later position can have overwritten its chain entry.
class MatchFinder {
 public:
  MatchFinder(void* workspace, const uint8_t* input, size_t size)
      : heads_(static_cast<uint8_t*>(workspace)),
        links_(heads_ + kHashSlots * sizeof(uint32_t)),
        input_(input),
        size_(size) {
    __builtin_memset(workspace, 0, kEncoderWorkspaceBytes);
  }

  // Records `position` (which has kMinMatch bytes after it); returns the previous position
  // with the same hash, plus one.
  uint32_t insert(size_t position) {
    uint8_t* head = heads_ + hash_of(load32(input_ + position)) * sizeof(uint32_t);
    uint32_t previous = load32(head);
    store32(head, static_cast<uint32_t>(position + 1));
    store32(link_of(position), previous);
    return previous;
  }

  // Records `position` and finds the longest earlier match for it among the last
  // kMatchSearchDepth positions with its hash: its length (0 if none reaches
  // kEncoderMinMatch) and, in *candidate, where it starts.
  size_t longest_match(size_t position, size_t* candidate) {
    uint32_t prefix = load32(input_ + position);
    uint32_t previous = insert(position);
    size_t best = 0;
    for (size_t tried = 0; tried < kMatchSearchDepth && previous != 0; ++tried) {
      size_t earlier = previous - 1;
      if (position - earlier > kMaxOffset) break;
      if (load32(input_ + earlier) == prefix) {
        size_t length = kMinMatch;
        while (position + length < size_ && input_[earlier + length] == input_[position + length]) {
          ++length;
        }
        if (length > best) {
          best = length;
          *candidate = earlier;
        }
      }
      uint32_t next = load32(link_of(earlier));
      if (next == 0 || next - 1 >= earlier) break;  // the chain's end (positions only go back)
      previous = next;
    }
    return best >= kEncoderMinMatch ? best : 0;
  }

 private:
  static constexpr size_t kHashSlots = size_t{1} << kHashBits;
  static constexpr size_t kWindowSlots = kMaxOffset + 1;

  static void store32(uint8_t* at, uint32_t value) { __builtin_memcpy(at, &value, sizeof value); }
  uint8_t* link_of(size_t position) {
    return links_ + (position % kWindowSlots) * sizeof(uint32_t);
  }

  uint8_t* heads_;
  uint8_t* links_;
  const uint8_t* input_;
  size_t size_;
};

// Appends bytes to the output, remembering (instead of writing past the end) when it is full.
class Writer {
 public:
  Writer(uint8_t* out, size_t capacity) : start_(out), out_(out), end_(out + capacity) {}

  void byte(uint8_t value) {
    if (out_ == end_) {
      full_ = true;
      return;
    }
    *out_++ = value;
  }
  void bytes(const uint8_t* from, size_t count) {
    if (count == 0) return;  // `from` may be null for an empty input
    if (count > static_cast<size_t>(end_ - out_)) {
      full_ = true;
      return;
    }
    __builtin_memcpy(out_, from, count);
    out_ += count;
  }
  // The part of a length its nibble could not hold (format.h: extension bytes).
  void extension(size_t rest) {
    while (rest >= kExtensionContinues) {
      byte(kExtensionContinues);
      rest -= kExtensionContinues;
    }
    byte(static_cast<uint8_t>(rest));
  }
  bool full() const { return full_; }
  size_t written() const { return static_cast<size_t>(out_ - start_); }

 private:
  uint8_t* start_;
  uint8_t* out_;
  uint8_t* end_;
  bool full_ = false;
};

uint8_t nibble(size_t value) {
  return static_cast<uint8_t>(value < kNibbleExtended ? value : kNibbleExtended);
}

// One sequence: `literal_count` bytes at `literals`, then (if match_length != 0) a match.
void emit(Writer& writer, const uint8_t* literals, size_t literal_count, size_t offset,
          size_t match_length) {
  size_t match_code = match_length == 0 ? 0 : match_length - kMinMatch;
  writer.byte(static_cast<uint8_t>((nibble(literal_count) << kLiteralShift) | nibble(match_code)));
  if (literal_count >= kNibbleExtended) writer.extension(literal_count - kNibbleExtended);
  writer.bytes(literals, literal_count);
  if (match_length == 0) return;
  writer.byte(static_cast<uint8_t>(offset & 0xff));
  writer.byte(static_cast<uint8_t>(offset >> 8));
  if (match_code >= kNibbleExtended) writer.extension(match_code - kNibbleExtended);
}

void write_header(Writer& writer, uint64_t size) {
  writer.bytes(kMagic, sizeof(kMagic));
  writer.byte(kVersion);
  for (size_t i = 0; i < kReservedBytes; ++i) writer.byte(0);
  for (size_t i = 0; i < sizeof(uint64_t); ++i) writer.byte(static_cast<uint8_t>(size >> (8 * i)));
}

}  // namespace

const char* encode_error_text(EncodeError error) {
  switch (error) {
    case EncodeError::kOk: return "ok";
    case EncodeError::kInputTooLarge: return "input too large";
    case EncodeError::kWorkspaceTooSmall: return "workspace too small";
    case EncodeError::kOutputTooSmall: return "output buffer too small";
  }
  return "unknown error";
}

Result<size_t, EncodeError> compress(const uint8_t* input, size_t input_size, uint8_t* output,
                                     size_t output_capacity, void* workspace,
                                     size_t workspace_size) {
  if (input_size > kMaxEncodeInput) return EncodeError::kInputTooLarge;
  if (workspace_size < kEncoderWorkspaceBytes) return EncodeError::kWorkspaceTooSmall;
  Writer writer(output, output_capacity);
  write_header(writer, input_size);
  MatchFinder finder(workspace, input, input_size);

  size_t anchor = 0;  // the first byte not emitted yet
  size_t position = 0;
  while (position + kMinMatch <= input_size) {
    size_t candidate = 0;
    size_t length = finder.longest_match(position, &candidate);
    if (length == 0) {
      ++position;
      continue;
    }
    // The bytes before both may match too: take them from the pending literals.
    while (position > anchor && candidate > 0 && input[position - 1] == input[candidate - 1]) {
      --position;
      --candidate;
      ++length;
    }
    emit(writer, input + anchor, position - anchor, position - candidate, length);
    for (size_t inside = position + 1; inside < position + length; ++inside) {
      if (inside + kMinMatch > input_size) break;
      finder.insert(inside);
    }
    position += length;
    anchor = position;
  }
  emit(writer, input + anchor, input_size - anchor, 0, 0);  // the last sequence: literals only
  if (writer.full()) return EncodeError::kOutputTooSmall;
  return writer.written();
}

}  // namespace bm::compress
