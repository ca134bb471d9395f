// The supervisor protocol: checks the caller's control right and decodes the request, then
// lists, kills, stops, restarts or passes a power request on, all through the context, so
// host tests (test/host/init) drive this dispatch with encoded messages.
#include "servers/init/supervisor.h"

#include "ipc/dispatch.h"
#include "ipc/kernel_status.h"
#include "ipc/supervisor.h"
#include "lib/abi/power.h"
#include "lib/fmt/string.h"

namespace init {
namespace {

using bm::ipc::GrantInfo;
using bm::ipc::GrantKind;
using bm::ipc::ProtocolStatus;

static_assert(bm::ipc::kMaxListedGrants == kMaxGrants);
static_assert(bm::manifest::kNameLength <= bm::ipc::kMaxNameLength + 1);

uint64_t module_bytes(const bm::abi::InitBootInfo& boot, const char* name) {
  for (uint32_t m = 0; m < boot.module_count; ++m) {
    if (bm::string_equal(boot.modules[m].name, name)) return boot.modules[m].size;
  }
  return 0;  // not on the ISO: the server cannot have started
}

// What the manifest line grants, in kGetGrant's order (docs/manifest.md),
// whether the server runs or not: `grants` shows the policy, not handles.
uint32_t list_grants(const bm::manifest::Server& entry, const bm::abi::InitBootInfo& boot,
                     GrantInfo* out) {
  uint32_t count = 0;
  for (size_t i = 0; i < entry.port_count; ++i) {
    out[count++] = {GrantKind::kIoPorts, entry.ports[i].first, entry.ports[i].count};
  }
  for (size_t i = 0; i < entry.irq_count; ++i) out[count++] = {GrantKind::kIrq, entry.irqs[i], 1};
  if (entry.vga_memory) out[count++] = {GrantKind::kDeviceMemory, kVgaTextPhysical, kVgaTextBytes};
  // Listed like device memory (where and how much): the geometry words of the grant itself
  // would not fit the list's 56-bit detail.
  if (entry.framebuffer_memory) {
    out[count++] = {GrantKind::kFramebuffer, boot.framebuffer_geometry.physical,
                    boot.framebuffer_geometry.size};
  }
  for (size_t i = 0; i < entry.module_count; ++i) {
    uint64_t bytes = module_bytes(boot, entry.modules[i]);
    out[count++] = {GrantKind::kModule, bytes, bytes};
  }
  if (entry.pool_pages != 0) {
    out[count++] = {GrantKind::kMemoryPool, entry.pool_pages, entry.pool_pages};
  }
  return count;
}

bm::ipc::ListServersReply list_server(const SupervisorContext& context, uint64_t index) {
  bm::ipc::ListServersReply reply;
  if (index >= context.server_count) return {ProtocolStatus::kBadValue};
  const ServerState& server = context.servers[index];
  bm::ipc::ServerEntry& entry = reply.entry;
  for (size_t i = 0; i < bm::manifest::kNameLength && server.entry->module[i] != '\0'; ++i) {
    entry.module[i] = server.entry->module[i];
  }
  entry.task_id = server.running ? server.task_id : 0;
  entry.flags = 0;
  if (server.running) entry.flags |= bm::ipc::kServerRunning;
  if (server.entry->restart) entry.flags |= bm::ipc::kServerRestart;
  if (server.entry->control) entry.flags |= bm::ipc::kServerControl;
  entry.priority = server.entry->priority;
  entry.restarts = server.restart_policy.restarts();
  entry.grant_count = list_grants(*server.entry, *context.boot, entry.grants);
  return reply;
}

ServerState* running_server(const SupervisorContext& context, uint64_t task_id) {
  for (size_t i = 0; i < context.server_count; ++i) {
    ServerState& server = context.servers[i];
    if (server.running && server.task_id != 0 && server.task_id == task_id) return &server;
  }
  return nullptr;
}

// kKillServer (a crash on request: restart=yes brings it back) or kStopServer (for good).
ProtocolStatus end_server(const SupervisorContext& context, uint64_t task_id, bool stop) {
  if (task_id == context.own_task_id) return ProtocolStatus::kNoRights;
  ServerState* server = running_server(context, task_id);
  if (server == nullptr) return ProtocolStatus::kNotFound;
  context.log("init: %s %s (task %lu) on request\n", stop ? "stopping" : "killing",
              server->entry->module, task_id);
  if (stop) {
    context.stop_server(*server);
  } else {
    context.kill_server(*server, "killed on request");
  }
  return ProtocolStatus::kOk;
}

ProtocolStatus restart_server(const SupervisorContext& context, uint64_t index) {
  if (index >= context.server_count) return ProtocolStatus::kBadValue;
  ServerState& server = context.servers[index];
  context.log("init: restarting %s on request\n", server.entry->module);
  return context.restart_server(server) ? ProtocolStatus::kOk : ProtocolStatus::kNotFound;
}

}  // namespace

void on_supervisor_request(const SupervisorContext& context, const bm::ipc::WireMessage& request,
                           const ServerState* caller, bm::ipc::WireMessage* reply) {
  if (request.has_handle) context.close(request.handle);
  if (caller == nullptr || !caller->entry->control) {
    bm::ipc::encode_status_reply(request.label, ProtocolStatus::kNoRights, reply);
    return;
  }
  using namespace bm::ipc;
  ProtocolStatus decoded = dispatch(
      request, reply,
      [&](const ListServersRequest& list) { return list_server(context, list.index); },
      [&](const KillServerRequest& kill) { return end_server(context, kill.task_id, false); },
      [&](const StopServerRequest& stop) { return end_server(context, stop.task_id, true); },
      [&](const RestartServerRequest& restart) { return restart_server(context, restart.index); },
      [&](const PowerRequest& power) {
        context.log("init: %s asks for power action %lu\n", caller->entry->module,
                    static_cast<uint64_t>(power.action));
        // The kernel checks the action; it returns only if it refused.
        return from_kernel(context.power(power.action));
      });
  // As in the bootstrap protocol, a request init cannot read gets kBadValue alone.
  if (decoded != ProtocolStatus::kOk) {
    encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
  }
}

}  // namespace init
