// init's supervisor protocol (labels 0x11..0x15): what a shell needs to see and steer the
// servers (grants, kill, stop, restart, halt, reboot). Requests go to init's bootstrap
// endpoint, the handle every server gets as main's argument, but init answers them only for
// servers whose manifest line says control=yes (docs/manifest.md); any other caller gets
// kNoRights. The conventions are the bootstrap protocol's (ipc/bootstrap.h): w0 of a reply is
// a ProtocolStatus, a failed reply is that word alone. Every request is exactly one word,
// checked after the control right; a handle sent along is closed. init
// (servers/init/supervisor.cpp) and the runtime (user/supervisor_client.cpp) use the codecs
// below; docs/protocols.md describes every message.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/bootstrap.h"
#include "ipc/names.h"
#include "ipc/wire_codec.h"
#include "lib/abi/power.h"

namespace bm::ipc {

// A manifest line grants at most 8 port ranges, 4 IRQs, VGA memory, the framebuffer, 4
// modules and a pool (lib/manifest/manifest.h).
constexpr uint32_t kMaxListedGrants = 19;
constexpr uint32_t kListReplyHeaderWords = 8;
constexpr uint32_t kMaxListReplyWords = kListReplyHeaderWords + 2 * kMaxListedGrants;

// X(Name, label, "name", request words min, max, kOk reply words min, max, kMovesHandles). Labels
// start at 0x11 so they never meet the bootstrap labels (1..4).
#define BM_SUPERVISOR_MESSAGES(X)                                                       \
  X(ListServers, 0x11, "list_servers", 1, 1, kListReplyHeaderWords, kMaxListReplyWords, \
    kMovesHandles)                                                                      \
  X(KillServer, 0x12, "kill_server", 1, 1, 1, 1, kMovesHandles)                         \
  X(Power, 0x13, "power", 1, 1, 1, 1, kMovesHandles)                                    \
  X(StopServer, 0x14, "stop_server", 1, 1, 1, 1, kMovesHandles)                         \
  X(RestartServer, 0x15, "restart_server", 1, 1, 1, 1, kMovesHandles)

BM_DEFINE_MESSAGES(BM_SUPERVISOR_MESSAGES, SupervisorLabel, kSupervisorMessages)

constexpr bool is_supervisor_label(uint32_t label) {
  return label >= kListServers && label <= kRestartServer;
}

enum ServerFlag : uint64_t {
  kServerRunning = 1u << 0,  // started and not seen to end (fault or kill)
  kServerRestart = 1u << 1,  // restart=yes
  kServerControl = 1u << 2,  // control=yes
};

// One grant as kListServers reports it: what, never a handle.
struct GrantInfo {
  GrantKind kind;
  uint64_t detail;  // first port, IRQ line, physical address (device memory, framebuffer)
                    // or image bytes
  uint64_t count;   // ports or bytes (1 for an IRQ)
};

// One kListServers reply, decoded.
struct ServerEntry {
  char module[kMaxNameLength + 1];
  uint32_t task_id;
  uint64_t flags;  // ServerFlag bits
  uint8_t priority;
  uint32_t restarts;
  uint32_t grant_count;
  GrantInfo grants[kMaxListedGrants];
};

constexpr uint64_t kGrantDetailMask = (1ull << 56) - 1;

// The words of a kOk list_servers reply (layout in docs/protocols.md):
//   w0 = kOk, w1 = kernel task id (0 while the server is not running),
//   w2 = ServerFlag bits | priority << 8 | restart count << 32,
//   w3 = number of grants N, w4..w7 = module name (pack_name),
//   w8 + 2i, w9 + 2i = grant i: kind << 56 | detail, count.
// Writes words[0 .. return value) (room for kMaxListReplyWords). 0 if the entry cannot be
// encoded: too many grants, a detail over 56 bits, an unknown kind or a malformed name.
constexpr uint32_t encode_server_entry(const ServerEntry& entry, uint64_t* words) {
  if (entry.grant_count > kMaxListedGrants) return 0;
  uint64_t name[4] = {};
  if (!pack_name(entry.module, name)) return 0;
  words[0] = 0;  // ProtocolStatus::kOk
  words[1] = entry.task_id;
  words[2] = (entry.flags & 0xff) | static_cast<uint64_t>(entry.priority) << 8 |
             static_cast<uint64_t>(entry.restarts) << 32;
  words[3] = entry.grant_count;
  for (uint32_t i = 0; i < 4; ++i) words[4 + i] = name[i];
  for (uint32_t i = 0; i < entry.grant_count; ++i) {
    const GrantInfo& grant = entry.grants[i];
    auto kind = static_cast<uint64_t>(grant.kind);
    if (!is_grant_kind(kind) || grant.detail > kGrantDetailMask) return 0;
    words[kListReplyHeaderWords + 2 * i] = kind << 56 | grant.detail;
    words[kListReplyHeaderWords + 2 * i + 1] = grant.count;
  }
  return kListReplyHeaderWords + 2 * entry.grant_count;
}

// Reads a kOk reply of `count` words. False for anything malformed: a word
// count that does not match the grant count, an unknown grant kind or flag,
// a task id over 32 bits or a bad name. *out may be partly written then.
constexpr bool decode_server_entry(const uint64_t* words, uint32_t count, ServerEntry* out) {
  if (count < kListReplyHeaderWords || words[0] != 0) return false;
  uint64_t grants = words[3];
  if (grants > kMaxListedGrants || count != kListReplyHeaderWords + 2 * grants) return false;
  if (words[1] > 0xffffffffull) return false;
  if ((words[2] & 0xff) &
      ~static_cast<uint64_t>(kServerRunning | kServerRestart | kServerControl)) {
    return false;
  }
  if ((words[2] >> 16 & 0xffff) != 0) return false;  // reserved bits 16-31
  uint64_t name[4] = {words[4], words[5], words[6], words[7]};
  if (!unpack_name(name, out->module)) return false;
  for (uint64_t i = 0; i < grants; ++i) {
    uint64_t kind = words[kListReplyHeaderWords + 2 * i] >> 56;
    if (!is_grant_kind(kind)) return false;
    out->grants[i] = {static_cast<GrantKind>(kind),
                      words[kListReplyHeaderWords + 2 * i] & kGrantDetailMask,
                      words[kListReplyHeaderWords + 2 * i + 1]};
  }
  out->task_id = static_cast<uint32_t>(words[1]);
  out->flags = words[2] & 0xff;
  out->priority = static_cast<uint8_t>(words[2] >> 8);
  out->restarts = static_cast<uint32_t>(words[2] >> 32);
  out->grant_count = static_cast<uint32_t>(grants);
  return true;
}

// --- requests: one word each, whose values are init's to judge (an index past the last server,
// an unknown task id or power action get their error replies) ------------------------------

// A request naming a server by its place in the manifest (0, 1, ...; kBadValue past the
// last), or a running one by its kernel task id.
template <const MessageSpec& kSpec>
struct ServerIndexRequest {
  uint64_t index = 0;
  using Wire = Request<kSpec, Word<&ServerIndexRequest::index>>;
};
template <const MessageSpec& kSpec>
struct TaskIdRequest {
  uint64_t task_id = 0;
  using Wire = Request<kSpec, Word<&TaskIdRequest::task_id>>;
};

// list_servers: server number `index`, as the reply below says.
using ListServersRequest = ServerIndexRequest<kListServersSpec>;
// kill_server: end the running server with this kernel task id as a crash would (restarted
// if its line says restart=yes). kNotFound: no running server has the id; kNoRights: init's.
using KillServerRequest = TaskIdRequest<kKillServerSpec>;
// stop_server: as kill_server, but the server stays stopped.
using StopServerRequest = TaskIdRequest<kStopServerSpec>;
// restart_server: stop server number `index` if it runs, then start it, whatever its
// restart= says. kNotFound if the start failed.
using RestartServerRequest = ServerIndexRequest<kRestartServerSpec>;
// power: halt or reboot. init passes the action to system_power, which checks it; there is a
// reply only if that returned (its status).
struct PowerRequest {
  abi::PowerAction action = abi::PowerAction::kHalt;
  using Wire = Request<kPowerSpec, Word<&PowerRequest::action>>;
};

// The list_servers reply's words are the entry codec's above.
struct ListServersReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  ServerEntry entry{};  // kOk only
  using Wire = Reply<kListServersSpec,
                     Irregular<&ListServersReply::entry, encode_server_entry, decode_server_entry,
                               kListReplyHeaderWords - 1, kMaxListReplyWords - 1>>;
};
using KillServerReply = StatusReply<kKillServerSpec>;
using StopServerReply = StatusReply<kStopServerSpec>;
using RestartServerReply = StatusReply<kRestartServerSpec>;
using PowerReply = StatusReply<kPowerSpec>;

}  // namespace bm::ipc
