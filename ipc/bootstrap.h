// The bootstrap protocol (labels 1..5) between init and the tasks it starts. Each task
// receives, as the argument of main, a handle to init's endpoint (badged: init knows who
// calls). Over it the task fetches the resources its manifest line grants, registers the
// services it offers, looks up the ones it uses, reads its args= text and asks whether
// init's start-up is over. init
// (servers/init/bootstrap_service.cpp) and the runtime (user/services.cpp) both use the
// codecs below; docs/protocols.md describes every message.
//
// w0 of a reply is a ProtocolStatus, as in every protocol; unlike the driver protocols, some
// messages carry a handle.
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
  kFramebuffer = 6,   // device memory; detail/count = geometry (ipc/framebuffer_grant.h)
};

constexpr bool is_grant_kind(uint64_t kind) {
  return kind >= static_cast<uint64_t>(GrantKind::kIoPorts) &&
         kind <= static_cast<uint64_t>(GrantKind::kFramebuffer);
}

// --- shape checks shared with ipc/supervisor.h and ipc/memd_admin.h -------------------------

// A reply whose w0 is a ProtocolStatus; `carries_handle`: a kOk reply brings one.
// Any reply other than kOk is the status word alone, without a handle.
constexpr ProtocolStatus check_handle_reply(const WireMessage& message, const MessageSpec& spec,
                                            bool carries_handle, ProtocolStatus* status) {
  if (message.label != spec.label) return ProtocolStatus::kUnknownLabel;
  if (message.words < 1) return ProtocolStatus::kTooShort;
  if (!is_protocol_status(message.word[0])) return ProtocolStatus::kBadValue;
  auto answer = static_cast<ProtocolStatus>(message.word[0]);
  bool ok = answer == ProtocolStatus::kOk;
  if (message.words < (ok ? spec.min_reply_words : 1)) return ProtocolStatus::kTooShort;
  if (message.words > (ok ? spec.max_reply_words : 1)) return ProtocolStatus::kTooLong;
  if (message.has_handle != (ok && carries_handle)) return ProtocolStatus::kBadValue;
  *status = answer;
  return ProtocolStatus::kOk;
}

// A status reply that also clears the handle fields (these protocols move handles).
constexpr void encode_handle_status(uint32_t label, ProtocolStatus status, WireMessage* out) {
  encode_status_reply(label, status, out);
  out->handle = 0;
}

// A reply that is a status and nothing else, typed by the label it answers. Unlike
// StatusReply (ipc/protocol.h), its decoder also refuses a reply that brings a handle.
template <uint32_t kLabel>
struct StatusOnlyReply {
  ProtocolStatus status = ProtocolStatus::kOk;
};

template <uint32_t kLabel>
constexpr bool encode(const StatusOnlyReply<kLabel>& reply, WireMessage* out) {
  if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
  encode_handle_status(kLabel, reply.status, out);
  return true;
}

template <uint32_t kLabel>
constexpr ProtocolStatus decode(const WireMessage& message, StatusOnlyReply<kLabel>* out) {
  constexpr MessageSpec kSpec{kLabel, "", 0, 0, 1, 1};
  ProtocolStatus status = ProtocolStatus::kOk;
  ProtocolStatus shape = check_handle_reply(message, kSpec, false, &status);
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
  uint64_t index = 0;  // 0, 1, ...: kBadValue past the last grant
};
struct GetGrantReply {
  ProtocolStatus status = ProtocolStatus::kOk;
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
  if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != ProtocolStatus::kOk) {
    encode_handle_status(kGetGrant, reply.status, out);
    return true;
  }
  if (!is_grant_kind(static_cast<uint64_t>(reply.kind)) || reply.handle == 0) return false;
  begin_message(kGetGrant, 4, out);
  out->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
  out->word[1] = static_cast<uint64_t>(reply.kind);
  out->word[2] = reply.detail;
  out->word[3] = reply.count;
  out->has_handle = true;
  out->handle = reply.handle;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, GetGrantReply* out) {
  ProtocolStatus status = ProtocolStatus::kOk;
  ProtocolStatus shape = check_handle_reply(message, kGetGrantSpec, true, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  GetGrantReply reply;
  reply.status = status;
  if (status == ProtocolStatus::kOk) {
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
// kBadValue (a malformed request).
using RegisterReply = StatusOnlyReply<kRegister>;

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
  // kBadValue, or why init could not duplicate the endpoint (ipc/kernel_status.h).
  ProtocolStatus status = ProtocolStatus::kOk;
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
  if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != ProtocolStatus::kOk) {
    encode_handle_status(kLookup, reply.status, out);
    return true;
  }
  if (reply.endpoint == 0) return false;
  begin_message(kLookup, 1, out);
  out->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
  out->has_handle = true;
  out->handle = reply.endpoint;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, LookupReply* out) {
  ProtocolStatus status = ProtocolStatus::kOk;
  ProtocolStatus shape = check_handle_reply(message, kLookupSpec, true, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  out->status = status;
  out->endpoint = status == ProtocolStatus::kOk ? message.handle : 0;
  return ProtocolStatus::kOk;
}

// --- get_arguments: the manifest line's args= text ------------------------------------------

struct GetArgumentsRequest {};
struct GetArgumentsReply {
  ProtocolStatus status = ProtocolStatus::kOk;
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
  if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != ProtocolStatus::kOk) {
    encode_handle_status(kGetArguments, reply.status, out);
    return true;
  }
  if (!valid_bytes(reply.arguments, kMaxArgumentsLength)) return false;
  begin_message(kGetArguments, 0, out);
  out->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
  pack_bytes(reply.arguments, 1, out);
  return true;
}

inline ProtocolStatus decode(const WireMessage& message, GetArgumentsReply* out) {
  ProtocolStatus status = ProtocolStatus::kOk;
  ProtocolStatus shape = check_handle_reply(message, kGetArgumentsSpec, false, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  GetArgumentsReply reply;
  reply.status = status;
  if (status == ProtocolStatus::kOk) {
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
using StartupDoneReply = StatusOnlyReply<kStartupDone>;

constexpr bool encode(const StartupDoneRequest&, WireMessage* out) {
  begin_message(kStartupDone, 0, out);
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, StartupDoneRequest*) {
  return check_request(message, kStartupDoneSpec);
}

}  // namespace bm::ipc
