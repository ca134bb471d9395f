// The catalogue of valid messages that the generic rejection tests cut short, stretch and
// relabel: every request and reply of every protocol, at the edges of its length.
#include "ipc/bootstrap.h"
#include "ipc/fs.h"
#include "ipc/memd.h"
#include "ipc/programs.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::testing {

namespace {

// Every fs request with its paths and bytes at the edges of their lengths.
void append_fs_request_samples(std::vector<Sample>* samples) {
  for (size_t length : {1, 8, 9, 255}) {
    const std::string path = "/" + std::string(length - 1, 'p');
    const std::string suffix = " path of " + std::to_string(length);
    samples->push_back(sample("fs.open" + suffix, fs::OpenRequest{fs::kOpenRead, view_of(path)}));
    samples->push_back(sample("fs.stat" + suffix, fs::StatRequest{view_of(path)}));
    samples->push_back(sample("fs.readdir" + suffix, fs::ReadDirRequest{3, view_of(path)}));
    samples->push_back(sample("fs.mkdir" + suffix, fs::MakeDirectoryRequest{view_of(path)}));
    samples->push_back(sample("fs.unlink" + suffix, fs::UnlinkRequest{view_of(path)}));
    samples->push_back(
        sample("fs.rename" + suffix + " to 1", fs::RenameRequest{view_of(path), view_of("/")}));
    samples->push_back(
        sample("fs.rename 1 to" + suffix, fs::RenameRequest{view_of("/"), view_of(path)}));
  }
  const std::string longest(fs::kMaxPathLength, 'q');
  samples->push_back(
      sample("fs.rename 255 to 255", fs::RenameRequest{view_of(longest), view_of(longest)}));
  samples->push_back(sample(
      "fs.open create",
      fs::OpenRequest{fs::kOpenWrite | fs::kOpenCreate | fs::kOpenExclusive, view_of("/tmp/x")}));
  for (size_t length : {0, 1, 8, 9, 4064}) {
    const std::string bytes = pattern(length);
    samples->push_back(sample("fs.write " + std::to_string(length) + " bytes",
                              fs::WriteRequest{5, 1ull << 40, view_of(bytes)}));
  }
  samples->push_back(sample("fs.read", fs::ReadRequest{0xffff'ffff, ~0ull, fs::kMaxIoBytes}));
  samples->push_back(sample("fs.close", fs::CloseRequest{3}));
  samples->push_back(sample("fs.fstat", fs::FstatRequest{0}));
}

void append_fs_reply_samples(std::vector<Sample>* samples) {
  samples->push_back(sample("fs.open ok", fs::OpenReply{ProtocolStatus::kOk, 15}));
  samples->push_back(
      sample("fs.open too many", fs::OpenReply{ProtocolStatus::kTooManyOpenFiles, 0}));
  for (size_t length : {0, 1, 8, 9, 4064}) {
    const std::string bytes = pattern(length);
    samples->push_back(sample("fs.read ok " + std::to_string(length) + " bytes",
                              fs::ReadReply{ProtocolStatus::kOk, view_of(bytes)}));
  }
  samples->push_back(sample("fs.read bad fd", fs::ReadReply{ProtocolStatus::kInvalidHandle, {}}));
  samples->push_back(sample("fs.write ok", fs::WriteReply{ProtocolStatus::kOk, 4064}));
  samples->push_back(sample("fs.write no space", fs::WriteReply{ProtocolStatus::kNoSpace, 0}));
  samples->push_back(sample("fs.close", fs::CloseReply{ProtocolStatus::kOk}));
  samples->push_back(
      sample("fs.stat ok", fs::StatReply{ProtocolStatus::kOk, {fs::NodeType::kDirectory, 2}}));
  samples->push_back(sample("fs.stat not found", fs::StatReply{ProtocolStatus::kNotFound, {}}));
  samples->push_back(
      sample("fs.fstat ok", fs::FstatReply{ProtocolStatus::kOk, {fs::NodeType::kFile, ~0ull}}));
  const std::string name(fs::kMaxNameLength, 'n');
  samples->push_back(
      sample("fs.readdir ok",
             fs::ReadDirReply{ProtocolStatus::kOk, fs::NodeType::kFile, 12, view_of(name)}));
  samples->push_back(
      sample("fs.readdir short name",
             fs::ReadDirReply{ProtocolStatus::kOk, fs::NodeType::kDirectory, 0, view_of("d")}));
  samples->push_back(sample("fs.readdir past the last",
                            fs::ReadDirReply{ProtocolStatus::kOk, fs::NodeType::kNone, 0, {}}));
  samples->push_back(
      sample("fs.readdir not a directory",
             fs::ReadDirReply{ProtocolStatus::kNotADirectory, fs::NodeType::kNone, 0, {}}));
  samples->push_back(sample("fs.mkdir", fs::MakeDirectoryReply{ProtocolStatus::kExists}));
  samples->push_back(sample("fs.unlink", fs::UnlinkReply{ProtocolStatus::kNotEmpty}));
  samples->push_back(sample("fs.rename", fs::RenameReply{ProtocolStatus::kBadPath}));
}

}  // namespace

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
  append_fs_request_samples(&samples);
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
  append_fs_reply_samples(&samples);
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
  std::vector<uint32_t> labels = {0,          kGetGrant, kRegister, kLookup, 0xff,
                                  0x100,      0x1ff,     0x200,     0x300,   0x400,
                                  0x407,      0x500,     0x50b,     0x1000,  abi::kFaultLabel,
                                  0xffffffffu};
  for (const MessageSpec& spec : console::kMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : keyboard::kMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : serial::kMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : memd::kMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : fs::kMessages) labels.push_back(spec.label);
  for (const MessageSpec& spec : kProgramMessages) labels.push_back(spec.label);
  return labels;
}

}  // namespace bm::ipc::testing
