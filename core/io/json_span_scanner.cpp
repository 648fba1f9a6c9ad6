#include "io/json_span_scanner.hpp"

#include <cstring>

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
    size_t depth = 0;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        if (!skip_string()) return false;
        continue;
      }
      if (c == '[' || c == '{') ++depth;
      else if (c == ']' || c == '}') {
        if (--depth == 0) {
          ++pos_;
          break;
        }
      }
      ++pos_;
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
