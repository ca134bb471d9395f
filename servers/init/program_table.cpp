// init's program table: see program_table.h.
#include "servers/init/program_table.h"

namespace init {
namespace {

using bm::ipc::ProtocolStatus;

constexpr uint64_t kGenerationMask = 0xffffff;  // bits 8-31 of a badge

bool is_live(const Program& program) {
  return program.state == ProgramSlotState::kRunning || program.state == ProgramSlotState::kEnded;
}

}  // namespace

Program* ProgramTable::claim(uint64_t starter, uint32_t* dropped) {
  *dropped = 0;
  Program* slot = nullptr;
  for (Program& program : slots_) {
    if (program.state == ProgramSlotState::kFree) {
      slot = &program;
      break;
    }
  }
  if (slot == nullptr) {
    // Records of ended programs are kept for their starter, but not at the price of a new
    // program: one that nobody came for in 16 starts is given up.
    for (Program& program : slots_) {
      if (program.state == ProgramSlotState::kEnded &&
          (slot == nullptr || program.ended_order < slot->ended_order)) {
        slot = &program;
      }
    }
    if (slot == nullptr) return nullptr;
    *dropped = slot->id;
    release(*slot);
  }
  auto index = static_cast<size_t>(slot - slots_);
  generations_[index] = (generations_[index] + 1) & kGenerationMask;
  *slot = Program{};
  slot->state = ProgramSlotState::kStarting;
  slot->badge = kProgramBadgeBase | static_cast<uint64_t>(generations_[index]) << 8 | index;
  slot->starter = starter;
  return slot;
}

void ProgramTable::started(Program& program, uint32_t id, bm::abi::Handle task) {
  program.state = ProgramSlotState::kRunning;
  program.id = id;
  program.task = task;
}

void ProgramTable::ended(Program& program, const bm::ipc::WaitProgramReply& outcome) {
  program.state = ProgramSlotState::kEnded;
  program.task = 0;
  for (bm::abi::Handle& handle : program.client_handles) handle = 0;
  program.waiter = 0;
  program.outcome = outcome;
  program.ended_order = ++ended_count_;
}

void ProgramTable::release(Program& program) { program = Program{}; }

Program* ProgramTable::by_badge(uint64_t badge) {
  if (!is_program_badge(badge)) return nullptr;
  size_t index = badge & 0xff;
  if (index >= kMaxPrograms) return nullptr;
  Program& program = slots_[index];
  if (program.state == ProgramSlotState::kFree || program.badge != badge) return nullptr;
  return &program;
}

Program* ProgramTable::by_id(uint64_t id) {
  if (id == 0) return nullptr;
  for (Program& program : slots_) {
    if (is_live(program) && program.id == id) return &program;
  }
  return nullptr;
}

ProtocolStatus ProgramTable::find_for_starter(uint64_t starter, uint64_t id, Program** out) {
  Program* program = by_id(id);
  if (program == nullptr) return ProtocolStatus::kNotFound;
  if (program->starter != starter) return ProtocolStatus::kNoRights;
  *out = program;
  return ProtocolStatus::kOk;
}

const Program* ProgramTable::listed(uint64_t index) const {
  for (const Program& program : slots_) {
    if (!is_live(program)) continue;
    if (index == 0) return &program;
    --index;
  }
  return nullptr;
}

bm::ipc::WaitProgramReply outcome_of(const Program& program, int64_t exit_code) {
  bm::ipc::WaitProgramReply outcome;
  outcome.exit_code = exit_code;
  // A fault comes first: init kills a faulting program, so both may be set.
  if (program.faulted) {
    outcome.how = bm::ipc::ProgramEnd::kFaulted;
    outcome.fault = program.fault;
  } else if (program.killed) {
    outcome.how = bm::ipc::ProgramEnd::kKilled;
  } else {
    outcome.how = bm::ipc::ProgramEnd::kExited;
  }
  return outcome;
}

}  // namespace init
