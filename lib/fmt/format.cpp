// printf-style formatting without libc: a single pass over the format that hands runs of text
// to a sink. Only integer and pointer arguments are read (the kernel has no FPU state).
#include "lib/fmt/format.h"

#include <limits.h>
#include <stdint.h>

#include "lib/fmt/string.h"

namespace bm {
namespace {

enum class Length { kDefault, kChar, kShort, kLong, kLongLong, kSize, kIntMax, kPtrDiff };

struct Spec {
  bool left = false;       // '-'
  bool zero = false;       // '0'
  bool plus = false;       // '+'
  bool space = false;      // ' '
  bool alternate = false;  // '#'
  bool width_from_arg = false;
  bool precision_from_arg = false;
  bool has_precision = false;
  size_t width = 0;
  size_t precision = 0;
  Length length = Length::kDefault;
  char conversion = '\0';
};

// Padding is written from these in chunks, so a wide field costs a few sink calls, not one
// per character.
constexpr char kSpaces[] = "                                ";
constexpr char kZeros[] = "00000000000000000000000000000000";
constexpr size_t kPadChunk = sizeof(kSpaces) - 1;

// 64-bit octal needs 22 digits; the largest conversion we build.
constexpr size_t kMaxDigits = 24;

class Writer {
 public:
  Writer(CharSink sink, void* context) : sink_(sink), context_(context) {}

  void write(const char* text, size_t length) {
    if (length == 0) return;
    if (sink_ != nullptr) sink_(context_, text, length);
    total_ += length;
  }

  void pad(char fill, size_t count) {
    const char* chunk = fill == '0' ? kZeros : kSpaces;
    while (count > 0) {
      size_t run = count < kPadChunk ? count : kPadChunk;
      write(chunk, run);
      count -= run;
    }
  }

  size_t total() const { return total_; }

 private:
  CharSink sink_;
  void* context_;
  size_t total_ = 0;
};

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Parses a decimal field width or precision, saturating at INT_MAX (C's limit for both).
const char* parse_number(const char* p, size_t* out) {
  size_t value = 0;
  while (is_digit(*p)) {
    value = value * 10 + static_cast<size_t>(*p - '0');
    if (value > static_cast<size_t>(INT_MAX)) value = INT_MAX;
    ++p;
  }
  *out = value;
  return p;
}

const char* parse_length(const char* p, Length* out) {
  switch (*p) {
    case 'h':
      if (p[1] == 'h') {
        *out = Length::kChar;
        return p + 2;
      }
      *out = Length::kShort;
      return p + 1;
    case 'l':
      if (p[1] == 'l') {
        *out = Length::kLongLong;
        return p + 2;
      }
      *out = Length::kLong;
      return p + 1;
    case 'z': *out = Length::kSize; return p + 1;
    case 'j': *out = Length::kIntMax; return p + 1;
    case 't': *out = Length::kPtrDiff; return p + 1;
    default: *out = Length::kDefault; return p;
  }
}

// Decides before any argument is read whether we know the argument's type; an unknown
// specification is printed verbatim and must not consume anything.
bool is_supported(const Spec& spec) {
  switch (spec.conversion) {
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
      return true;
    case 'c': case 's': case 'p':
      return spec.length == Length::kDefault;
    default:
      return false;
  }
}

// Reads an argument with the type its length modifier names, so va_arg always matches what
// the caller passed (after default promotions for hh and h).
int64_t read_signed(va_list* args, Length length) {
  switch (length) {
    case Length::kChar: return static_cast<signed char>(va_arg(*args, int));
    case Length::kShort: return static_cast<short>(va_arg(*args, int));
    case Length::kLong: return va_arg(*args, long);
    case Length::kLongLong: return va_arg(*args, long long);
    case Length::kSize: return static_cast<int64_t>(va_arg(*args, size_t));
    case Length::kIntMax: return va_arg(*args, intmax_t);
    case Length::kPtrDiff: return va_arg(*args, ptrdiff_t);
    case Length::kDefault: break;
  }
  return va_arg(*args, int);
}

uint64_t read_unsigned(va_list* args, Length length) {
  switch (length) {
    case Length::kChar: return static_cast<unsigned char>(va_arg(*args, unsigned int));
    case Length::kShort: return static_cast<unsigned short>(va_arg(*args, unsigned int));
    case Length::kLong: return va_arg(*args, unsigned long);
    case Length::kLongLong: return va_arg(*args, unsigned long long);
    case Length::kSize: return va_arg(*args, size_t);
    case Length::kIntMax: return va_arg(*args, uintmax_t);
    case Length::kPtrDiff: return static_cast<uint64_t>(va_arg(*args, ptrdiff_t));
    case Length::kDefault: break;
  }
  return va_arg(*args, unsigned int);
}

// Writes the digits of value right-aligned ending at end; returns how many.
size_t to_digits(uint64_t value, unsigned base, bool upper, char* end) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  size_t count = 0;
  do {
    *--end = digits[value % base];
    value /= base;
    ++count;
  } while (value != 0);
  return count;
}

void write_field(Writer& out, const Spec& spec, const char* text, size_t length) {
  size_t padding = spec.width > length ? spec.width - length : 0;
  if (!spec.left) out.pad(' ', padding);
  out.write(text, length);
  if (spec.left) out.pad(' ', padding);
}

void write_integer(Writer& out, const Spec& spec, uint64_t magnitude, bool negative,
                   bool is_signed) {
  unsigned base = 10;
  if (spec.conversion == 'x' || spec.conversion == 'X') base = 16;
  if (spec.conversion == 'o') base = 8;

  char buffer[kMaxDigits];
  char* end = buffer + kMaxDigits;
  size_t digit_count = 0;
  // C: a zero value with precision 0 produces no digits.
  if (!(spec.has_precision && spec.precision == 0 && magnitude == 0)) {
    digit_count = to_digits(magnitude, base, spec.conversion == 'X', end);
  }
  const char* digits = end - digit_count;

  char prefix[2];
  size_t prefix_length = 0;
  if (is_signed) {
    if (negative) {
      prefix[prefix_length++] = '-';
    } else if (spec.plus) {
      prefix[prefix_length++] = '+';
    } else if (spec.space) {
      prefix[prefix_length++] = ' ';
    }
  }
  if (spec.alternate && base == 16 && magnitude != 0) {
    prefix[prefix_length++] = '0';
    prefix[prefix_length++] = spec.conversion;
  }

  size_t zeros = spec.has_precision && spec.precision > digit_count ? spec.precision - digit_count
                                                                    : 0;
  // '#' with %o: raise the precision just enough that the first digit is a zero.
  if (spec.alternate && base == 8 && zeros == 0 && (digit_count == 0 || digits[0] != '0')) {
    zeros = 1;
  }
  size_t body = prefix_length + zeros + digit_count;
  // The '0' flag is ignored when '-' or a precision is given.
  if (spec.zero && !spec.left && !spec.has_precision && spec.width > body) {
    zeros += spec.width - body;
    body = spec.width;
  }
  size_t padding = spec.width > body ? spec.width - body : 0;

  if (!spec.left) out.pad(' ', padding);
  out.write(prefix, prefix_length);
  out.pad('0', zeros);
  out.write(digits, digit_count);
  if (spec.left) out.pad(' ', padding);
}

void write_conversion(Writer& out, Spec& spec, va_list* args) {
  // '*' arguments come first, in order, and only once we know the conversion is supported.
  if (spec.width_from_arg) {
    int width = va_arg(*args, int);
    if (width < 0) {
      spec.left = true;
      spec.width = 0u - static_cast<unsigned int>(width);
    } else {
      spec.width = static_cast<size_t>(width);
    }
  }
  if (spec.precision_from_arg) {
    int precision = va_arg(*args, int);
    // A negative precision counts as if none was given.
    spec.has_precision = precision >= 0;
    spec.precision = precision >= 0 ? static_cast<size_t>(precision) : 0;
  }

  switch (spec.conversion) {
    case 'd':
    case 'i': {
      int64_t value = read_signed(args, spec.length);
      // Negate in unsigned arithmetic so INT64_MIN does not overflow.
      uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value)
                                     : static_cast<uint64_t>(value);
      write_integer(out, spec, magnitude, value < 0, true);
      return;
    }
    case 'u':
    case 'x':
    case 'X':
    case 'o':
      write_integer(out, spec, read_unsigned(args, spec.length), false, false);
      return;
    case 'c': {
      char c = static_cast<char>(va_arg(*args, int));
      write_field(out, spec, &c, 1);
      return;
    }
    case 's': {
      const char* text = va_arg(*args, const char*);
      if (text == nullptr) text = "(null)";
      size_t length = spec.has_precision ? string_length_bounded(text, spec.precision)
                                         : string_length(text);
      write_field(out, spec, text, length);
      return;
    }
    case 'p': {
      uint64_t address = reinterpret_cast<uintptr_t>(va_arg(*args, void*));
      char text[18];
      text[0] = '0';
      text[1] = 'x';
      for (int i = 0; i < 16; ++i) {
        text[2 + i] = "0123456789abcdef"[(address >> (60 - 4 * i)) & 0xf];
      }
      write_field(out, spec, text, sizeof(text));
      return;
    }
    default:
      return;  // is_supported() filtered everything else out.
  }
}

struct BufferSink {
  char* buffer;
  size_t capacity;  // bytes available for text, excluding the NUL
  size_t used;
};

void buffer_sink(void* context, const char* text, size_t length) {
  BufferSink* sink = static_cast<BufferSink*>(context);
  size_t room = sink->capacity - sink->used;
  size_t count = length < room ? length : room;
  for (size_t i = 0; i < count; ++i) sink->buffer[sink->used + i] = text[i];
  sink->used += count;
}

}  // namespace

size_t vformat(CharSink sink, void* context, const char* format, va_list args) {
  if (format == nullptr) return 0;
  Writer out(sink, context);
  va_list ap;
  va_copy(ap, args);

  const char* p = format;
  while (*p != '\0') {
    const char* run = p;
    while (*p != '\0' && *p != '%') ++p;
    out.write(run, static_cast<size_t>(p - run));
    if (*p == '\0') break;

    const char* spec_start = p++;
    if (*p == '%') {
      out.write(p, 1);
      ++p;
      continue;
    }

    Spec spec;
    for (;; ++p) {
      if (*p == '-') {
        spec.left = true;
      } else if (*p == '0') {
        spec.zero = true;
      } else if (*p == '+') {
        spec.plus = true;
      } else if (*p == ' ') {
        spec.space = true;
      } else if (*p == '#') {
        spec.alternate = true;
      } else {
        break;
      }
    }
    if (*p == '*') {
      spec.width_from_arg = true;
      ++p;
    } else {
      p = parse_number(p, &spec.width);
    }
    if (*p == '.') {
      ++p;
      spec.has_precision = true;
      if (*p == '*') {
        spec.precision_from_arg = true;
        ++p;
      } else {
        p = parse_number(p, &spec.precision);  // "." alone means precision 0, as in C
      }
    }
    p = parse_length(p, &spec.length);
    spec.conversion = *p;
    if (*p != '\0') ++p;

    if (!is_supported(spec)) {
      out.write(spec_start, static_cast<size_t>(p - spec_start));
      continue;
    }
    write_conversion(out, spec, &ap);
  }

  va_end(ap);
  return out.total();
}

size_t format(CharSink sink, void* context, const char* format, ...) {
  va_list args;
  va_start(args, format);
  size_t length = vformat(sink, context, format, args);
  va_end(args);
  return length;
}

size_t vsnprintf(char* buffer, size_t size, const char* format, va_list args) {
  // Without a buffer there is nowhere to put even the NUL; still report the length.
  if (buffer == nullptr) size = 0;
  BufferSink sink{buffer, size > 0 ? size - 1 : 0, 0};
  size_t length = vformat(size > 0 ? buffer_sink : nullptr, &sink, format, args);
  if (size > 0) buffer[sink.used] = '\0';
  return length;
}

size_t snprintf(char* buffer, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  size_t length = vsnprintf(buffer, size, format, args);
  va_end(args);
  return length;
}

}  // namespace bm
