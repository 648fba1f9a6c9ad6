#include "io/json_span_scanner.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace idm {

void JsonSpanScanner::skip_space() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
    ++pos_;
  }
}

bool JsonSpanScanner::consume(char c) {
  skip_space();
  if (pos_ >= text_.size() || text_[pos_] != c) return false;
  ++pos_;
  return true;
}

bool JsonSpanScanner::skip_string() {
  ++pos_;  // opening quote
  // Most strings are short ("KeyPress", "F07"): look at a few bytes before calling memchr.
  for (size_t end = std::min(text_.size(), pos_ + 24); pos_ < end; ++pos_) {
    char c = text_[pos_];
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (c == '\\') break;  // escapes: the general loop below counts backslashes
  }
  while (pos_ < text_.size()) {
    const void* hit = std::memchr(text_.data() + pos_, '"', text_.size() - pos_);
    if (!hit) break;
    size_t quote = static_cast<size_t>(static_cast<const char*>(hit) - text_.data());
    size_t backslashes = 0;
    while (quote - backslashes > pos_ && text_[quote - backslashes - 1] == '\\') ++backslashes;
    pos_ = quote + 1;
    if (backslashes % 2 == 0) return true;  // an even run of backslashes leaves the quote unescaped
  }
  pos_ = text_.size();
  return false;
}

bool JsonSpanScanner::skip_blocks(size_t& depth, bool& in_string) {
#if defined(__SSE2__)
  const char* data = text_.data();
  uint64_t string_carry = 0;  // all ones when the previous block ended inside a string
  while (pos_ + 64 <= text_.size()) {
    uint64_t quote = 0, backslash = 0, open = 0, close = 0;
    for (int lane = 0; lane < 4; ++lane) {
      __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos_ + 16 * lane));
      auto bits = [&](char c) {
        return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(c)))));
      };
      int shift = 16 * lane;
      quote |= bits('"') << shift;
      backslash |= bits('\\') << shift;
      open |= (bits('[') | bits('{')) << shift;
      close |= (bits(']') | bits('}')) << shift;
    }
    if (backslash) break;  // escapes are rare: let the scalar loop count them
    // Bit i of `inside` is set from an opening quote up to (not including) its closing quote.
    uint64_t inside = quote;
    inside ^= inside << 1;
    inside ^= inside << 2;
    inside ^= inside << 4;
    inside ^= inside << 8;
    inside ^= inside << 16;
    inside ^= inside << 32;
    inside ^= string_carry;
    uint64_t real_open = open & ~inside;
    uint64_t real_close = close & ~inside;
    auto closes = static_cast<size_t>(__builtin_popcountll(real_close));
    if (closes >= depth) {
      // The value may end here: walk this block's brackets in order.
      for (uint64_t brackets = real_open | real_close; brackets; brackets &= brackets - 1) {
        int bit = __builtin_ctzll(brackets);
        if (real_open >> bit & 1) {
          ++depth;
        } else if (--depth == 0) {
          pos_ += static_cast<size_t>(bit) + 1;
          return true;
        }
      }
    } else {
      depth = depth + static_cast<size_t>(__builtin_popcountll(real_open)) - closes;
    }
    string_carry = (inside >> 63) ? ~0ull : 0;
    pos_ += 64;
  }
  in_string = string_carry != 0;
  return false;
#else
  (void)depth;
  (void)in_string;
  return false;
#endif
}

bool JsonSpanScanner::string_body(std::string_view& out) {
  skip_space();
  if (pos_ >= text_.size() || text_[pos_] != '"') return false;
  size_t start = pos_ + 1;
  if (!skip_string()) return false;
  out = text_.substr(start, pos_ - 1 - start);
  return true;
}

bool JsonSpanScanner::value(std::string_view& out) {
  skip_space();
  if (pos_ >= text_.size()) return false;
  size_t start = pos_;
  char first = text_[pos_];
  if (first == '"') {
    if (!skip_string()) return false;
  } else if (first == '[' || first == '{') {
    // Fast path over the bulk of a large value; `in_string` is false here (pos_ is at first).
    // 1: quote, 2: opening bracket, 3: closing bracket, 0: anything else.
    static constexpr auto kClass = [] {
      std::array<uint8_t, 256> table{};
      table['"'] = 1;
      table['['] = table['{'] = 2;
      table[']'] = table['}'] = 3;
      return table;
    }();
    size_t depth = 1;
    ++pos_;
    bool in_string = false;
    bool ended = skip_blocks(depth, in_string);
    if (ended) depth = 0;
    if (!ended && in_string) {  // the block path stopped inside a string: finish it first
      --pos_;         // skip_string expects to stand on a quote-like byte it steps over
      if (!skip_string()) return false;
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(text_.data());
    while (!ended && pos_ < text_.size()) {
      uint8_t kind = kClass[bytes[pos_]];
      if (kind == 0) {
        ++pos_;
        continue;
      }
      if (kind == 1) {
        if (!skip_string()) return false;
        continue;
      }
      ++pos_;
      if (kind == 2) {
        ++depth;
      } else if (--depth == 0) {
        break;
      }
    }
    if (depth != 0) return false;
  } else {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t') break;
      ++pos_;
    }
    if (pos_ == start) return false;
  }
  out = text_.substr(start, pos_ - start);
  return true;
}

}  // namespace idm
