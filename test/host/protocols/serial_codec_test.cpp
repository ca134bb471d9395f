// Host tests for the serial protocol (ipc/serial.h): raw byte round trips, read limits, and
// the line settings a 16550 can and cannot take.
#include "ipc/serial.h"
#include "test/host/protocols/wire_test_support.h"

namespace bm::ipc::serial {
namespace {

using testing::bytes_string;
using testing::make_message;
using testing::pattern;
using testing::poisoned;
using testing::round_trip;
using testing::view_of;

TEST(SerialWrite, RoundTripsRawBytesFromEmptyTo4000) {
  const std::string text = pattern(kMaxWriteBytes);
  for (uint32_t length : {0u, 1u, 8u, 9u, 4000u}) {
    WireMessage message;
    WriteRequest out = round_trip(WriteRequest{view_of(text.substr(0, length))}, &message);
    EXPECT_EQ(message.label, kWrite);
    EXPECT_EQ(bytes_string(out.bytes), text.substr(0, length));
  }
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(WriteRequest{view_of(pattern(4001))}, &message));
  WriteRequest out;
  EXPECT_EQ(decode(make_message(kWrite, {4001}), &out), ProtocolStatus::kBadValue);
}

TEST(SerialWrite, CarriesNulAndCarriageReturnUnchanged) {
  const std::string raw("a\r\n\0\xff", 5);
  WireMessage message;
  EXPECT_EQ(bytes_string(round_trip(WriteRequest{view_of(raw)}, &message).bytes), raw);
}

TEST(SerialRead, RoundTripsLimitsAndBlocking) {
  for (uint32_t max_bytes : {1u, 16u, 4000u}) {
    for (bool blocking : {false, true}) {
      WireMessage message;
      ReadRequest out = round_trip(ReadRequest{max_bytes, blocking}, &message);
      EXPECT_EQ(out.max_bytes, max_bytes);
      EXPECT_EQ(out.blocking, blocking);
      EXPECT_EQ(message.words, 2u);
    }
  }
}

TEST(SerialRead, RefusesZeroOrMoreThan4000BytesAndBadFlags) {
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(ReadRequest{0, true}, &message));
  EXPECT_FALSE(encode(ReadRequest{4001, true}, &message));
  ReadRequest out{7, false};
  for (uint64_t bad : {0ull, 4001ull, 1ull << 32 | 16, ~0ull}) {
    EXPECT_EQ(decode(make_message(kRead, {bad, 1}), &out), ProtocolStatus::kBadValue) << bad;
  }
  EXPECT_EQ(decode(make_message(kRead, {16, 2}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(out.max_bytes, 7u);
}

TEST(SerialReadReply, RoundTripsOneTo4000Bytes) {
  const std::string text = pattern(kMaxReadBytes);
  for (uint32_t length : {1u, 7u, 8u, 9u, 4000u}) {
    WireMessage message;
    ReadReply out =
        round_trip(ReadReply{ProtocolStatus::kOk, view_of(text.substr(0, length))}, &message);
    EXPECT_EQ(out.status, ProtocolStatus::kOk);
    EXPECT_EQ(bytes_string(out.bytes), text.substr(0, length));
    EXPECT_EQ(message.words, 2 + (length + 7) / 8);
  }
  EXPECT_EQ(kMaxReadReplyWords, 502u);
}

TEST(SerialReadReply, RefusesAnEmptyOkReplyAndOverlongData) {
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(ReadReply{ProtocolStatus::kOk, {}}, &message));
  EXPECT_FALSE(encode(ReadReply{ProtocolStatus::kOk, view_of(pattern(4001))}, &message));
  ReadReply out;
  EXPECT_EQ(decode(make_message(kRead, {0, 0, 0}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kRead, {0, 4001, 0}), &out), ProtocolStatus::kBadValue);
  EXPECT_EQ(decode(make_message(kRead, {0, 9, 0}), &out), ProtocolStatus::kTooShort);
  EXPECT_EQ(decode(make_message(kRead, {0, 1, 0x100}), &out), ProtocolStatus::kBadValue);
  const WireMessage one_byte = make_message(kRead, {0, 1, 'x'});  // outlives the view
  EXPECT_EQ(decode(one_byte, &out), ProtocolStatus::kOk);
  EXPECT_EQ(bytes_string(out.bytes), "x");
}

TEST(SerialReadReply, WouldBlockCarriesNoBytes) {
  WireMessage message;
  ReadReply out = round_trip(ReadReply{ProtocolStatus::kWouldBlock, view_of("ignored")}, &message);
  EXPECT_EQ(message.words, 1u);
  EXPECT_EQ(out.status, ProtocolStatus::kWouldBlock);
  EXPECT_EQ(out.bytes.length, 0u);
}

TEST(SerialSetLine, RoundTripsEveryStandardRateAndFrame) {
  int settings = 0;
  for (uint32_t baud : {1200u, 2400u, 4800u, 9600u, 19200u, 38400u, 57600u, 115200u}) {
    for (uint8_t data_bits = 5; data_bits <= 8; ++data_bits) {
      for (Parity parity : {Parity::kNone, Parity::kOdd, Parity::kEven}) {
        for (uint8_t stop_bits : {1, 2}) {
          WireMessage message;
          LineSettings line{baud, data_bits, parity, stop_bits};
          LineSettings out = round_trip(SetLineRequest{line}, &message).line;
          EXPECT_EQ(out.baud, baud);
          EXPECT_EQ(out.data_bits, data_bits);
          EXPECT_EQ(out.parity, parity);
          EXPECT_EQ(out.stop_bits, stop_bits);
          EXPECT_EQ(message.words, 4u);
          ++settings;
        }
      }
    }
  }
  EXPECT_EQ(settings, 8 * 4 * 3 * 2);
}

TEST(SerialSetLine, DivisorsComeFrom115200) {
  EXPECT_EQ(baud_divisor(115200), 1);
  EXPECT_EQ(baud_divisor(9600), 12);
  EXPECT_EQ(baud_divisor(1200), 96);
}

TEST(SerialSetLine, RefusesRatesAndFramesA16550CannotDo) {
  SetLineRequest out;
  for (uint64_t baud :
       {0ull, 300ull, 1199ull, 1201ull, 7000ull, 115201ull, 230400ull, (1ull << 32) + 9600}) {
    EXPECT_EQ(decode(make_message(kSetLine, {baud, 8, 0, 1}), &out), ProtocolStatus::kBadValue)
        << baud;
    if (baud < (1ull << 32)) {
      WireMessage message = poisoned();
      EXPECT_FALSE(
          encode(SetLineRequest{{static_cast<uint32_t>(baud), 8, Parity::kNone, 1}}, &message));
    }
  }
  for (uint64_t data_bits : {0ull, 4ull, 9ull, 1ull << 32 | 8}) {
    EXPECT_EQ(decode(make_message(kSetLine, {9600, data_bits, 0, 1}), &out),
              ProtocolStatus::kBadValue)
        << data_bits;
  }
  for (uint64_t parity : {3ull, 1ull << 32}) {
    EXPECT_EQ(decode(make_message(kSetLine, {9600, 8, parity, 1}), &out),
              ProtocolStatus::kBadValue);
  }
  for (uint64_t stop_bits : {0ull, 3ull, 1ull << 32 | 1}) {
    EXPECT_EQ(decode(make_message(kSetLine, {9600, 8, 0, stop_bits}), &out),
              ProtocolStatus::kBadValue);
  }
  WireMessage message = poisoned();
  EXPECT_FALSE(encode(SetLineRequest{{9600, 4, Parity::kNone, 1}}, &message));
  EXPECT_FALSE(encode(SetLineRequest{{9600, 9, Parity::kNone, 1}}, &message));
  EXPECT_FALSE(encode(SetLineRequest{{9600, 8, static_cast<Parity>(3), 1}}, &message));
  EXPECT_FALSE(encode(SetLineRequest{{9600, 8, Parity::kNone, 3}}, &message));
  EXPECT_EQ(out.line.baud, 115200u);  // every refusal left the default alone
}

TEST(SerialWriteReply, RoundTripsCountsAndErrors) {
  WireMessage message;
  EXPECT_EQ(round_trip(WriteReply{ProtocolStatus::kOk, 4000}, &message).written, 4000u);
  EXPECT_EQ(round_trip(WriteReply{ProtocolStatus::kUnsupported, 3}, &message).written, 0u);
  EXPECT_FALSE(encode(WriteReply{ProtocolStatus::kOk, 4001}, &message));
  WriteReply out;
  EXPECT_EQ(decode(make_message(kWrite, {0, 4001}), &out), ProtocolStatus::kBadValue);
}

TEST(SerialProtocol, LabelsAreApartFromTheConsoleItAlsoSpeaks) {
  EXPECT_EQ(kWrite, 0x301u);
  EXPECT_EQ(kRead, 0x302u);
  EXPECT_EQ(kSetLine, 0x303u);
  // A console write is not a serial write, even with the same words.
  WriteRequest out;
  EXPECT_EQ(decode(make_message(0x101, {1, 'a'}), &out), ProtocolStatus::kUnknownLabel);
  EXPECT_EQ(decode(make_message(kWrite, {1, 'a'}), &out), ProtocolStatus::kOk);
}

}  // namespace
}  // namespace bm::ipc::serial
