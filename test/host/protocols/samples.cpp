// The catalogue of valid messages that the generic rejection tests cut short, stretch and
// relabel: every request and reply of every protocol, at the edges of its length.
#include "ipc/bootstrap.h"
#include "ipc/memd.h"
#include "ipc/programs.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::testing {

std::vector<Sample> request_samples() {
  std::vector<Sample> samples;
  for (size_t length : {0, 1, 7, 8, 9, 31, 32, 33, 3999, 4000}) {
    // sample() encodes at once, so the bytes need to live only this long.
    const std::string text = pattern(length);
    const std::string suffix = " " + std::to_string(length) + " bytes";
    samples.push_back(sample("console.write" + suffix, console::WriteRequest{view_of(text)}));
    samples.push_back(sample("serial.write" + suffix, serial::WriteRequest{view_of(text)}));
  }
  samples.push_back(sample("console.clear", console::ClearRequest{}));
  samples.push_back(
      sample("console.set_colours",
             console::SetColoursRequest{console::Colour::kWhite, console::Colour::kBlue}));
  samples.push_back(sample("console.move_cursor", console::MoveCursorRequest{24, 79}));
  samples.push_back(sample("console.query_size", console::QuerySizeRequest{}));
  samples.push_back(sample("keyboard.read_event", keyboard::ReadEventRequest{true}));
  samples.push_back(sample("keyboard.read_char", keyboard::ReadCharRequest{false}));
  samples.push_back(
      sample("keyboard.set_layout", keyboard::SetLayoutRequest{keyboard::Layout::kDe}));
  samples.push_back(sample("serial.read", serial::ReadRequest{16, true}));
  samples.push_back(
      sample("serial.set_line", serial::SetLineRequest{{9600, 7, serial::Parity::kEven, 2}}));
  samples.push_back(sample("memd.alloc", memd::AllocRequest{100, 64}));
  samples.push_back(sample("memd.free", memd::FreeRequest{0x1000'0000'0010}));
  samples.push_back(sample("memd.realloc", memd::ReallocRequest{0x1000'0000'0010, 200}));
  samples.push_back(sample("memd.stats", memd::StatsRequest{1}));
  samples.push_back(sample("memd.refill", memd::RefillRequest{64, memd::kMaxBatch}));
  memd::BlockList drained;
  drained.count = memd::kMaxBatch;
  for (uint32_t i = 0; i < drained.count; ++i) drained.word[i] = 0x1000'0000'0000 + 64 * i;
  samples.push_back(sample("memd.drain", memd::DrainRequest{drained}));
  for (size_t length : {0, 1, 9, 127}) {
    const std::string text = pattern(length);
    RunProgramRequest run{23320, "hello", 0x10203, view_of(text)};
    samples.push_back(sample("programs.run_program " + std::to_string(length) + " bytes", run));
  }
  samples.push_back(sample("programs.wait_program", WaitProgramRequest{1530}));
  samples.push_back(sample("programs.kill_program", KillProgramRequest{1530}));
  samples.push_back(sample("programs.list_programs", ListProgramsRequest{3}));
  return samples;
}

std::vector<Sample> reply_samples() {
  std::vector<Sample> samples;
  samples.push_back(sample("console.write ok", console::WriteReply{ProtocolStatus::kOk, 4000}));
  samples.push_back(
      sample("console.write error", console::WriteReply{ProtocolStatus::kTooShort, 0}));
  samples.push_back(sample("console.clear", console::ClearReply{}));
  samples.push_back(
      sample("console.set_colours", console::SetColoursReply{ProtocolStatus::kBadValue}));
  samples.push_back(sample("console.move_cursor", console::MoveCursorReply{}));
  samples.push_back(
      sample("console.query_size ok", console::QuerySizeReply{ProtocolStatus::kOk, 25, 80}));
  samples.push_back(sample("console.query_size unsupported",
                           console::QuerySizeReply{ProtocolStatus::kUnsupported, 0, 0}));
  keyboard::KeyEvent event{keyboard::KeyCode::kA, true, keyboard::kModShift, 'A'};
  samples.push_back(
      sample("keyboard.read_event ok", keyboard::ReadEventReply{ProtocolStatus::kOk, event}));
  samples.push_back(sample("keyboard.read_event would block",
                           keyboard::ReadEventReply{ProtocolStatus::kWouldBlock, {}}));
  samples.push_back(
      sample("keyboard.read_char ok", keyboard::ReadCharReply{ProtocolStatus::kOk, 0xe4}));
  samples.push_back(
      sample("keyboard.set_layout", keyboard::SetLayoutReply{ProtocolStatus::kUnsupported}));
  samples.push_back(sample("serial.write ok", serial::WriteReply{ProtocolStatus::kOk, 1}));
  for (size_t length : {1, 8, 9, 4000}) {
    const std::string text = pattern(length);
    samples.push_back(sample("serial.read ok " + std::to_string(length) + " bytes",
                             serial::ReadReply{ProtocolStatus::kOk, view_of(text)}));
  }
  samples.push_back(
      sample("serial.read would block", serial::ReadReply{ProtocolStatus::kWouldBlock, {}}));
  samples.push_back(sample("serial.set_line", serial::SetLineReply{}));
  samples.push_back(
      sample("memd.alloc ok", memd::AllocReply{ProtocolStatus::kOk, 0x1000'0000'0010}));
  samples.push_back(
      sample("memd.alloc out of memory", memd::AllocReply{ProtocolStatus::kOutOfMemory, 0}));
  samples.push_back(sample("memd.free", memd::FreeReply{ProtocolStatus::kDoubleFree}));
  samples.push_back(
      sample("memd.realloc ok", memd::ReallocReply{ProtocolStatus::kOk, 0x1000'0000'1000}));
  samples.push_back(
      sample("memd.realloc not allocated", memd::ReallocReply{ProtocolStatus::kNotAllocated, 0}));
  memd::ClientStats stats{7, 100, 2, 32, 1, 300, 4000, 1, 1, 64, 3, memd::HeapPolicy::kLinkedList};
  samples.push_back(sample("memd.stats ok", memd::StatsReply{ProtocolStatus::kOk, stats}));
  samples.push_back(
      sample("memd.stats past the last", memd::StatsReply{ProtocolStatus::kBadValue, {}}));
  memd::BlockList refilled;
  refilled.count = memd::kMaxBatch;
  for (uint32_t i = 0; i < refilled.count; ++i) refilled.word[i] = 0x1000'0000'0010 + 64 * i;
  samples.push_back(sample("memd.refill ok", memd::RefillReply{ProtocolStatus::kOk, refilled}));
  samples.push_back(
      sample("memd.refill out of memory", memd::RefillReply{ProtocolStatus::kOutOfMemory, {}}));
  samples.push_back(sample("memd.drain", memd::DrainReply{ProtocolStatus::kNotAllocated}));
  samples.push_back(sample("programs.run_program ok", RunProgramReply{ProtocolStatus::kOk, 1530}));
  samples.push_back(
      sample("programs.run_program bad image", RunProgramReply{ProtocolStatus::kBadImage, 0}));
  samples.push_back(sample("programs.wait_program exited",
                           WaitProgramReply{ProtocolStatus::kOk, ProgramEnd::kExited, 3, {}}));
  samples.push_back(sample(
      "programs.wait_program faulted",
      WaitProgramReply{ProtocolStatus::kOk, ProgramEnd::kFaulted, -1, {14, 6, 0x4001e9, 0x1000}}));
  samples.push_back(sample("programs.wait_program busy",
                           WaitProgramReply{ProtocolStatus::kBusy, ProgramEnd::kExited, 0, {}}));
  samples.push_back(sample("programs.kill_program", KillProgramReply{ProtocolStatus::kNotFound}));
  samples.push_back(sample("programs.list_programs ok",
                           ListProgramsReply{ProtocolStatus::kOk, 1530, ProgramState::kEnded, 3,
                                             "memdemo"}));
  samples.push_back(sample("programs.list_programs past the last",
                           ListProgramsReply{ProtocolStatus::kBadValue, 0,
                                             ProgramState::kRunning, 0, ""}));
  return samples;
}

std::vector<uint32_t> all_labels() {
  std::vector<uint32_t> labels = {
      0,     kGetGrant, kRegister, kLookup,          0xff,       0x100, 0x1ff, 0x200, 0x300,
      0x400, 0x407,     0x1000,    abi::kFaultLabel, 0xffffffffu};
  for (const MessageSpec& spec : console::kMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : keyboard::kMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : serial::kMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : memd::kMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : kProgramMessages) labels.push_back(spec.label);
  return labels;
}

}  // namespace bm::ipc::testing
