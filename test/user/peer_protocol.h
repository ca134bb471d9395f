// The protocol between the user test suite and its peer program
// (user-test-peer.elf), the second address space the suite drives.
//
// The suite starts a peer with task_create, passing a badged write handle to
// its control endpoint as bootstrap; that makes the suite the peer's
// supervisor, so the peer's faults arrive on the same endpoint (label
// bm::abi::kFaultLabel). The peer then
//   1. creates its own command endpoint and sends kHello on the control
//      endpoint with a write handle to it attached (words: HelloWord);
//   2. loops: receives a command on its command endpoint, runs it, and sends
//      kReport (w0 = result, w1 = the command's label) on the control
//      endpoint. kCmdExit and kCmdThreadExit send nothing; a command that
//      faults sends nothing either, the kernel's fault report comes instead.
// Everything travels as sends, never calls, so the suite never holds a call
// it must answer with ipc_reply_recv (which would then block in receive).
// Only the peer holds the command endpoint's receive right: a send to it
// fails with kPeerGone once the peer task is gone.
#pragma once

#include <stdint.h>

namespace user_tests::peer {

enum Label : uint32_t {
  kHello = 0x7001,
  kReport = 0x7002,
  kThreadReport = 0x7003,  // from a thread the suite started in the peer: w0 = its thread id

  // Commands, sent on the peer's command endpoint.
  kCmdExit = 0x7100,        // w0 = exit code, w1 = ticks to sleep first; no report
  kCmdThreadExit = 0x7101,  // the main (only) thread calls thread_exit; no report
  kCmdRun = 0x7102,         // w0 = Site, w1 = argument; report w0 = the site's result
  kCmdServeEcho = 0x7103,   // handle: endpoint (read) to serve until kEchoStop; w0 = calls served
  kCmdSpin = 0x7104,        // handle (optional): notification; spins until it has bits; w0 = count
  kCmdClose = 0x7105,       // w0 = handle, 0 = the last one received; w0 = Status
  kCmdMapFrames = 0x7106,   // w0 = pages, w1 = address; memory_create, map writable, write
                            // every page, keep it: w0 = Status
  kCmdUnmap = 0x7107,       // w0 = address; memory_unmap in its own space: w0 = Status
  kCmdDuplicateBootstrap = 0x7108,  // w0 = Status of duplicating its bootstrap handle
  kCmdSignal = 0x7109,              // w0 = bits; signals the last handle received: w0 = Status
  kCmdTake = 0x710a,                // handle: keep it (as the last received); w0 = its value here
  kCmdCall = 0x710b,                // w0 = label; calls the last handle received: w0 = Status
  kCmdWait = 0x710c,                // waits (forever) on the last handle received: w0 = the bits
  kCmdKeepCall = 0x710d,            // receives one call on the last handle received (an
                                    // endpoint) and keeps it in a new reply object, never
                                    // answering: w0 = the first failing Status, or kOk
};

// The echo service of kCmdServeEcho: every call comes back with the same
// label, word count and attached handle, each word XORed with kEchoMask (in
// the registers and in the IPC buffer), so the caller can tell the reply's
// words from its own request still sitting in its buffer. A handle that comes
// with a call is first signalled with the call's word 0 as bits (when it is
// a notification), then returned with the reply.
constexpr uint32_t kEchoStop = 0x7201;  // sent (not called): stop serving, report
constexpr uint32_t kEchoDie = 0x7202;   // called: the peer exits without replying
constexpr uint64_t kEchoMask = 0x5a5a5a5a00ff00ffull;

// Instructions the peer runs on kCmdRun, each at a global label whose
// address the peer reports in its hello, so a fault report's RIP can be
// checked exactly.
enum Site : uint64_t {
  kSiteInPort0x60 = 0,  // inb $0x60, %al
  kSiteInPort,          // inb %dx, %al with dx = argument; result = the byte
  kSiteOutPort,         // outb %al, %dx with dx = argument & 0xffff, al = argument >> 16
  kSiteLoad,            // result = *(uint64_t*)argument
  kSiteStore,           // *(uint64_t*)argument = kStoreValue
  kSiteUd2,             // #UD
  kSiteDivide,          // divides by zero: #DE
  kSiteHlt,             // privileged: #GP
  kSiteCli,             // IOPL 0: #GP
  kSiteInt0x20,         // a DPL-0 gate (the timer vector): #GP, error code (0x20 << 3) | 2
  kSiteInt3,            // breakpoint: a trap the kernel logs, then the peer goes on (result 1)
  kSiteJump,            // jumps to argument (0 = the peer's data page, which is not executable)
  kSiteSgdt,            // sgdt to the stack: result 1, or #GP(0) where the kernel turned UMIP on
  kSiteCount,
};
constexpr uint64_t kStoreValue = 0x5354'4f52'4521'2121ull;

// Words of kHello.
enum HelloWord : uint32_t {
  kHelloTask = 0,     // the peer's task id
  kHelloThread,       // its main thread's id
  kHelloBootstrap,    // its bootstrap handle value (to start threads in it)
  kHelloThreadEntry,  // entry for thread_create in the peer: sends kThreadReport on the
                      // bootstrap handle passed as argument, then thread_exit
  kHelloDataPage,     // a page-aligned page of its data (read-write, not executable)
  kHelloSites,        // kSiteCount site addresses follow
  kHelloWords = kHelloSites + kSiteCount,
};

}  // namespace user_tests::peer
