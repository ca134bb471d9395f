// The supervisor protocol: checks the caller's control right and the word
// count, then lists, kills, stops, restarts or passes a power request to the kernel.
#include "servers/init/supervisor.h"

#include "ipc/supervisor.h"
#include "lib/abi/power.h"
#include "lib/fmt/string.h"
#include "user/print.h"
#include "user/syscalls.h"

namespace init {
namespace {

using bm::abi::Status;
using bm::ipc::GrantInfo;
using bm::ipc::GrantKind;

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
  for (size_t i = 0; i < entry.module_count; ++i) {
    uint64_t bytes = module_bytes(boot, entry.modules[i]);
    out[count++] = {GrantKind::kModule, bytes, bytes};
  }
  if (entry.pool_pages != 0) {
    out[count++] = {GrantKind::kMemoryPool, entry.pool_pages, entry.pool_pages};
  }
  return count;
}

void set_word(user::Message* reply, uint32_t index, uint64_t value) {
  if (index < bm::abi::kRegisterWords) {
    reply->word[index] = value;
  } else {
    user::ipc_buffer()->words[index - bm::abi::kRegisterWords] = value;
  }
}

Status list_server(const SupervisorContext& context, uint64_t index, user::Message* reply) {
  if (index >= context.server_count) return Status::kInvalidArgument;
  const ServerState& server = context.servers[index];
  bm::ipc::ServerEntry entry{};
  for (size_t i = 0; i < bm::manifest::kNameLength && server.entry->module[i] != '\0'; ++i) {
    entry.module[i] = server.entry->module[i];
  }
  entry.task_id = server.running ? server.task_id : 0;
  entry.flags = (server.running ? bm::ipc::kServerRunning : 0) |
                (server.entry->restart ? bm::ipc::kServerRestart : 0) |
                (server.entry->control ? bm::ipc::kServerControl : 0);
  entry.priority = server.entry->priority;
  entry.restarts = server.restart_policy.restarts();
  entry.grant_count = list_grants(*server.entry, *context.boot, entry.grants);
  uint64_t words[bm::ipc::kMaxListReplyWords] = {};
  uint32_t count = bm::ipc::encode_server_entry(entry, words);
  if (count == 0) return Status::kInvalidArgument;  // not reached: the manifest was checked
  reply->words = count;
  for (uint32_t i = 0; i < count; ++i) set_word(reply, i, words[i]);
  return Status::kOk;
}

ServerState* running_server(const SupervisorContext& context, uint64_t task_id) {
  for (size_t i = 0; i < context.server_count; ++i) {
    ServerState& server = context.servers[i];
    if (server.running && server.task_id != 0 && server.task_id == task_id) return &server;
  }
  return nullptr;
}

// kKillServer (a crash on request: restart=yes brings it back) or kStopServer (for good).
Status end_server(const SupervisorContext& context, uint64_t task_id, bool stop) {
  if (task_id == context.own_task_id) return Status::kNoRights;
  ServerState* server = running_server(context, task_id);
  if (server == nullptr) return Status::kNotFound;
  user::printf("init: %s %s (task %lu) on request\n", stop ? "stopping" : "killing",
               server->entry->module, task_id);
  if (stop) {
    context.stop_server(*server);
  } else {
    context.kill_server(*server, "killed on request");
  }
  return Status::kOk;
}

Status restart_server(const SupervisorContext& context, uint64_t index) {
  if (index >= context.server_count) return Status::kInvalidArgument;
  ServerState& server = context.servers[index];
  user::printf("init: restarting %s on request\n", server.entry->module);
  return context.restart_server(server) ? Status::kOk : Status::kNotFound;
}

}  // namespace

void on_supervisor_request(const SupervisorContext& context, const user::Message& request,
                           const ServerState* caller, user::Message* reply) {
  *reply = user::Message{};
  reply->words = 1;
  if (request.has_handle) (void)user::handle_close(request.handle);
  Status status = Status::kInvalidArgument;
  if (caller == nullptr || !caller->entry->control) {
    status = Status::kNoRights;
  } else if (request.words != bm::ipc::kSupervisorRequestWords) {
    status = Status::kInvalidArgument;
  } else if (request.label == bm::ipc::kListServers) {
    status = list_server(context, request.word[0], reply);
  } else if (request.label == bm::ipc::kKillServer || request.label == bm::ipc::kStopServer) {
    status = end_server(context, request.word[0], request.label == bm::ipc::kStopServer);
  } else if (request.label == bm::ipc::kRestartServer) {
    status = restart_server(context, request.word[0]);
  } else if (request.label == bm::ipc::kPower) {
    user::printf("init: %s asks for power action %lu\n", caller->entry->module, request.word[0]);
    // The kernel checks the action; it returns only if it refused.
    status = user::system_power(static_cast<bm::abi::PowerAction>(request.word[0])).error();
  }
  if (status != Status::kOk) reply->words = 1;
  reply->word[0] = static_cast<uint64_t>(status);
}

}  // namespace init
