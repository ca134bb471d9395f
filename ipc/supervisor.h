// init's supervisor protocol: what a shell needs to see and steer the
// servers (grants, kill, halt, reboot). Requests go to init's bootstrap
// endpoint, the handle every server gets as main's argument, but init
// answers them only for servers whose manifest line says control=yes
// (docs/manifest.md); any other caller gets kNoRights. Labels start at 0x11
// so they never meet the bootstrap labels (1..4, ipc/bootstrap.h).
//
//   kListServers  w0 = index (0, 1, ... in manifest order)
//     reply: w0 = Status (kOk, or kInvalidArgument past the last server)
//            w1 = kernel task id (0 while the server is not running)
//            w2 = ServerFlag bits | priority << 8 | restart count << 32
//            w3 = number of grants N (0..kMaxListedGrants)
//            w4..w7 = module name, packed as pack_name does (ipc/names.h)
//            w8 + 2i, w9 + 2i = grant i: kind << 56 | detail, count
//              (GrantKind and details as kGetGrant reports them, in the same
//              order: port ranges, IRQ lines, VGA memory, module images)
//            8 + 2N words; words 4 and up travel in the IPC buffer
//   kKillServer   w0 = task id (as kListServers and thread_list report it)
//     reply: w0 = Status: kOk (init ended the task with task_kill, as a crash
//            would end it: restarted if its line says restart=yes, within the
//            crash-loop limit), kNotFound (no running server has that id),
//            kNoRights (init's own id: init cannot die)
//   kStopServer   w0 = task id
//     reply: as kKillServer, but the server stays stopped
//   kRestartServer w0 = manifest index (as kListServers: a stopped server has
//     no task id). Stops the server if it runs, then starts it, whatever its
//     restart= says. reply: kOk, kInvalidArgument past the last server, or
//     kNotFound if the start failed (init logs why). A caller that restarts
//     itself gets no reply: its new instance starts instead.
//   kPower        w0 = bm::abi::PowerAction (lib/abi/power.h)
//     init calls system_power; there is a reply only if it returned:
//     w0 = its Status (kInvalidArgument for an unknown action)
//
// Every request must carry exactly one word, else kInvalidArgument (checked
// after the control right). A handle sent along is closed. Replies are one
// word unless said otherwise.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/bootstrap.h"
#include "ipc/names.h"

namespace bm::ipc {

enum SupervisorLabel : uint32_t {
  kListServers = 0x11,
  kKillServer = 0x12,
  kPower = 0x13,
  kStopServer = 0x14,
  kRestartServer = 0x15,
};

constexpr bool is_supervisor_label(uint32_t label) {
  return label >= kListServers && label <= kRestartServer;
}

constexpr uint32_t kSupervisorRequestWords = 1;

// A manifest line grants at most 8 port ranges, 4 IRQs, VGA memory and 4
// modules (lib/manifest/manifest.h).
constexpr uint32_t kMaxListedGrants = 18;
constexpr uint32_t kListReplyHeaderWords = 8;
constexpr uint32_t kMaxListReplyWords = kListReplyHeaderWords + 2 * kMaxListedGrants;

enum ServerFlag : uint64_t {
  kServerRunning = 1u << 0,  // started and not seen to end (fault or kill)
  kServerRestart = 1u << 1,  // restart=yes
  kServerControl = 1u << 2,  // control=yes
};

// One grant as kListServers reports it: what, never a handle.
struct GrantInfo {
  GrantKind kind;
  uint64_t detail;  // first port, IRQ line, physical address or image bytes
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

constexpr bool is_grant_kind(uint64_t kind) {
  return kind >= static_cast<uint64_t>(GrantKind::kIoPorts) &&
         kind <= static_cast<uint64_t>(GrantKind::kMemoryPool);
}

// Writes the kOk reply's words into words[0 .. return value). False (and 0
// words) if the entry cannot be encoded: too many grants, a detail over 56
// bits, an unknown kind or a malformed name.
constexpr uint32_t encode_server_entry(const ServerEntry& entry,
                                       uint64_t (&words)[kMaxListReplyWords]) {
  if (entry.grant_count > kMaxListedGrants) return 0;
  uint64_t name[4] = {};
  if (!pack_name(entry.module, name)) return 0;
  words[0] = 0;  // Status::kOk
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

}  // namespace bm::ipc
