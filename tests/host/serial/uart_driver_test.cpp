// Host tests for UartDriver against FakeUart: the init sequence and presence test, interrupt
// receive with buffer overflow and line errors, bounded transmit, and line settings.
#include "servers/serial/uart_driver.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/host/serial/fake_uart.h"

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
  auto written = driver.write(&byte, 1);
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
  EXPECT_EQ(g_constant_initialised.write(nullptr, 0).error(), Error::kNoDevice);
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

TEST(UartDriver, OverflowKeepsTheOldestBytesAndCountsTheRest) {
  Ready ready;
  constexpr size_t kTotal = 5000;
  for (size_t sent = 0; sent < kTotal;) {
    // 14 bytes per interrupt: what the trigger level delivers at full speed.
    for (size_t i = 0; i < 14 && sent < kTotal; ++i, ++sent) {
      ready.uart.receive(static_cast<uint8_t>(sent * 7));
    }
    ready.driver.on_interrupt();
  }
  EXPECT_EQ(ready.driver.stats().received, kTotal);
  EXPECT_EQ(ready.driver.stats().buffer_overflows, 904u);
  EXPECT_EQ(ready.driver.stats().hardware_overruns, 0u);
  auto bytes = read_all(ready.driver);
  ASSERT_EQ(bytes.size(), 4096u);
  for (size_t i = 0; i < bytes.size(); ++i) {
    ASSERT_EQ(bytes[i], static_cast<uint8_t>(i * 7)) << "at " << i;
  }
  // Once read, the buffer takes new data again.
  ready.uart.receive({'o', 'k'});
  ready.driver.on_interrupt();
  EXPECT_EQ(read_all(ready.driver), (std::vector<uint8_t>{'o', 'k'}));
  EXPECT_EQ(ready.driver.stats().buffer_overflows, 904u);
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
  auto sent = ready.driver.write(data.data(), data.size());
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(*sent, data.size());
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
  ASSERT_EQ(*driver.write(data, sizeof(data)), 3u);
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

TEST(UartDriver, WriteGivesUpOnAStalledTransmitter) {
  Ready ready;
  ready.uart.transmitter_stalled = true;
  std::vector<uint8_t> data(40, 'x');
  ready.uart.log.clear();
  auto sent = ready.driver.write(data.data(), data.size());
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(*sent, kFifoDepth);  // the first load went in, then THRE never came back
  EXPECT_LE(ready.uart.log.size(), UartDriver::kSpinLimit + 2 * kFifoDepth + 2);
  auto again = ready.driver.write(data.data(), 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), Error::kTimedOut);
}

TEST(UartDriver, WriteChecksItsArguments) {
  Ready ready;
  EXPECT_EQ(ready.driver.write(nullptr, 3).error(), Error::kInvalidArgument);
  auto nothing = ready.driver.write(nullptr, 0);
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
