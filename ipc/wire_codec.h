// The one encoder and decoder of the messages in ipc/: each message struct lists its wire
// layout once, as `using Wire = Request<spec, fields...>` or `Reply<spec, fields...>`, and
// the encode/decode templates below follow that list. docs/writing-a-server.md shows how.
#pragma once

#include <stdint.h>

#include "ipc/names.h"
#include "ipc/protocol.h"
#include "lib/abi/syscalls.h"

namespace bm::ipc {

// --- what a member pointer points into ----------------------------------------------------

template <typename>
struct MemberOf;
template <typename Struct, typename Value>
struct MemberOf<Value Struct::*> {
  using Class = Struct;
  using Type = Value;
};

template <typename>
struct RuleOf;
template <typename Struct>
struct RuleOf<bool (*)(const Struct&)> {
  using Class = Struct;
};

// --- field kinds ----------------------------------------------------------------------------
//
// A field kind says how one member travels. Each has
//   kMinWords, kMaxWords   the words it takes (equal, except for a trailing byte string);
//   fits(value)            whether the encoder can send the member (false: encode refuses);
//   put(value, out, at)    writes its words at out->word[at] and moves `at` past them;
//   take(message, at, out) checks and reads them: kBadValue for a word out of range, and
//                          (byte strings) kTooShort / kTooLong for a count that does not fit.
// The decoder has checked the word count against the spec before any take() runs.

// A word as it is: any value is valid (a 64-bit integer, or an enum the receiver judges).
template <auto kMember>
struct Word {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  using Type = typename MemberOf<decltype(kMember)>::Type;
  static_assert(sizeof(Type) == sizeof(uint64_t), "a narrower member needs Bounded or Checked");
  static constexpr uint32_t kMinWords = 1;
  static constexpr uint32_t kMaxWords = 1;
  static constexpr bool fits(const Class&) { return true; }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t& at) {
    out->word[at++] = static_cast<uint64_t>(value.*kMember);
  }
  static constexpr ProtocolStatus take(const WireMessage& message, uint32_t& at, Class* out) {
    out->*kMember = static_cast<Type>(message.word[at++]);
    return ProtocolStatus::kOk;
  }
};

// A value the word must pass `kIsValid` for (an enum's is_... function, or any predicate).
template <auto kMember, bool (*kIsValid)(uint64_t)>
struct Checked {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  using Type = typename MemberOf<decltype(kMember)>::Type;
  static constexpr uint32_t kMinWords = 1;
  static constexpr uint32_t kMaxWords = 1;
  static constexpr bool fits(const Class& value) {
    return kIsValid(static_cast<uint64_t>(value.*kMember));
  }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t& at) {
    out->word[at++] = static_cast<uint64_t>(value.*kMember);
  }
  static constexpr ProtocolStatus take(const WireMessage& message, uint32_t& at, Class* out) {
    uint64_t word = message.word[at++];
    if (!kIsValid(word)) return ProtocolStatus::kBadValue;
    out->*kMember = static_cast<Type>(word);
    return ProtocolStatus::kOk;
  }
};

template <uint64_t kMin, uint64_t kMax>
constexpr bool in_range(uint64_t word) {
  return word >= kMin && word <= kMax;
}

// An integer from kMin to kMax.
template <auto kMember, uint64_t kMin, uint64_t kMax>
struct Bounded : Checked<kMember, in_range<kMin, kMax>> {
  static_assert(kMax <= static_cast<typename MemberOf<decltype(kMember)>::Type>(~0ull),
                "the member cannot hold every value in range");
};

constexpr bool is_flag(uint64_t word) { return word <= 1; }

// A yes/no word: 0 or 1.
template <auto kMember>
struct Flag : Checked<kMember, is_flag> {};

// A byte string (a ByteView member) of kMinLength to kMaxLength bytes: a length word, then the
// bytes (pack_bytes). It runs to the end of the message, so it is the last field. A decoded
// view points into the message.
template <auto kMember, uint32_t kMaxLength, uint32_t kMinLength = 0>
struct Bytes {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  static constexpr uint32_t kMinWords = 1 + words_for_bytes(kMinLength);
  static constexpr uint32_t kMaxWords = 1 + words_for_bytes(kMaxLength);
  static constexpr bool fits(const Class& value) {
    const ByteView& bytes = value.*kMember;
    return bytes.length >= kMinLength && valid_bytes(bytes, kMaxLength);
  }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t& at) {
    pack_bytes(value.*kMember, at, out);
    at = out->words;
  }
  static constexpr ProtocolStatus take(const WireMessage& message, uint32_t& at, Class* out) {
    if (at < message.words && message.word[at] < kMinLength) return ProtocolStatus::kBadValue;
    ProtocolStatus status = unpack_bytes(message, at, kMaxLength, &(out->*kMember));
    at = message.words;
    return status;
  }
};

// A byte string that more fields follow (the first path of fs rename): the same length word
// and packing as Bytes, but it ends where its length says, not at the message's end. A length
// over kMaxLength, under kMinLength or a non-zero unused byte is kBadValue; a message that
// ends inside the bytes is kTooShort, one with words left after the last field kTooLong.
template <auto kMember, uint32_t kMaxLength, uint32_t kMinLength = 0>
struct EmbeddedBytes {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  static constexpr bool kMayEndEarly = true;  // the only field that may leave words untaken
  static constexpr uint32_t kMinWords = 1 + words_for_bytes(kMinLength);
  static constexpr uint32_t kMaxWords = 1 + words_for_bytes(kMaxLength);
  static constexpr bool fits(const Class& value) {
    const ByteView& bytes = value.*kMember;
    return bytes.length >= kMinLength && valid_bytes(bytes, kMaxLength);
  }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t& at) {
    pack_bytes(value.*kMember, at, out);
    at = out->words;
  }
  static ProtocolStatus take(const WireMessage& message, uint32_t& at, Class* out) {
    if (at >= message.words) return ProtocolStatus::kTooShort;
    uint64_t length = message.word[at];
    if (length < kMinLength || length > kMaxLength) return ProtocolStatus::kBadValue;
    uint32_t end = at + 1 + words_for_bytes(static_cast<uint32_t>(length));
    if (message.words < end) return ProtocolStatus::kTooShort;
    if (length % 8 != 0 && (message.word[end - 1] >> (8 * (length % 8))) != 0) {
      return ProtocolStatus::kBadValue;
    }
    // As in unpack_bytes: unsigned char may alias the packed words.
    (out->*kMember).data = reinterpret_cast<const uint8_t*>(&message.word[at + 1]);
    (out->*kMember).length = static_cast<uint32_t>(length);
    at = end;
    return ProtocolStatus::kOk;
  }
};

// A list of kMinCount to N words (a WordList<N> member): a count word, then the words, each of
// which must pass kIsValid. Like a byte string it runs to the end of the message, so it is the
// last field: fewer words than the count is kTooShort, more kTooLong.
template <uint32_t kCapacity>
struct WordList {
  static constexpr uint32_t kMaxCount = kCapacity;
  uint32_t count = 0;
  uint64_t word[kCapacity] = {};
};

constexpr bool any_word(uint64_t) { return true; }

template <auto kMember, uint32_t kMinCount = 0, bool (*kIsValid)(uint64_t) = any_word>
struct Words {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  static constexpr uint32_t kMaxCount = MemberOf<decltype(kMember)>::Type::kMaxCount;
  static constexpr uint32_t kMinWords = 1 + kMinCount;
  static constexpr uint32_t kMaxWords = 1 + kMaxCount;
  static constexpr bool fits(const Class& value) {
    const auto& list = value.*kMember;
    if (list.count < kMinCount || list.count > kMaxCount) return false;
    for (uint32_t i = 0; i < list.count; ++i) {
      if (!kIsValid(list.word[i])) return false;
    }
    return true;
  }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t& at) {
    const auto& list = value.*kMember;
    out->word[at++] = list.count;
    for (uint32_t i = 0; i < list.count; ++i) out->word[at++] = list.word[i];
  }
  static constexpr ProtocolStatus take(const WireMessage& message, uint32_t& at, Class* out) {
    uint64_t count = message.word[at++];
    if (count < kMinCount || count > kMaxCount) return ProtocolStatus::kBadValue;
    const uint32_t following = message.words - at;
    if (following < count) return ProtocolStatus::kTooShort;
    if (following > count) return ProtocolStatus::kTooLong;
    auto& list = out->*kMember;
    list.count = static_cast<uint32_t>(count);
    for (uint32_t i = 0; i < list.count; ++i) {
      if (!kIsValid(message.word[at])) return ProtocolStatus::kBadValue;
      list.word[i] = message.word[at++];
    }
    return ProtocolStatus::kOk;
  }
};

// A service name (a char[kMaxNameLength + 1] member) in four words (ipc/names.h).
template <auto kMember>
struct ServiceName {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  static constexpr uint32_t kMinWords = kNameWords;
  static constexpr uint32_t kMaxWords = kNameWords;
  static constexpr bool fits(const Class& value) {
    uint64_t words[kNameWords] = {};
    return pack_name(value.*kMember, words);
  }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t& at) {
    pack_name(value.*kMember, &out->word[at]);
    at += kNameWords;
  }
  static constexpr ProtocolStatus take(const WireMessage& message, uint32_t& at, Class* out) {
    bool named = unpack_name(&message.word[at], out->*kMember);
    at += kNameWords;
    return named ? ProtocolStatus::kOk : ProtocolStatus::kBadValue;
  }
};

// A handle (an abi::Handle member, never 0) moved with the message, in its handle slot: no
// words. A message without one is a bad value.
template <auto kMember>
struct MovedHandle {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  static constexpr uint32_t kMinWords = 0;
  static constexpr uint32_t kMaxWords = 0;
  static constexpr bool kCarriesHandle = true;
  static constexpr bool fits(const Class& value) { return value.*kMember != 0; }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t&) {
    out->has_handle = true;
    out->handle = value.*kMember;
  }
  static constexpr ProtocolStatus take(const WireMessage& message, uint32_t&, Class* out) {
    if (!message.has_handle) return ProtocolStatus::kBadValue;
    out->*kMember = message.handle;
    return ProtocolStatus::kOk;
  }
};

// A check over the whole struct, once its fields are read (valid_stats, say): no words.
template <auto kHolds>
struct Rule {
  using Class = typename RuleOf<decltype(kHolds)>::Class;
  static constexpr uint32_t kMinWords = 0;
  static constexpr uint32_t kMaxWords = 0;
  static constexpr bool fits(const Class& value) { return kHolds(value); }
  static constexpr void put(const Class&, WireMessage*, uint32_t&) {}
  static constexpr ProtocolStatus take(const WireMessage&, uint32_t&, Class* out) {
    return kHolds(*out) ? ProtocolStatus::kOk : ProtocolStatus::kBadValue;
  }
};

// Part of a packed word: the member's value, whose set bits all lie in kMask, at bit kShift.
template <auto kMember, uint32_t kShift, uint64_t kMask>
struct Bits {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  using Type = typename MemberOf<decltype(kMember)>::Type;
  static constexpr uint64_t kWordMask = kMask << kShift;
  static_assert(kWordMask >> kShift == kMask, "the bits run past the word");
  static constexpr bool fits(const Class& value) {
    return (static_cast<uint64_t>(value.*kMember) & ~kMask) == 0;
  }
  static constexpr uint64_t bits(const Class& value) {
    return static_cast<uint64_t>(value.*kMember) << kShift;
  }
  static constexpr void read(uint64_t word, Class* out) {
    out->*kMember = static_cast<Type>(word >> kShift & kMask);
  }
};

// One word made of Bits<...> parts; a bit outside every part must be zero.
template <typename First, typename... Rest>
struct PackedWord {
  using Class = typename First::Class;
  static constexpr uint64_t kUsedBits = (First::kWordMask | ... | Rest::kWordMask);
  static constexpr uint32_t kMinWords = 1;
  static constexpr uint32_t kMaxWords = 1;
  static constexpr bool fits(const Class& value) {
    return First::fits(value) && (Rest::fits(value) && ...);
  }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t& at) {
    out->word[at++] = (First::bits(value) | ... | Rest::bits(value));
  }
  static constexpr ProtocolStatus take(const WireMessage& message, uint32_t& at, Class* out) {
    uint64_t word = message.word[at++];
    if ((word & ~kUsedBits) != 0) return ProtocolStatus::kBadValue;
    First::read(word, out);
    (Rest::read(word, out), ...);
    return ProtocolStatus::kOk;
  }
};

template <typename Field>
constexpr bool may_end_early() {
  if constexpr (requires { Field::kMayEndEarly; }) {
    return Field::kMayEndEarly;
  } else {
    return false;
  }
}

template <typename Field>
constexpr bool carries_handle() {
  if constexpr (requires { Field::kCarriesHandle; }) {
    return Field::kCarriesHandle;
  } else {
    return false;
  }
}

// A list of fields, in wire order: the layout of a message after its status word, or of a
// struct that travels inside messages (then its `using Wire = Fields<...>`, for Nested).
template <typename... Field>
struct Fields {
  static constexpr uint32_t kMinWords = (0 + ... + Field::kMinWords);
  static constexpr uint32_t kMaxWords = (0 + ... + Field::kMaxWords);
  static constexpr bool kCarriesHandle = (false || ... || carries_handle<Field>());
  // Whether a field may end before the count allows (EmbeddedBytes); only then do the
  // decoders check, per field and at the end, what the spec's bounds cannot.
  static constexpr bool kMayEndEarly = (false || ... || may_end_early<Field>());

  // (The parameters go unused in a message without fields.)
  template <typename Struct>
  static constexpr bool fits([[maybe_unused]] const Struct& value) {
    return (Field::fits(value) && ...);
  }
  template <typename Struct>
  static constexpr void put([[maybe_unused]] const Struct& value, [[maybe_unused]] WireMessage* out,
                            [[maybe_unused]] uint32_t& at) {
    (Field::put(value, out, at), ...);
  }
  // Stops at the first field that is not kOk.
  template <typename Struct>
  static constexpr ProtocolStatus take([[maybe_unused]] const WireMessage& message,
                                       [[maybe_unused]] uint32_t& at,
                                       [[maybe_unused]] Struct* out) {
    ProtocolStatus status = ProtocolStatus::kOk;
    (void)(((status = take_field<Field>(message, at, out)) == ProtocolStatus::kOk) && ...);
    return status;
  }

 private:
  // The spec's bounds keep a fixed field inside the count, unless a field of variable length
  // (EmbeddedBytes) came before it and was longer than its minimum: then the count may end
  // first, and the field is kTooShort instead of reading past it. Variable fields check
  // themselves. Layouts without such a field pay nothing.
  template <typename One, typename Struct>
  static constexpr ProtocolStatus take_field(const WireMessage& message, uint32_t& at,
                                             Struct* out) {
    if constexpr (kMayEndEarly && One::kMinWords == One::kMaxWords) {
      if (message.words - at < One::kMinWords) return ProtocolStatus::kTooShort;
    }
    return One::take(message, at, out);
  }
};

// A described struct inside this one (KeyEvent in a read_event reply, say), its fields in
// place: its own `using Wire = Fields<...>` says how.
template <auto kMember>
struct Nested {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  using Layout = typename MemberOf<decltype(kMember)>::Type::Wire;
  static constexpr uint32_t kMinWords = Layout::kMinWords;
  static constexpr uint32_t kMaxWords = Layout::kMaxWords;
  static constexpr bool kCarriesHandle = Layout::kCarriesHandle;
  static constexpr bool fits(const Class& value) { return Layout::fits(value.*kMember); }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t& at) {
    Layout::put(value.*kMember, out, at);
  }
  static constexpr ProtocolStatus take(const WireMessage& message, uint32_t& at, Class* out) {
    return Layout::take(message, at, &(out->*kMember));
  }
};

// Words that no list of kinds can say (a count word ahead of the data it counts, say),
// written once as a pair of functions over the whole kOk reply, status word included:
//   uint32_t kEncode(const T&, uint64_t* words): the word count, 0 to refuse;
//   bool kDecode(const uint64_t* words, uint32_t count, T*).
// It is then the reply's only field, and kMinWords..kMaxWords its words after the status.
template <auto kMember, auto kEncode, auto kDecode, uint32_t kMin, uint32_t kMax>
struct Irregular {
  using Class = typename MemberOf<decltype(kMember)>::Class;
  static constexpr uint32_t kMinWords = kMin;
  static constexpr uint32_t kMaxWords = kMax;
  static constexpr bool fits(const Class& value) {
    uint64_t scratch[1 + kMax] = {};
    return kEncode(value.*kMember, scratch) != 0;
  }
  static constexpr void put(const Class& value, WireMessage* out, uint32_t& at) {
    at = kEncode(value.*kMember, out->word);
  }
  static constexpr ProtocolStatus take(const WireMessage& message, uint32_t& at, Class* out) {
    at = message.words;
    return kDecode(message.word, message.words, &(out->*kMember)) ? ProtocolStatus::kOk
                                                                  : ProtocolStatus::kBadValue;
  }
};

// --- messages -------------------------------------------------------------------------------

// Writes `value`'s fields from word `first` on (the words before it are the caller's), under
// `label` and without a handle unless a field moves one; or refuses, leaving *out alone, when a
// field cannot be sent.
template <typename Layout, typename Struct>
constexpr bool put_message(const Struct& value, uint32_t label, uint32_t first, WireMessage* out) {
  if (!Layout::fits(value)) return false;
  out->label = label;
  out->has_handle = false;
  out->handle = 0;
  uint32_t at = first;
  Layout::put(value, out, at);
  out->words = at;
  return true;
}

// A request: the fields from word 0.
template <const MessageSpec& kMessage, typename... Field>
struct Request {
  static constexpr const MessageSpec& kSpec = kMessage;
  using Layout = Fields<Field...>;
  static_assert(kSpec.min_request_words == Layout::kMinWords &&
                    kSpec.max_request_words == Layout::kMaxWords,
                "the spec's request word counts and the fields disagree");

  template <typename Struct>
  static constexpr bool encode(const Struct& request, WireMessage* out) {
    return put_message<Layout>(request, kSpec.label, 0, out);
  }

  // *out is written only when the whole request is well formed.
  template <typename Struct>
  static constexpr ProtocolStatus decode(const WireMessage& message, Struct* out) {
    ProtocolStatus status = check_request(message, kSpec);
    if (status != ProtocolStatus::kOk) return status;
    Struct request{};
    uint32_t at = 0;
    status = Layout::take(message, at, &request);
    // The fields must use every word: only a field of variable length (EmbeddedBytes) can
    // leave some, when its length word says less than the count allows.
    if constexpr (Layout::kMayEndEarly) {
      if (status == ProtocolStatus::kOk && at != message.words) status = ProtocolStatus::kTooLong;
    }
    if (status == ProtocolStatus::kOk) *out = request;
    return status;
  }
};

// A reply: w0 is the status; a kOk reply carries the fields from word 1, any other is the
// status word alone (and decodes with the fields at their defaults). The struct has a
// `ProtocolStatus status` member.
template <const MessageSpec& kMessage, typename... Field>
struct Reply {
  static constexpr const MessageSpec& kSpec = kMessage;
  using Layout = Fields<Field...>;
  static_assert(kSpec.min_reply_words == 1 + Layout::kMinWords &&
                    kSpec.max_reply_words == 1 + Layout::kMaxWords,
                "the spec's reply word counts and the fields disagree");

  template <typename Struct>
  static constexpr bool encode(const Struct& reply, WireMessage* out) {
    if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
    if (reply.status != ProtocolStatus::kOk) {
      encode_status_reply(kSpec.label, reply.status, out);
      return true;
    }
    if (!put_message<Layout>(reply, kSpec.label, 1, out)) return false;
    out->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
    return true;
  }

  template <typename Struct>
  static constexpr ProtocolStatus decode(const WireMessage& message, Struct* out) {
    ProtocolStatus answer = ProtocolStatus::kOk;
    ProtocolStatus status = check_reply(message, kSpec, Layout::kCarriesHandle, &answer);
    if (status != ProtocolStatus::kOk) return status;
    Struct reply{};
    reply.status = answer;
    if (answer == ProtocolStatus::kOk) {
      uint32_t at = 1;
      status = Layout::take(message, at, &reply);
      if (status != ProtocolStatus::kOk) return status;
      if constexpr (Layout::kMayEndEarly) {
        if (at != message.words) return ProtocolStatus::kTooLong;  // as in Request::decode
      }
    }
    *out = reply;
    return ProtocolStatus::kOk;
  }
};

// --- the codec every described message uses ------------------------------------------------

template <typename Message>
concept WireDescribed = requires {
  Message::Wire::kSpec;
};

template <WireDescribed Message>
constexpr bool encode(const Message& message, WireMessage* out) {
  return Message::Wire::encode(message, out);
}

template <WireDescribed Message>
constexpr ProtocolStatus decode(const WireMessage& message, Message* out) {
  return Message::Wire::decode(message, out);
}

// --- shapes several protocols share ---------------------------------------------------------

// A reply that is only a status word.
template <const MessageSpec& kSpec>
struct StatusReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  using Wire = Reply<kSpec>;
};

// A write of a byte string and its reply (how many bytes were taken): the same shape in every
// protocol that writes bytes (console write, serial write).
template <const MessageSpec& kSpec, uint32_t kMaxBytes>
struct BytesWriteRequest {
  ByteView bytes;  // up to kMaxBytes
  using Wire = Request<kSpec, Bytes<&BytesWriteRequest::bytes, kMaxBytes>>;
};
template <const MessageSpec& kSpec, uint32_t kMaxBytes>
struct BytesWriteReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  // Bytes consumed, a prefix of the request: fewer than its length means the server took
  // only that much (the client sends the rest again); none of it is lost.
  uint32_t written = 0;
  using Wire = Reply<kSpec, Bounded<&BytesWriteReply::written, 0, kMaxBytes>>;
};

}  // namespace bm::ipc
