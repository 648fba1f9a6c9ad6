#pragma once
// Finds where JSON values start and end without parsing them, so a huge document can be cut
// into pieces that are parsed (and validated) independently. Only string quoting and bracket
// nesting are tracked; the pieces must still go through a real parser.
#include <cstddef>
#include <string>
#include <string_view>

namespace idm {

class JsonSpanScanner {
 public:
  explicit JsonSpanScanner(std::string_view text) : text_(text) {}

  void skip_space();
  bool at_end() { return skip_space(), pos_ >= text_.size(); }
  // Consumes `c` (after white space); false if the next character is something else.
  bool consume(char c);
  char peek() { return skip_space(), pos_ < text_.size() ? text_[pos_] : '\0'; }
  // The raw text of a string (without quotes, escapes untouched).
  bool string_body(std::string_view& out);
  // The full text of the next value (string, number, literal, array or object).
  bool value(std::string_view& out);
  size_t position() const { return pos_; }

 private:
  bool skip_string();  // at '"': moves past the closing quote
  // Inside an array/object at `depth`: advances 64 bytes at a time (SSE2), tracking string
  // state and nesting. Returns true with pos_ just past the closing bracket when the value
  // ends; false when it stops before a block holding a backslash or the last partial block
  // (the scalar loop takes over, in_string telling whether it stopped inside a string).
  bool skip_blocks(size_t& depth, bool& in_string);
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace idm
