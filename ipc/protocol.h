// What every protocol in ipc/ shares: the wire message, the status word that starts every
// reply, the message specs, and the checks and byte packing the codecs (ipc/wire_codec.h) use.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/listed_enum.h"
#include "lib/abi/message.h"
#include "lib/abi/syscalls.h"

namespace bm::ipc {

// One IPC message as a protocol sees it: words 0-3 came in registers, the rest from the IPC
// buffer (load_wire / store_wire below). Only word[0, words) is meaningful; a decoder never
// reads past `words`. A plain aggregate, so a server can keep one in static storage.
// The handle is for the protocols that move one (bootstrap, ipc/bootstrap.h); the driver
// protocols carry none, and their encoders clear it.
struct WireMessage {
  uint32_t label;
  uint32_t words;
  uint64_t word[abi::kMaxMessageWords];
  bool has_handle = false;
  abi::Handle handle = 0;
};

// The first word of every reply, in every protocol. kOk..kBadValue describe the request's
// shape; the rest are the server's answer (a device's, memd's about the heap, init's), or
// what a client of the runtime got from the transport (ipc/kernel_status.h maps the
// kernel's status to these). Stable values: add at the end, never renumber.
#define BM_PROTOCOL_STATUS_LIST(X)                                        \
  X(kOk, 0, "ok")                                                         \
  X(kUnknownLabel, 1, "label not part of this protocol")                  \
  X(kTooShort, 2, "fewer words than the message needs")                   \
  X(kTooLong, 3, "more words than the message allows")                    \
  X(kBadValue, 4, "a word out of range")                                  \
  X(kWouldBlock, 5, "nothing to read and the request asked not to block") \
  X(kUnsupported, 6, "this server does not offer the request")            \
  X(kOutOfMemory, 7, "no memory left to serve the request")               \
  X(kBadAlignment, 8, "alignment not a power of two, or too large")       \
  X(kBadSize, 9, "size zero, or over the limit")                          \
  X(kNotAllocated, 10, "the address is not a block of the caller")        \
  X(kDoubleFree, 11, "the block was already freed")                       \
  X(kNoDevice, 12, "the device is gone")                                  \
  X(kNotFound, 13, "no such name or server")                              \
  X(kBusy, 14, "already taken by someone else")                           \
  X(kNoRights, 15, "the caller may not ask this")                         \
  X(kPeerGone, 16, "the server is gone")                                  \
  X(kTimedOut, 17, "no answer in time")                                   \
  X(kNoSlots, 18, "a table is full")                                      \
  X(kInvalidHandle, 19, "a handle not open in this task")                 \
  X(kWrongType, 20, "a handle names an object of another type")           \
  X(kBadAddress, 21, "a pointer the kernel refused")                      \
  X(kNoCaller, 22, "a reply with no caller waiting")                      \
  X(kBadImage, 23, "executable image rejected")                          \
  X(kExists, 24, "already exists")                                        \
  X(kNotADirectory, 25, "a path component is not a directory")            \
  X(kIsADirectory, 26, "a directory where a file is needed")              \
  X(kReadOnly, 27, "read-only file system")                               \
  X(kNoSpace, 28, "no space left on the file system")                     \
  X(kNameTooLong, 29, "a path or a name in it is too long")               \
  X(kBadPath, 30, "a malformed path")                                     \
  X(kTooManyOpenFiles, 31, "too many open files")                         \
  X(kNotEmpty, 32, "directory not empty")

BM_DEFINE_LISTED_ENUM(ProtocolStatus, uint64_t, BM_PROTOCOL_STATUS_LIST, is_protocol_status,
                      protocol_status_text, "unknown protocol status")

// How many statuses there are; their values are 0 .. kProtocolStatusCount - 1.
constexpr uint64_t kProtocolStatusCount = 0
#define BM_PROTOCOL_STATUS_COUNT(name, value, text) +1
    BM_PROTOCOL_STATUS_LIST(BM_PROTOCOL_STATUS_COUNT)
#undef BM_PROTOCOL_STATUS_COUNT
    ;

// Each protocol owns a label range, so a message sent to the wrong server is an unknown
// label there rather than a valid request of another meaning.
constexpr uint32_t kConsoleLabelBase = 0x100;
constexpr uint32_t kKeyboardLabelBase = 0x200;
constexpr uint32_t kSerialLabelBase = 0x300;
constexpr uint32_t kMemdLabelBase = 0x400;
constexpr uint32_t kFsLabelBase = 0x500;
constexpr uint32_t kHeartbeatLabelBase = 0xf00;  // answered by every server (ipc/heartbeat.h)

// One message of a protocol: its label, its name in docs and logs, the request's word count
// bounds, and the bounds of a kOk reply (any other reply is the status word alone).
// `moves_handles`: the message belongs to a protocol that moves handles (bootstrap,
// supervisor, memd_admin), whose reply decoders also refuse a reply that brings a handle
// other than the one its kOk form carries.
struct MessageSpec {
  uint32_t label;
  const char* name;
  uint32_t min_request_words;
  uint32_t max_request_words;
  uint32_t min_reply_words;
  uint32_t max_reply_words;
  bool moves_handles = false;
};
constexpr bool kMovesHandles = true;

// A protocol's messages are one X-macro list, X(Name, label, "name", request words min, max,
// kOk reply words min, max[, kMovesHandles]); this defines from it the label constants kName
// (in `enum Labels`), a MessageSpec kNameSpec for each, and `kAll`, every spec in order.
#define BM_DEFINE_MESSAGES(LIST, Labels, kAll)        \
  enum Labels : uint32_t { LIST(BM_MESSAGE_LABEL_) }; \
  LIST(BM_MESSAGE_SPEC_)                              \
  constexpr MessageSpec kAll[] = {LIST(BM_MESSAGE_SPEC_ENTRY_)};

#define BM_MESSAGE_LABEL_(name, label, ...) k##name = label,
#define BM_MESSAGE_SPEC_(name, label, text, ...) \
  constexpr MessageSpec k##name##Spec{label, text, __VA_ARGS__};
#define BM_MESSAGE_SPEC_ENTRY_(name, ...) k##name##Spec,

// The check every request decoder starts with.
constexpr ProtocolStatus check_request(const WireMessage& message, const MessageSpec& spec) {
  if (message.label != spec.label) return ProtocolStatus::kUnknownLabel;
  if (message.words < spec.min_request_words) return ProtocolStatus::kTooShort;
  if (message.words > spec.max_request_words) return ProtocolStatus::kTooLong;
  return ProtocolStatus::kOk;
}

// The check every reply decoder starts with: the status word must be known, and a reply
// other than kOk is that word alone. `carries_handle`: a kOk reply brings a handle; where the
// spec moves handles, a reply must bring one exactly then. On success *status holds the
// server's answer.
constexpr ProtocolStatus check_reply(const WireMessage& message, const MessageSpec& spec,
                                     bool carries_handle, ProtocolStatus* status) {
  if (message.label != spec.label) return ProtocolStatus::kUnknownLabel;
  if (message.words < 1) return ProtocolStatus::kTooShort;
  if (!is_protocol_status(message.word[0])) return ProtocolStatus::kBadValue;
  auto answer = static_cast<ProtocolStatus>(message.word[0]);
  bool ok = answer == ProtocolStatus::kOk;
  if (message.words < (ok ? spec.min_reply_words : 1)) return ProtocolStatus::kTooShort;
  if (message.words > (ok ? spec.max_reply_words : 1)) return ProtocolStatus::kTooLong;
  if (spec.moves_handles && message.has_handle != (ok && carries_handle)) {
    return ProtocolStatus::kBadValue;
  }
  *status = answer;
  return ProtocolStatus::kOk;
}

// The reply a server sends when it cannot decode a request, or when the device refuses:
// the status word alone, under the request's label, with no handle.
constexpr void encode_status_reply(uint32_t label, ProtocolStatus status, WireMessage* out) {
  out->label = label;
  out->words = 1;
  out->has_handle = false;
  out->handle = 0;
  out->word[0] = static_cast<uint64_t>(status);
}

// A yes/no word: 0 or 1, anything else is a bad value.
constexpr bool decode_flag(uint64_t word, bool* out) {
  if (word > 1) return false;
  *out = word == 1;
  return true;
}

// Byte strings travel as a length word followed by the bytes, eight to a word, byte i in
// bits 8*(i%8) of its word (little-endian, the same as the bytes' order in memory on x86).
// The unused bytes of the last word are zero.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "unpack_bytes views words as bytes");

constexpr uint32_t words_for_bytes(uint32_t length) { return (length + 7) / 8; }

// A view of bytes: what an encoder reads, or what a decoder found inside a message (valid
// as long as that WireMessage is).
struct ByteView {
  const uint8_t* data = nullptr;
  uint32_t length = 0;
};

// False for a view longer than max_length, or one with a length but no data.
constexpr bool valid_bytes(const ByteView& bytes, uint32_t max_length) {
  return bytes.length <= max_length && (bytes.data != nullptr || bytes.length == 0);
}

// Writes the length word at out->word[first] and the bytes after it; sets out->words.
// The caller has checked valid_bytes.
constexpr void pack_bytes(const ByteView& bytes, uint32_t first, WireMessage* out) {
  out->word[first] = bytes.length;
  uint32_t byte_words = words_for_bytes(bytes.length);
  for (uint32_t i = 0; i < byte_words; ++i) out->word[first + 1 + i] = 0;
  for (uint32_t i = 0; i < bytes.length; ++i) {
    out->word[first + 1 + i / 8] |= static_cast<uint64_t>(bytes.data[i]) << (8 * (i % 8));
  }
  out->words = first + 1 + byte_words;
}

// Finds the byte string whose length word is message.word[first]. The message must end
// right after the bytes: kTooShort / kTooLong otherwise; kBadValue for a length over
// max_length or a non-zero unused byte.
inline ProtocolStatus unpack_bytes(const WireMessage& message, uint32_t first, uint32_t max_length,
                                   ByteView* out) {
  if (message.words <= first) return ProtocolStatus::kTooShort;
  uint64_t length = message.word[first];
  if (length > max_length) return ProtocolStatus::kBadValue;
  uint32_t needed = first + 1 + words_for_bytes(static_cast<uint32_t>(length));
  if (message.words < needed) return ProtocolStatus::kTooShort;
  if (message.words > needed) return ProtocolStatus::kTooLong;
  if (length % 8 != 0 && (message.word[needed - 1] >> (8 * (length % 8))) != 0) {
    return ProtocolStatus::kBadValue;
  }
  // Unsigned char may alias any object, so the packed words can be read in place.
  out->data = reinterpret_cast<const uint8_t*>(&message.word[first + 1]);
  out->length = static_cast<uint32_t>(length);
  return ProtocolStatus::kOk;
}

// Word `index` of a message as the kernel delivers it: words 0-3 in registers, word i >= 4
// at buffer->words[i - 4] (lib/abi/message.h). The one place that knows the split. Here and
// below, `buffer` is touched only for words 4 and up, so it may be null for a message that
// fits in the registers: in ring 3, finding the IPC buffer costs a system call.
constexpr uint64_t message_word(const uint64_t registers[abi::kRegisterWords],
                                const abi::IpcBuffer* buffer, uint32_t index) {
  return index < abi::kRegisterWords ? registers[index]
                                     : buffer->words[index - abi::kRegisterWords];
}

constexpr void set_message_word(uint64_t registers[abi::kRegisterWords], abi::IpcBuffer* buffer,
                                uint32_t index, uint64_t value) {
  if (index < abi::kRegisterWords) {
    registers[index] = value;
  } else {
    buffer->words[index - abi::kRegisterWords] = value;
  }
}

// Between the kernel's message (label, word count, words 0-3 in registers, the rest in the
// IPC buffer) and a WireMessage. load_wire refuses a count over kMaxMessageWords. Neither
// touches the handle fields: the caller moves the handle, if the protocol has one.
inline bool load_wire(uint32_t label, uint32_t words, const uint64_t registers[abi::kRegisterWords],
                      const abi::IpcBuffer* buffer, WireMessage* out) {
  if (words > abi::kMaxMessageWords) return false;
  out->label = label;
  out->words = words;
  for (uint32_t i = 0; i < words; ++i) out->word[i] = message_word(registers, buffer, i);
  return true;
}

inline bool store_wire(const WireMessage& message, uint64_t registers[abi::kRegisterWords],
                       abi::IpcBuffer* buffer) {
  if (message.words > abi::kMaxMessageWords) return false;
  for (uint32_t i = 0; i < abi::kRegisterWords; ++i) {
    registers[i] = i < message.words ? message.word[i] : 0;
  }
  for (uint32_t i = abi::kRegisterWords; i < message.words; ++i) {
    set_message_word(registers, buffer, i, message.word[i]);
  }
  return true;
}

}  // namespace bm::ipc
