// The one message init sends memd (label 0x4f1): "this server is your client". It travels on
// memd's own registered endpoint, which only init holds (clients get badged handles from this
// very message), so memd answers it only when the badge is 0.
//
//   add_client   w0 = client id (init's badge for the server); the client's task handle
//                (read + manage) attached: memd maps the client's heap with it and watches it,
//                so it can reclaim the heap however the client ends
//     reply: w0 = ProtocolStatus: kOk with memd's endpoint attached, badged with the client
//            id (write + grant, so init can pass copies to the client in its lookup replies;
//            whoever holds one acts as that client); kBusy if the id is already a client; kNoSlots
//            if memd's client table is full; kBadValue (no task handle, a wrong word count, id 0)
//
// init calls it the first time a server looks up "memd" (docs/protocols.md, memd), so only
// servers that allocate become clients. Like the bootstrap protocol, w0 of the reply is a
// ProtocolStatus and messages carry handles; init and memd both use the codecs below.
#pragma once

#include <stdint.h>

#include "ipc/wire_codec.h"

namespace bm::ipc::memd_admin {

using ipc::decode;  // the codecs of ipc/wire_codec.h
using ipc::encode;

constexpr uint32_t kAddClient = kMemdLabelBase + 0xf1;
constexpr MessageSpec kAddClientSpec{kAddClient, "add_client", 1, 1, 1, 1, kMovesHandles};

// The service name memd registers, and the one clients look up.
constexpr const char* kServiceName = "memd";

constexpr bool is_client_id(uint64_t id) { return id != 0; }

// A request with id 0 or without the task handle is a bad value.
struct AddClientRequest {
  uint64_t client_id = 0;  // never 0
  abi::Handle task = 0;    // the client's task (read + manage), moved to memd
  using Wire = Request<kAddClientSpec, Checked<&AddClientRequest::client_id, is_client_id>,
                       MovedHandle<&AddClientRequest::task>>;
};
struct AddClientReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  abi::Handle endpoint = 0;  // kOk: memd's endpoint badged with the client id
  using Wire = Reply<kAddClientSpec, MovedHandle<&AddClientReply::endpoint>>;
};

}  // namespace bm::ipc::memd_admin
