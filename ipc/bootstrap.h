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
#include "ipc/wire_codec.h"
#include "lib/abi/syscalls.h"

namespace bm::ipc {

// The longest args= value a manifest line may carry (lib/manifest), and the reply that
// carries it.
constexpr uint32_t kMaxArgumentsLength = 127;
constexpr uint32_t kMaxArgumentsReplyWords = 2 + (kMaxArgumentsLength + 7) / 8;

// X(Name, label, "name", request words min, max, kOk reply words min, max, kMovesHandles)
#define BM_BOOTSTRAP_MESSAGES(X)                                                       \
  X(GetGrant, 1, "get_grant", 1, 1, 4, 4, kMovesHandles)                               \
  X(Register, 2, "register", kNameWords, kNameWords, 1, 1, kMovesHandles)              \
  X(Lookup, 3, "lookup", kNameWords, kNameWords, 1, 1, kMovesHandles)                  \
  X(GetArguments, 4, "get_arguments", 0, 0, 2, kMaxArgumentsReplyWords, kMovesHandles) \
  X(StartupDone, 5, "startup_done", 1, 1, 1, 1, kMovesHandles)

BM_DEFINE_MESSAGES(BM_BOOTSTRAP_MESSAGES, BootstrapLabel, kBootstrapMessages)

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

// --- get_grant: grant number `index` of the caller's manifest line ------------------------

struct GetGrantRequest {
  uint64_t index = 0;  // 0, 1, ...: kBadValue past the last grant
  using Wire = Request<kGetGrantSpec, Word<&GetGrantRequest::index>>;
};
struct GetGrantReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  GrantKind kind = GrantKind::kIoPorts;  // the rest only in a kOk reply
  uint64_t detail = 0;
  uint64_t count = 0;
  abi::Handle handle = 0;  // the grant itself, moved to the caller
  using Wire = Reply<kGetGrantSpec, Checked<&GetGrantReply::kind, is_grant_kind>,
                     Word<&GetGrantReply::detail>, Word<&GetGrantReply::count>,
                     MovedHandle<&GetGrantReply::handle>>;
};

// --- register: offer an endpoint under a name -----------------------------------------------

struct RegisterRequest {
  char name[kMaxNameLength + 1] = {};
  // An endpoint handle (write + grant) moved to init, which keeps it on kOk and closes it
  // otherwise. user::register_service sends a duplicate and keeps its own.
  abi::Handle endpoint = 0;
  using Wire = Request<kRegisterSpec, ServiceName<&RegisterRequest::name>,
                       MovedHandle<&RegisterRequest::endpoint>>;
};
// kOk, kBusy (another server has the name), kNoSlots (init's table is full),
// kBadValue (a malformed request).
using RegisterReply = StatusReply<kRegisterSpec>;

// --- lookup: an endpoint by name ------------------------------------------------------------

struct LookupRequest {
  char name[kMaxNameLength + 1] = {};
  using Wire = Request<kLookupSpec, ServiceName<&LookupRequest::name>>;
};
struct LookupReply {
  // kOk, kNotFound (not registered yet: servers start in parallel, so retry),
  // kBadValue, or why init could not duplicate the endpoint (ipc/kernel_status.h).
  ProtocolStatus status = ProtocolStatus::kOk;
  abi::Handle endpoint = 0;  // kOk: the service's endpoint (write + grant)
  using Wire = Reply<kLookupSpec, MovedHandle<&LookupReply::endpoint>>;
};

// --- get_arguments: the manifest line's args= text ------------------------------------------

struct GetArgumentsRequest {
  using Wire = Request<kGetArgumentsSpec>;
};
struct GetArgumentsReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  ByteView arguments{};  // up to kMaxArgumentsLength bytes, no NUL
  using Wire = Reply<kGetArgumentsSpec, Bytes<&GetArgumentsReply::arguments, kMaxArgumentsLength>>;
};

// --- startup_done: is init's start-up over? ------------------------------------------------

// kOk once every other server of the manifest has registered a name or ended. While some are
// still starting, init keeps the call (a reply object) for up to `wait_ticks` and answers it
// the moment the last one comes up, so the asker neither polls nor waits a tick too long;
// kWouldBlock if the wait runs out first, at once for a wait of 0, and at once should init
// have no reply object free or keep a call of the same server's already (the asker then asks
// again). The shell asks before its first prompt, so that the start-up log lines come before
// it; the wait is its bound.
constexpr uint64_t kMaxStartupWaitTicks = uint64_t{1} << 20;  // 17 min at 1000 Hz
struct StartupDoneRequest {
  uint64_t wait_ticks = 0;  // 0 .. kMaxStartupWaitTicks
  using Wire =
      Request<kStartupDoneSpec, Bounded<&StartupDoneRequest::wait_ticks, 0, kMaxStartupWaitTicks>>;
};
using StartupDoneReply = StatusReply<kStartupDoneSpec>;

}  // namespace bm::ipc
