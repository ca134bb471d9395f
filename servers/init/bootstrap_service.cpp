// The bootstrap dispatch: get_grant and get_arguments are answered from init's tables here;
// register and lookup go through BootstrapActions.
#include "servers/init/bootstrap_service.h"

#include "ipc/bootstrap.h"
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

template <typename Reply>
void encode_or_refuse(const Reply& answer, uint32_t label, WireMessage* reply) {
  if (!bm::ipc::encode(answer, reply)) {
    bm::ipc::encode_handle_status(label, ProtocolStatus::kBadValue, reply);
  }
}

}  // namespace

void on_bootstrap_request(BootstrapActions& actions, ServerState* caller, uint64_t badge,
                          const WireMessage& request, WireMessage* reply) {
  bm::ipc::encode_handle_status(request.label, ProtocolStatus::kBadValue, reply);
  // Only register takes a handle, and only from a well-formed request of a known caller.
  bool handle_taken = false;
  if (caller != nullptr) {
    switch (request.label) {
      case bm::ipc::kGetGrant: {
        bm::ipc::GetGrantRequest get;
        if (bm::ipc::decode(request, &get) != ProtocolStatus::kOk) break;
        encode_or_refuse(take_grant(*caller, get.index), request.label, reply);
        break;
      }
      case bm::ipc::kRegister: {
        bm::ipc::RegisterRequest add;
        if (bm::ipc::decode(request, &add) != ProtocolStatus::kOk) break;
        handle_taken = true;
        ProtocolStatus status = actions.register_name(*caller, badge, add.name, add.endpoint);
        encode_or_refuse(bm::ipc::RegisterReply{status}, request.label, reply);
        break;
      }
      case bm::ipc::kLookup: {
        bm::ipc::LookupRequest find;
        if (bm::ipc::decode(request, &find) != ProtocolStatus::kOk) break;
        bm::ipc::LookupReply answer{ProtocolStatus::kOk, 0};
        answer.status = actions.lookup(*caller, badge, find.name, &answer.endpoint);
        encode_or_refuse(answer, request.label, reply);
        break;
      }
      case bm::ipc::kGetArguments: {
        bm::ipc::GetArgumentsRequest get;
        if (bm::ipc::decode(request, &get) != ProtocolStatus::kOk) break;
        const bm::manifest::Server& entry = *caller->entry;
        bm::ipc::GetArgumentsReply answer{ProtocolStatus::kOk,
                                          {reinterpret_cast<const uint8_t*>(entry.arguments),
                                           static_cast<uint32_t>(entry.arguments_length)}};
        encode_or_refuse(answer, request.label, reply);
        break;
      }
      case bm::ipc::kStartupDone: {
        bm::ipc::StartupDoneRequest ask;
        if (bm::ipc::decode(request, &ask) != ProtocolStatus::kOk) break;
        ProtocolStatus status =
            actions.startup_complete(*caller) ? ProtocolStatus::kOk : ProtocolStatus::kWouldBlock;
        encode_or_refuse(bm::ipc::StartupDoneReply{status}, request.label, reply);
        break;
      }
      default:
        break;
    }
  }
  if (request.has_handle && !handle_taken) actions.close(request.handle);
}

}  // namespace init
