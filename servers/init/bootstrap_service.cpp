// The bootstrap dispatch: get_grant and get_arguments are answered from init's tables here;
// register and lookup go through BootstrapActions.
#include "servers/init/bootstrap_service.h"

#include "ipc/bootstrap.h"
#include "ipc/dispatch.h"
#include "lib/manifest/manifest.h"

namespace init {
namespace {

using bm::ipc::ProtocolStatus;
using bm::ipc::WireMessage;

static_assert(bm::manifest::kMaxArgumentsLength == bm::ipc::kMaxArgumentsLength);

// Each grant can be fetched once: its handle moves to the server with the reply.
bm::ipc::GetGrantReply take_grant(ServerState& caller, uint64_t index) {
  if (index >= caller.grants.count || caller.grants.grants[index].handle == 0) {
    return {ProtocolStatus::kBadValue};
  }
  Grant& grant = caller.grants.grants[index];
  bm::ipc::GetGrantReply reply{ProtocolStatus::kOk, grant.kind, grant.detail, grant.count,
                               grant.handle};
  grant.handle = 0;
  return reply;
}

}  // namespace

bool on_bootstrap_request(BootstrapActions& actions, ServerState* caller, uint64_t badge,
                          const WireMessage& request, WireMessage* reply) {
  // Only register takes a handle, and only from a well-formed request of a known caller.
  bool handle_taken = false;
  bool kept = false;
  ProtocolStatus decoded = ProtocolStatus::kBadValue;
  if (caller != nullptr) {
    decoded = bm::ipc::dispatch(
        request, reply,
        [&](const bm::ipc::GetGrantRequest& get) { return take_grant(*caller, get.index); },
        [&](const bm::ipc::RegisterRequest& add) {
          handle_taken = true;
          return actions.register_name(*caller, badge, add.name, add.endpoint);
        },
        [&](const bm::ipc::LookupRequest& find) {
          bm::ipc::LookupReply answer;
          answer.status = actions.lookup(*caller, badge, find.name, &answer.endpoint);
          return answer;
        },
        [&](const bm::ipc::GetArgumentsRequest&) {
          const bm::manifest::Server& entry = *caller->entry;
          return bm::ipc::GetArgumentsReply{ProtocolStatus::kOk,
                                            {reinterpret_cast<const uint8_t*>(entry.arguments),
                                             static_cast<uint32_t>(entry.arguments_length)}};
        },
        [&](const bm::ipc::StartupDoneRequest& done) {
          if (actions.startup_complete(*caller)) return ProtocolStatus::kOk;
          kept = done.wait_ticks != 0 && actions.keep_startup_call(*caller, done.wait_ticks);
          return ProtocolStatus::kWouldBlock;  // sent only if the call was not kept
        });
  }
  // A request init cannot read, or from a task it did not start, gets kBadValue alone.
  if (decoded != ProtocolStatus::kOk) {
    bm::ipc::encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
  }
  if (request.has_handle && !handle_taken) actions.close(request.handle);
  return !kept;
}

}  // namespace init
