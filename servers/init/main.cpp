// init: the root task. It receives every delegable resource from the kernel
// (lib/abi/init_boot_info.h), starts the servers listed in the manifest with
// exactly the grants their line names, answers their bootstrap requests,
// keeps the name service, handles their faults (log, kill, restart), serves the supervisor
// protocol to servers with control=yes, and starts programs for them (ipc/programs.h).
#include "ipc/bootstrap.h"
#include "ipc/client_admin.h"
#include "ipc/kernel_status.h"
#include "ipc/memd_admin.h"
#include "ipc/names.h"
#include "ipc/programs.h"
#include "ipc/supervisor.h"
#include "lib/abi/init_boot_info.h"
#include "lib/fmt/format.h"
#include "lib/fmt/string.h"
#include "lib/manifest/manifest.h"
#include "servers/init/boot_modules.h"
#include "servers/init/bootstrap_service.h"
#include "servers/init/grants.h"
#include "servers/init/heartbeat_monitor.h"
#include "servers/init/name_registry.h"
#include "servers/init/program_runner.h"
#include "servers/init/server_state.h"
#include "servers/init/startup.h"
#include "servers/init/startup_timer.h"
#include "servers/init/supervisor.h"
#include "servers/init/system_module_memory.h"
#include "user/heap.h"
#include "user/ipc.h"
#include "user/print.h"
#include "user/program_loader.h"
#include "user/protocol_client.h"
#include "user/protocol_server.h"
#include "user/reply_pool.h"
#include "user/syscalls.h"
#include "user/tsc.h"

namespace {

using bm::abi::Handle;
using bm::abi::Status;
using bm::ipc::ProtocolStatus;

// Where init maps the manifest module to read it.
constexpr uint64_t kManifestAddress = 0x0000600000000000;
constexpr const char* kManifestModule = "manifest";

using init::ServerState;

const bm::abi::InitBootInfo* boot;  // init's own copy, boot_copy, once main has made it
bm::abi::InitBootInfo boot_copy;     // the kernel's page with the compressed modules inflated
bm::manifest::Manifest manifest;
ServerState servers[bm::manifest::kMaxServers];
init::NameRegistry names;
Handle service_endpoint;
// startup_done calls kept until start-up is over (servers/init/startup.h), the reply objects
// they are kept in, and the notification that tells the start-up timer a call was kept.
init::StartupWaiters startup_waiters;
user::ReplyPool<init::StartupWaiters::kCapacity> startup_replies;
Handle startup_timer_armed = 0;

// Badges tell init which server calls: server i holds badge i + 1.
uint64_t badge_of(size_t index) { return index + 1; }
ServerState* server_for(uint64_t badge) {
  if (badge == 0 || badge > manifest.server_count) return nullptr;
  return &servers[badge - 1];
}

const bm::abi::InitBootModule* find_module(const char* name) {
  for (uint32_t i = 0; i < boot->module_count; ++i) {
    if (bm::string_equal(boot->modules[i].name, name)) return &boot->modules[i];
  }
  return nullptr;
}

bool load_manifest() {
  const bm::abi::InitBootModule* module = find_module(kManifestModule);
  if (module == nullptr) {
    user::printf("init: no manifest module: starting no servers\n");
    return false;
  }
  Status mapped =
      user::memory_map(bm::abi::kOwnAddressSpace, module->image, kManifestAddress, 0).error();
  if (mapped != Status::kOk) {
    user::printf("init: cannot map the manifest: %s\n", bm::abi::status_text(mapped));
    return false;
  }
  bm::manifest::ParseError error{0, ""};
  auto parsed = bm::manifest::parse(reinterpret_cast<const char*>(kManifestAddress), module->size,
                                    &manifest, &error);
  if (!parsed) {
    user::printf("init: manifest line %zu: %s: starting no servers\n", error.line, error.reason);
    manifest.server_count = 0;
    return false;
  }
  return true;
}

void describe_grants(const ServerState& server, char* text, size_t size) {
  size_t used = 0;
  text[0] = '\0';
  for (size_t i = 0; i < server.grants.count && used + 1 < size; ++i) {
    const init::Grant& grant = server.grants.grants[i];
    const char* separator = i == 0 ? "" : ", ";
    size_t n = 0;
    switch (grant.kind) {
      case bm::ipc::GrantKind::kIoPorts:
        n = bm::snprintf(text + used, size - used, "%sports %#lx:%lu", separator, grant.detail,
                         grant.count);
        break;
      case bm::ipc::GrantKind::kIrq:
        n = bm::snprintf(text + used, size - used, "%sirq %lu", separator, grant.detail);
        break;
      case bm::ipc::GrantKind::kDeviceMemory:
        n = bm::snprintf(text + used, size - used, "%smemory %#lx", separator, grant.detail);
        break;
      case bm::ipc::GrantKind::kModule:
        n = bm::snprintf(text + used, size - used, "%smodule (%lu bytes)", separator, grant.detail);
        break;
      case bm::ipc::GrantKind::kMemoryPool:
        n = bm::snprintf(text + used, size - used, "%spool of %lu pages", separator, grant.detail);
        break;
      case bm::ipc::GrantKind::kFramebuffer:
        n = bm::snprintf(text + used, size - used, "%sframebuffer", separator);
        break;
    }
    used += n;
  }
  if (server.grants.count == 0) bm::snprintf(text, size, "no grants");
}

// Copies the kernel's boot information and inflates the compressed modules in the copy
// (servers/init/boot_modules.h), before anything reads a module.
void take_boot_info(const bm::abi::InitBootInfo& from_kernel) {
  boot_copy = from_kernel;
  boot = &boot_copy;
  uint64_t started = user::read_tsc();
  init::SystemModuleMemory memory;
  init::InflateCount count = init::inflate_boot_modules(&boot_copy, memory, user::printf);
  if (count.inflated + count.dropped != 0) {
    user::printf("init: inflated %u of %u compressed module(s) in %lu TSC ticks\n",
                 count.inflated, count.inflated + count.dropped, user::read_tsc() - started);
  }
}

uint64_t now_ms() {
  uint64_t hz = user::system_value(bm::abi::SystemInfo::kTimerHz);
  return hz == 0 ? 0 : user::system_value(bm::abi::SystemInfo::kTicks) * 1000 / hz;
}

// False (logged) if the server could not be started.
bool start_server(size_t index) {
  ServerState& server = servers[index];
  const bm::manifest::Server& entry = *server.entry;
  if (!init::boot_has_screen_for(entry, *boot)) return false;
  const bm::abi::InitBootModule* module = find_module(entry.module);
  if (module == nullptr) {
    user::printf("init: %s: no such boot module, not started\n", entry.module);
    return false;
  }
  if (!init::prepare_grants(entry, *boot, &server.grants)) return false;
  server.grants_given = 0;
  // Closed on return: the task gets its own copy.
  auto badged = user::handle_duplicate(
      service_endpoint, bm::abi::kRightWrite | bm::abi::kRightGrant, badge_of(index));
  if (!badged.ok()) {
    user::printf("init: %s: no bootstrap handle: %s\n", entry.module,
                 bm::abi::status_text(badged.error()));
    init::drop_grants(&server.grants);
    return false;
  }
  size_t name_length = 0;
  while (entry.module[name_length] != '\0') ++name_length;
  user::ProgramSpec program{.image = module->image,
                            .image_bytes = module->size,
                            .name = entry.module,
                            .name_length = name_length,
                            .priority = entry.priority,
                            .bootstrap = badged->get(),
                            .frame_limit = entry.frame_limit};
  const char* reason = "";
  auto task = user::load_program(program, &reason);
  if (!task.ok()) {
    if (task.error() == bm::ipc::ProtocolStatus::kBadImage) {
      user::printf("init: refused module %s: %s\n", entry.module, reason);
    } else {
      user::printf("init: %s: not started: %s (%s)\n", entry.module,
                   bm::ipc::protocol_status_text(task.error()), reason);
    }
    init::drop_grants(&server.grants);
    return false;
  }
  server.task = task->task.release();  // stop_server closes it
  server.task_id = task->id;
  server.running = true;
  server.registered_a_name = false;
  ++server.generation;
  char grants[160];
  describe_grants(server, grants, sizeof(grants));
  user::printf("init: started %s (priority %u): %s\n", entry.module, entry.priority, grants);
  return true;
}

namespace client_admin = bm::ipc::client_admin;

// Closes one server's handles to the services it was introduced to.
void close_client_handles(ServerState& server, size_t first, size_t last) {
  for (size_t service = first; service < last; ++service) {
    if (server.client_handles[service] != 0) {
      (void)user::handle_close(server.client_handles[service]);
      server.client_handles[service] = 0;
    }
  }
}

void stop_server(ServerState& server) {
  close_client_handles(server, 0, client_admin::kIntroducedServiceCount);
  if (server.task != 0) {
    (void)user::task_kill(server.task);
    (void)user::handle_close(server.task);
  }
  if (server.heartbeat_endpoint != 0) {
    (void)user::handle_close(server.heartbeat_endpoint);
    server.heartbeat_endpoint = 0;
  }
  server.task = 0;
  server.task_id = 0;
  server.running = false;
  init::drop_grants(&server.grants);
  // Whatever ended the server ends the programs it started: nobody is left to wait for them.
  init::end_programs_of(badge_of(static_cast<size_t>(&server - servers)));
}

size_t index_of(const ServerState& server) { return static_cast<size_t>(&server - servers); }

// `provider` ended: every server's handle to a service it registered (ipc/client_admin.h)
// names a dead endpoint, so they go, and a client's next look-up introduces it to the new
// instance (which has no clients yet).
void forget_clients_of(const ServerState& provider) {
  uint64_t owner = badge_of(index_of(provider));
  for (size_t service = 0; service < client_admin::kIntroducedServiceCount; ++service) {
    if (!names.owned_by(client_admin::kIntroducedServices[service], owner)) continue;
    for (size_t i = 0; i < manifest.server_count; ++i) {
      close_client_handles(servers[i], service, service + 1);
    }
    init::forget_program_clients_of(service);
  }
}

// A supervisor's stop: the server ends and stays stopped; its names go.
void stop_server_on_request(ServerState& server) {
  stop_server(server);
  forget_clients_of(server);
  names.forget_owner(badge_of(index_of(server)));
}

// A fault, a kill or missed heartbeats: the server ends, and starts again if its line says
// restart=yes and it is not crash-looping (servers/init/restart_policy.h).
void end_server(ServerState& server, const char* why) {
  uint64_t ended = user::read_tsc();
  stop_server(server);
  forget_clients_of(server);
  names.forget_owner(badge_of(index_of(server)));
  const char* module = server.entry->module;
  if (!server.entry->restart) return;
  if (!server.restart_policy.allow_restart(now_ms())) {
    user::printf("init: %s %s, and restarted %u times in %lu s: not restarting it\n", module, why,
                 init::kMaxRestartsInWindow, init::kRestartWindowMs / 1000);
    return;
  }
  user::printf("init: %s %s: restarting it (restart %u)\n", module, why,
               server.restart_policy.restarts());
  if (start_server(index_of(server))) server.ended_tsc = ended;
}

// `restart` in the shell: whatever restart= says, and whatever the crash history.
bool restart_server_on_request(ServerState& server) {
  if (server.running) stop_server_on_request(server);
  server.restart_policy.record_requested_restart();
  return start_server(index_of(server));
}

// A fault report from the kernel: log it, end the task, restart if wanted.
void on_fault(const user::Message& message) {
  if (init::ProgramTable::is_program_badge(message.badge)) {
    init::on_program_fault(message);
    return;
  }
  ServerState* server = server_for(message.badge);
  uint64_t vector = message.word[1] >> 32;
  uint64_t error_code = message.word[1] & 0xffffffff;
  user::printf("init: %s faulted: vector %lu error %#lx at rip %#lx cr2 %#lx\n",
               server != nullptr ? server->entry->module : "unknown task", vector, error_code,
               message.word[2], message.word[3]);
  if (server == nullptr) return;
  end_server(*server, "faulted");
}

// Answers the kept startup_done calls that are due: start-up over for the asker (kOk), or
// its wait run out (kWouldBlock). Run after every message, since any of them (a registration,
// a fault, a stop, the start-up timer) may be what makes one due.
void settle_startup_calls() {
  if (startup_waiters.count() == 0) return;
  startup_waiters.settle(servers, manifest.server_count, user::ticks(),
                         [](Handle kept, ProtocolStatus status) {
                           static bm::ipc::WireMessage answer;
                           bm::ipc::encode_status_reply(bm::ipc::kStartupDone, status, &answer);
                           startup_replies.give_back(kept, user::answer_later(kept, answer));
                         });
}

// From init's own heartbeat threads (servers/init/heartbeat_monitor.h) and its start-up timer
// (servers/init/startup_timer.h).
void on_monitor_request(const user::Message& message, user::Message* reply) {
  reply->words = 1;
  reply->word[0] = static_cast<uint64_t>(ProtocolStatus::kBadValue);
  if (message.has_handle) (void)user::handle_close(message.handle);
  if (message.label == init::kStartupTimer) {
    settle_startup_calls();
    reply->words = 2;
    reply->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
    reply->word[1] = startup_waiters.ticks_to_next_deadline(user::ticks());
    return;
  }
  if (message.words < 1 || message.word[0] >= manifest.server_count) return;
  ServerState& server = servers[message.word[0]];
  if (message.label == init::kHeartbeatTarget) {
    reply->word[0] = static_cast<uint64_t>(ProtocolStatus::kNotFound);
    if (!server.running || server.heartbeat_endpoint == 0) return;
    auto copy = user::handle_duplicate(server.heartbeat_endpoint,
                                       bm::abi::kRightWrite | bm::abi::kRightGrant);
    reply->word[0] = static_cast<uint64_t>(bm::ipc::from_kernel(copy.error()));
    if (!copy.ok()) return;
    reply->words = 2;
    reply->word[1] = server.generation;
    reply->has_handle = true;
    reply->handle = copy->release();  // moves to the monitor with the reply
  } else if (message.label == init::kHeartbeatMissed && message.words == 3) {
    reply->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
    if (!server.running || message.word[1] != server.generation) return;  // gone already
    user::printf("init: %s missed two heartbeats (no answer for %lu ticks)\n", server.entry->module,
                 message.word[2]);
    end_server(server, "stopped answering");
  }
}

// A client's handle to an introduced service (ipc/client_admin.h: memd, fs): made the first
// time a server or program asks, by introducing it (task `task`, client id `badge`, named
// `who` in the log) to the service; kept in *cached. The service's registered name must exist
// (kNotFound otherwise); kBusy while the service still holds a restarted client's old
// instance (the client retries), or the service's refusal.
ProtocolStatus client_handle_for(Handle task, uint64_t badge, const char* who, size_t service,
                                 Handle* cached, Handle* out) {
  const char* name = client_admin::kIntroducedServices[service];
  if (*cached == 0) {
    Handle provider = 0;
    ProtocolStatus found = names.lookup(name, &provider);
    if (found != ProtocolStatus::kOk) return found;
    auto client_task = user::handle_duplicate(
        task, bm::abi::kRightRead | bm::abi::kRightManage | bm::abi::kRightGrant);
    ProtocolStatus status = bm::ipc::from_kernel(client_task.error());
    client_admin::AddClientReply reply{ProtocolStatus::kBadValue, 0};
    if (status == ProtocolStatus::kOk) {
      static bm::ipc::WireMessage message;
      client_admin::AddClientRequest request{badge, client_task->get()};
      status = client_admin::encode(request, &message)
                   ? user::call_protocol(provider, message, &message)
                   : ProtocolStatus::kBadValue;
      if (status == ProtocolStatus::kOk) {
        (void)client_task->release();  // it moved to the service (if the call failed, it closes)
        if (client_admin::decode(message, &reply) != ProtocolStatus::kOk) {
          if (message.has_handle) (void)user::handle_close(message.handle);
          status = ProtocolStatus::kBadValue;
        } else {
          status = reply.status;
        }
      }
    }
    (void)user::handle_close(provider);
    if (status != ProtocolStatus::kOk) {
      if (status != ProtocolStatus::kBusy) {
        user::printf("init: %s refused %s: %s\n", name, who,
                     bm::ipc::protocol_status_text(status));
      }
      return status;
    }
    *cached = reply.endpoint;
  }
  auto copy = user::handle_duplicate(*cached, bm::abi::kRightWrite | bm::abi::kRightGrant);
  if (!copy.ok()) return bm::ipc::from_kernel(copy.error());
  *out = copy->release();  // the caller sends it on
  return ProtocolStatus::kOk;
}

// A client's handle to memd: kNotFound when the system has no heap manager (the client keeps
// its local heap) or the client is memd itself (`holds_pool`), kWouldBlock while memd is
// starting or still clearing a restarted server's old heap (the client retries).
ProtocolStatus heap_handle_for(Handle task, uint64_t badge, const char* who, bool holds_pool,
                               size_t service, Handle* cached, Handle* out) {
  bool manager_listed = false;
  for (size_t i = 0; i < manifest.server_count; ++i) {
    manager_listed |= manifest.servers[i].pool_pages != 0;
  }
  if (!manager_listed || holds_pool) return ProtocolStatus::kNotFound;
  ProtocolStatus status = client_handle_for(task, badge, who, service, cached, out);
  // A restarted server has its old id: memd says kBusy until it has seen the old task end.
  if (status == ProtocolStatus::kBusy || status == ProtocolStatus::kNotFound) {
    return ProtocolStatus::kWouldBlock;
  }
  return status;
}

// A look-up of an introduced service by a server or a program (`client_handles`: its cached
// handles, one per service): memd as heap_handle_for says; any other, a handle badged for it,
// kNotFound until the service has seen a restarted client's old task end (the client's
// look-up waits and asks again, as for a name not registered yet).
ProtocolStatus introduced_lookup(Handle task, uint64_t badge, const char* who, bool holds_pool,
                                 size_t service, Handle* client_handles, Handle* out) {
  const char* name = client_admin::kIntroducedServices[service];
  if (bm::string_equal(name, bm::ipc::memd_admin::kServiceName)) {
    return heap_handle_for(task, badge, who, holds_pool, service, &client_handles[service], out);
  }
  ProtocolStatus status = client_handle_for(task, badge, who, service, &client_handles[service], out);
  return status == ProtocolStatus::kBusy ? ProtocolStatus::kNotFound : status;
}

// The index of `name` in client_admin::kIntroducedServices, or the count if it is not one.
size_t introduced_service(const char* name) {
  size_t service = 0;
  while (service < client_admin::kIntroducedServiceCount &&
         !bm::string_equal(name, client_admin::kIntroducedServices[service])) {
    ++service;
  }
  return service;
}

// The bootstrap protocol's registrations and look-ups, over init's name table and memd.
class InitBootstrapActions final : public init::BootstrapActions {
 public:
  ProtocolStatus register_name(ServerState& server, uint64_t badge, const char* name,
                               Handle endpoint) override {
    ProtocolStatus status = names.add(name, endpoint, badge);
    if (status != ProtocolStatus::kOk) {
      close(endpoint);
      return status;
    }
    user::printf("init: %s registered \"%s\"\n", server.entry->module, name);
    server.registered_a_name = true;
    if (server.ended_tsc != 0) {
      // Its loop starts right after it registers: the restart is complete.
      user::printf("init: %s answers again %lu TSC ticks after it ended\n", server.entry->module,
                   user::read_tsc() - server.ended_tsc);
      server.ended_tsc = 0;
    }
    // Heartbeats go to the first endpoint a server registers.
    if (server.heartbeat_endpoint == 0) {
      auto copy = user::handle_duplicate(endpoint, bm::abi::kRightWrite | bm::abi::kRightGrant);
      if (copy.ok()) server.heartbeat_endpoint = copy->release();
    }
    return ProtocolStatus::kOk;
  }

  ProtocolStatus lookup(ServerState& server, uint64_t badge, const char* name,
                        Handle* out) override {
    size_t service = introduced_service(name);
    if (service < client_admin::kIntroducedServiceCount) {
      // The service itself gets its own endpoint, as registered: it is not its own client.
      if (names.owned_by(name, badge)) return names.lookup(name, out);
      return introduced_lookup(server.task, badge, server.entry->module,
                               server.entry->pool_pages != 0, service, server.client_handles,
                               out);
    }
    return names.lookup(name, out);
  }

  bool startup_complete(const ServerState& caller) override {
    return init::startup_complete(servers, manifest.server_count, &caller);
  }

  bool keep_startup_call(ServerState& caller, uint64_t wait_ticks) override {
    if (startup_timer_armed == 0) return false;  // no timer: the caller asks again
    if (!startup_waiters.can_add(&caller)) return false;
    Handle kept = startup_replies.keep_call();
    if (kept == 0) return false;
    (void)startup_waiters.add(kept, &caller, user::ticks() + wait_ticks);  // can_add said yes
    (void)user::notification_signal(startup_timer_armed, 1);
    return true;
  }

  void close(Handle handle) override { (void)user::handle_close(handle); }
};

// A program's look-up: an introduced service's handle badged for it (a program never holds
// memd's pool), any other name as registered.
ProtocolStatus lookup_for_program(Handle task, uint64_t badge, const char* who, const char* name,
                                  Handle* client_handles, Handle* out) {
  size_t service = introduced_service(name);
  if (service < client_admin::kIntroducedServiceCount) {
    return introduced_lookup(task, badge, who, false, service, client_handles, out);
  }
  return names.lookup(name, out);
}

uint32_t server_task_id(uint64_t badge) {
  const ServerState* server = server_for(badge);
  return server != nullptr && server->running ? server->task_id : 0;
}

// Answers one bootstrap, supervisor or program request; the reply goes in `reply`. False when
// the call was kept to be answered later (wait_program): there is nothing to send now.
bool on_request(const bm::ipc::WireMessage& message, uint64_t badge, bm::ipc::WireMessage* reply) {
  ServerState* server = server_for(badge);
  if (bm::ipc::is_program_label(message.label)) {
    return init::serve_program_request(server, badge, message, reply) ==
           init::ProgramAnswer::kAnswered;
  }
  if (init::ProgramTable::is_program_badge(badge) &&
      !bm::ipc::is_supervisor_label(message.label)) {
    init::serve_program_bootstrap(badge, message, reply);
    return true;
  }
  if (bm::ipc::is_supervisor_label(message.label)) {
    init::SupervisorContext context{
        servers,
        manifest.server_count,
        boot,
        user::system_value(bm::abi::SystemInfo::kCurrentTask),
        [](ServerState& target, const char* why) { end_server(target, why); },
        stop_server_on_request,
        restart_server_on_request,
        [](Handle handle) { (void)user::handle_close(handle); },
        // init holds the only power-control capability (InitBootInfo::power).
        [](bm::abi::PowerAction action) {
          return user::system_power(boot->power, action).error();
        },
        user::printf};
    init::on_supervisor_request(context, message, server, reply);
    return true;
  }
  InitBootstrapActions actions;
  return init::on_bootstrap_request(actions, server, badge, message, reply);
}

// Handles one message init's endpoint received: true with the answer in *reply, false when
// there is nobody to answer now (a fault report, a send, a call kept for later).
bool handle(user::Message& message, user::Message* reply) {
  if (message.label == bm::abi::kFaultLabel) {
    on_fault(message);  // the faulting task is gone: nobody to reply to
    return false;
  }
  if (message.badge == init::kProgramWatcherBadge) {
    // A send, not a call: nobody waits for an answer.
    if (message.label == init::kProgramsEnded && message.words == 1) {
      init::on_programs_ended(message.word[0]);
    }
    return false;
  }
  if (message.badge == init::kMonitorBadge) {
    on_monitor_request(message, reply);
    return true;
  }
  // Static: two 4 KiB messages, and only this thread serves the endpoint.
  static bm::ipc::WireMessage request;
  static bm::ipc::WireMessage answer;
  if (user::load_message(message, &request)) {
    if (!on_request(request, message.badge, &answer)) return false;  // kept in a reply object
  } else {
    if (message.has_handle) (void)user::handle_close(message.handle);
    bm::ipc::encode_status_reply(message.label, ProtocolStatus::kBadValue, &answer);
  }
  user::store_message(answer, reply);
  return true;
}

[[noreturn]] void serve() {
  user::Message message;
  Status status = user::receive(service_endpoint, &message);
  for (;;) {
    if (status != Status::kOk) {
      user::printf("init: receive failed: %s\n", bm::abi::status_text(status));
      status = user::receive(service_endpoint, &message);
      continue;
    }
    user::Message reply;
    bool answer_now = handle(message, &reply);
    settle_startup_calls();  // what this message changed may end a kept call's wait
    status = answer_now ? user::answer_and_receive(service_endpoint, reply, &message)
                        : user::receive(service_endpoint, &message);
  }
}

// The reply objects and the timer thread for kept startup_done calls. Without them a
// startup_done is answered at once (kWouldBlock while start-up lasts) and the asker asks again.
void start_startup_timer() {
  auto armed = user::notification_create();
  auto timer_handle =
      user::handle_duplicate(service_endpoint, bm::abi::kRightWrite, init::kMonitorBadge);
  if (!armed.ok() || !timer_handle.ok() || !startup_replies.create()) {
    user::printf("init: startup_done calls are answered at once: no reply objects or timer\n");
    return;
  }
  if (!init::start_startup_timer(timer_handle->get(), armed->get())) return;
  (void)timer_handle->release();  // the thread keeps both
  startup_timer_armed = armed->release();
}

}  // namespace

int main(uint64_t boot_info_address) {
  user::heap_use_local();  // init introduces the servers to memd; it is not memd's client
  const auto* from_kernel = reinterpret_cast<const bm::abi::InitBootInfo*>(boot_info_address);
  if (from_kernel->magic != bm::abi::kInitBootInfoMagic) {
    user::printf("init: bad boot information at %#lx\n", boot_info_address);
    return 1;
  }
  take_boot_info(*from_kernel);
  user::printf("init: %u boot module(s), %lu free frames\n", boot->module_count,
               user::system_value(bm::abi::SystemInfo::kFreeFrames));
  auto endpoint = user::endpoint_create();
  if (!endpoint.ok()) {
    user::printf("init: no endpoint: %s\n", bm::abi::status_text(endpoint.error()));
    return 1;
  }
  service_endpoint = endpoint->release();  // init's endpoint lives as long as init
  if (load_manifest()) {
    for (size_t i = 0; i < manifest.server_count; ++i) {
      servers[i].entry = &manifest.servers[i];
      start_server(i);
    }
  }
  user::printf("init: %zu server(s) started; serving bootstrap and names\n", manifest.server_count);
  (void)init::start_program_runner(
      {service_endpoint, &names, lookup_for_program, server_task_id});
  auto monitor =
      user::handle_duplicate(service_endpoint, bm::abi::kRightWrite, init::kMonitorBadge);
  if (monitor.ok()) {
    (void)init::start_heartbeats(manifest, monitor->release());
  } else {
    user::printf("init: no heartbeats: %s\n", bm::abi::status_text(monitor.error()));
  }
  start_startup_timer();
  serve();
}
