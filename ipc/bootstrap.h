// The bootstrap protocol (labels 1..5) between init and the tasks it starts. Each task
// receives, as the argument of main, a handle to init's endpoint (badged: init knows who
// calls). Over it the task fetches the resources its manifest line grants, registers the
// services it offers, looks up the ones it uses, reads its args= text and asks whether
// init's start-up is over. init
// (servers/init/bootstrap_service.cpp) and the runtime (user/services.cpp) both use the
// codecs below; docs/protocols.md describes every message.
//
// Older than the driver protocols, it keeps two conventions of its own: w0 of a reply is a
// kernel status (bm::abi::Status), and some messages carry a handle.
#pragma once

#include <stdint.h>

#include "ipc/names.h"
#include "ipc/protocol.h"
#include "lib/abi/syscalls.h"

namespace bm::ipc {

// The longest args= value a manifest line may carry (lib/manifest), and the reply that
// carries it.
constexpr uint32_t kMaxArgumentsLength = 127;
constexpr uint32_t kMaxArgumentsReplyWords = 2 + (kMaxArgumentsLength + 7) / 8;

// A name travels in four words (ipc/names.h).
constexpr uint32_t kNameWords = 4;

// X(Name, label, "name", request words min, max, kOk reply words min, max)
#define BM_BOOTSTRAP_MESSAGES(X)                           \
  X(GetGrant, 1, "get_grant", 1, 1, 4, 4)                  \
  X(Register, 2, "register", kNameWords, kNameWords, 1, 1) \
  X(Lookup, 3, "lookup", kNameWords, kNameWords, 1, 1)     \
  X(GetArguments, 4, "get_arguments", 0, 0, 2, kMaxArgumentsReplyWords) \
  X(StartupDone, 5, "startup_done", 0, 0, 1, 1)

enum BootstrapLabel : uint32_t {
#define BM_BOOTSTRAP_LABEL(name, label, text, a, b, c, d) k##name = label,
  BM_BOOTSTRAP_MESSAGES(BM_BOOTSTRAP_LABEL)
#undef BM_BOOTSTRAP_LABEL
};

#define BM_BOOTSTRAP_SPEC(name, label, text, a, b, c, d) \
  constexpr MessageSpec k##name##Spec{label, text, a, b, c, d};
BM_BOOTSTRAP_MESSAGES(BM_BOOTSTRAP_SPEC)
#undef BM_BOOTSTRAP_SPEC

constexpr MessageSpec kBootstrapMessages[] = {
#define BM_BOOTSTRAP_SPEC_ENTRY(name, label, text, a, b, c, d) k##name##Spec,
    BM_BOOTSTRAP_MESSAGES(BM_BOOTSTRAP_SPEC_ENTRY)
#undef BM_BOOTSTRAP_SPEC_ENTRY
};

constexpr bool is_bootstrap_label(uint32_t label) {
  return label >= kGetGrant && label <= kStartupDone;
}

enum class GrantKind : uint64_t {
  kIoPorts = 1,       // detail = first port, count = ports
  kIrq = 2,           // detail = line, count = 1
  kDeviceMemory = 3,  // detail = physical address, count = bytes
  kModule = 4,        // detail = bytes of the image; a memory handle for task_create
  kMemoryPool = 5,    // detail = pages; fresh zeroed memory (read, write, map, grant): memd's pool
};

constexpr bool is_grant_kind(uint64_t kind) {
  return kind >= static_cast<uint64_t>(GrantKind::kIoPorts) &&
         kind <= static_cast<uint64_t>(GrantKind::kMemoryPool);
}

// A word that names a kernel status (the w0 of every bootstrap and supervisor reply).
constexpr bool is_kernel_status(uint64_t value) {
  switch (value) {
#define BM_KERNEL_STATUS_CASE(name, value, text) case value:
    BM_STATUS_LIST(BM_KERNEL_STATUS_CASE)
#undef BM_KERNEL_STATUS_CASE
    return true;
  }
  return false;
}

// --- shape checks shared with ipc/supervisor.h ---------------------------------------------

// A reply that is w0 = a kernel status; `carries_handle`: a kOk reply brings one.
// Any reply other than kOk is the status word alone, without a handle.
constexpr ProtocolStatus check_kernel_reply(const WireMessage& message, const MessageSpec& spec,
                                            bool carries_handle, abi::Status* status) {
  if (message.label != spec.label) return ProtocolStatus::kUnknownLabel;
  if (message.words < 1) return ProtocolStatus::kTooShort;
  if (!is_kernel_status(message.word[0])) return ProtocolStatus::kBadValue;
  auto answer = static_cast<abi::Status>(message.word[0]);
  bool ok = answer == abi::Status::kOk;
  if (message.words < (ok ? spec.min_reply_words : 1)) return ProtocolStatus::kTooShort;
  if (message.words > (ok ? spec.max_reply_words : 1)) return ProtocolStatus::kTooLong;
  if (message.has_handle != (ok && carries_handle)) return ProtocolStatus::kBadValue;
  *status = answer;
  return ProtocolStatus::kOk;
}

constexpr void encode_kernel_status(uint32_t label, abi::Status status, WireMessage* out) {
  out->label = label;
  out->words = 1;
  out->word[0] = static_cast<uint64_t>(status);
  out->has_handle = false;
  out->handle = 0;
}

// A reply that is a kernel status and nothing else, typed by the label it answers.
template <uint32_t kLabel>
struct KernelStatusReply {
  abi::Status status = abi::Status::kOk;
};

template <uint32_t kLabel>
constexpr bool encode(const KernelStatusReply<kLabel>& reply, WireMessage* out) {
  if (!is_kernel_status(static_cast<uint64_t>(reply.status))) return false;
  encode_kernel_status(kLabel, reply.status, out);
  return true;
}

template <uint32_t kLabel>
constexpr ProtocolStatus decode(const WireMessage& message, KernelStatusReply<kLabel>* out) {
  constexpr MessageSpec kSpec{kLabel, "", 0, 0, 1, 1};
  abi::Status status = abi::Status::kOk;
  ProtocolStatus shape = check_kernel_reply(message, kSpec, false, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  out->status = status;
  return ProtocolStatus::kOk;
}

// Starts an encoded message: label, word count, no handle.
constexpr void begin_message(uint32_t label, uint32_t words, WireMessage* out) {
  out->label = label;
  out->words = words;
  out->has_handle = false;
  out->handle = 0;
}

// --- get_grant: grant number `index` of the caller's manifest line ------------------------

struct GetGrantRequest {
  uint64_t index = 0;  // 0, 1, ...: kInvalidArgument past the last grant
};
struct GetGrantReply {
  abi::Status status = abi::Status::kOk;
  GrantKind kind = GrantKind::kIoPorts;  // the rest only in a kOk reply
  uint64_t detail = 0;
  uint64_t count = 0;
  abi::Handle handle = 0;  // the grant itself, moved to the caller
};

constexpr bool encode(const GetGrantRequest& request, WireMessage* out) {
  begin_message(kGetGrant, 1, out);
  out->word[0] = request.index;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, GetGrantRequest* out) {
  ProtocolStatus shape = check_request(message, kGetGrantSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  out->index = message.word[0];
  return ProtocolStatus::kOk;
}

constexpr bool encode(const GetGrantReply& reply, WireMessage* out) {
  if (!is_kernel_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != abi::Status::kOk) {
    encode_kernel_status(kGetGrant, reply.status, out);
    return true;
  }
  if (!is_grant_kind(static_cast<uint64_t>(reply.kind)) || reply.handle == 0) return false;
  begin_message(kGetGrant, 4, out);
  out->word[0] = static_cast<uint64_t>(abi::Status::kOk);
  out->word[1] = static_cast<uint64_t>(reply.kind);
  out->word[2] = reply.detail;
  out->word[3] = reply.count;
  out->has_handle = true;
  out->handle = reply.handle;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, GetGrantReply* out) {
  abi::Status status = abi::Status::kOk;
  ProtocolStatus shape = check_kernel_reply(message, kGetGrantSpec, true, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  GetGrantReply reply;
  reply.status = status;
  if (status == abi::Status::kOk) {
    if (!is_grant_kind(message.word[1])) return ProtocolStatus::kBadValue;
    reply.kind = static_cast<GrantKind>(message.word[1]);
    reply.detail = message.word[2];
    reply.count = message.word[3];
    reply.handle = message.handle;
  }
  *out = reply;
  return ProtocolStatus::kOk;
}

// --- register: offer an endpoint under a name -----------------------------------------------

struct RegisterRequest {
  char name[kMaxNameLength + 1] = {};
  // An endpoint handle (write + grant) moved to init, which keeps it on kOk and closes it
  // otherwise. user::register_service sends a duplicate and keeps its own.
  abi::Handle endpoint = 0;
};
// kOk, kBusy (another server has the name), kNoSlots (init's table is full),
// kInvalidArgument (a malformed request).
using RegisterReply = KernelStatusReply<kRegister>;

constexpr bool encode(const RegisterRequest& request, WireMessage* out) {
  uint64_t name[kNameWords] = {};
  if (!pack_name(request.name, name) || request.endpoint == 0) return false;
  begin_message(kRegister, kNameWords, out);
  for (uint32_t i = 0; i < kNameWords; ++i) out->word[i] = name[i];
  out->has_handle = true;
  out->handle = request.endpoint;
  return true;
}

// kBadValue for a malformed name or a missing endpoint handle.
constexpr ProtocolStatus decode(const WireMessage& message, RegisterRequest* out) {
  ProtocolStatus shape = check_request(message, kRegisterSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  RegisterRequest request;
  if (!message.has_handle || !unpack_name(message.word, request.name)) {
    return ProtocolStatus::kBadValue;
  }
  request.endpoint = message.handle;
  *out = request;
  return ProtocolStatus::kOk;
}

// --- lookup: an endpoint by name ------------------------------------------------------------

struct LookupRequest {
  char name[kMaxNameLength + 1] = {};
};
struct LookupReply {
  // kOk, kNotFound (not registered yet: servers start in parallel, so retry),
  // kInvalidArgument, or why init could not duplicate the endpoint.
  abi::Status status = abi::Status::kOk;
  abi::Handle endpoint = 0;  // kOk: the service's endpoint (write + grant)
};

constexpr bool encode(const LookupRequest& request, WireMessage* out) {
  uint64_t name[kNameWords] = {};
  if (!pack_name(request.name, name)) return false;
  begin_message(kLookup, kNameWords, out);
  for (uint32_t i = 0; i < kNameWords; ++i) out->word[i] = name[i];
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, LookupRequest* out) {
  ProtocolStatus shape = check_request(message, kLookupSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  LookupRequest request;
  if (!unpack_name(message.word, request.name)) return ProtocolStatus::kBadValue;
  *out = request;
  return ProtocolStatus::kOk;
}

constexpr bool encode(const LookupReply& reply, WireMessage* out) {
  if (!is_kernel_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != abi::Status::kOk) {
    encode_kernel_status(kLookup, reply.status, out);
    return true;
  }
  if (reply.endpoint == 0) return false;
  begin_message(kLookup, 1, out);
  out->word[0] = static_cast<uint64_t>(abi::Status::kOk);
  out->has_handle = true;
  out->handle = reply.endpoint;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, LookupReply* out) {
  abi::Status status = abi::Status::kOk;
  ProtocolStatus shape = check_kernel_reply(message, kLookupSpec, true, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  out->status = status;
  out->endpoint = status == abi::Status::kOk ? message.handle : 0;
  return ProtocolStatus::kOk;
}

// --- get_arguments: the manifest line's args= text ------------------------------------------

struct GetArgumentsRequest {};
struct GetArgumentsReply {
  abi::Status status = abi::Status::kOk;
  ByteView arguments;  // up to kMaxArgumentsLength bytes, no NUL
};

constexpr bool encode(const GetArgumentsRequest&, WireMessage* out) {
  begin_message(kGetArguments, 0, out);
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, GetArgumentsRequest*) {
  return check_request(message, kGetArgumentsSpec);
}

inline bool encode(const GetArgumentsReply& reply, WireMessage* out) {
  if (!is_kernel_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != abi::Status::kOk) {
    encode_kernel_status(kGetArguments, reply.status, out);
    return true;
  }
  if (!valid_bytes(reply.arguments, kMaxArgumentsLength)) return false;
  begin_message(kGetArguments, 0, out);
  out->word[0] = static_cast<uint64_t>(abi::Status::kOk);
  pack_bytes(reply.arguments, 1, out);
  return true;
}

inline ProtocolStatus decode(const WireMessage& message, GetArgumentsReply* out) {
  abi::Status status = abi::Status::kOk;
  ProtocolStatus shape = check_kernel_reply(message, kGetArgumentsSpec, false, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  GetArgumentsReply reply;
  reply.status = status;
  if (status == abi::Status::kOk) {
    ProtocolStatus bytes = unpack_bytes(message, 1, kMaxArgumentsLength, &reply.arguments);
    if (bytes != ProtocolStatus::kOk) return bytes;
  }
  *out = reply;
  return ProtocolStatus::kOk;
}

// --- startup_done: is init's start-up over? ------------------------------------------------

// kOk once every other server of the manifest has registered a name or ended; kWouldBlock
// while some are still starting. The shell asks before its first prompt, so that the start-up
// log lines come before it; it bounds the wait itself.
struct StartupDoneRequest {};
using StartupDoneReply = KernelStatusReply<kStartupDone>;

constexpr bool encode(const StartupDoneRequest&, WireMessage* out) {
  begin_message(kStartupDone, 0, out);
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, StartupDoneRequest*) {
  return check_request(message, kStartupDoneSpec);
}

}  // namespace bm::ipc
