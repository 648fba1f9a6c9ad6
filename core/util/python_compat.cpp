#include "util/python_compat.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace idm::py {
namespace {

// Decodes one UTF-8 code point at text[pos]; returns its byte length (1 for invalid bytes).
size_t decode_utf8(std::string_view text, size_t pos, uint32_t& code_point) {
  auto byte = static_cast<unsigned char>(text[pos]);
  size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || pos + length > text.size()) {
    code_point = 0xFFFD;
    return 1;
  }
  if (length == 1) {
    code_point = byte;
    return 1;
  }
  code_point = byte & (0xFF >> (length + 1));
  for (size_t i = 1; i < length; ++i) {
    auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) {
      code_point = 0xFFFD;
      return 1;
    }
    code_point = (code_point << 6) | (next & 0x3F);
  }
  return length;
}

// Python's str.isspace() code points.
bool is_python_space(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Copies digits with Python's underscore rule (a single '_' only between two digits).
// Returns false on a misplaced underscore.
bool strip_underscores(std::string_view text, std::string& out) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_') {
      if (i == 0 || i + 1 >= text.size() || !is_digit(text[i - 1]) || !is_digit(text[i + 1])) return false;
      continue;
    }
    out.push_back(c);
  }
  return true;
}

}  // namespace

std::string_view strip(std::string_view text) {
  // Fast path: printable ASCII at both ends needs no decoding.
  auto plain = [](char c) { return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F; };
  if (text.empty() || (plain(text.front()) && plain(text.back()))) return text;
  size_t begin = 0;
  while (begin < text.size()) {
    uint32_t cp = 0;
    size_t length = decode_utf8(text, begin, cp);
    if (!is_python_space(cp)) break;
    begin += length;
  }
  size_t end = text.size();
  while (end > begin) {
    // Walk back to the start of the last code point.
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80 && end - start < 4) --start;
    uint32_t cp = 0;
    size_t length = decode_utf8(text, start, cp);
    if (start + length != end) {  // not a clean code point: treat the last byte alone
      start = end - 1;
      decode_utf8(text, start, cp);
    }
    if (!is_python_space(cp)) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

size_t code_point_count(std::string_view text) {
  size_t count = 0;
  for (size_t pos = 0; pos < text.size(); ++count) {
    uint32_t cp = 0;
    pos += decode_utf8(text, pos, cp);
  }
  return count;
}

bool parse_int(std::string_view text, int64_t& out, bool saturate) {
  std::string_view body = strip(text);
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty() || !is_digit(body.front()) || !is_digit(body.back())) return false;
  std::string digits;
  if (!strip_underscores(body, digits)) return false;
  for (char c : digits) if (!is_digit(c)) return false;
  uint64_t magnitude = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  if (error == std::errc::result_out_of_range && saturate) {
    out = negative ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
    return true;
  }
  if (error != std::errc() || end != digits.data() + digits.size()) return false;
  if (negative) {
    if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) {
      if (!saturate) return false;
      magnitude = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1;
    }
    out = magnitude == static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1
              ? std::numeric_limits<int64_t>::min()
              : -static_cast<int64_t>(magnitude);
  } else {
    if (magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      if (!saturate) return false;
      magnitude = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    }
    out = static_cast<int64_t>(magnitude);
  }
  return true;
}

bool parse_float(std::string_view text, double& out) {
  std::string_view body = strip(text);
  std::string sign;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    sign = body.substr(0, 1);
    body.remove_prefix(1);
  }
  std::string lower = ascii_lower(body);
  if (lower == "inf" || lower == "infinity") {
    out = sign == "-" ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (lower == "nan") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  // Grammar: digits [. digits] [e [sign] digits] with at least one digit in the mantissa.
  std::string cleaned;
  if (!strip_underscores(body, cleaned)) return false;
  size_t pos = 0;
  size_t mantissa_digits = 0;
  while (pos < cleaned.size() && is_digit(cleaned[pos])) ++pos, ++mantissa_digits;
  if (pos < cleaned.size() && cleaned[pos] == '.') {
    ++pos;
    while (pos < cleaned.size() && is_digit(cleaned[pos])) ++pos, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  if (pos < cleaned.size() && (cleaned[pos] == 'e' || cleaned[pos] == 'E')) {
    ++pos;
    if (pos < cleaned.size() && (cleaned[pos] == '+' || cleaned[pos] == '-')) ++pos;
    size_t exponent_digits = 0;
    while (pos < cleaned.size() && is_digit(cleaned[pos])) ++pos, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  if (pos != cleaned.size()) return false;
  std::string number = sign + cleaned;
  out = std::strtod(number.c_str(), nullptr);  // correctly rounded, like Python
  return true;
}

std::string float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0.0) return std::signbit(value) ? "-0.0" : "0.0";
  // Shortest round-trip digits in scientific form: d[.ddd]e±XX.
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  if (error != std::errc()) return "nan";
  std::string_view sci(buffer, static_cast<size_t>(end - buffer));
  bool negative = sci.front() == '-';
  if (negative) sci.remove_prefix(1);
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) if (c != '.') digits.push_back(c);
  int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  std::string out = negative ? "-" : "";
  // Python's repr uses fixed notation when -4 <= exponent < 16.
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    } else if (static_cast<size_t>(exponent) + 1 >= digits.size()) {
      out += digits + std::string(static_cast<size_t>(exponent) + 1 - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(exponent) + 1) + "." + digits.substr(static_cast<size_t>(exponent) + 1);
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  char exponent_text[16];
  std::snprintf(exponent_text, sizeof exponent_text, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out + exponent_text;
}

std::string string_repr(std::string_view text) {
  bool has_single = text.find('\'') != std::string_view::npos;
  bool has_double = text.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  out += quote;
  return out;
}

double round_to_digits(double value, int ndigits) {
  if (!std::isfinite(value)) return value;
  // glibc's printf rounds the exact binary value half-to-even, as CPython's round() does.
  char buffer[512];
  std::snprintf(buffer, sizeof buffer, "%.*f", ndigits, value);
  return std::strtod(buffer, nullptr);
}

}  // namespace idm::py
