// The program protocol's dispatch and a program's bootstrap requests: checks the caller,
// decodes, acts on the program table and, through ProgramActions, on the kernel.
#include "servers/init/program_service.h"

#include "ipc/bootstrap.h"
#include "ipc/dispatch.h"
#include "ipc/programs.h"

namespace init {
namespace {

using bm::ipc::ProtocolStatus;
using bm::ipc::WireMessage;

void copy_name(const char* from, char* to) {
  size_t i = 0;
  for (; from[i] != '\0' && i < bm::ipc::kMaxNameLength; ++i) to[i] = from[i];
  to[i] = '\0';
}

bm::ipc::RunProgramReply run(ProgramActions& actions, ProgramTable& table, uint64_t starter,
                             const bm::ipc::RunProgramRequest& request) {
  uint32_t dropped = 0;
  Program* program = table.claim(starter, &dropped);
  if (program == nullptr) {
    actions.close(request.image);
    return {ProtocolStatus::kNoSlots};
  }
  if (dropped != 0) {
    actions.log("init: program table full: dropped how program %u ended (nobody asked)\n",
                dropped);
  }
  copy_name(request.name, program->name);
  for (uint32_t i = 0; i < request.arguments.length; ++i) {
    program->arguments[i] = static_cast<char>(request.arguments.data[i]);
  }
  program->arguments_length = request.arguments.length;
  LoadedTask loaded;
  ProtocolStatus status = actions.load(*program, request.image, request.image_bytes, &loaded);
  if (status != ProtocolStatus::kOk) {
    table.release(*program);
    return {status};
  }
  table.started(*program, loaded.id, loaded.task);
  return {ProtocolStatus::kOk, loaded.id};
}

// kKept when the call now waits in the program's record for its end.
bm::ipc::WaitProgramReply wait(ProgramActions& actions, ProgramTable& table, uint64_t starter,
                               uint64_t id, ProgramAnswer* answer) {
  Program* program = nullptr;
  ProtocolStatus found = table.find_for_starter(starter, id, &program);
  if (found != ProtocolStatus::kOk) return {found};
  if (program->state == ProgramSlotState::kEnded) {
    bm::ipc::WaitProgramReply outcome = program->outcome;
    table.release(*program);  // collected: the record has served its purpose
    return outcome;
  }
  if (program->waiter != 0) return {ProtocolStatus::kBusy};
  bm::abi::Handle kept = actions.keep_call();
  if (kept == 0) return {ProtocolStatus::kNoSlots};
  program->waiter = kept;
  *answer = ProgramAnswer::kKept;
  return {ProtocolStatus::kOk};
}

ProtocolStatus kill(ProgramActions& actions, ProgramTable& table, uint64_t starter, uint64_t id) {
  Program* program = nullptr;
  ProtocolStatus found = table.find_for_starter(starter, id, &program);
  if (found != ProtocolStatus::kOk) return found;
  if (program->state != ProgramSlotState::kRunning) return ProtocolStatus::kNotFound;
  actions.kill(*program);
  return ProtocolStatus::kOk;
}

bm::ipc::ListProgramsReply list(ProgramActions& actions, const ProgramTable& table,
                                uint64_t index) {
  const Program* program = table.listed(index);
  if (program == nullptr) return {ProtocolStatus::kBadValue};
  bm::ipc::ListProgramsReply reply;
  reply.program = program->id;
  reply.state = program->state == ProgramSlotState::kRunning ? bm::ipc::ProgramState::kRunning
                                                             : bm::ipc::ProgramState::kEnded;
  reply.starter = actions.server_task_id(program->starter);
  copy_name(program->name, reply.name);
  reply.client_id = program->badge;
  return reply;
}

}  // namespace

ProgramAnswer on_program_request(ProgramActions& actions, ProgramTable& table,
                                 const ServerState* caller, uint64_t badge,
                                 const WireMessage& request, WireMessage* reply) {
  if (caller == nullptr || !caller->entry->control) {
    if (request.has_handle) actions.close(request.handle);
    bm::ipc::encode_status_reply(request.label, ProtocolStatus::kNoRights, reply);
    return ProgramAnswer::kAnswered;
  }
  bool image_taken = false;
  ProgramAnswer answer = ProgramAnswer::kAnswered;
  using namespace bm::ipc;
  ProtocolStatus decoded = dispatch(
      request, reply,
      [&](const RunProgramRequest& run_request) {
        image_taken = true;
        return run(actions, table, badge, run_request);
      },
      [&](const WaitProgramRequest& wait_request) {
        return wait(actions, table, badge, wait_request.program, &answer);
      },
      [&](const KillProgramRequest& kill_request) {
        return kill(actions, table, badge, kill_request.program);
      },
      [&](const ListProgramsRequest& list_request) {
        return list(actions, table, list_request.index);
      });
  // As in the bootstrap protocol, a request init cannot read gets kBadValue alone.
  if (decoded != ProtocolStatus::kOk) {
    encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
  }
  if (request.has_handle && !image_taken) actions.close(request.handle);
  return answer;
}

void on_program_bootstrap_request(ProgramActions& actions, Program& program,
                                  const WireMessage& request, WireMessage* reply) {
  ProtocolStatus decoded = bm::ipc::dispatch(
      request, reply,
      [&](const bm::ipc::GetGrantRequest&) { return ProtocolStatus::kBadValue; },
      [&](const bm::ipc::RegisterRequest&) { return ProtocolStatus::kNoRights; },
      [&](const bm::ipc::LookupRequest& find) {
        bm::ipc::LookupReply answer;
        answer.status = actions.lookup(program, find.name, &answer.endpoint);
        return answer;
      },
      [&](const bm::ipc::GetArgumentsRequest&) {
        return bm::ipc::GetArgumentsReply{
            ProtocolStatus::kOk,
            {reinterpret_cast<const uint8_t*>(program.arguments), program.arguments_length}};
      },
      [&](const bm::ipc::StartupDoneRequest&) { return ProtocolStatus::kOk; });
  if (decoded != ProtocolStatus::kOk) {
    bm::ipc::encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
  }
  // No request of a program hands init a handle to keep (register is refused).
  if (request.has_handle) actions.close(request.handle);
}

}  // namespace init
