// The 16550 UART's register interface: what UartDriver needs from the hardware. The serial
// server implements it with in/out on COM1 (0x3F8-0x3FF); host tests implement it with a fake.
#pragma once

#include <stdint.h>

namespace bm::serial {

// Register offsets from the base port: National Semiconductor (TI) PC16550D datasheet, register
// summary table. Offsets 0 and 1 reach the divisor latch instead while LCR.DLAB = 1.
inline constexpr uint8_t kRegReceiveBuffer = 0;    // RBR (read, DLAB = 0)
inline constexpr uint8_t kRegTransmitHolding = 0;  // THR (write, DLAB = 0)
inline constexpr uint8_t kRegDivisorLow = 0;       // DLL (DLAB = 1)
inline constexpr uint8_t kRegInterruptEnable = 1;  // IER (DLAB = 0)
inline constexpr uint8_t kRegDivisorHigh = 1;      // DLM (DLAB = 1)
inline constexpr uint8_t kRegInterruptIdent = 2;   // IIR (read)
inline constexpr uint8_t kRegFifoControl = 2;      // FCR (write)
inline constexpr uint8_t kRegLineControl = 3;      // LCR
inline constexpr uint8_t kRegModemControl = 4;     // MCR
inline constexpr uint8_t kRegLineStatus = 5;       // LSR
inline constexpr uint8_t kRegModemStatus = 6;      // MSR
inline constexpr uint8_t kRegScratch = 7;          // SCR
inline constexpr uint8_t kRegisterCount = 8;

// IER bits (datasheet, "Interrupt Enable Register").
inline constexpr uint8_t kIerReceivedData = 1u << 0;   // ERBFI: data available / FIFO timeout
inline constexpr uint8_t kIerTransmitEmpty = 1u << 1;  // ETBEI
inline constexpr uint8_t kIerLineStatus = 1u << 2;     // ELSI
inline constexpr uint8_t kIerModemStatus = 1u << 3;    // EDSSI

// IIR bits (datasheet, "Interrupt Identification Register" and its Interrupt Control Functions
// table).
inline constexpr uint8_t kIirNoInterruptPending = 1u << 0;  // 1 = nothing pending
inline constexpr uint8_t kIirIdMask = 0x0E;                 // bits 1-3: the pending source
inline constexpr uint8_t kIirLineStatus = 0x06;             // priority 1: OE/PE/FE/BI
inline constexpr uint8_t kIirReceivedData = 0x04;           // priority 2: trigger level reached
inline constexpr uint8_t kIirCharacterTimeout = 0x0C;       // priority 2: FIFO idle with data
inline constexpr uint8_t kIirTransmitEmpty = 0x02;          // priority 3
inline constexpr uint8_t kIirModemStatus = 0x00;            // priority 4
inline constexpr uint8_t kIirFifosEnabled = 0xC0;           // bits 6-7 set when FCR0 = 1

// FCR bits (datasheet, "FIFO Control Register").
inline constexpr uint8_t kFcrEnable = 1u << 0;
inline constexpr uint8_t kFcrClearReceive = 1u << 1;
inline constexpr uint8_t kFcrClearTransmit = 1u << 2;
inline constexpr uint8_t kFcrTrigger1 = 0x00;  // RX interrupt at 1 byte
inline constexpr uint8_t kFcrTrigger4 = 0x40;
inline constexpr uint8_t kFcrTrigger8 = 0x80;
inline constexpr uint8_t kFcrTrigger14 = 0xC0;  // 14 of 16 bytes: few interrupts, 2 bytes slack
inline constexpr uint8_t kFifoDepth = 16;       // both FIFOs hold 16 characters (Features)

// LCR bits (datasheet, "Line Control Register").
inline constexpr uint8_t kLcrWordLengthMask = 0x03;  // 00 = 5 bits ... 11 = 8 bits
inline constexpr uint8_t kLcrTwoStopBits = 1u << 2;  // 1.5 stop bits with 5-bit words
inline constexpr uint8_t kLcrParityEnable = 1u << 3;
inline constexpr uint8_t kLcrEvenParity = 1u << 4;
inline constexpr uint8_t kLcrStickParity = 1u << 5;  // with PEN: parity bit fixed (mark/space)
inline constexpr uint8_t kLcrBreak = 1u << 6;
inline constexpr uint8_t kLcrDivisorLatch = 1u << 7;  // DLAB

// MCR bits (datasheet, "Modem Control Register").
inline constexpr uint8_t kMcrDtr = 1u << 0;
inline constexpr uint8_t kMcrRts = 1u << 1;
inline constexpr uint8_t kMcrOut1 = 1u << 2;
inline constexpr uint8_t kMcrOut2 = 1u << 3;  // gates the INTR line to the PIC on PC boards
inline constexpr uint8_t kMcrLoopback = 1u << 4;

// LSR bits (datasheet, "Line Status Register").
inline constexpr uint8_t kLsrDataReady = 1u << 0;
inline constexpr uint8_t kLsrOverrun = 1u << 1;
inline constexpr uint8_t kLsrParityError = 1u << 2;
inline constexpr uint8_t kLsrFramingError = 1u << 3;
inline constexpr uint8_t kLsrBreak = 1u << 4;
inline constexpr uint8_t kLsrTransmitHoldingEmpty = 1u << 5;  // THRE: THR / TX FIFO empty
inline constexpr uint8_t kLsrTransmitterEmpty = 1u << 6;      // TEMT: shift register empty too
inline constexpr uint8_t kLsrFifoError = 1u << 7;

// The divisor latch divides the 1.8432 MHz PC clock by 16 * divisor (datasheet, "Programmable
// Baud Generator"), so divisor 1 gives 115200 baud.
inline constexpr uint32_t kMaxBaud = 115200;

// Byte access to the eight registers at offsets 0..7 from the base port.
class UartPort {
 public:
  virtual uint8_t read(uint8_t offset) = 0;
  virtual void write(uint8_t offset, uint8_t value) = 0;

 protected:
  // Never deleted through this interface; servers have no heap to delete from.
  ~UartPort() = default;
};

}  // namespace bm::serial
