// The BMLZ encoder: at each position, the hash of the next four bytes names the last position
// with the same hash; if that one is inside the window and really matches, the match is
// extended both ways and emitted with the literals before it, else the byte stays a literal.
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

// The hash table: per slot, the last position with that hash plus one (0 = none yet).
class PositionTable {
 public:
  explicit PositionTable(void* workspace) : slots_(static_cast<uint8_t*>(workspace)) {
    __builtin_memset(slots_, 0, kEncoderWorkspaceBytes);
  }
  // The previous position stored under `slot` (plus one), replaced by `position`.
  uint32_t exchange(uint32_t slot, size_t position) {
    uint32_t previous = load32(slots_ + slot * sizeof(uint32_t));
    put(slot, position);
    return previous;
  }
  void put(uint32_t slot, size_t position) {
    uint32_t stored = static_cast<uint32_t>(position + 1);
    __builtin_memcpy(slots_ + slot * sizeof(uint32_t), &stored, sizeof stored);
  }

 private:
  uint8_t* slots_;
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
  PositionTable table(workspace);

  size_t anchor = 0;  // the first byte not emitted yet
  size_t position = 0;
  while (position + kMinMatch <= input_size) {
    uint32_t prefix = load32(input + position);
    uint32_t previous = table.exchange(hash_of(prefix), position);
    if (previous == 0) {
      ++position;
      continue;
    }
    size_t candidate = previous - 1;
    if (position - candidate > kMaxOffset || load32(input + candidate) != prefix) {
      ++position;
      continue;
    }
    size_t length = kMinMatch;
    while (position + length < input_size && input[candidate + length] == input[position + length]) {
      ++length;
    }
    if (length < kEncoderMinMatch) {
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
      table.put(hash_of(load32(input + inside)), inside);
    }
    position += length;
    anchor = position;
  }
  emit(writer, input + anchor, input_size - anchor, 0, 0);  // the last sequence: literals only
  if (writer.full()) return EncodeError::kOutputTooSmall;
  return writer.written();
}

}  // namespace bm::compress
