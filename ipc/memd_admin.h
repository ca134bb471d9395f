// memd's side of client introduction: the add_client message of ipc/client_admin.h, which
// memd was the first service to answer, under the names memd and its tests know it by. memd
// maps the client's heap with the task handle the message brings, and reclaims the heap
// however the client ends.
#pragma once

#include "ipc/client_admin.h"

namespace bm::ipc::memd_admin {

using client_admin::AddClientReply;
using client_admin::AddClientRequest;
using client_admin::is_client_id;
using client_admin::kAddClient;
using client_admin::kAddClientSpec;
using ipc::decode;
using ipc::encode;

// The service name memd registers, and the one clients look up.
constexpr const char* kServiceName = "memd";

}  // namespace bm::ipc::memd_admin
