// Host tests for UartDriver against FakeUart: the init sequence and presence test, interrupt
// receive with a receiver that pauses when the buffer is full and line errors, transmit that
// waits for a slow line through send_all, and line settings.
#include "servers/serial/uart_driver.h"

#include <gtest/gtest.h>

#include <vector>

#include "servers/serial/send_all.h"
#include "test/host/serial/fake_uart.h"

namespace bm::serial {
namespace {

struct Write {
  uint8_t offset;
  uint8_t value;
  bool dlab;
  bool operator==(const Write&) const = default;
};

std::vector<Write> writes(const FakeUart& uart) {
  std::vector<Write> result;
  for (const auto& access : uart.log) {
    if (access.is_write) result.push_back(Write{access.offset, access.value, access.dlab});
  }
  return result;
}

std::vector<uint8_t> read_all(UartDriver& driver) {
  std::vector<uint8_t> bytes(UartDriver::kReceiveCapacity + 16);
  bytes.resize(driver.read(bytes.data(), bytes.size()));
  return bytes;
}

// A driver initialised against a present, working fake.
struct Ready {
  Ready() { EXPECT_TRUE(driver.init().ok()); }
  FakeUart uart;
  UartDriver driver{&uart};
};

// What UartIo::transmit does, with the fake's time in place of the sleep: the waiter turns the
// THR-empty interrupt on, time passes until the chip interrupts, and the interrupt handler
// runs. Counts the waits.
size_t send(UartDriver& driver, FakeUart& uart, const uint8_t* data, size_t length,
            size_t* waits = nullptr) {
  return send_all(
      data, length,
      [&](const uint8_t* bytes, size_t count) { return driver.write_some(bytes, count); },
      [&] {
        if (waits != nullptr) ++*waits;
        driver.set_transmit_interrupt(true);
        EXPECT_NE(uart.ier() & kIerTransmitEmpty, 0);
        for (int i = 0; i < 1000 && !driver.take_transmit_ready(); ++i) {
          uart.settle();
          driver.on_interrupt();
          if (driver.take_transmit_ready()) break;
        }
        driver.set_transmit_interrupt(false);
      });
}

// A global driver must need no runtime constructor in the server.
constinit UartDriver g_constant_initialised{nullptr};

TEST(UartDriver, InitLeavesTheDocumentedRegisterValues) {
  Ready ready;
  EXPECT_EQ(ready.uart.lcr(), 0x03);   // 8 data bits, no parity, 1 stop bit, DLAB off
  EXPECT_EQ(ready.uart.divisor(), 1);  // 115200 baud
  EXPECT_TRUE(ready.uart.fifo_enabled());
  EXPECT_EQ(ready.uart.trigger_level(), 14);
  EXPECT_EQ(ready.uart.mcr(), kMcrDtr | kMcrRts | kMcrOut2);
  EXPECT_EQ(ready.uart.ier(), kIerReceivedData);
  EXPECT_TRUE(ready.driver.present());
  EXPECT_TRUE(ready.driver.fifo_enabled());
  EXPECT_EQ(ready.driver.line().baud, 115200u);
  EXPECT_EQ(ready.uart.receive_fifo_size(), 0u);  // loopback bytes were consumed
  EXPECT_TRUE(ready.uart.transmitted.empty());    // the self-test sent nothing on the wire
}

TEST(UartDriver, InitProgramsRegistersInTheDatasheetOrder) {
  Ready ready;
  auto log = writes(ready.uart);
  const std::vector<Write> prefix = {
      {kRegLineControl, 0x00, false},      // DLAB off so offset 1 is IER
      {kRegInterruptEnable, 0x00, false},  // interrupts off
      {kRegLineControl, 0x83, false},      // DLAB on, 8N1
      {kRegDivisorLow, 0x01, true},        // divisor 1 = 115200
      {kRegDivisorHigh, 0x00, true},      {kRegLineControl, 0x03, true},  // DLAB off, 8N1
      {kRegFifoControl, 0xC7, false},      // enable, clear both, trigger 14
      {kRegModemControl, 0x1E, false},     // loopback with RTS, OUT1, OUT2
      {kRegTransmitHolding, 0xAE, false},  // loopback patterns
      {kRegTransmitHolding, 0x51, false}, {kRegModemControl, 0x0B, false},  // DTR | RTS | OUT2
  };
  ASSERT_GE(log.size(), prefix.size());
  EXPECT_EQ(std::vector<Write>(log.begin(), log.begin() + prefix.size()), prefix);
  EXPECT_EQ(log.back(), (Write{kRegInterruptEnable, kIerReceivedData, false}));
}

TEST(UartDriver, InitReportsAnAbsentUart) {
  FakeUart uart;
  uart.present = false;
  UartDriver driver(&uart);
  auto result = driver.init();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), Error::kNoDevice);
  EXPECT_FALSE(driver.present());
  uint8_t byte = 'x';
  auto written = driver.write_some(&byte, 1);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error(), Error::kNoDevice);
  EXPECT_EQ(driver.set_line(LineSettings{}).error(), Error::kNoDevice);
  driver.on_interrupt();  // a stray IRQ 4 must not touch the (absent) chip's buffer
  EXPECT_EQ(driver.stats().spurious_interrupts, 1u);
  EXPECT_EQ(driver.available(), 0u);
}

TEST(UartDriver, InitReportsABrokenLoopbackAndLeavesInterruptsOff) {
  FakeUart uart;
  uart.broken_loopback = true;
  UartDriver driver(&uart);
  EXPECT_EQ(driver.init().error(), Error::kNoDevice);
  EXPECT_EQ(uart.ier(), 0);
  EXPECT_EQ(uart.mcr(), 0);  // OUT2 off: the chip cannot raise IRQ 4
}

TEST(UartDriver, AGlobalDriverStartsAbsentAndNeedsAPort) {
  EXPECT_FALSE(g_constant_initialised.present());
  EXPECT_EQ(g_constant_initialised.init().error(), Error::kInvalidArgument);
  EXPECT_EQ(g_constant_initialised.write_some(nullptr, 0).error(), Error::kNoDevice);
}

TEST(UartDriver, InitDiscardsStaleReceivedBytes) {
  FakeUart uart;
  uart.receive({'o', 'l', 'd'});
  UartDriver driver(&uart);
  ASSERT_TRUE(driver.init().ok());
  driver.on_interrupt();
  EXPECT_EQ(driver.available(), 0u);
}

TEST(UartDriver, InterruptDrainsTheFifoIntoTheBuffer) {
  Ready ready;
  ready.uart.receive({'h', 'e', 'l', 'l', 'o'});
  ready.driver.on_interrupt();
  EXPECT_EQ(ready.uart.receive_fifo_size(), 0u);
  EXPECT_EQ(read_all(ready.driver), (std::vector<uint8_t>{'h', 'e', 'l', 'l', 'o'}));
  EXPECT_EQ(ready.driver.stats().received, 5u);
  EXPECT_EQ(ready.driver.stats().interrupts, 1u);
  EXPECT_EQ(ready.driver.stats().spurious_interrupts, 0u);
}

TEST(UartDriver, AFullBufferStopsDrainingAndResumesWithoutLoss) {
  Ready ready;
  constexpr size_t kTotal = 5000;
  size_t sent = 0;
  // The far end sends whenever the chip's FIFO has room, as QEMU's chardev does, and nobody
  // reads the ring buffer yet.
  auto send_what_fits = [&] {
    while (sent < kTotal && ready.uart.receive_room() > 0) {
      ready.uart.receive(static_cast<uint8_t>(sent * 7));
      ++sent;
    }
  };
  for (int i = 0; i < 1000 && !ready.driver.receive_paused(); ++i) {
    send_what_fits();
    ready.driver.on_interrupt();
  }
  ASSERT_TRUE(ready.driver.receive_paused());
  EXPECT_EQ(ready.driver.available(), UartDriver::kReceiveCapacity);
  EXPECT_EQ(ready.uart.ier() & kIerReceivedData, 0);  // no interrupt storm while full
  // The chip keeps the rest, so the sender is held back: it cannot send more now.
  send_what_fits();
  ready.driver.on_interrupt();
  EXPECT_EQ(ready.uart.receive_fifo_size(), kFifoDepth);
  EXPECT_EQ(sent, UartDriver::kReceiveCapacity + kFifoDepth);
  EXPECT_EQ(ready.driver.stats().receive_pauses, 1u);

  // A reader that takes a few bytes makes too little room to resume; a FIFO load's worth does.
  std::vector<uint8_t> got(kTotal);
  size_t taken = ready.driver.read(got.data(), 3);
  EXPECT_TRUE(ready.driver.receive_paused());
  taken += ready.driver.read(got.data() + taken, UartDriver::kResumeRoom);
  EXPECT_FALSE(ready.driver.receive_paused());
  EXPECT_NE(ready.uart.ier() & kIerReceivedData, 0);

  // From here reader and sender take turns until everything is through.
  for (int i = 0; i < 100000 && taken < kTotal; ++i) {
    ready.driver.on_interrupt();
    send_what_fits();
    taken += ready.driver.read(got.data() + taken, 100);
  }
  ASSERT_EQ(taken, kTotal);
  for (size_t i = 0; i < kTotal; ++i) ASSERT_EQ(got[i], static_cast<uint8_t>(i * 7)) << "at " << i;
  EXPECT_EQ(ready.driver.stats().received, kTotal);
  EXPECT_EQ(ready.driver.stats().hardware_overruns, 0u);
  EXPECT_GE(ready.driver.stats().receive_pauses, 1u);
}

TEST(UartDriver, APausedReceiverLeavesASenderThatDoesNotWaitToOverrunTheChip) {
  // Real hardware with a far end that ignores the full FIFO: the chip loses bytes and says so.
  Ready ready;
  for (size_t i = 0; i < UartDriver::kReceiveCapacity + 40; ++i) {
    ready.uart.receive(static_cast<uint8_t>(i));
    if (ready.uart.receive_fifo_size() >= 14) ready.driver.on_interrupt();
  }
  ready.driver.on_interrupt();
  EXPECT_TRUE(ready.driver.receive_paused());
  auto bytes = read_all(ready.driver);
  ASSERT_EQ(bytes.size(), UartDriver::kReceiveCapacity);
  for (size_t i = 0; i < bytes.size(); ++i) ASSERT_EQ(bytes[i], static_cast<uint8_t>(i));
  // Resumed: the FIFO kept the oldest 16 of the 40 and LSR.OE reports the loss.
  ready.driver.on_interrupt();
  EXPECT_EQ(ready.driver.stats().hardware_overruns, 1u);
  bytes = read_all(ready.driver);
  ASSERT_EQ(bytes.size(), kFifoDepth);
  for (size_t i = 0; i < bytes.size(); ++i) {
    ASSERT_EQ(bytes[i], static_cast<uint8_t>(UartDriver::kReceiveCapacity + i));
  }
}

TEST(UartDriver, HardwareOverrunIsCountedAndTheFifoKept) {
  Ready ready;
  for (uint8_t i = 0; i < 20; ++i) ready.uart.receive(i);  // 4 more than the FIFO holds
  ready.driver.on_interrupt();
  EXPECT_EQ(ready.driver.stats().hardware_overruns, 1u);
  auto bytes = read_all(ready.driver);
  ASSERT_EQ(bytes.size(), 16u);
  for (uint8_t i = 0; i < 16; ++i) EXPECT_EQ(bytes[i], i);
}

TEST(UartDriver, LineErrorsAreCountedAndTheBytesDelivered) {
  Ready ready;
  ready.uart.receive('a', kLsrParityError);
  ready.uart.receive('b', kLsrFramingError);
  ready.uart.receive(0, kLsrBreak);
  ready.uart.receive('c');
  ready.driver.on_interrupt();
  EXPECT_EQ(ready.driver.stats().parity_errors, 1u);
  EXPECT_EQ(ready.driver.stats().framing_errors, 1u);
  EXPECT_EQ(ready.driver.stats().breaks, 1u);
  EXPECT_EQ(read_all(ready.driver), (std::vector<uint8_t>{'a', 'b', 0, 'c'}));
}

TEST(UartDriver, AnInterruptWithNothingPendingIsSpurious) {
  Ready ready;
  ready.driver.on_interrupt();
  EXPECT_EQ(ready.driver.stats().spurious_interrupts, 1u);
  EXPECT_EQ(ready.driver.available(), 0u);
}

TEST(UartDriver, AStuckChipCannotKeepTheHandlerForever) {
  Ready ready;
  ready.uart.stuck_interrupt = true;
  ready.uart.receive_buffer_reads = 0;
  ready.driver.on_interrupt();
  EXPECT_EQ(ready.uart.receive_buffer_reads,
            UartDriver::kMaxInterruptRounds * UartDriver::kMaxDrainPerRound);
  EXPECT_EQ(ready.driver.available(), UartDriver::kReceiveCapacity);
}

TEST(UartDriver, WriteSendsEveryByteInOrderInFifoLoads) {
  Ready ready;
  std::vector<uint8_t> data(100);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>('A' + i % 26);
  ready.uart.log.clear();
  EXPECT_EQ(send(ready.driver, ready.uart, data.data(), data.size()), data.size());
  ready.uart.settle();
  EXPECT_EQ(ready.uart.transmitted, data);
  // Never more than a FIFO's worth of THR writes between two looks at LSR.THRE.
  size_t run = 0;
  for (const auto& access : ready.uart.log) {
    if (access.is_write && access.offset == kRegTransmitHolding) {
      ASSERT_LT(run++, kFifoDepth);
    } else if (!access.is_write && access.offset == kRegLineStatus) {
      run = 0;
    }
  }
}

TEST(UartDriver, WriteWithoutFifoWaitsBeforeEveryByte) {
  FakeUart uart;
  uart.has_fifo = false;
  UartDriver driver(&uart);
  ASSERT_TRUE(driver.init().ok());
  EXPECT_FALSE(driver.fifo_enabled());
  const uint8_t data[] = {'1', '2', '3'};
  uart.log.clear();
  ASSERT_EQ(send(driver, uart, data, sizeof(data)), 3u);
  uart.settle();
  EXPECT_EQ(uart.transmitted, (std::vector<uint8_t>{'1', '2', '3'}));
  bool thre_seen = false;
  for (const auto& access : uart.log) {
    if (!access.is_write && access.offset == kRegLineStatus) thre_seen = true;
    if (access.is_write && access.offset == kRegTransmitHolding) {
      ASSERT_TRUE(thre_seen);
      thre_seen = false;
    }
  }
}

TEST(UartDriver, ABusyTransmitterTakesNothingAndLosesNothing) {
  Ready ready;
  ready.uart.transmitter_stalled = true;
  std::vector<uint8_t> data(40, 'x');
  auto first = ready.driver.write_some(data.data(), data.size());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, kFifoDepth);  // THR was empty: one FIFO load
  for (int i = 0; i < 1000; ++i) {
    auto more = ready.driver.write_some(data.data(), data.size());
    ASSERT_TRUE(more.ok());
    ASSERT_EQ(*more, 0u);  // busy: no give-up error, and nothing written over the FIFO
  }
  EXPECT_EQ(ready.uart.transmit_overruns, 0u);
  EXPECT_EQ(ready.uart.transmit_fifo_size(), kFifoDepth);
}

TEST(UartDriver, ASlowTransmitterLosesNothing) {
  Ready ready;
  ready.uart.slow_polls = 50;  // each FIFO load takes a while to leave: THRE stays clear
  std::vector<uint8_t> data(64 * 1024);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 31 + i / 251);
  size_t waits = 0;
  EXPECT_EQ(send(ready.driver, ready.uart, data.data(), data.size(), &waits), data.size());
  for (int i = 0; i < 100; ++i) ready.uart.settle();
  EXPECT_EQ(ready.uart.transmitted, data);
  EXPECT_EQ(ready.uart.transmit_overruns, 0u);
  EXPECT_GE(waits, data.size() / kFifoDepth - 1);  // it waited for (nearly) every load
  EXPECT_EQ(ready.uart.ier(), kIerReceivedData);   // the THR-empty interrupt is off again
}

TEST(UartDriver, TheTransmitInterruptComesAtOnceIfThrIsAlreadyEmpty) {
  Ready ready;
  ready.driver.set_transmit_interrupt(true);  // no byte in flight: THRE is set
  ready.driver.on_interrupt();
  EXPECT_TRUE(ready.driver.take_transmit_ready());
  EXPECT_FALSE(ready.driver.take_transmit_ready());  // taken once
  ready.driver.set_transmit_interrupt(false);
  EXPECT_EQ(ready.uart.ier(), kIerReceivedData);
}

TEST(UartDriver, AChipThatDisappearsEndsTheWriteWithWhatWentOut) {
  Ready ready;
  ready.uart.slow_polls = 3;
  std::vector<uint8_t> data(100, 'z');
  size_t waits = 0;
  auto gone_after_a_load = send_all(
      data.data(), data.size(),
      [&](const uint8_t* bytes, size_t count) { return ready.driver.write_some(bytes, count); },
      [&] {
        ++waits;
        ready.uart.present = false;  // unplugged: the bus reads 0xFF from now on
      });
  EXPECT_EQ(gone_after_a_load, kFifoDepth);
  EXPECT_EQ(waits, 1u);
  auto again = ready.driver.write_some(data.data(), 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), Error::kNoDevice);
}

TEST(UartDriver, WriteChecksItsArguments) {
  Ready ready;
  EXPECT_EQ(ready.driver.write_some(nullptr, 3).error(), Error::kInvalidArgument);
  auto nothing = ready.driver.write_some(nullptr, 0);
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(*nothing, 0u);
}

TEST(UartDriver, SetLineProgramsDivisorAndLineControl) {
  Ready ready;
  ASSERT_TRUE(ready.driver.set_line({9600, 7, Parity::kEven, 1}).ok());
  EXPECT_EQ(ready.uart.divisor(), 12);
  EXPECT_EQ(ready.uart.lcr(), 0x02 | kLcrParityEnable | kLcrEvenParity);
  EXPECT_EQ(ready.uart.ier(), kIerReceivedData);  // the DLAB window did not clobber IER
  EXPECT_EQ(ready.driver.line().baud, 9600u);
  EXPECT_EQ(ready.driver.line().data_bits, 7);

  struct Case {
    LineSettings settings;
    uint16_t divisor;
    uint8_t lcr;
  };
  const Case cases[] = {
      {{115200, 8, Parity::kNone, 2}, 1, 0x07},
      {{50, 5, Parity::kOdd, 1}, 2304, 0x08},
      {{38400, 6, Parity::kMark, 2}, 3, 0x01 | 0x04 | 0x28},
      {{300, 8, Parity::kSpace, 1}, 384, 0x03 | 0x38},
      {{1200, 5, Parity::kNone, 2}, 96, 0x04},  // the chip sends 1.5 stop bits
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(ready.driver.set_line(c.settings).ok()) << c.settings.baud;
    EXPECT_EQ(ready.uart.divisor(), c.divisor) << c.settings.baud;
    EXPECT_EQ(ready.uart.lcr(), c.lcr) << c.settings.baud;
  }
}

TEST(UartDriver, SetLineRejectsBadSettingsAndLeavesTheChipAlone) {
  Ready ready;
  const LineSettings bad[] = {
      {0, 8, Parity::kNone, 1},       // no baud
      {110, 8, Parity::kNone, 1},     // does not divide 115200
      {230400, 8, Parity::kNone, 1},  // faster than the clock allows
      {9600, 4, Parity::kNone, 1},    // data bits below 5
      {9600, 9, Parity::kNone, 1},    // data bits above 8
      {9600, 8, Parity::kNone, 0},    // no stop bit
      {9600, 8, Parity::kNone, 3},   {9600, 8, static_cast<Parity>(7), 1},
  };
  const size_t log_before = ready.uart.log.size();
  for (const LineSettings& settings : bad) {
    EXPECT_EQ(UartDriver::validate(settings).error(), Error::kInvalidArgument);
    EXPECT_EQ(ready.driver.set_line(settings).error(), Error::kInvalidArgument);
  }
  EXPECT_EQ(ready.uart.log.size(), log_before);
  EXPECT_EQ(ready.uart.divisor(), 1);
  EXPECT_EQ(ready.uart.lcr(), 0x03);
  EXPECT_EQ(ready.driver.line().baud, 115200u);
}

TEST(UartDriver, ReadCopiesAtMostTheCapacityAndToleratesNull) {
  Ready ready;
  ready.uart.receive({'1', '2', '3'});
  ready.driver.on_interrupt();
  EXPECT_EQ(ready.driver.read(nullptr, 3), 0u);
  uint8_t two[2] = {};
  EXPECT_EQ(ready.driver.read(two, 2), 2u);
  EXPECT_EQ(two[0], '1');
  EXPECT_EQ(two[1], '2');
  EXPECT_EQ(ready.driver.available(), 1u);
}

}  // namespace
}  // namespace bm::serial
